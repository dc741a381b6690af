using System.Text.Json;
using Microsoft.Playwright;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>Debian's Chromium through Playwright; a browser context per page is a fresh profile.</summary>
public sealed class ChromiumEngine : IBrowserEngine
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string Name => "chromium";

    public async Task<IEnginePage> OpenAsync(string url, int width = 1280, int height = 900)
    {
        if (_browser is null)
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = "/usr/bin/chromium",
                Args = ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"],
            });
        }
        var context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        return new Page(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private sealed class Page(IBrowserContext context, IPage page) : IEnginePage
    {
        public async Task<JsonElement> EvaluateAsync(string function, params object?[] args)
        {
            var json = await page.EvaluateAsync<string?>(
                $"async (a) => JSON.stringify(await ({function})(...JSON.parse(a)) ?? null)", JsonSerializer.Serialize(args));
            return JsonDocument.Parse(json ?? "null").RootElement.Clone();
        }

        public async Task ClickAsync(string selector)
        {
            var box = await EvaluateAsync("""
                (s) => { const e = document.querySelector(s); if (!e) return null; e.scrollIntoView({ block: 'center' });
                  const r = e.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; }
                """, selector);
            if (box.ValueKind == JsonValueKind.Null) throw new InvalidOperationException($"no element matches {selector}");
            await page.Mouse.ClickAsync((float)box.GetProperty("x").GetDouble(), (float)box.GetProperty("y").GetDouble());
        }

        public async Task NavigateAsync(string url) => await page.GotoAsync(url);

        public async Task ReloadAsync() => await page.ReloadAsync();

        public Task<byte[]> ScreenshotAsync() => page.ScreenshotAsync();

        public async ValueTask DisposeAsync() => await context.CloseAsync();
    }
}
