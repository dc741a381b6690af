using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>One headless Firefox with its own throwaway profile, listening for WebDriver BiDi on a loopback port.
/// Disposing kills its whole process tree (content processes included) and deletes the profile.</summary>
public sealed class FirefoxProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    // user.js is read at startup. Autoplay is allowed so an AudioContext may start without a gesture; the rest
    // keeps first-run pages and telemetry out of the way; the service-worker testing pref lets workers register on
    // plain http origins.
    private static readonly (string Name, string Value)[] Preferences =
    [
        ("media.autoplay.default", "0"),
        ("media.autoplay.blocking_policy", "0"),
        ("browser.shell.checkDefaultBrowser", "false"),
        ("datareporting.policy.dataSubmissionEnabled", "false"),
        ("toolkit.telemetry.reportingpolicy.firstRun", "false"),
        ("browser.startup.homepage_override.mstone", "\"ignore\""),
        ("browser.aboutwelcome.enabled", "false"),
        ("browser.sessionstore.resume_from_crash", "false"),
        ("dom.serviceWorkers.enabled", "true"),
        ("dom.serviceWorkers.testing.enabled", "true"),
    ];

    private readonly Process _process;
    private readonly string _root;
    private readonly StringBuilder _stderr = new();

    private FirefoxProcess(Process process, string root, int port)
    {
        _process = process;
        _root = root;
        Endpoint = new Uri($"ws://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/session");
    }

    public Uri Endpoint { get; }

    /// <summary>Starts Firefox and returns once its BiDi endpoint accepts a WebSocket (the open connection is
    /// returned with it), or throws within <see cref="StartupTimeout"/>.</summary>
    public static async Task<(FirefoxProcess Firefox, BiDiConnection Connection)> StartAsync(
        string executable, string pulseServer)
    {
        var root = Directory.CreateTempSubdirectory("orbitr-firefox-").FullName;
        var profile = Directory.CreateDirectory(Path.Combine(root, "profile")).FullName;
        var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        await File.WriteAllLinesAsync(Path.Combine(profile, "user.js"),
            Preferences.Select(p => $"user_pref(\"{p.Name}\", {p.Value});"));

        var port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--remote-debugging-port=" + port.ToString(CultureInfo.InvariantCulture),
                     "--profile", profile, "--no-remote",
                 })
            start.ArgumentList.Add(argument);
        start.Environment["PULSE_SERVER"] = pulseServer;
        // A private HOME so nothing lands in the real user's ~/.mozilla or caches.
        start.Environment["HOME"] = home;
        start.Environment["MOZ_CRASHREPORTER_DISABLE"] = "1";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        }
        catch
        {
            DeleteQuietly(root);
            throw;
        }
        var firefox = new FirefoxProcess(process, root, port);
        process.ErrorDataReceived += (_, e) => firefox.Append(e.Data);
        process.OutputDataReceived += (_, e) => firefox.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            return (firefox, await firefox.ConnectAsync());
        }
        catch
        {
            await firefox.DisposeAsync();
            throw;
        }
    }

    private async Task<BiDiConnection> ConnectAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException(
                    $"Firefox exited with {_process.ExitCode} before WebDriver BiDi listened on {Endpoint}. stderr:\n{Output}");
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                return await BiDiConnection.ConnectAsync(Endpoint, attempt.Token);
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                // Not listening yet: the port refuses until the remote agent is up.
            }
            if (deadline.Elapsed > StartupTimeout)
                throw new TimeoutException(
                    $"Firefox did not accept WebDriver BiDi on {Endpoint} within {StartupTimeout.TotalSeconds:0} s. stderr:\n{Output}");
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_stderr)
        {
            // Keep the tail only: a long run can print a lot of console noise.
            if (_stderr.Length > 64 * 1024)
                _stderr.Remove(0, _stderr.Length - 32 * 1024);
            _stderr.AppendLine(line);
        }
    }

    /// <summary>What Firefox has printed (stdout and stderr, the recent part), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or a zombie we cannot wait for; the profile is still removed below.
        }
        _process.Dispose();
        DeleteQuietly(_root);
    }

    private static void DeleteQuietly(string directory)
    {
        // Content processes may still be letting go of profile files for a moment after the kill.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                    Directory.Delete(directory, recursive: true);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }
}
