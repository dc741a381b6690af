using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orbitr.Browsers.Tests;

/// <summary>The published app (ORBITR_E2E_SERVER; test.sh publishes it) or the build output, as one Orbitr.Server
/// process on a loopback port with its own data folder. It can be stopped and started again on the same address and
/// data: the network gone and back, or a new version deployed.</summary>
public sealed class AppHost : IAsyncDisposable
{
    private readonly string _dll;
    private readonly string _data = Directory.CreateTempSubdirectory("orbitr-browsers-").FullName;
    private Process? _process;

    public AppHost(string? dll = null)
    {
        _dll = dll ?? DefaultDll();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();
    }

    public string BaseUrl { get; }

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet", [_dll, "--urls", BaseUrl])
        {
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Orbitr__DataPath"] = _data;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient();
        await Orbitr.Tests.Waiting.Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"Orbitr.Server exited with {_process.ExitCode}");
            try
            {
                return (await http.GetAsync($"{BaseUrl}/api/health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "Orbitr.Server answers /api/health");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orbitr.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Orbitr.slnx not found");
    }

    private static string DefaultDll() =>
        Environment.GetEnvironmentVariable("ORBITR_E2E_SERVER") is { Length: > 0 } published
            ? Path.GetFullPath(published)
            : Path.Combine(RepoRoot(), "src", "Orbitr.Server", "bin", "Debug", "net10.0", "Orbitr.Server.dll");
}
