using OpenQA.Selenium;
using OpenQA.Selenium.Remote;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>WebKitGTK (Debian's MiniBrowser) through WebKitWebDriver and Selenium. WebKitWebDriver serves one
/// session at a time, so the engine keeps its driver process between pages and starts another only while one is
/// busy: used one page after another, that is a single WebKitWebDriver (+Xvfb) for the engine's life.</summary>
public sealed class WebKitEngine : IBrowserEngine
{
    /// <summary>The longest any single command (or the driver's start) may take.</summary>
    internal static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly Lock gate = new();
    private readonly Stack<WebKitDriverProcess> idle = new();
    private readonly List<WebKitDriverProcess> all = [];
    private readonly List<WebKitPage> open = [];
    private bool disposed;

    public string Name => "webkit";

    public async Task<IEnginePage> OpenAsync(string url, int width = 1280, int height = 900)
    {
        // A new session starts a MiniBrowser; on a loaded machine its first start can outlast the command timeout
        // (CI: "…/session timed out after 65 seconds"). That driver is dropped and one fresh driver tried again.
        for (var attempt = 0; ; attempt++)
        {
            var host = await RentAsync();
            RemoteWebDriver? driver = null;
            try
            {
                driver = await Task.Run(() => new RemoteWebDriver(host.Address, new MiniBrowserOptions().ToCapabilities(),
                    // A little above the driver's own 60 s timeouts, so its clearer "script timeout" error comes first.
                    CommandTimeout + TimeSpan.FromSeconds(5)));
            }
            catch (WebDriverException e) when (attempt == 0)
            {
                Console.Error.WriteLine($"WebKit session did not start ({e.Message}); trying once more with a new driver");
                Return(host, broken: true);
                continue;
            }
            catch (Exception e)
            {
                Return(host, broken: true);
                throw new InvalidOperationException($"WebKit could not open {url}: {e.Message}\nDriver output:\n{host.Output}", e);
            }
            try
            {
                var page = new WebKitPage(driver, this, host);
                await page.StartAsync(url, width, height);
                lock (gate)
                {
                    open.Add(page);
                }
                return page;
            }
            catch (Exception e)
            {
                await Task.Run(() => driver.Quit());
                Return(host, broken: false);
                throw new InvalidOperationException($"WebKit could not open {url}: {e.Message}\nDriver output:\n{host.Output}", e);
            }
        }
    }

    internal void Closed(WebKitPage page, WebKitDriverProcess host, bool broken)
    {
        lock (gate)
        {
            open.Remove(page);
        }
        Return(host, broken);
    }

    private async Task<WebKitDriverProcess> RentAsync()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            while (idle.TryPop(out var ready))
            {
                if (!ready.HasExited)
                {
                    return ready;
                }
                all.Remove(ready);
                ready.Dispose();
            }
        }
        var started = await WebKitDriverProcess.StartAsync(CommandTimeout);
        lock (gate)
        {
            if (disposed)
            {
                started.Dispose();
                throw new ObjectDisposedException(nameof(WebKitEngine));
            }
            all.Add(started);
        }
        return started;
    }

    private void Return(WebKitDriverProcess host, bool broken)
    {
        lock (gate)
        {
            if (!disposed && !broken && !host.HasExited)
            {
                idle.Push(host);
                return;
            }
            all.Remove(host);
        }
        host.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        WebKitPage[] pages;
        lock (gate)
        {
            pages = [.. open];
        }
        foreach (var page in pages)
        {
            await page.DisposeAsync();
        }
        WebKitDriverProcess[] hosts;
        lock (gate)
        {
            disposed = true;
            hosts = [.. all];
            all.Clear();
            idle.Clear();
        }
        foreach (var host in hosts)
        {
            host.Dispose();
        }
    }
}
