using System.Text.Json;
using Orbitr.Browsers.Tests.Engines;

namespace Orbitr.Browsers.Tests;

/// <summary>One engine and one app server shared by an engine's suite.</summary>
public sealed class EngineFixture<TEngine> : IAsyncLifetime where TEngine : IBrowserEngine, new()
{
    public TEngine Engine { get; } = new();
    public AppHost Host { get; } = new();

    public async Task InitializeAsync() => await Host.StartAsync();

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Host.DisposeAsync();
    }
}

/// <summary>A page of the app in some engine, with the test instrumentation (tests/Shared/orbitr-instrument.js)
/// evaluated once the app is up: it wraps Web Audio and downloads before anything plays or exports.</summary>
public sealed class AppTab(IEnginePage page, string baseUrl) : IAsyncDisposable
{
    private static readonly string s_instrument = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "orbitr-instrument.js"));

    public IEnginePage Page { get; } = page;
    public string BaseUrl { get; } = baseUrl;

    public static async Task<AppTab> OpenAsync(IBrowserEngine engine, string url, string baseUrl, int width = 1280, int height = 900)
    {
        var tab = new AppTab(await engine.OpenAsync(url, width, height), baseUrl);
        await tab.WaitReadyAsync();
        return tab;
    }

    public async Task WaitReadyAsync()
    {
        await WaitAsync("() => !!document.querySelector('.app.ready')", "the app is ready", 90);
        await Page.EvaluateAsync($"() => {{ if (!globalThis.__orbitrScheduled) {{ {s_instrument} }} }}");
    }

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await WaitReadyAsync();
    }

    public Task<JsonElement> EvalAsync(string function, params object?[] args) => Page.EvaluateAsync(function, args);

    public async Task<T> EvalAsync<T>(string function, params object?[] args) =>
        (await Page.EvaluateAsync(function, args)).Deserialize<T>(JsonSerializerOptions.Web)!;

    /// <summary>Polls a JS predicate until it is true (fails naming what was awaited, with the last value).</summary>
    public async Task WaitAsync(string predicate, string because, double seconds = 30, params object?[] args)
    {
        var last = "";
        await Orbitr.Tests.Waiting.Eventually.TrueAsync(async () =>
        {
            var value = await Page.EvaluateAsync(predicate, args);
            last = value.GetRawText();
            return value.ValueKind == JsonValueKind.True;
        }, TimeSpan.FromSeconds(seconds), $"{because} (last: {last})", TimeSpan.FromMilliseconds(100));
    }

    public static string StepSelector(int track, int step) => $"svg.sequencer [data-track=\"{track}\"][data-step=\"{step}\"]";

    public Task<string?> PressedAsync(int track, int step) =>
        EvalAsync<string?>("(s) => document.querySelector(s)?.getAttribute('aria-pressed') ?? null", StepSelector(track, step));

    public Task ClickButtonAsync(string text) =>
        ClickAsync($"button[data-test-text=\"{text}\"]", text);

    // Buttons are found by their text (no test ids in the app): mark the one to click, then click it for real.
    private async Task ClickAsync(string selector, string text)
    {
        var found = await EvalAsync<bool>("""
            (t) => { document.querySelectorAll('[data-test-text]').forEach(e => e.removeAttribute('data-test-text'));
              const b = [...document.querySelectorAll('button')].find(e => (e.textContent.trim() === t || e.getAttribute('aria-label') === t || e.querySelector(':scope > span')?.textContent.trim() === t) && e.offsetParent !== null);
              if (!b) return false; b.setAttribute('data-test-text', t); return true; }
            """, text);
        if (!found) throw new InvalidOperationException($"no visible button \"{text}\"");
        await Page.ClickAsync(selector);
    }

    /// <summary>Imports a pattern as a dropped file, as the user would drag it onto the page.</summary>
    public async Task DropPatternAsync(string name, string json) =>
        await EvalAsync("""
            (name, text) => {
              const dt = new DataTransfer();
              dt.items.add(new File([text], name, { type: 'application/json' }));
              document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
              return true;
            }
            """, name, json);

    /// <summary>The bytes of the next file the app downloads whose name ends with <paramref name="extension"/>.</summary>
    public async Task<byte[]> DownloadAsync(string extension, Func<Task> action, double seconds = 120)
    {
        var before = await EvalAsync<int>("() => globalThis.__orbitrDownloads.length");
        await action();
        await WaitAsync("(n, ext) => globalThis.__orbitrDownloads.slice(n).some(d => d.name.endsWith(ext))", $"a {extension} download", seconds, before, extension);
        var b64 = await EvalAsync<string>("(n, ext) => globalThis.__orbitrDownloads.slice(n).find(d => d.name.endsWith(ext)).base64", before, extension);
        return Convert.FromBase64String(b64);
    }

    public async ValueTask DisposeAsync() => await Page.DisposeAsync();
}
