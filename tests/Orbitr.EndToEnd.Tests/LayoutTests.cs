using System.Text.Json;
using Microsoft.Playwright;

namespace Orbitr.EndToEnd.Tests;

/// <summary>Issue 23's layout rules, measured in Chromium: one top bar row from 1024 px, the phone's first screen,
/// no panel running off a phone's screen, axe clean in both themes with the menus open.</summary>
[Collection(AppCollection.Name)]
public sealed class LayoutTests(AppServer server)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private static string Theme(string theme) => $"localStorage.setItem('orbitr.settings', JSON.stringify({{ version: 1, theme: '{theme}' }}))";

    // Every visible control of the top bar: its box, and the bar's.
    private const string TopBarBoxes = """
        () => {
          const bar = document.querySelector('header.top').getBoundingClientRect();
          const boxes = [...document.querySelectorAll('header.top :is(button, input, select, [role=slider], canvas, label.led-toggle)')]
            .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).opacity !== '0')
            .map(e => { const r = e.getBoundingClientRect(); return { name: e.getAttribute('aria-label') || e.labels?.[0]?.textContent.trim() || e.textContent.trim().slice(0, 20) || e.tagName, left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width }; })
            .filter(b => b.width > 1);
          return { bar: { top: bar.top, bottom: bar.bottom, height: bar.height }, boxes, scrollWidth: document.documentElement.scrollWidth, width: innerWidth };
        }
        """;

    [Theory]
    [InlineData(1024)]
    [InlineData(1280)]
    [InlineData(1440)]
    public async Task From_1024_px_the_top_bar_is_one_row_with_every_control_on_screen(int width)
    {
        await using var app = await server.OpenAsync(viewport: new() { Width = width, Height = 800 });
        var m = await app.Page.EvaluateAsync<JsonElement>(TopBarBoxes);
        var bar = m.GetProperty("bar");
        Assert.True(bar.GetProperty("height").GetDouble() <= 72, $"the top bar is {bar.GetProperty("height").GetDouble():0} px tall at {width} px: it wrapped");
        var boxes = m.GetProperty("boxes").EnumerateArray().ToList();
        Assert.True(boxes.Count >= 12, $"{boxes.Count} controls found");
        foreach (var b in boxes)
        {
            var name = b.GetProperty("name").GetString();
            Assert.True(b.GetProperty("left").GetDouble() >= 0 && b.GetProperty("right").GetDouble() <= width + 0.5, $"{name} runs off the {width} px window");
            Assert.True(b.GetProperty("bottom").GetDouble() <= bar.GetProperty("bottom").GetDouble() + 0.5, $"{name} sits below the bar");
        }
        // One row: left to right, no control over another.
        var row = boxes.OrderBy(b => b.GetProperty("left").GetDouble()).ToList();
        for (var i = 1; i < row.Count; i++)
            Assert.True(row[i].GetProperty("left").GetDouble() >= row[i - 1].GetProperty("right").GetDouble() - 0.5,
                $"{row[i].GetProperty("name").GetString()} overlaps {row[i - 1].GetProperty("name").GetString()} at {width} px");
        foreach (var must in new[] { "Play", "BPM", "Swing", "Length", "Master volume", "Master", "Undo", "Pattern name", "Patterns", "Export", "Share", "Settings" })
            Assert.Contains(boxes, b => (b.GetProperty("name").GetString() ?? "").StartsWith(must, StringComparison.Ordinal));
        Assert.True(m.GetProperty("scrollWidth").GetInt32() <= width, "the page scrolls sideways");
    }

    [Fact]
    public async Task On_a_phone_Play_BPM_and_every_step_of_the_selected_ring_are_in_the_first_screen()
    {
        await using var app = await server.OpenAsync(viewport: Phone, touch: true);
        Assert.Equal(0, await app.Page.EvaluateAsync<double>("() => scrollY"));
        var targets = new List<ILocator>
        {
            app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }),
            app.Page.GetByLabel("BPM", new() { Exact = true }),
        };
        var steps = app.Page.Locator("[data-zoom-step]");
        Assert.Equal(16, await steps.CountAsync());
        for (var i = 0; i < 16; i++) targets.Add(steps.Nth(i));
        foreach (var t in targets)
        {
            var box = await t.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Y >= 0 && box.Y + box.Height <= Phone.Height, $"{await t.GetAttributeAsync("aria-label") ?? await t.InnerTextAsync()} at y {box.Y:0}–{box.Y + box.Height:0}, past the first 844 px");
            Assert.True(box.X >= 0 && box.X + box.Width <= Phone.Width);
        }
        // The rings' section holds what it shows: no zoomed step under the panels below it, no switch over the overview.
        var section = (await app.Page.Locator("section.rings").BoundingBoxAsync())!;
        var tracks = (await app.Page.Locator(".panels.editor").BoundingBoxAsync())!;
        var dial = (await app.Page.Locator(".dial").BoundingBoxAsync())!;
        for (var i = 0; i < 16; i++)
        {
            var box = (await steps.Nth(i).BoundingBoxAsync())!;
            Assert.True(box.Y + box.Height <= section.Y + section.Height + 0.5 && box.Y + box.Height <= tracks.Y + 0.5,
                $"step {i + 1} reaches y {box.Y + box.Height:0}, the rings' section ends at {section.Y + section.Height:0}, the panels start at {tracks.Y:0}");
        }
        foreach (var name in new[] { "Pads", "Record", "Rings", "Lanes" })
        {
            var b = (await app.Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).BoundingBoxAsync())!;
            Assert.True(b.Y + b.Height <= dial.Y + 0.5, $"{name} (to y {b.Y + b.Height:0}) lies over the rings' overview (from y {dial.Y:0})");
        }
    }

    // The open panel (the menu sheet, a menu's panel, the dialog) and the page: nothing wider than the phone.
    private static async Task ExpectInsideThePhoneAsync(AppPage app, string what, string selector)
    {
        var m = await app.Page.EvaluateAsync<JsonElement>("""
            (sel) => {
              const els = [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length > 0);
              return { scrollWidth: document.documentElement.scrollWidth, boxes: els.map(e => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right }; }) };
            }
            """, selector);
        Assert.True(m.GetProperty("scrollWidth").GetInt32() <= Phone.Width, $"{what}: the page scrolls sideways ({m.GetProperty("scrollWidth").GetInt32()} px)");
        var boxes = m.GetProperty("boxes").EnumerateArray().ToList();
        Assert.True(boxes.Count > 0, $"{what}: {selector} is not shown");
        foreach (var b in boxes)
            Assert.True(b.GetProperty("left").GetDouble() >= -0.5 && b.GetProperty("right").GetDouble() <= Phone.Width + 0.5,
                $"{what}: {selector} spans {b.GetProperty("left").GetDouble():0}–{b.GetProperty("right").GetDouble():0} px of 390");
    }

    [Theory]
    [InlineData("dark")]
    [InlineData("light")]
    public async Task On_a_phone_the_file_menus_fold_into_one_menu_and_no_panel_runs_off_the_screen(string theme)
    {
        await using var app = await server.OpenAsync(initScript: Theme(theme), viewport: Phone, touch: true);
        var page = app.Page;
        // Folded: the file controls are not on the first screen until the menu opens.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Export", Exact = true })).ToBeHiddenAsync();
        var menu = page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true });
        await menu.ClickAsync();
        await Assertions.Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await ExpectInsideThePhoneAsync(app, "the menu", "#file-items");
        foreach (var (name, panel) in new[] { ("Patterns", "#pattern-library"), ("Export", "#export-menu"), ("Share", "#share-menu") })
        {
            await app.OpenMenuAsync(name);
            if (name == "Share")
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Share link", Exact = true }).ClickAsync();
                await page.GetByLabel("Share link", new() { Exact = true }).WaitForAsync();
            }
            await ExpectInsideThePhoneAsync(app, name, panel);
            await ExpectInsideThePhoneAsync(app, name, "#file-items");
        }
        await app.ExpectNoSeriousAxeViolationsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Settings" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog, new() { Name = "Settings" }).WaitForAsync();
        await ExpectInsideThePhoneAsync(app, "Settings", "dialog.settings-dialog");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await menu.ClickAsync(); // folds again
        await Assertions.Expect(page.Locator("#file-items")).ToBeHiddenAsync();

        await app.OpenMenuAsync("Master");
        await ExpectInsideThePhoneAsync(app, "Master", "#master-menu");
        await app.ExpectNoSeriousAxeViolationsAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("[data-zoom-step='2']").TapAsync(); // selects: the step editor opens
        await page.Locator("section[aria-label='Step editor']").WaitForAsync();
        await ExpectInsideThePhoneAsync(app, "the step editor", "section[aria-label='Step editor']");
        await ExpectInsideThePhoneAsync(app, "the sounds", "section.generate");
        await ExpectInsideThePhoneAsync(app, "the library", "section.library");
        await app.ExpectNoSeriousAxeViolationsAsync();
    }

    [Theory]
    [InlineData("dark")]
    [InlineData("light")]
    public async Task Axe_is_clean_in_both_themes_with_each_menu_open_and_a_step_selected(string theme)
    {
        await using var app = await server.OpenAsync(initScript: Theme(theme), viewport: new() { Width = 1440, Height = 900 });
        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", theme);
        await app.Step(1, 2).ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
        await app.Page.Locator("section[aria-label='Step editor']").WaitForAsync();
        await app.ExpectNoSeriousAxeViolationsAsync();
        foreach (var name in new[] { "Master", "Patterns", "Export", "Share" })
        {
            await app.OpenMenuAsync(name);
            await app.ExpectNoSeriousAxeViolationsAsync();
        }
    }
}
