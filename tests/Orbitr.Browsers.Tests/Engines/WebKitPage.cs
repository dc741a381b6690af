using System.Diagnostics;
using System.Drawing;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Remote;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>One WebKitWebDriver session: its own MiniBrowser window with ephemeral website data. Selenium's calls
/// block, so each runs on the thread pool.</summary>
internal sealed class WebKitPage : IEnginePage
{
    // One JSON string in, one JSON string out: WebDriver's own value conversion would turn objects into dictionaries
    // and lose the difference between undefined and null. The error keeps String(e) as well as the stack: unlike
    // V8's, JavaScriptCore's stack has no message line (and only "@" frames for script evaluated by the driver).
    private const string EvaluateWrapper = """
        const done = arguments[arguments.length - 1];
        Promise.resolve()
          .then(() => (%FUNCTION%)(...JSON.parse(arguments[0])))
          .then(r => done(JSON.stringify({ ok: r === undefined ? null : r })),
                e => done(JSON.stringify({ error: e && e.stack ? `${e}\n${e.stack}` : String(e) })));
        """;

    private readonly RemoteWebDriver driver;
    private readonly WebKitEngine engine;
    private readonly WebKitDriverProcess host;
    private int disposed;

    public WebKitPage(RemoteWebDriver driver, WebKitEngine engine, WebKitDriverProcess host)
    {
        this.driver = driver;
        this.engine = engine;
        this.host = host;
    }

    internal Task StartAsync(string url, int width, int height) => Task.Run(() =>
    {
        var timeouts = driver.Manage().Timeouts();
        timeouts.AsynchronousJavaScript = WebKitEngine.CommandTimeout;
        timeouts.PageLoad = WebKitEngine.CommandTimeout;
        SizeViewport(width, height);
        driver.Navigate().GoToUrl(url);
    });

    public async Task<JsonElement> EvaluateAsync(string function, params object?[] args)
    {
        var script = EvaluateWrapper.Replace("%FUNCTION%", function, StringComparison.Ordinal);
        var json = JsonSerializer.Serialize(args);
        var reply = await Task.Run(() => driver.ExecuteAsyncScript(script, json)) as string
            ?? throw new InvalidOperationException("WebKit returned no result from the evaluation wrapper.");
        using var document = JsonDocument.Parse(reply);
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"Script failed in WebKit: {error.GetString()}");
        }
        return document.RootElement.GetProperty("ok").Clone();
    }

    public Task ClickAsync(string selector) => Task.Run(() =>
    {
        var element = driver.FindElements(By.CssSelector(selector)).FirstOrDefault()
            ?? throw new InvalidOperationException($"No element matches '{selector}'.");
        driver.ExecuteScript("arguments[0].scrollIntoView({ block: 'center', inline: 'center' });", element);
        // Actions rather than element.Click(): the interface promises the pointer sequence itself (move, down, up at
        // the element's in-view centre), not a driver's own idea of clicking with its interactability checks.
        new Actions(driver).MoveToElement(element).Click().Perform();
    });

    public Task NavigateAsync(string url) => Task.Run(() => driver.Navigate().GoToUrl(url));

    public Task ReloadAsync() => Task.Run(() =>
    {
        driver.Navigate().Refresh();
        WaitLoaded();
    });

    public Task<byte[]> ScreenshotAsync() => Task.Run(() => driver.GetScreenshot().AsByteArray);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        var broken = false;
        try
        {
            await Task.Run(driver.Quit);
        }
        catch (WebDriverException)
        {
            // A driver that cannot end its session is not given to the next page.
            broken = true;
        }
        engine.Closed(this, host, broken);
    }

    /// <summary>Sizes the window so the viewport is width×height: a resize shows how much the window's own chrome
    /// takes, the next adds it. WebKitGTK applies a resize a little later on a loaded machine (CI saw 862 px asked
    /// 900), so it measures again and corrects, a few times, before giving up.</summary>
    private void SizeViewport(int width, int height)
    {
        var window = driver.Manage().Window;
        window.Size = new Size(width, height);
        var (innerWidth, innerHeight) = Viewport();
        for (var attempt = 0; attempt < 8 && (innerWidth != width || innerHeight != height); attempt++)
        {
            var size = window.Size;
            window.Size = new Size(size.Width + (width - innerWidth), size.Height + (height - innerHeight));
            Thread.Sleep(150);
            (innerWidth, innerHeight) = Viewport();
        }
        if (innerWidth != width || innerHeight != height)
        {
            throw new InvalidOperationException(
                $"The viewport is {innerWidth}×{innerHeight} after resizing the window to {window.Size}; asked for {width}×{height}.");
        }
    }

    private (int Width, int Height) Viewport()
    {
        var size = (IReadOnlyCollection<object>)driver.ExecuteScript("return [window.innerWidth, window.innerHeight];")!;
        var values = size.Select(Convert.ToInt32).ToArray();
        return (values[0], values[1]);
    }

    private void WaitLoaded()
    {
        var clock = Stopwatch.StartNew();
        while (!Equals(driver.ExecuteScript("return document.readyState;"), "complete"))
        {
            if (clock.Elapsed > WebKitEngine.CommandTimeout)
            {
                throw new TimeoutException($"The page did not finish loading within {WebKitEngine.CommandTimeout.TotalSeconds:0} s.");
            }
            Thread.Sleep(20);
        }
    }
}
