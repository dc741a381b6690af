using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>A PulseAudio daemon with only a null sink, so that a headless Firefox's AudioContext has an audio server
/// to run against (without one it never leaves 'suspended'). One daemon per test process, started by the first
/// <see cref="AcquireAsync"/> and stopped when the last lease is disposed.</summary>
public sealed class PulseAudioServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PulseAudioServer? _shared;
    private static int _leases;

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    /// <summary>The value for a client's <c>PULSE_SERVER</c>.</summary>
    public string ServerAddress { get; }

    private PulseAudioServer(Process process, string directory, string socketPath)
    {
        _process = process;
        _directory = directory;
        ServerAddress = "unix:" + socketPath;
    }

    public static async Task<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            _shared ??= await StartAsync(cancellationToken);
            _leases++;
            return new Lease(_shared);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task ReleaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_leases > 0 || _shared is null)
                return;
            await _shared.StopAsync();
            _shared = null;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<PulseAudioServer> StartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("orbitr-pulse-").FullName;
        var socketPath = Path.Combine(directory, "pulse.sock");
        var start = new ProcessStartInfo("pulseaudio")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // --system=false as root only warns; --use-pid-file=false and a private HOME/XDG_RUNTIME_DIR keep it from
        // seeing (or being seen as) another user daemon.
        foreach (var argument in new[]
                 {
                     "-n", "--daemonize=no", "--exit-idle-time=-1", "--system=false", "--use-pid-file=false",
                     "--log-target=stderr", "-L", "module-null-sink",
                     "-L", $"module-native-protocol-unix socket={socketPath} auth-anonymous=1",
                     "-L", "module-always-sink",
                 })
            start.ArgumentList.Add(argument);
        start.Environment["HOME"] = directory;
        start.Environment["XDG_RUNTIME_DIR"] = directory;
        start.Environment.Remove("PULSE_SERVER");

        var process = Process.Start(start) ?? throw new InvalidOperationException("pulseaudio did not start.");
        var server = new PulseAudioServer(process, directory, socketPath);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await server.WaitUntilListeningAsync(socketPath, cancellationToken);
            return server;
        }
        catch
        {
            await server.StopAsync();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(string socketPath, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"pulseaudio exited with {_process.ExitCode}: {Log}");
            if (File.Exists(socketPath))
            {
                try
                {
                    using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await probe.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return;
                }
                catch (SocketException)
                {
                    // Bound but not listening yet.
                }
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"pulseaudio did not listen on {socketPath} in 20 s: {Log}");
            await Task.Delay(50, cancellationToken);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }

    private string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    private async Task StopAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless.
        }
    }

    /// <summary>One holder's share of the daemon; disposing the last one stops it.</summary>
    public sealed class Lease(PulseAudioServer server) : IAsyncDisposable
    {
        private int _disposed;

        public string ServerAddress => server.ServerAddress;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                await ReleaseAsync();
        }
    }
}
