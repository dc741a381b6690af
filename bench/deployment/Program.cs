using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Npgsql;

// Requests per second through 1 and through 2 API processes (plus one worker) sharing PostgreSQL, Redis and S3, from
// 16 concurrent clients for 10 s each: POST /api/generations answered from the cache, and GET of a sample's audio.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : throw new InvalidOperationException($"{name} is not set (start the services as ./test.sh does)");
var postgres = Env("ORBITR_TEST_POSTGRES");
var dbName = "orbitr_bench_" + Guid.NewGuid().ToString("N")[..8];
await using (var c = new NpgsqlConnection(postgres))
{
    await c.OpenAsync();
    await new NpgsqlCommand($"CREATE DATABASE {dbName}", c).ExecuteNonQueryAsync();
}
var settings = new Dictionary<string, string>
{
    ["Logging__LogLevel__Default"] = "Warning",
    ["Orbitr__Database__Provider"] = "postgres",
    ["Orbitr__Database__ConnectionString"] = new NpgsqlConnectionStringBuilder(postgres) { Database = dbName }.ConnectionString,
    ["Orbitr__Cache__Provider"] = "redis",
    ["Orbitr__Cache__Redis"] = Env("ORBITR_TEST_REDIS"),
    ["Orbitr__Cache__KeyPrefix"] = dbName + ":",
    ["Orbitr__Blobs__Provider"] = "s3",
    ["Orbitr__Blobs__S3__ServiceUrl"] = Env("ORBITR_TEST_S3"),
    ["Orbitr__Blobs__S3__Bucket"] = dbName.Replace('_', '-'),
    ["Orbitr__Blobs__S3__AccessKey"] = "S3RVER",
    ["Orbitr__Blobs__S3__SecretKey"] = "S3RVER",
    ["Orbitr__Blobs__S3__ForcePathStyle"] = "true",
    ["Orbitr__Generation__RateLimitPermits"] = "100000000",
    ["Orbitr__Generation__DailyQuota"] = "100000000",
    ["Orbitr__Limits__OwnersPerHour"] = "100000",
    ["Orbitr__DataPath"] = Directory.CreateTempSubdirectory("orbitr-bench-").FullName,
};
var root = new DirectoryInfo(AppContext.BaseDirectory);
while (!File.Exists(Path.Combine(root.FullName, "Orbitr.slnx"))) root = root.Parent!;
var dll = Path.Combine(root.FullName, "src", "Orbitr.Server", "bin", "Release", "net10.0", "Orbitr.Server.dll");
var processes = new List<Process>();
async Task<string> StartAsync(string role)
{
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    listener.Stop();
    var info = new ProcessStartInfo("dotnet", [dll, "--urls", url]) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var (k, v) in settings) info.Environment[k] = v;
    info.Environment["Orbitr__Roles"] = role;
    var p = Process.Start(info)!;
    p.OutputDataReceived += (_, _) => { };
    p.ErrorDataReceived += (_, _) => { };
    p.BeginOutputReadLine();
    p.BeginErrorReadLine();
    processes.Add(p);
    using var http = new HttpClient { BaseAddress = new Uri(url) };
    for (var i = 0; i < 300; i++)
    {
        try { if ((await http.GetAsync("/api/health")).IsSuccessStatusCode) return url; } catch (HttpRequestException) { }
        await Task.Delay(200);
    }
    throw new TimeoutException(role + " did not start");
}

try
{
    var api1 = await StartAsync("api");
    var api2 = await StartAsync("api");
    await StartAsync("worker");
    using var setup = new HttpClient { BaseAddress = new Uri(api1) };
    var token = (await (await setup.PostAsync("/api/owners", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    setup.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    const string body = """{"prompt":"bench kick","engine":"synth","durationSeconds":1}""";
    var g = await (await setup.PostAsync("/api/generations", new StringContent(body, Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>();
    var id = g.GetProperty("id").GetString()!;
    string? sample = null;
    while (sample is null)
    {
        await Task.Delay(200);
        var now = await setup.GetFromJsonAsync<JsonElement>($"/api/generations/{id}");
        if (now.GetProperty("status").GetString() == "succeeded") sample = now.GetProperty("sampleId").GetString();
    }

    async Task<(double PerSecond, int Errors)> MeasureAsync(string[] apis, Func<HttpClient, Task<HttpResponseMessage>> request)
    {
        var clients = Enumerable.Range(0, 16).Select(i => new HttpClient { BaseAddress = new Uri(apis[i % apis.Length]) }).ToArray();
        foreach (var c in clients) c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Warm up, then 10 s.
        foreach (var c in clients) (await request(c)).Dispose();
        long count = 0, errors = 0;
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async c =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                using var r = await request(c);
                await r.Content.CopyToAsync(Stream.Null);
                if (r.IsSuccessStatusCode) Interlocked.Increment(ref count); else Interlocked.Increment(ref errors);
            }
        }));
        foreach (var c in clients) c.Dispose();
        return (count / clock.Elapsed.TotalSeconds, (int)errors);
    }

    Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs; 16 concurrent clients, 10 s per case; PostgreSQL, Redis, s3rver on loopback");
    Console.WriteLine("| case | 1 API process | 2 API processes | ratio |");
    Console.WriteLine("|---|---:|---:|---:|");
    var cases = new (string Name, Func<HttpClient, Task<HttpResponseMessage>> Request)[]
    {
        ("POST /api/generations (cache hit)", c => c.PostAsync("/api/generations", new StringContent(body, Encoding.UTF8, "application/json"))),
        ("GET /api/samples/{id}/audio (88 KB WAV from S3)", c => c.GetAsync($"/api/samples/{sample}/audio")),
    };
    foreach (var (name, request) in cases)
    {
        var one = await MeasureAsync([api1], request);
        var two = await MeasureAsync([api1, api2], request);
        Console.WriteLine($"| {name} | {one.PerSecond:0} req/s ({one.Errors} errors) | {two.PerSecond:0} req/s ({two.Errors} errors) | {two.PerSecond / one.PerSecond:0.00}× |");
    }
}
finally
{
    foreach (var p in processes) { try { p.Kill(true); } catch (InvalidOperationException) { } }
    NpgsqlConnection.ClearAllPools();
    await using var c = new NpgsqlConnection(postgres);
    await c.OpenAsync();
    await new NpgsqlCommand($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)", c).ExecuteNonQueryAsync();
}
