using System.Diagnostics;
using Microsoft.Playwright;

// Publishes Orbitr.Server (or takes --server PATH/Orbitr.Server.dll), serves it on loopback with empty data, and
// photographs each panel in headless Chromium at 1440 × 900 and at 390 × 844 (touch), in the dark and the light
// theme, into docs/screens/{desktop|phone}-{dark|light}-{panel}.png.
var root = FindRepoRoot();
var outDir = Path.Combine(root, "docs", "screens");
Directory.CreateDirectory(outDir);
var serverDll = Arg("--server");
if (serverDll is null)
{
    var publish = Path.Combine(Path.GetTempPath(), "orbitr-screens");
    Console.WriteLine("publishing Orbitr.Server…");
    Run("dotnet", $"publish \"{Path.Combine(root, "src", "Orbitr.Server")}\" -c Release -o \"{publish}\" -nologo -v q");
    serverDll = Path.Combine(publish, "Orbitr.Server.dll");
}
const string url = "http://127.0.0.1:5098";
using var server = Process.Start(new ProcessStartInfo("dotnet", [serverDll, "--urls", url])
{
    WorkingDirectory = Path.GetDirectoryName(serverDll)!, RedirectStandardOutput = true, RedirectStandardError = true,
    Environment = { ["Logging__LogLevel__Default"] = "Warning", ["Orbitr__DataPath"] = Directory.CreateTempSubdirectory().FullName },
})!;
try
{
    using (var http = new HttpClient())
        for (var i = 0; ; i++)
        {
            try { if ((await http.GetAsync($"{url}/api/health")).IsSuccessStatusCode) break; }
            catch (HttpRequestException) when (i < 300) { await Task.Delay(100); }
        }
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Args = ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"],
    });
    var only = Arg("--only");
    foreach (var (device, size, touch) in new[] { ("desktop", new ViewportSize { Width = 1440, Height = 900 }, false), ("phone", new ViewportSize { Width = 390, Height = 844 }, true) })
        foreach (var theme in new[] { "dark", "light" })
        {
            if (only is not null && !$"{device}-{theme}".Contains(only)) continue;
            await using var context = await browser.NewContextAsync(new()
            {
                BaseURL = url, ViewportSize = size, IsMobile = touch, HasTouch = touch, DeviceScaleFactor = 1, ReducedMotion = ReducedMotion.Reduce,
            });
            await context.AddInitScriptAsync($$"""localStorage.setItem('orbitr.settings', JSON.stringify({ version: 1, theme: '{{theme}}' }));""");
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await page.Locator(".app.ready .stage:not(.loading)").WaitForAsync(new() { Timeout = 60_000 });
            await page.WaitForTimeoutAsync(400);
            async Task Shot(string name)
            {
                await page.WaitForTimeoutAsync(250);
                var file = Path.Combine(outDir, $"{device}-{theme}-{name}.png");
                await page.ScreenshotAsync(new() { Path = file });
                Console.WriteLine(file);
            }
            async Task OpenFileMenu()
            {
                var menu = page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true });
                if (touch && await menu.GetAttributeAsync("aria-expanded") != "true") await menu.ClickAsync();
            }
            async Task Escape()
            {
                await page.Keyboard.PressAsync("Escape");
                await page.Mouse.ClickAsync(2, size.Height - 2);
                await page.WaitForTimeoutAsync(150);
            }
            await Shot("main");
            // Playing: the marks, the hand and the meters move.
            await page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
            await page.WaitForTimeoutAsync(1200);
            await Shot("playing");
            await page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
            // The step editor: a step of ring 1 selected (shift-click selects without toggling).
            if (touch) await page.Locator("[data-zoom-step='2']").TapAsync();
            else await page.Locator("#step-0-0").ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
            await page.Locator("section[aria-label='Step editor']").ScrollIntoViewIfNeededAsync();
            await Shot("step-editor");
            await page.Keyboard.PressAsync("Escape");
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await page.GetByRole(AriaRole.Button, new() { Name = "Master", Exact = true }).ClickAsync();
            await Shot("master");
            await Escape();
            await OpenFileMenu();
            if (touch) await Shot("menu");
            await page.GetByRole(AriaRole.Button, new() { Name = "Patterns" }).ClickAsync();
            await Shot("patterns");
            await Escape();
            await OpenFileMenu();
            await page.GetByRole(AriaRole.Button, new() { Name = "Export", Exact = true }).ClickAsync();
            await Shot("export");
            await Escape();
            await OpenFileMenu();
            await page.GetByRole(AriaRole.Button, new() { Name = "Share", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Share link" }).ClickAsync();
            await page.GetByLabel("Share link", new() { Exact = true }).WaitForAsync();
            await Shot("share");
            await Escape();
            await OpenFileMenu();
            await page.GetByRole(AriaRole.Button, new() { Name = "Settings" }).ClickAsync();
            await Shot("settings");
            await page.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
            await OpenFileMenu();
            await page.GetByRole(AriaRole.Button, new() { Name = "MIDI", Exact = true }).ClickAsync();
            await Shot("midi");
            await Escape();
            if (touch) await page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true }).ClickAsync(); // fold the sheet
            await page.GetByRole(AriaRole.Button, new() { Name = "Pads", Exact = true }).ClickAsync();
            await Shot("pads");
            await page.GetByRole(AriaRole.Button, new() { Name = "Pads", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Lanes", Exact = true }).ClickAsync();
            await Shot("lanes");
            await page.GetByRole(AriaRole.Button, new() { Name = "Rings", Exact = true }).ClickAsync();
            await page.Locator("section.generate").ScrollIntoViewIfNeededAsync();
            await Shot("sounds");
        }
}
finally
{
    server.Kill(entireProcessTree: true);
}

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static void Run(string file, string arguments)
{
    using var p = Process.Start(new ProcessStartInfo(file, arguments))!;
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} exited with {p.ExitCode}");
}

static string FindRepoRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Orbitr.slnx"))) return d.FullName;
    throw new InvalidOperationException("Orbitr.slnx not found above " + AppContext.BaseDirectory);
}
