using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Orbitr.Tests.Waiting;

namespace Orbitr.EndToEnd.Tests;

/// <summary>One Orbitr.Server process on a free loopback port (started as `dotnet Orbitr.Server.dll` from its own
/// folder, like `dotnet run`) and one headless Chromium, shared by the tests of a collection.
/// Set ORBITR_E2E_SERVER to the Orbitr.Server.dll of a published (trimmed) app to test that instead — test.sh does —
/// or ORBITR_E2E_URL to test a server that is already running.</summary>
public sealed class AppServer : IAsyncLifetime
{
    private Process? _server;
    private IPlaywright? _playwright;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string? _dll;
    private int _port;
    private string? _dataPath;

    public AppServer() : this(new Dictionary<string, string>()) { }

    /// <summary>A server of its own with extra settings (environment form, e.g. Orbitr__Generation__RateLimitPermits),
    /// optionally started from another copy of the published app (<paramref name="dll"/>).</summary>
    internal AppServer(IReadOnlyDictionary<string, string> environment, string? dll = null)
    {
        _environment = environment;
        _dll = dll;
    }

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public string RepoRoot { get; } = FindRepoRoot();

    /// <summary>True when testing a published (trimmed, brotli) app rather than the build output.</summary>
    public bool Published { get; } = Environment.GetEnvironmentVariable("ORBITR_E2E_SERVER") is { Length: > 0 };

    public async Task InitializeAsync()
    {
        BaseUrl = (_environment.Count == 0 ? Environment.GetEnvironmentVariable("ORBITR_E2E_URL") : null) ?? await StartServerAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("ORBITR_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-gpu"],
        });
    }

    /// <summary>tests/Shared/orbitr-instrument.js: records what the app does with the Web Audio API (the app ships no
    /// test hooks).</summary>
    public static string InstrumentScript { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "orbitr-instrument.js"));

    /// <summary>A fresh browser context (its own IndexedDB) and page, with console errors collected. The viewport is
    /// 1280 × 900 unless given; <paramref name="touch"/> makes it a phone (mobile viewport meta, touch events).</summary>
    public async Task<AppPage> OpenAsync(string? initScript = null, bool instrument = true, ViewportSize? viewport = null, bool touch = false)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl, ViewportSize = viewport ?? new() { Width = 1280, Height = 900 }, AcceptDownloads = true,
            IsMobile = touch, HasTouch = touch,
        });
        if (instrument) await context.AddInitScriptAsync(InstrumentScript);
        if (initScript is not null) await context.AddInitScriptAsync(initScript);
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var app = new AppPage(context, page);
        await app.GotoAsync();
        return app;
    }

    private async Task<string> StartServerAsync()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var project = Path.Combine(RepoRoot, "src", "Orbitr.Server");
        var dll = _dll ?? (Environment.GetEnvironmentVariable("ORBITR_E2E_SERVER") is { Length: > 0 } published
            ? Path.GetFullPath(published)
            : Path.Combine(project, "bin", configuration, "net10.0", "Orbitr.Server.dll"));
        if (_dll is not null || Environment.GetEnvironmentVariable("ORBITR_E2E_SERVER") is { Length: > 0 }) project = Path.GetDirectoryName(dll)!;
        if (!File.Exists(dll)) throw new FileNotFoundException("build Orbitr.Server first", dll);
        if (_port == 0) _port = FreePort();
        var url = $"http://127.0.0.1:{_port}";
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", url])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Orbitr__DataPath"] = _dataPath ??= Directory.CreateTempSubdirectory("orbitr-e2e-").FullName;
        // Every browser context is a new owner, all from 127.0.0.1: give the tests room (a test may ask for the limit).
        info.Environment["Orbitr__Limits__OwnersPerHour"] = "10000";
        foreach (var (key, value) in _environment) info.Environment[key] = value;
        _server = Process.Start(info)!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        using var http = new HttpClient();
        var server = _server;
        await Eventually.ValueAsync(async () =>
        {
            if (server.HasExited) throw new InvalidOperationException($"Orbitr.Server exited with {server.ExitCode}");
            try
            {
                using var health = await http.GetAsync($"{url}/api/health");
                return health.IsSuccessStatusCode ? "up" : $"health {(int)health.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                return e.Message;
            }
        }, state => state == "up", TimeSpan.FromSeconds(30), "Orbitr.Server to answer /api/health", TimeSpan.FromMilliseconds(100));
        return url;
    }

    /// <summary>Stops the server process (the browser stays) — the app is then "offline" for pages already open.</summary>
    public async Task StopServerAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
        _server = null;
    }

    /// <summary>Starts the server again on the same address and data (a restart, or a new version of the app).</summary>
    public async Task RestartServerAsync()
    {
        await StopServerAsync();
        BaseUrl = await StartServerAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orbitr.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Orbitr.slnx not found above the test folder");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppServer>
{
    public const string Name = "app";
}
