using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Tests.Waiting;
using Xunit.Abstractions;

namespace Orbitr.EndToEnd.Tests;

/// <summary>A 390 × 844 touch phone: every step has a touch target of at least 24 × 24 CSS px (WCAG 2.2 2.5.8) in the
/// zoomed ring, the rings above it are an overview that takes no taps, and every other control is at least 24 px
/// each way. A desktop window shows no zoomed ring.</summary>
[Collection(AppCollection.Name)]
public sealed class PhoneTests(AppServer server, ITestOutputHelper output)
{
    private const double MinTarget = 24;
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private Task<AppPage> OpenPhoneAsync() => server.OpenAsync(viewport: Phone, touch: true);

    private static ILocator ZoomTab(AppPage app, int track) =>
        app.Page.Locator(".zoom-tab").Nth(track - 1);

    private static ILocator ZoomStep(AppPage app, int track, int step) =>
        app.Page.Locator($"[data-zoom-track='{track - 1}'][data-zoom-step='{step - 1}']");

    private string Shot(string name) => Path.Combine(server.RepoRoot, "TestResults", name);

    [Fact]
    public async Task Every_step_of_eight_tracks_of_64_steps_has_a_separate_target_of_at_least_24_px()
    {
        var pattern = PatternFactory.Create(8, seed: 11, name: "Dense phone");
        for (var t = 0; t < 8; t++)
        {
            pattern = PatternEditor.SetTrackLength(pattern, t, 64);
            for (var s = 0; s < 64; s += 3 + t) pattern = PatternEditor.SetStepActive(pattern, t, s, true);
        }
        await using var app = await OpenPhoneAsync();
        await app.ImportByDropAsync("dense.json", PatternJson.Write(pattern));
        await app.ExpectStepCountAsync(8 * 64);
        var smallest = double.MaxValue;
        for (var t = 1; t <= 8; t++)
        {
            await ZoomTab(app, t).TapAsync();
            await Assertions.Expect(ZoomTab(app, t)).ToHaveAttributeAsync("aria-pressed", "true");
            smallest = Math.Min(smallest, await AssertSeparateTargetsAsync(app, t, 64));
        }
        await app.Page.ScreenshotAsync(new() { Path = Shot("phone-64.png"), FullPage = true });
        await app.Page.Locator(".rings").ScreenshotAsync(new() { Path = Shot("phone-64-rings.png") });
        output.WriteLine($"smallest zoomed step of 8 × 64: {smallest:0.#} px");
        Assert.True(smallest >= 32, $"the smallest zoomed step is {smallest:0.#} px"); // 24 is the floor; the design aims higher
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task Rings_of_every_length_up_to_the_grid_keep_their_targets_apart()
    {
        // 19 steps is the most a zoomed ring holds (ZoomLayout.FitsRing); 20 and more are a grid.
        int[] lengths = [1, 2, 5, 12, 16, 19, 20, 33];
        var pattern = PatternFactory.Create(8, seed: 5, name: "Lengths");
        for (var t = 0; t < 8; t++) pattern = PatternEditor.SetTrackLength(pattern, t, lengths[t]);
        await using var app = await OpenPhoneAsync();
        await app.ImportByDropAsync("lengths.json", PatternJson.Write(pattern));
        await app.ExpectStepCountAsync(lengths.Sum());
        for (var t = 1; t <= 8; t++)
        {
            await ZoomTab(app, t).TapAsync();
            await Assertions.Expect(app.Page.Locator(".zoom-steps")).ToHaveClassAsync(lengths[t - 1] <= 19 ? "zoom-steps as-ring" : "zoom-steps as-grid");
            await AssertSeparateTargetsAsync(app, t, lengths[t - 1]);
            if (lengths[t - 1] == 19) await app.Page.Locator(".rings").ScreenshotAsync(new() { Path = Shot("phone-ring-19.png") });
        }
    }

    [Fact]
    public async Task Tapping_a_zoomed_step_toggles_it_with_one_undo_level_and_the_tabs_switch_track()
    {
        await using var app = await OpenPhoneAsync();
        var page = app.Page;
        await page.ScreenshotAsync(new() { Path = Shot("phone.png") });
        await Assertions.Expect(ZoomStep(app, 1, 1)).ToHaveAttributeAsync("aria-pressed", "true"); // the starter groove's kick
        await ZoomStep(app, 1, 2).TapAsync();
        await app.ExpectStepAsync(1, 2, true);
        await Assertions.Expect(ZoomStep(app, 1, 2)).ToHaveAttributeAsync("aria-pressed", "true");
        await ZoomStep(app, 1, 3).TapAsync();
        await app.ExpectStepAsync(1, 3, true);
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo", Exact = true }).TapAsync();
        await app.ExpectStepAsync(1, 3, false);
        await app.ExpectStepAsync(1, 2, true);
        await ZoomStep(app, 1, 2).TapAsync();
        await app.ExpectStepAsync(1, 2, false);

        var tab = page.GetByRole(AriaRole.Button, new() { Name = "Zoom track 3 (B)", Exact = true });
        await tab.TapAsync();
        await Assertions.Expect(tab).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Steps of track 3 (B), zoomed" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Select track 3 (B)" })).ToHaveAttributeAsync("aria-pressed", "true");
        var step = page.GetByRole(AriaRole.Button, new() { Name = "Step 5 of track 3 (B), zoomed", Exact = true });
        await step.TapAsync();
        await app.ExpectStepAsync(3, 5, true);
        await Assertions.Expect(step).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("[data-zoom-step]")).ToHaveCountAsync(16);

        // The overview rings take no taps: a tap on a small ring step reaches nothing.
        await app.ExpectStepAsync(2, 2, false);
        var box = (await app.Step(2, 2).BoundingBoxAsync())!;
        await page.Touchscreen.TapAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.WaitForTimeoutAsync(300); // kept fixed: a window in which a wrongly reached step would turn on
        await app.ExpectStepAsync(2, 2, false);
        await page.ScreenshotAsync(new() { Path = Shot("phone-track-3.png"), FullPage = true });
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task A_long_press_selects_an_active_zoomed_step_without_toggling_it_and_a_tap_still_toggles()
    {
        await using var app = await OpenPhoneAsync();
        var page = app.Page;
        var editor = page.Locator("section[aria-label='Step editor']");
        var kick = ZoomStep(app, 1, 1);
        await Assertions.Expect(kick).ToHaveAttributeAsync("aria-pressed", "true"); // the starter groove's kick
        await Assertions.Expect(editor).ToHaveCountAsync(0);
        var touch = await TouchAsync(app);

        // Held for 700 ms (past zoompaint.js's 450) with a finger's wobble of 4 px, well inside its 10 px.
        var (x, y) = await CentreAsync(kick);
        await touch.DownAsync(x, y);
        await page.WaitForTimeoutAsync(200);
        await touch.MoveAsync(x + 3, y + 2);
        await page.WaitForTimeoutAsync(500);
        await Assertions.Expect(editor).ToBeVisibleAsync();
        await touch.UpAsync();
        await page.WaitForTimeoutAsync(300); // kept fixed: a window in which a late click would toggle the step
        await Assertions.Expect(editor.Locator("h2")).ToHaveTextAsync("Track 1 step 1");
        await Assertions.Expect(kick).ToHaveAttributeAsync("aria-pressed", "true");
        await app.ExpectStepAsync(1, 1, true);
        await Assertions.Expect(kick).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bselected\b"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Undo", Exact = true })).ToBeDisabledAsync();
        await page.ScreenshotAsync(new() { Path = Shot("phone-long-press.png"), FullPage = true });

        // The editor edits the step held.
        var velocity = page.GetByRole(AriaRole.Slider, new() { Name = "Velocity", Exact = true });
        await velocity.FocusAsync();
        await page.Keyboard.PressAsync("Home");
        for (var i = 0; i < 4; i++) await page.Keyboard.PressAsync("PageUp");
        await Assertions.Expect(editor.Locator("output").First).ToHaveTextAsync("40");

        // A short tap still toggles (and selects) a step, and so does a tap on the one held. (Filling the slider
        // scrolled the page: the step is found again.)
        await kick.ScrollIntoViewIfNeededAsync();
        (x, y) = await CentreAsync(kick);
        await page.Touchscreen.TapAsync((float)x, (float)y);
        await Assertions.Expect(kick).ToHaveAttributeAsync("aria-pressed", "false");
        await app.ExpectStepAsync(1, 1, false);
        var (x2, y2) = await CentreAsync(ZoomStep(app, 1, 2));
        await page.Touchscreen.TapAsync((float)x2, (float)y2);
        await Assertions.Expect(ZoomStep(app, 1, 2)).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(editor.Locator("h2")).ToHaveTextAsync("Track 1 step 2");
        await Assertions.Expect(ZoomStep(app, 1, 1)).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bselected\b"));
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task A_swipe_across_zoomed_steps_paints_them_as_one_undo_level_without_scrolling_the_page()
    {
        await using var app = await OpenPhoneAsync();
        var page = app.Page;
        bool[] starter = [true, false, false, false, true, false, false, false]; // steps 1–8 of the starter kick
        await Assertions.Expect(ZoomStep(app, 1, 1)).ToHaveAttributeAsync("aria-pressed", "true");
        await page.EvaluateAsync("() => document.querySelector('.zoom-steps').scrollIntoView({ block: 'center' })");
        var touch = await TouchAsync(app);
        var scrolled = await ScrollYAsync(app);

        // Step 2 is off, so the swipe turns on every step it crosses: 3 and 4 that were off, 5 that was on.
        await touch.SwipeAsync(await CentresAsync(app, 1, 2, 3, 4, 5));
        foreach (var s in new[] { 2, 3, 4, 5 }) await Assertions.Expect(ZoomStep(app, 1, s)).ToHaveAttributeAsync("aria-pressed", "true");
        foreach (var s in new[] { 2, 3, 4, 5 }) await app.ExpectStepAsync(1, s, true);
        await Assertions.Expect(ZoomStep(app, 1, 6)).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal(scrolled, await ScrollYAsync(app));
        await page.ScreenshotAsync(new() { Path = Shot("phone-swipe.png") });

        // Back from step 5, now on: the swipe turns each step off, whatever it was.
        await touch.SwipeAsync(await CentresAsync(app, 1, 5, 4, 3, 2));
        foreach (var s in new[] { 2, 3, 4, 5 }) await Assertions.Expect(ZoomStep(app, 1, s)).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal(scrolled, await ScrollYAsync(app));

        // One Ctrl+Z a swipe.
        await page.Keyboard.PressAsync("Control+z");
        foreach (var s in new[] { 2, 3, 4, 5 }) await Assertions.Expect(ZoomStep(app, 1, s)).ToHaveAttributeAsync("aria-pressed", "true");
        await page.Keyboard.PressAsync("Control+z");
        for (var s = 1; s <= 8; s++) await Assertions.Expect(ZoomStep(app, 1, s)).ToHaveAttributeAsync("aria-pressed", starter[s - 1] ? "true" : "false");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Undo", Exact = true })).ToBeDisabledAsync();

        // A swipe that starts beside the steps (the ring's empty middle) scrolls the page, and paints nothing.
        var box = (await page.Locator(".zoom-steps").BoundingBoxAsync())!;
        var (cx, cy) = (box.X + box.Width / 2, box.Y + box.Height / 2);
        await touch.SwipeAsync([(cx, cy), (cx, cy - 150)]);
        await Eventually.TrueAsync(async () => await ScrollYAsync(app) > scrolled + 50, TimeSpan.FromSeconds(5), "the page to scroll");
        for (var s = 1; s <= 8; s++) await Assertions.Expect(ZoomStep(app, 1, s)).ToHaveAttributeAsync("aria-pressed", starter[s - 1] ? "true" : "false");
        Assert.Empty(app.ConsoleErrors);
    }

    [Theory]
    [InlineData("dark", 0x0a0c10)]  // --field of each theme (app.css)
    [InlineData("light", 0xf7f8fa)]
    public async Task Zoomed_steps_take_the_themes_field_colour_and_every_active_steps_number_reads(string theme, int field)
    {
        // Every palette colour at velocities from 0 to 127: the fill runs from the field to the full track colour.
        var pattern = PatternFactory.Create(8, seed: 3, name: "Velocities");
        for (var t = 0; t < 8; t++)
            for (var s = 0; s < 16; s += 2)
            {
                pattern = PatternEditor.SetStepActive(pattern, t, s, true);
                pattern = PatternEditor.SetStepVelocity(pattern, t, s, (s / 2 + t) % 8 * 127 / 7);
            }
        await using var app = await server.OpenAsync(
            initScript: $"localStorage.setItem('orbitr.settings', JSON.stringify({{ theme: '{theme}' }}))", viewport: Phone, touch: true);
        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", theme);
        await app.ImportByDropAsync("velocities.json", PatternJson.Write(pattern));
        await app.ExpectStepCountAsync(8 * 16);
        var worst = double.MaxValue;
        for (var t = 1; t <= 8; t++)
        {
            await ZoomTab(app, t).TapAsync();
            await Assertions.Expect(ZoomStep(app, t, 1)).ToHaveAttributeAsync("aria-pressed", "true");
            var steps = await app.Page.EvaluateAsync<JsonElement>("""
                () => {
                  // The canvas turns any CSS colour (color-mix, oklch(from …)) into sRGB bytes.
                  const ctx = Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', { willReadFrequently: true });
                  const rgb = (css) => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1); return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)]; };
                  return [...document.querySelectorAll('[data-zoom-step]')].map((el) => {
                    const style = getComputedStyle(el);
                    return { on: el.getAttribute('aria-pressed') === 'true', back: rgb(style.backgroundColor), text: rgb(style.color), name: el.getAttribute('aria-label') };
                  });
                }
                """);
            foreach (var step in steps.EnumerateArray())
            {
                var back = Rgb(step.GetProperty("back"));
                var text = Rgb(step.GetProperty("text"));
                if (!step.GetProperty("on").GetBoolean())
                {
                    Assert.Equal(field, back);
                    continue;
                }
                var contrast = Contrast(back, text);
                worst = Math.Min(worst, contrast);
                Assert.True(contrast >= 4.5, $"{step.GetProperty("name").GetString()}: text #{text:x6} on #{back:x6} is {contrast:0.##}:1");
            }
            if (t == 1) await app.Page.Locator(".ring-zoom").ScreenshotAsync(new() { Path = Shot($"phone-zoom-{theme}.png") });
        }
        output.WriteLine($"{theme}: the least contrast of an active step's number is {worst:0.##}:1");
        Assert.Empty(app.ConsoleErrors);
    }

    private static int Rgb(JsonElement bytes) =>
        bytes.EnumerateArray().Aggregate(0, (rgb, b) => rgb << 8 | b.GetInt32());

    /// <summary>WCAG 2's contrast ratio of two sRGB colours (0xRRGGBB).</summary>
    private static double Contrast(int a, int b)
    {
        static double Luminance(int rgb)
        {
            static double Linear(int c) => c / 255.0 is var v && v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
            return 0.2126 * Linear(rgb >> 16 & 255) + 0.7152 * Linear(rgb >> 8 & 255) + 0.0722 * Linear(rgb & 255);
        }
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static async Task<(double X, double Y)> CentreAsync(ILocator target)
    {
        var box = (await target.BoundingBoxAsync())!;
        return (box.X + box.Width / 2, box.Y + box.Height / 2);
    }

    private static async Task<IReadOnlyList<(double X, double Y)>> CentresAsync(AppPage app, int track, params int[] steps)
    {
        var centres = new List<(double, double)>();
        foreach (var s in steps) centres.Add(await CentreAsync(ZoomStep(app, track, s)));
        return centres;
    }

    private static Task<double> ScrollYAsync(AppPage app) => app.Page.EvaluateAsync<double>("() => scrollY");

    private static async Task<Finger> TouchAsync(AppPage app) => new(await app.Context.NewCDPSessionAsync(app.Page));

    /// <summary>One finger on the touch screen, through the DevTools protocol: real touch input, which the browser
    /// turns into pointer events (each retargeted to where the touch began), scrolling and taps as a phone does.</summary>
    private sealed class Finger(ICDPSession cdp)
    {
        public Task DownAsync(double x, double y) => SendAsync("touchStart", x, y);

        public Task MoveAsync(double x, double y) => SendAsync("touchMove", x, y);

        public Task UpAsync() => SendAsync("touchEnd", 0, 0);

        /// <summary>Down on the first point, through every other in moves of about 8 px, up on the last.</summary>
        public async Task SwipeAsync(IReadOnlyList<(double X, double Y)> through)
        {
            var points = new List<(double X, double Y)>();
            for (var i = 1; i < through.Count; i++)
            {
                var (from, to) = (through[i - 1], through[i]);
                var n = (int)Math.Ceiling(Math.Sqrt(Math.Pow(to.X - from.X, 2) + Math.Pow(to.Y - from.Y, 2)) / 8);
                for (var k = 1; k <= n; k++) points.Add((from.X + (to.X - from.X) * k / n, from.Y + (to.Y - from.Y) * k / n));
            }
            // Every event sent at once (in order, on one connection) rather than each after the last's answer: on a
            // loaded machine the round trips alone outlasted the 450 ms long-press, and the swipe read as a hold (CI).
            var sent = new List<Task> { DownAsync(through[0].X, through[0].Y) };
            sent.AddRange(points.Select(p => MoveAsync(p.X, p.Y)));
            sent.Add(UpAsync());
            await Task.WhenAll(sent);
        }

        private Task SendAsync(string type, double x, double y) => cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
        {
            ["type"] = type,
            ["touchPoints"] = type == "touchEnd" ? Array.Empty<object>() : new object[] { new Dictionary<string, object> { ["x"] = x, ["y"] = y } },
        });
    }

    [Fact]
    public async Task Every_control_at_390_px_is_at_least_24_px_each_way()
    {
        await using var app = await OpenPhoneAsync();
        await ZoomStep(app, 1, 3).TapAsync(); // opens the step editor so its controls are measured too
        await app.Page.GetByLabel("Velocity").WaitForAsync();
        foreach (var summary in await app.Page.Locator("details > summary").AllAsync()) await summary.TapAsync();
        var found = await app.Page.EvaluateAsync<JsonElement>("""
            () => {
              const small = [], exempt = [];
              let min = Infinity;
              for (const el of document.querySelectorAll('button, select, input, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])')) {
                const r = el.getBoundingClientRect();
                const style = getComputedStyle(el);
                if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
                const what = `${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''} "${el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 30)}" ${r.width.toFixed(1)}×${r.height.toFixed(1)}`;
                // The overview rings' steps: they take no pointer events on a phone, the zoomed ring is their control.
                if (el.closest('svg.sequencer') && getComputedStyle(el.closest('svg.sequencer')).pointerEvents === 'none') { exempt.push(what); continue; }
                // A file input is a 1 px invisible stand-in: its label (.file-pick) is the target, and is measured.
                if (el.type === 'file') { exempt.push(what); continue; }
                min = Math.min(min, r.width, r.height);
                if (r.width < 24 || r.height < 24) small.push(what);
              }
              return { small, exempt: exempt.length, min, fileLabel: document.querySelector('.file-pick').getBoundingClientRect().height };
            }
            """);
        var small = found.GetProperty("small").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.True(small.Count == 0, "smaller than 24 px:\n" + string.Join("\n", small));
        output.WriteLine($"smallest control: {found.GetProperty("min").GetDouble():0.#} px; exempt: {found.GetProperty("exempt").GetInt32()}");
        Assert.True(found.GetProperty("min").GetDouble() >= MinTarget);
        Assert.True(found.GetProperty("fileLabel").GetDouble() >= MinTarget);
        Assert.True(found.GetProperty("exempt").GetInt32() >= 96); // the overview's steps were seen and set aside
        await app.Page.ScreenshotAsync(new() { Path = Shot("phone-panels.png"), FullPage = true });
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violations_on_a_phone()
    {
        await using var app = await OpenPhoneAsync();
        await ZoomStep(app, 1, 2).TapAsync();
        await app.Page.GetByLabel("Velocity").WaitForAsync();
        await app.Page.Locator(".zoom-tab").Nth(3).TapAsync();
        await app.ExpectNoSeriousAxeViolationsAsync();
    }

    [Fact]
    public async Task A_phone_on_its_side_also_gets_the_zoomed_ring()
    {
        await using var app = await server.OpenAsync(viewport: new() { Width = 844, Height = 390 }, touch: true);
        await ZoomStep(app, 1, 2).TapAsync();
        await app.ExpectStepAsync(1, 2, true);
        await AssertSeparateTargetsAsync(app, 1, 16);
        await app.Page.ScreenshotAsync(new() { Path = Shot("phone-landscape.png") });
    }

    [Fact]
    public async Task A_desktop_window_shows_no_zoomed_ring_and_its_rings_take_clicks()
    {
        await using var app = await server.OpenAsync();
        await Assertions.Expect(app.Page.Locator(".ring-zoom")).ToBeHiddenAsync();
        Assert.Equal(0, await app.Page.GetByRole(AriaRole.Button, new() { NameRegex = new("zoom", System.Text.RegularExpressions.RegexOptions.IgnoreCase) }).CountAsync());
        await app.Step(2, 2).ClickAsync();
        await app.ExpectStepAsync(2, 2, true);
        await app.Page.ScreenshotAsync(new() { Path = Shot("desktop.png") });
        Assert.Empty(app.ConsoleErrors);
    }

    /// <summary>Checks the zoomed steps of one track: each reachable (inside the page's width, on top where it is
    /// drawn), at least 24 × 24, no two overlapping, and the 24 px circle about each centre clear of every other
    /// target. Round buttons (the ring) are hit-tested by Chromium as circles, so they are measured as circles: a
    /// 24 × 24 square must fit inside, and a corner of the box must not hit the button. Returns the smallest side.</summary>
    private static async Task<double> AssertSeparateTargetsAsync(AppPage app, int track, int length)
    {
        await Assertions.Expect(app.Page.Locator($"[data-zoom-track='{track - 1}'][data-zoom-step]")).ToHaveCountAsync(length);
        var result = await app.Page.EvaluateAsync<JsonElement>("""
            () => {
              const els = [...document.querySelectorAll('[data-zoom-step]')];
              const targets = [], unreachable = [];
              for (const el of els) {
                el.scrollIntoView({ block: 'center', inline: 'center' });
                const r = el.getBoundingClientRect();
                const hit = (x, y) => { const h = document.elementFromPoint(x, y); return h === el || el.contains(h); };
                const radius = getComputedStyle(el).borderTopLeftRadius;
                const rounding = radius.endsWith('%') ? parseFloat(radius) / 100 * r.width : parseFloat(radius);
                const round = Math.abs(r.width - r.height) < 0.5 && rounding >= r.width / 2 - 0.5;
                if (!hit(r.left + r.width / 2, r.top + r.height / 2)) unreachable.push(el.getAttribute('aria-label'));
                if (round && hit(r.left + 1, r.top + 1)) unreachable.push(el.getAttribute('aria-label') + ' (its corner takes taps)');
                targets.push({ x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height, round, name: el.getAttribute('aria-label') });
              }
              return { targets, unreachable, pageWidth: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth };
            }
            """);
        var unreachable = result.GetProperty("unreachable").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.True(unreachable.Count == 0, "covered or off the page: " + string.Join(", ", unreachable));
        var pageWidth = result.GetProperty("pageWidth").GetDouble();
        Assert.True(result.GetProperty("scrollWidth").GetDouble() <= pageWidth + 0.5, "the page scrolls sideways");
        var targets = result.GetProperty("targets").EnumerateArray()
            .Select(e => new Target(e.GetProperty("x").GetDouble(), e.GetProperty("y").GetDouble(), e.GetProperty("w").GetDouble(),
                e.GetProperty("h").GetDouble(), e.GetProperty("round").GetBoolean(), e.GetProperty("name").GetString()!))
            .ToList();
        Assert.Equal(length, targets.Count);
        foreach (var t in targets)
        {
            Assert.True(t.Side >= MinTarget, $"{t.Name} holds only a {t.Side:0.#} px square ({t.W:0.#} × {t.H:0.#}{(t.Round ? ", round" : "")})");
            Assert.True(t.X >= 0 && t.X + t.W <= pageWidth, $"{t.Name} is outside the page's width");
        }
        foreach (var a in targets)
            foreach (var b in targets.Where(b => !ReferenceEquals(a, b)))
            {
                Assert.False(a.Overlaps(b), $"{a.Name} overlaps {b.Name}");
                // WCAG 2.5.8's spacing test: a 24 px circle centred on the target does not intersect another target.
                Assert.True(b.Distance(a.Cx, a.Cy) >= MinTarget / 2, $"the 24 px circle of {a.Name} meets {b.Name}");
            }
        return targets.Min(t => t.Side);
    }

    /// <summary>A target's box in page px; a round one is the circle inscribed in it.</summary>
    private sealed record Target(double X, double Y, double W, double H, bool Round, string Name)
    {
        public double Cx => X + W / 2;
        public double Cy => Y + H / 2;

        /// <summary>Side of the largest axis-aligned square inside the target.</summary>
        public double Side => Round ? W / Math.Sqrt(2) : Math.Min(W, H);

        /// <summary>Distance from a point to the target (0 inside).</summary>
        public double Distance(double x, double y)
        {
            if (Round) return Math.Max(0, Math.Sqrt((x - Cx) * (x - Cx) + (y - Cy) * (y - Cy)) - W / 2);
            var dx = x - Math.Clamp(x, X, X + W);
            var dy = y - Math.Clamp(y, Y, Y + H);
            return Math.Sqrt(dx * dx + dy * dy);
        }

        public bool Overlaps(Target other)
        {
            const double slack = 0.01;
            if (Round) return other.Distance(Cx, Cy) < W / 2 - slack;
            if (other.Round) return other.Overlaps(this);
            return Math.Min(X + W, other.X + other.W) - Math.Max(X, other.X) > slack && Math.Min(Y + H, other.Y + other.H) - Math.Max(Y, other.Y) > slack;
        }
    }
}
