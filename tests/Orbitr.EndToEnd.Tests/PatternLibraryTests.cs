using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Tests.Waiting;

namespace Orbitr.EndToEnd.Tests;

/// <summary>The pattern library (issue 15): many patterns kept in this browser's IndexedDB, newest edit first.</summary>
[Collection(AppCollection.Name)]
public sealed class PatternLibraryTests(AppServer server)
{
    private static ILocator NameBox(AppPage app) => app.Page.GetByLabel("Pattern name");

    [Fact]
    public async Task Share_link_saves_the_pattern_being_edited_each_to_its_own_server_copy()
    {
        await using var app = await server.OpenAsync();
        await app.SaveAsAsync("Shared A");
        var linkBox = app.Page.GetByLabel("Share link", new() { Exact = true });
        await app.MenuItemAsync("Share", "Share link");
        var linkA = await linkBox.InputValueAsync();

        await app.PatternListAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "New", Exact = true }).ClickAsync();
        await app.OpenMenuAsync("Share");
        await Assertions.Expect(linkBox).ToHaveCountAsync(0); // the box showed the other pattern's link
        await app.Step(2, 3).ClickAsync();
        await app.SaveAsAsync("Shared B");
        await app.MenuItemAsync("Share", "Share link");
        var linkB = await linkBox.InputValueAsync();
        Assert.NotEqual(linkA, linkB);

        using var http = new HttpClient();
        async Task<string> NameAt(string link) =>
            PatternJson.Read(await http.GetByteArrayAsync(link.Replace("/p/", "/api/patterns/"))).Pattern!.Name;
        Assert.Equal("Shared A", await NameAt(linkA)); // not overwritten by B
        Assert.Equal("Shared B", await NameAt(linkB));

        // Back on A, Share updates A's own copy (same link).
        await app.OpenPatternAsync("Shared A");
        await app.Page.Keyboard.PressAsync("Escape"); // close the list
        var before = await app.Step(3, 4).GetAttributeAsync("aria-pressed");
        await app.Step(3, 4).ClickAsync();
        await app.MenuItemAsync("Share", "Share link");
        await Assertions.Expect(linkBox).ToHaveValueAsync(linkA);
        var a = PatternJson.Read(await http.GetByteArrayAsync(linkA.Replace("/p/", "/api/patterns/"))).Pattern!;
        Assert.Equal(before != "true", a.Tracks[2].Steps[3].Active);
        Assert.Equal("Shared B", await NameAt(linkB));
    }

    [Fact]
    public async Task Patterns_are_listed_newest_edit_first_and_opening_one_keeps_the_edits_of_the_other()
    {
        await using var app = await server.OpenAsync();
        await app.Step(2, 2).ClickAsync();                     // the starter pattern, "Untitled"
        await app.SaveAsAsync("Groove A");
        await app.CloseMenuAsync("Patterns");                  // its panel opens over the rings
        await app.Step(3, 3).ClickAsync();
        await app.PatternListAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "New", Exact = true }).ClickAsync();
        await Assertions.Expect(NameBox(app)).ToHaveValueAsync("Untitled 2");
        await app.ExpectStepAsync(1, 1, false);                // a new pattern is empty
        await app.Step(5, 5).ClickAsync();
        await app.SaveAsAsync("Groove B");

        await app.ExpectPatternNamesAsync("Groove B", "Untitled 2", "Groove A", "Untitled");
        var list = await app.PatternListAsync();
        await Assertions.Expect(list.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(4);
        await Assertions.Expect(list.Locator("svg.thumb")).ToHaveCountAsync(4);
        // Groove A's thumbnail: the starter groove (14 steps) and the two added.
        await Assertions.Expect(list.GetByRole(AriaRole.Listitem).Filter(new() { Has = app.Page.GetByRole(AriaRole.Button, new() { Name = "Groove A", Exact = true }) })
            .Locator(".thumb-dot")).ToHaveCountAsync(16);
        await Assertions.Expect(list.Locator("[aria-current=true]")).ToHaveTextAsync("Groove B");

        await app.OpenPatternAsync("Groove A");
        await app.ExpectStepAsync(2, 2, true);
        await app.ExpectStepAsync(3, 3, true);
        await app.ExpectStepAsync(5, 5, false);
        await app.CloseMenuAsync("Patterns");
        await app.Step(4, 4).ClickAsync();                     // an edit, then straight to another pattern
        await app.OpenPatternAsync("Untitled");
        await app.ExpectStepAsync(2, 2, true);
        await app.ExpectStepAsync(3, 3, false);
        await app.ExpectStepAsync(4, 4, false);
        await app.OpenPatternAsync("Groove A");
        await app.ExpectStepAsync(4, 4, true);                 // kept
        await app.ExpectPatternNamesAsync("Groove A", "Groove B", "Untitled 2", "Untitled");

        // Reload: the library and the pattern being edited come back.
        await app.WaitForSavedAsync(p => p.Name == "Groove A" && p.Tracks[3].Steps[3].Active);
        await app.ReloadAsync();
        await Assertions.Expect(NameBox(app)).ToHaveValueAsync("Groove A");
        await app.ExpectStepAsync(4, 4, true);
        await app.ExpectPatternNamesAsync("Groove A", "Groove B", "Untitled 2", "Untitled");
        await app.OpenPatternAsync("Groove B");
        await app.ExpectStepAsync(5, 5, true);
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task Rename_duplicate_and_delete_with_undo()
    {
        await using var app = await server.OpenAsync();
        await app.SaveAsAsync("Basic beat");
        var list = await app.PatternListAsync();

        await list.GetByRole(AriaRole.Button, new() { Name = "Rename Basic beat", Exact = true }).ClickAsync();
        var box = list.GetByLabel("New name for Basic beat");
        await Assertions.Expect(box).ToBeFocusedAsync();
        await box.FillAsync("Boom bap");
        await box.PressAsync("Enter");
        await Assertions.Expect(NameBox(app)).ToHaveValueAsync("Boom bap"); // the current pattern's name
        await list.GetByRole(AriaRole.Button, new() { Name = "Rename Untitled", Exact = true }).ClickAsync();
        await list.GetByLabel("New name for Untitled").FillAsync("Old one");
        await list.GetByLabel("New name for Untitled").PressAsync("Enter");
        await app.ExpectPatternNamesAsync("Old one", "Boom bap");
        await Assertions.Expect(NameBox(app)).ToHaveValueAsync("Boom bap");

        // The name box renames the current entry too.
        await NameBox(app).FillAsync("Boom bap 2");
        await NameBox(app).PressAsync("Tab");
        await app.ExpectPatternNamesAsync("Boom bap 2", "Old one");

        await list.GetByRole(AriaRole.Button, new() { Name = "Duplicate Boom bap 2", Exact = true }).ClickAsync();
        await app.ExpectPatternNamesAsync("Boom bap 2 copy", "Boom bap 2", "Old one");

        // Delete, then Undo: back in its place.
        await list.GetByRole(AriaRole.Button, new() { Name = "Delete Boom bap 2 copy", Exact = true }).ClickAsync();
        await app.ExpectPatternNamesAsync("Boom bap 2", "Old one");
        var undo = app.Page.GetByRole(AriaRole.Button, new() { Name = "Undo", Exact = true }).And(app.Page.Locator(".undo-delete button"));
        await Assertions.Expect(undo).ToBeFocusedAsync();
        await undo.ClickAsync();
        await app.ExpectPatternNamesAsync("Boom bap 2 copy", "Boom bap 2", "Old one");

        // Delete without undo: gone, also after a reload.
        await list.GetByRole(AriaRole.Button, new() { Name = "Delete Old one", Exact = true }).ClickAsync();
        await app.ExpectPatternNamesAsync("Boom bap 2 copy", "Boom bap 2");
        // Deleting the pattern being edited opens the most recent other one.
        await list.GetByRole(AriaRole.Button, new() { Name = "Delete Boom bap 2", Exact = true }).ClickAsync();
        await Assertions.Expect(NameBox(app)).ToHaveValueAsync("Boom bap 2 copy");
        await app.ExpectPatternNamesAsync("Boom bap 2 copy");
        await WaitForStoredNamesAsync(app, "Boom bap 2 copy");
        await app.ReloadAsync();
        await app.ExpectPatternNamesAsync("Boom bap 2 copy");
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task The_list_is_reachable_by_keyboard_and_Enter_opens_a_pattern()
    {
        await using var app = await server.OpenAsync();
        await app.Step(6, 1).ClickAsync();
        await app.SaveAsAsync("Keys one");
        await app.PatternListAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "New", Exact = true }).ClickAsync();
        await Assertions.Expect(NameBox(app)).ToHaveValueAsync("Untitled 2");
        await app.Page.Keyboard.PressAsync("Escape"); // New sits in the list's panel: close it first

        var toggle = app.Page.GetByRole(AriaRole.Button, new() { Name = "Patterns", Exact = true });
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await toggle.FocusAsync();
        await app.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        var list = app.Page.GetByRole(AriaRole.List, new() { Name = "Saved patterns" });
        // Focus lands on the pattern being edited; ↓ moves down the list; Enter opens.
        await Assertions.Expect(list.GetByRole(AriaRole.Button, new() { Name = "Untitled 2", Exact = true })).ToBeFocusedAsync();
        await app.Page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(list.GetByRole(AriaRole.Button, new() { Name = "Keys one", Exact = true })).ToBeFocusedAsync();
        await app.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(NameBox(app)).ToHaveValueAsync("Keys one");
        await app.ExpectStepAsync(6, 1, true);
        await Assertions.Expect(list).ToHaveCountAsync(0);     // the list closes
        await Assertions.Expect(toggle).ToBeFocusedAsync();    // and focus returns to its button

        // Tab reaches the list; Escape closes it.
        await app.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(list.GetByRole(AriaRole.Button, new() { Name = "Keys one", Exact = true })).ToBeFocusedAsync();
        await Assertions.Expect(list.GetByRole(AriaRole.Button, new() { Name = "Keys one", Exact = true })).ToHaveAttributeAsync("aria-current", "true");
        await app.Page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(list.GetByRole(AriaRole.Button, new() { Name = "Rename Keys one", Exact = true })).ToBeFocusedAsync();
        await app.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(list).ToHaveCountAsync(0);
        await Assertions.Expect(toggle).ToBeFocusedAsync();
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violations_in_the_open_list()
    {
        await using var app = await server.OpenAsync();
        await app.SaveAsAsync("Scanned");
        await app.PatternListAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "New", Exact = true }).ClickAsync();
        var list = await app.PatternListAsync();
        await list.GetByRole(AriaRole.Button, new() { Name = "Delete Untitled", Exact = true }).ClickAsync(); // the undo bar
        await list.GetByRole(AriaRole.Button, new() { Name = "Rename Scanned", Exact = true }).ClickAsync();   // a rename form
        await list.GetByLabel("New name for Scanned").WaitForAsync();
        await app.ExpectNoSeriousAxeViolationsAsync();
    }

    [Fact]
    public async Task A_corrupted_library_entry_is_kept_aside_by_name_and_the_others_still_open()
    {
        await using var app = await server.OpenAsync();
        await app.Step(2, 9).ClickAsync();
        await app.SaveAsAsync("Good one");
        await WaitForStoredNamesAsync(app, "Good one", "Untitled");
        const string bad = "{ \"format\": \"orbitr.pattern\", broken";
        await app.WriteLibraryEntryAsync("broken-1", "Broken beat", bad, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 5000);
        await app.ReloadAsync();

        await app.Notice(4002).WaitForAsync();
        Assert.Contains("Broken beat", await app.Notice(4002).InnerTextAsync());
        var kept = JsonDocument.Parse(await app.QuarantineAsync()).RootElement.EnumerateArray().ToList();
        Assert.Contains(kept, e => e.GetProperty("text").GetString() == bad && e.GetProperty("name").GetString() == "Broken beat");
        await WaitForStoredNamesAsync(app, "Good one", "Untitled");  // moved out of the library, the rest untouched

        await Assertions.Expect(NameBox(app)).ToHaveValueAsync("Good one");
        await app.ExpectPatternNamesAsync("Good one", "Untitled");
        await app.OpenPatternAsync("Untitled");
        await app.ExpectStepAsync(2, 9, true);
        await app.OpenPatternAsync("Good one");
        await app.Step(3, 9).ClickAsync();
        await app.WaitForSavedAsync(p => p.Name == "Good one" && p.Tracks[2].Steps[8].Active);
    }

    [Fact]
    public async Task Import_adds_a_pattern_to_the_library_and_opens_it()
    {
        await using var app = await server.OpenAsync();
        var pattern = PatternEditor.SetStepActive(PatternFactory.Create(4, seed: 9, name: "From a file"), 1, 6, true);
        await app.ImportByPickerAsync("file.json", PatternJson.WriteUtf8(pattern));
        await Assertions.Expect(NameBox(app)).ToHaveValueAsync("From a file");
        await app.ExpectStepAsync(2, 7, true);
        await app.ExpectPatternNamesAsync("From a file", "Untitled");
        var stored = await WaitForStoredNamesAsync(app, "From a file", "Untitled");
        var text = stored.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "From a file").GetProperty("text").GetString()!;
        Assert.Equal(pattern, PatternJson.Read(text).Pattern);
        await app.OpenPatternAsync("Untitled");
        await app.ExpectStepCountAsync(96);
    }

    [Fact]
    public async Task A_pattern_saved_before_the_library_existed_becomes_its_first_entry()
    {
        await using var app = await server.OpenAsync();
        var old = PatternEditor.SetStepActive(PatternFactory.Create(3, seed: 5, name: "From version 1"), 2, 3, true);
        // Replace this browser's database with one as the app before the library left it (version 1, no library).
        await app.Page.EvaluateAsync("""
            (text) => new Promise((resolve, reject) => {
              const del = indexedDB.deleteDatabase('orbitr');
              del.onerror = () => reject(del.error);
              del.onsuccess = () => {
                const r = indexedDB.open('orbitr', 1);
                r.onupgradeneeded = () => {
                  r.result.createObjectStore('patterns');
                  r.result.createObjectStore('quarantine', { autoIncrement: true });
                };
                r.onerror = () => reject(r.error);
                r.onsuccess = () => {
                  const db = r.result;
                  const tx = db.transaction('patterns', 'readwrite');
                  tx.objectStore('patterns').put(text, 'current');
                  tx.oncomplete = () => { db.close(); resolve(); };
                  tx.onerror = () => reject(tx.error);
                };
              };
            })
            """, PatternJson.Write(old));
        await app.ReloadAsync();
        await Assertions.Expect(NameBox(app)).ToHaveValueAsync("From version 1");
        await app.ExpectStepAsync(3, 4, true);
        await app.ExpectPatternNamesAsync("From version 1");
        var stored = await WaitForStoredNamesAsync(app, "From version 1");
        Assert.Equal(old, PatternJson.Read(stored[0].GetProperty("text").GetString()!).Pattern);
        Assert.Equal(old, await app.WaitForSavedAsync(_ => true));
    }

    [Fact]
    public async Task A_tab_of_the_old_version_that_blocks_the_upgrade_is_reported_and_the_app_starts_in_memory()
    {
        var context = await server.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        // The "old tab": holds version 1 of the database open and never lets go.
        var old = await context.NewPageAsync();
        await old.GotoAsync("/favicon.svg");
        await old.EvaluateAsync("""
            () => new Promise((resolve, reject) => {
              const r = indexedDB.open('orbitr', 1);
              r.onupgradeneeded = () => r.result.createObjectStore('patterns');
              r.onsuccess = () => { globalThis.__held = r.result; resolve(); };
              r.onerror = () => reject(r.error);
            })
            """);
        await using var app = new AppPage(context, await context.NewPageAsync());
        await app.GotoAsync();
        await app.Notice(4003).WaitForAsync();
        Assert.Contains("another tab", await app.Notice(4003).InnerTextAsync());
        await app.Step(2, 2).ClickAsync();
        await app.ExpectStepAsync(2, 2, true);
        await app.SaveAsAsync("In memory");
        await app.ExpectPatternNamesAsync("In memory", "Untitled");
    }

    /// <summary>Waits until the library store holds exactly these names (in any order) and returns its records.</summary>
    private static async Task<JsonElement> WaitForStoredNamesAsync(AppPage app, params string[] names)
    {
        var expected = names.Order().ToList();
        return await Eventually.ValueAsync(app.StoredLibraryAsync,
            stored => stored.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).Order().SequenceEqual(expected),
            TimeSpan.FromSeconds(5), $"the library store to hold exactly {string.Join(", ", names)}", TimeSpan.FromMilliseconds(50));
    }
}
