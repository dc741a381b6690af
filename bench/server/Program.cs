using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;

// Starts the real Orbitr.Server (Release build output) on a loopback port with a fresh data folder, then measures
// from this process: (1) cache-hit latency of POST /api/generations over 1,000 sequential identical requests, and
// (2) GET /api/samples/{id}/audio throughput against a Kestrel in this process serving the same WAV bytes as a
// static file (UseStaticFiles), same client, same request count and concurrency: the ratio is the figure.
var root = FindRepoRoot();
var dll = Path.Combine(root, "src", "Orbitr.Server", "bin", "Release", "net10.0", "Orbitr.Server.dll");
if (!File.Exists(dll)) throw new FileNotFoundException("dotnet build -c Release src/Orbitr.Server first", dll);
var data = Directory.CreateTempSubdirectory("orbitr-bench-").FullName;
var port = FreePort();
var baseUrl = $"http://127.0.0.1:{port}";
var info = new ProcessStartInfo("dotnet", [dll, "--urls", baseUrl]) { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
info.Environment["Orbitr__DataPath"] = data;
info.Environment["Orbitr__Generation__RateLimitPermits"] = "1000000";
info.Environment["Orbitr__Generation__DailyQuota"] = "1000000";
info.Environment["Logging__LogLevel__Default"] = "Warning";
using var server = Process.Start(info)!;
server.OutputDataReceived += (_, _) => { };
server.ErrorDataReceived += (_, _) => { };
server.BeginOutputReadLine();
server.BeginErrorReadLine();
try
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(30) };
    for (var i = 0; ; i++)
    {
        try { if ((await http.GetAsync($"{baseUrl}/api/health")).IsSuccessStatusCode) break; } catch (HttpRequestException) { }
        if (i > 300) throw new TimeoutException("server did not start");
        await Task.Delay(100);
    }

    // Make the sample once (a 2 s synth sound), then ask for it again and again.
    var body = new StringContent("""{"prompt":"glass bell, long tail","durationSeconds":2}""", Encoding.UTF8, "application/json");
    var first = JsonDocument.Parse(await (await http.PostAsync($"{baseUrl}/api/generations", body)).Content.ReadAsStringAsync()).RootElement;
    var id = first.GetProperty("id").GetString();
    string? sampleId = null;
    while (sampleId is null)
    {
        var g = JsonDocument.Parse(await http.GetStringAsync($"{baseUrl}/api/generations/{id}")).RootElement;
        if (g.GetProperty("status").GetString() == "succeeded") sampleId = g.GetProperty("sampleId").GetString();
        else await Task.Delay(20);
    }

    // New prompts: submit → succeeded (queue, synth, WAV, peaks, database), sequential, polled every 5 ms.
    const int fresh = 50;
    var endToEnd = new double[fresh];
    for (var i = 0; i < fresh; i++)
    {
        var sw = Stopwatch.StartNew();
        using var content = new StringContent($$"""{"prompt":"dusty lo-fi kick {{i}}","durationSeconds":2}""", Encoding.UTF8, "application/json");
        var job = JsonDocument.Parse(await (await http.PostAsync($"{baseUrl}/api/generations", content)).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        while (JsonDocument.Parse(await http.GetStringAsync($"{baseUrl}/api/generations/{job}")).RootElement.GetProperty("status").GetString() != "succeeded")
            await Task.Delay(5);
        endToEnd[i] = sw.Elapsed.TotalMilliseconds;
    }
    Array.Sort(endToEnd);
    Console.WriteLine($"new 2 s sample, POST → succeeded ({fresh} sequential prompts): p50 {endToEnd[fresh / 2 - 1]:0.0} ms, max {endToEnd[^1]:0.0} ms");

    const int hits = 1000;
    var latencies = new double[hits];
    for (var i = 0; i < 50; i++) await PostAsync(); // warm-up
    for (var i = 0; i < hits; i++)
    {
        var sw = Stopwatch.StartNew();
        var status = await PostAsync();
        latencies[i] = sw.Elapsed.TotalMilliseconds;
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"expected a cache hit (200), got {status}");
    }
    Array.Sort(latencies);
    Console.WriteLine($"cache hit POST /api/generations ({hits} sequential): p50 {Pct(50):0.00} ms, p99 {Pct(99):0.00} ms, max {latencies[^1]:0.00} ms");

    // Static reference: the same bytes from Kestrel's static file middleware.
    var wav = await http.GetByteArrayAsync($"{baseUrl}/api/samples/{sampleId}/audio");
    var staticDir = Directory.CreateTempSubdirectory("orbitr-bench-static-").FullName;
    await File.WriteAllBytesAsync(Path.Combine(staticDir, "sample.wav"), wav);
    var staticPort = FreePort();
    var builder = WebApplication.CreateSlimBuilder();
    builder.WebHost.UseUrls($"http://127.0.0.1:{staticPort}");
    builder.Logging.ClearProviders();
    var reference = builder.Build();
    reference.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(staticDir), ServeUnknownFileTypes = true });
    await reference.StartAsync();

    const int requests = 4000, concurrency = 16;
    var apiUrl = $"{baseUrl}/api/samples/{sampleId}/audio";
    var staticUrl = $"http://127.0.0.1:{staticPort}/sample.wav";
    // Warm-up until both servers' code is fully optimized (tiered JIT): the first rounds are much slower.
    for (var w = 0; w < 4; w++)
    {
        await ThroughputAsync(staticUrl, requests);
        await ThroughputAsync(apiUrl, requests);
    }
    // Alternate, five rounds: each round measures both back to back, so both see the same machine state; the
    // figure is the median of the per-round ratios.
    var ratios = new List<double>();
    var apiRates = new List<double>();
    var staticRates = new List<double>();
    for (var round = 0; round < 5; round++)
    {
        var st = await ThroughputAsync(staticUrl, requests);
        var ap = await ThroughputAsync(apiUrl, requests);
        staticRates.Add(st);
        apiRates.Add(ap);
        ratios.Add(ap / st);
    }
    ratios.Sort();
    Console.WriteLine($"audio GET ({wav.Length:N0} bytes, {requests} requests, {concurrency} concurrent, 5 alternating rounds): " +
        $"/api/samples/{{id}}/audio {string.Join(" ", apiRates.Select(r => r.ToString("0")))} req/s; static file {string.Join(" ", staticRates.Select(r => r.ToString("0")))} req/s; " +
        $"ratio per round {string.Join(" ", ratios.Select(r => r.ToString("0.00")))}, median {ratios[2]:0.00}");
    await reference.StopAsync();
    Directory.Delete(staticDir, true);

    async Task<HttpStatusCode> PostAsync()
    {
        using var content = new StringContent("""{"prompt":"glass bell, long tail","durationSeconds":2}""", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync($"{baseUrl}/api/generations", content);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }

    double Pct(int p) => latencies[Math.Min(hits - 1, (int)Math.Ceiling(p / 100.0 * hits) - 1)];

    async Task<double> ThroughputAsync(string url, int count)
    {
        var next = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
                await using var stream = await response.Content.ReadAsStreamAsync();
                await stream.CopyToAsync(Stream.Null);
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {response.StatusCode}");
            }
        }));
        return count / sw.Elapsed.TotalSeconds;
    }
}
finally
{
    server.Kill(entireProcessTree: true);
    try { Directory.Delete(data, true); } catch (IOException) { }
}

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orbitr.slnx"))) dir = dir.Parent;
    return dir?.FullName ?? throw new DirectoryNotFoundException("Orbitr.slnx not found above " + AppContext.BaseDirectory);
}
