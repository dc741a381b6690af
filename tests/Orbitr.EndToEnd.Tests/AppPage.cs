using Microsoft.Playwright;
using Orbitr.Tests.Waiting;

namespace Orbitr.EndToEnd.Tests;

/// <summary>A page of the app with helpers named after what a musician does, and every console error it logged.</summary>
public sealed class AppPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;
    public IBrowserContext Context { get; } = context;
    public List<string> ConsoleErrors { get; } = [];

    public async Task GotoAsync()
    {
        Page.Console += (_, m) =>
        {
            if (m.Type == "error") ConsoleErrors.Add(m.Text);
            if (Environment.GetEnvironmentVariable("ORBITR_E2E_CONSOLE") == "1") Console.WriteLine($"[{m.Type}] {m.Text}");
        };
        Page.PageError += (_, e) => ConsoleErrors.Add(e);
        await Page.GotoAsync("/");
        await WaitReadyAsync();
    }

    /// <summary>Waits until the Blazor app has restored its state and listens for keys.</summary>
    public async Task WaitReadyAsync() =>
        await Page.Locator(".app.ready").WaitForAsync(new() { Timeout = 60_000 });

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await WaitReadyAsync();
    }

    public ILocator Step(int track, int step) => Page.GetByRole(AriaRole.Button, new() { Name = $"Track {track} step {step}", Exact = true });

    /// <summary>Asserts (retrying until the UI has re-rendered) that a step is on or off.</summary>
    public async Task ExpectStepAsync(int track, int step, bool on) =>
        await Assertions.Expect(Step(track, step)).ToHaveAttributeAsync("aria-pressed", on ? "true" : "false");

    public async Task ExpectStepCountAsync(int count) =>
        await Assertions.Expect(Page.Locator("[data-step]")).ToHaveCountAsync(count);

    public ILocator Notice(int code) => Page.Locator($".notice[data-code='{code}']");

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

/// <summary>Browser-side helpers for IndexedDB and imports.</summary>
public static class AppPageExtensions
{
    /// <summary>axe-core over the page as it is: no serious or critical violations (listed when there are).</summary>
    public static async Task ExpectNoSeriousAxeViolationsAsync(this AppPage app)
    {
        var result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(app.Page);
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")
            .ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    private const string ReadStore = """
        ([store, key]) => new Promise((resolve, reject) => {
          const r = indexedDB.open('orbitr');
          r.onerror = () => reject(r.error);
          r.onsuccess = () => {
            const db = r.result;
            const tx = db.transaction(store);
            const get = key === null ? tx.objectStore(store).getAll() : tx.objectStore(store).get(key);
            get.onsuccess = () => { db.close(); resolve(JSON.stringify(get.result ?? null)); };
            get.onerror = () => { db.close(); reject(get.error); };
          };
        })
        """;

    /// <summary>The pattern JSON text saved in IndexedDB (null when nothing is saved).</summary>
    public static async Task<string?> SavedPatternAsync(this AppPage app)
    {
        var json = await app.Page.EvaluateAsync<string>(ReadStore, new object?[] { "patterns", "current" });
        return System.Text.Json.JsonSerializer.Deserialize<string?>(json);
    }

    /// <summary>Everything kept aside in the quarantine store, as JSON.</summary>
    public static async Task<string> QuarantineAsync(this AppPage app) =>
        await app.Page.EvaluateAsync<string>(ReadStore, new object?[] { "quarantine", null });

    /// <summary>Waits until the saved pattern satisfies a condition (saves are debounced by 150 ms).</summary>
    public static async Task<Orbitr.Core.Model.Pattern> WaitForSavedAsync(this AppPage app, Func<Orbitr.Core.Model.Pattern, bool> condition, double seconds = 10)
    {
        // The IndexedDB store is read from .NET, so this polls from here (Playwright's waits see only the page).
        var text = await Eventually.ValueAsync(app.SavedPatternAsync,
            t => t is not null && Orbitr.Core.Json.PatternJson.Read(t).Pattern is { } p && condition(p),
            TimeSpan.FromSeconds(seconds), "the saved pattern to satisfy the condition (saved JSON)", TimeSpan.FromMilliseconds(50));
        return Orbitr.Core.Json.PatternJson.Read(text!).Pattern!;
    }

    public static async Task WriteSavedAsync(this AppPage app, string text) =>
        await app.Page.EvaluateAsync("""
            (text) => new Promise((resolve, reject) => {
              const r = indexedDB.open('orbitr');
              r.onerror = () => reject(r.error);
              r.onsuccess = () => {
                const db = r.result;
                const tx = db.transaction('patterns', 'readwrite');
                tx.objectStore('patterns').put(text, 'current');
                tx.oncomplete = () => { db.close(); resolve(); };
                tx.onerror = () => { db.close(); reject(tx.error); };
              };
            })
            """, text);

    /// <summary>Every entry of the pattern library as stored ({ id, name, text, updated }), as JSON.</summary>
    public static async Task<System.Text.Json.JsonElement> StoredLibraryAsync(this AppPage app) =>
        System.Text.Json.JsonDocument.Parse(await app.Page.EvaluateAsync<string>(ReadStore, new object?[] { "library", null })).RootElement;

    /// <summary>Writes a library record straight into IndexedDB (as another version of the app, or damage, might).</summary>
    public static async Task WriteLibraryEntryAsync(this AppPage app, string id, string name, string text, double updated) =>
        await app.Page.EvaluateAsync("""
            ([id, name, text, updated]) => new Promise((resolve, reject) => {
              const r = indexedDB.open('orbitr');
              r.onerror = () => reject(r.error);
              r.onsuccess = () => {
                const db = r.result;
                const tx = db.transaction('library', 'readwrite');
                tx.objectStore('library').put({ id, name, text, updated });
                tx.oncomplete = () => { db.close(); resolve(); };
                tx.onerror = () => { db.close(); reject(tx.error); };
              };
            })
            """, new object[] { id, name, text, updated });

    /// <summary>Opens a menu of the top bar (Export, Share, Master, Patterns) if it is closed.</summary>
    public static async Task OpenMenuAsync(this AppPage app, string name)
    {
        var toggle = app.Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
        if (await toggle.GetAttributeAsync("aria-expanded") != "true") await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
    }

    /// <summary>Closes a menu of the top bar if it is open (its button again: focus may have left the panel).</summary>
    public static async Task CloseMenuAsync(this AppPage app, string name)
    {
        var toggle = app.Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
        if (await toggle.GetAttributeAsync("aria-expanded") == "true") await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
    }

    /// <summary>Clicks an item of a top-bar menu, opening the menu first.</summary>
    public static async Task MenuItemAsync(this AppPage app, string menu, string item)
    {
        await app.OpenMenuAsync(menu);
        await app.Page.GetByRole(AriaRole.Button, new() { Name = item, Exact = true }).ClickAsync();
    }

    /// <summary>The "Patterns" list (opened if it is closed).</summary>
    public static async Task<ILocator> PatternListAsync(this AppPage app)
    {
        var toggle = app.Page.GetByRole(AriaRole.Button, new() { Name = "Patterns", Exact = true });
        if (await toggle.GetAttributeAsync("aria-expanded") != "true") await toggle.ClickAsync();
        var list = app.Page.GetByRole(AriaRole.List, new() { Name = "Saved patterns" });
        await list.WaitForAsync();
        return list;
    }

    /// <summary>The names in the pattern list, top first (opens the list).</summary>
    public static async Task<IReadOnlyList<string>> PatternNamesAsync(this AppPage app)
    {
        var list = await app.PatternListAsync();
        return (await list.Locator("button.open").AllInnerTextsAsync()).Select(n => n.Trim()).ToList();
    }

    /// <summary>Waits until the pattern list shows exactly these names, top first.</summary>
    public static async Task ExpectPatternNamesAsync(this AppPage app, params string[] names) =>
        await Assertions.Expect((await app.PatternListAsync()).Locator("button.open")).ToHaveTextAsync(names);

    /// <summary>Opens a pattern of the library by clicking its name.</summary>
    public static async Task OpenPatternAsync(this AppPage app, string name)
    {
        var list = await app.PatternListAsync();
        await list.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).ClickAsync();
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync(name);
    }

    /// <summary>Save as… with a name (the inline form of the file bar).</summary>
    public static async Task SaveAsAsync(this AppPage app, string name)
    {
        await app.PatternListAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Save as…", Exact = true }).ClickAsync();
        var box = app.Page.GetByLabel("Name of the copy");
        await box.FillAsync(name);
        await box.PressAsync("Enter");
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync(name);
    }

    public static async Task ImportByPickerAsync(this AppPage app, string name, byte[] bytes)
    {
        await app.PatternListAsync();
        await app.Page.Locator("input[type=file][aria-label='Import pattern JSON or MIDI']").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "application/json", Buffer = bytes });
    }

    public static async Task ImportByDropAsync(this AppPage app, string name, string text) =>
        await app.Page.EvaluateAsync("""
            ([name, text]) => {
              const dt = new DataTransfer();
              dt.items.add(new File([text], name, { type: 'application/json' }));
              document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
            }
            """, new object[] { name, text });
}
