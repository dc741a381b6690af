using System.Globalization;
using System.Text.Json;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>Thrown when a function run by <see cref="IEnginePage.EvaluateAsync"/> throws or rejects in the page.</summary>
public sealed class PageScriptException(string message) : Exception(message);

/// <summary>The top-level tab of one <see cref="FirefoxProcess"/>, driven over its BiDi session.</summary>
public sealed class FirefoxPage : IEnginePage
{
    // Arguments go in and the result comes out as one JSON string each, so no BiDi remote-value (de)serialization is
    // needed and the result is exactly what JSON.stringify makes of it.
    private const string Wrapper = "async (argsJson) => JSON.stringify(await ({0})(...JSON.parse(argsJson)))";

    // Centre of the element in viewport CSS pixels after scrolling it to the middle; null if nothing matches.
    private const string ElementCentre = """
        (selector) => {
          const element = document.querySelector(selector);
          if (!element) return null;
          element.scrollIntoView({ block: 'center', inline: 'center' });
          const r = element.getBoundingClientRect();
          const clamp = (v, max) => Math.min(Math.max(Math.round(v), 0), Math.max(max - 1, 0));
          return { x: clamp(r.left + r.width / 2, innerWidth), y: clamp(r.top + r.height / 2, innerHeight) };
        }
        """;

    private readonly FirefoxProcess _firefox;
    private readonly BiDiConnection _bidi;
    private readonly string _context;
    private readonly Action<FirefoxPage> _closed;
    private int _disposed;

    private FirefoxPage(FirefoxProcess firefox, BiDiConnection bidi, string context, Action<FirefoxPage> closed)
    {
        _firefox = firefox;
        _bidi = bidi;
        _context = context;
        _closed = closed;
    }

    /// <summary>Starts a session on a fresh Firefox, sizes its tab and loads <paramref name="url"/>. Owns both
    /// from then on; on failure it disposes them.</summary>
    internal static async Task<FirefoxPage> OpenAsync(FirefoxProcess firefox, BiDiConnection bidi, string url,
        int width, int height, Action<FirefoxPage> closed)
    {
        try
        {
            await bidi.SendAsync("session.new", new
            {
                capabilities = new
                {
                    alwaysMatch = new { acceptInsecureCerts = true, unhandledPromptBehavior = new { @default = "ignore" } },
                },
            });
            var tree = await bidi.SendAsync("browsingContext.getTree", new { maxDepth = 0 });
            var context = tree.GetProperty("contexts")[0].GetProperty("context").GetString()
                ?? throw new InvalidOperationException("Firefox reported a top-level context without an id.");
            await bidi.SendAsync("browsingContext.setViewport", new { context, viewport = new { width, height } });
            var page = new FirefoxPage(firefox, bidi, context, closed);
            await page.NavigateAsync(url);
            return page;
        }
        catch (Exception ex)
        {
            var output = firefox.Output;
            await bidi.DisposeAsync();
            await firefox.DisposeAsync();
            throw new InvalidOperationException($"Opening {url} in Firefox failed: {ex.Message}\nFirefox output:\n{output}", ex);
        }
    }

    public async Task<JsonElement> EvaluateAsync(string function, params object?[] args)
    {
        // A lone null argument arrives as a null array.
        var argsJson = JsonSerializer.Serialize(args ?? [null]);
        var response = await _bidi.SendAsync("script.callFunction", new
        {
            functionDeclaration = string.Format(CultureInfo.InvariantCulture, Wrapper, function),
            awaitPromise = true,
            target = new { context = _context },
            arguments = new[] { new { type = "string", value = argsJson } },
            resultOwnership = "none",
        });
        if (response.GetProperty("type").GetString() == "exception")
        {
            var details = response.GetProperty("exceptionDetails");
            throw new PageScriptException($"The page script threw: {details.GetProperty("text").GetString()}");
        }
        var result = response.GetProperty("result");
        // JSON.stringify(undefined) (a function returning nothing) is undefined rather than a string.
        if (result.GetProperty("type").GetString() != "string")
            return JsonDocument.Parse("null").RootElement.Clone();
        using var document = JsonDocument.Parse(result.GetProperty("value").GetString()!);
        return document.RootElement.Clone();
    }

    public async Task ClickAsync(string selector)
    {
        var centre = await EvaluateAsync(ElementCentre, selector);
        if (centre.ValueKind == JsonValueKind.Null)
            throw new InvalidOperationException($"No element matches '{selector}'.");
        int x = centre.GetProperty("x").GetInt32(), y = centre.GetProperty("y").GetInt32();
        await _bidi.SendAsync("input.performActions", new
        {
            context = _context,
            actions = new object[]
            {
                new
                {
                    type = "pointer",
                    id = "mouse",
                    parameters = new { pointerType = "mouse" },
                    actions = new object[]
                    {
                        new { type = "pointerMove", x, y },
                        new { type = "pointerDown", button = 0 },
                        new { type = "pointerUp", button = 0 },
                    },
                },
            },
        });
    }

    public Task NavigateAsync(string url) =>
        _bidi.SendAsync("browsingContext.navigate", new { context = _context, url, wait = "complete" });

    public Task ReloadAsync() =>
        _bidi.SendAsync("browsingContext.reload", new { context = _context, wait = "complete" });

    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await _bidi.SendAsync("browsingContext.captureScreenshot", new { context = _context });
        return Convert.FromBase64String(result.GetProperty("data").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        // No session.end or browser.close: the process and its profile go away entirely, which is what a fresh
        // profile per page needs anyway.
        await _bidi.DisposeAsync();
        await _firefox.DisposeAsync();
        _closed(this);
    }
}
