using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Orbitr.Tests.OrbitrProcess;

/// <summary>One Orbitr.Server process on a loopback port with its embedded defaults (SQLite, files, in-process queue)
/// in a temporary data folder — the build output, or the published app in ORBITR_E2E_SERVER (test.sh sets it).
/// It measures the process from outside: resident memory from /proc (VmRSS, and the peak VmHWM, which writing 5 to
/// clear_refs resets) and CPU time (utime + stime). Shared by tests/Orbitr.Hostile.Tests and bench/hostile.</summary>
public class ServerProcess
{
    private Process? _process;

    public string BaseUrl { get; private set; } = "";
    public string DataPath { get; } = Directory.CreateTempSubdirectory("orbitr-hostile-").FullName;
    public int Pid => _process!.Id;

    /// <summary>Extra environment for the server (e.g. Orbitr__Render__MaxVoices).</summary>
    public Dictionary<string, string> Environment { get; } = new();

    public async Task StartAsync()
    {
        var root = RepoRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = System.Environment.GetEnvironmentVariable("ORBITR_E2E_SERVER") is { Length: > 0 } published
            ? Path.GetFullPath(published)
            : Path.Combine(root, "src", "Orbitr.Server", "bin", configuration, "net10.0", "Orbitr.Server.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("build Orbitr.Server first", dll);
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", BaseUrl])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Orbitr__DataPath"] = DataPath;
        // Room for the many requests of one test client; the limits under test are set by the tests' own requests.
        info.Environment["Orbitr__Limits__OwnersPerHour"] = "10000";
        info.Environment["Orbitr__Limits__UploadsPerMinute"] = "10000";
        info.Environment["Orbitr__Limits__PatternSavesPerMinute"] = "10000";
        info.Environment["Orbitr__Limits__StorageMegabytesPerOwner"] = "2000";
        foreach (var (key, value) in Environment) info.Environment[key] = value;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient();
        // A plain bounded wait rather than tests/Shared/Waiting (this file is shared with bench/hostile, which has no
        // test framework): it fails with the last state seen.
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited) throw new InvalidOperationException($"Orbitr.Server exited with {_process.ExitCode}");
            try
            {
                using var health = await http.GetAsync($"{BaseUrl}/api/health");
                if (health.IsSuccessStatusCode) return;
                last = $"health {(int)health.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Orbitr.Server did not answer /api/health within 30 s (last: {last})");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException) { }
    }

    public bool Exited => _process!.HasExited;

    /// <summary>A client acting for a new owner.</summary>
    public async Task<HttpClient> OwnerClientAsync()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(5) };
        var created = await client.PostAsync("/api/owners", null);
        created.EnsureSuccessStatusCode();
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public long RssBytes => StatusField("VmRSS");

    public long PeakRssBytes => StatusField("VmHWM");

    /// <summary>Sets the peak (VmHWM) back to the current resident size.</summary>
    public void ResetPeak() => File.WriteAllText($"/proc/{Pid}/clear_refs", "5");

    /// <summary>User + system CPU the process has used.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of stat (utime, stime) in clock ticks; after the ")" they are the 12th and 13th.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
    }

    /// <summary>Runs <paramref name="action"/> and reports how far the process's resident memory rose above where it
    /// was before (its peak during the action), and the CPU it spent.</summary>
    public async Task<Cost> MeasureAsync(Func<Task> action)
    {
        // Settle first: what earlier tests left for the collector is not this action's. Kept fixed: there is nothing
        // to poll for (the collector runs when it will), and the baseline is read right after.
        await Task.Delay(200);
        ResetPeak();
        var before = RssBytes;
        var cpu = CpuTime;
        await action();
        return new Cost((PeakRssBytes - before) / 1e6, (CpuTime - cpu).TotalSeconds, before / 1e6);
    }

    private long StatusField(string name)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
                return long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"{name} is not in /proc/{Pid}/status");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orbitr.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Orbitr.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>What an action cost the server: peak resident memory above where it started, CPU seconds, and the start.</summary>
public readonly record struct Cost(double PeakAboveMb, double CpuSeconds, double BeforeMb)
{
    public override string ToString() => $"peak +{PeakAboveMb:0.0} MB over {BeforeMb:0} MB, CPU {CpuSeconds:0.00} s";
}
