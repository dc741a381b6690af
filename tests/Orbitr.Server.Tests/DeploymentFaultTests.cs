using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Orbitr.Tests.Waiting;

namespace Orbitr.Server.Tests;

/// <summary>A real deployment on loopback: two API processes and a worker process (separate `dotnet Orbitr.Server.dll`
/// processes) sharing PostgreSQL (database and Quartz's clustered queue), S3 (s3rver) and Redis. Bounded: 200 short
/// synth jobs; Redis is killed after 100 requests, the worker (kill -9) after at least 60 jobs.</summary>
[Collection(DeploymentCollection.Name), Trait("Configuration", "deployment")]
public sealed class DeploymentFaultTests
{
    [Fact]
    public async Task A_worker_killed_mid_run_loses_nothing_and_every_job_succeeds_exactly_once()
    {
        var database = TestPostgres.CreateDatabase();
        var data = Directory.CreateTempSubdirectory("orbitr-deploy-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Orbitr__Database__Provider"] = "postgres",
            ["Orbitr__Database__ConnectionString"] = database,
            ["Orbitr__DataPath"] = data,
            ["Orbitr__Generation__RateLimitPermits"] = "100000",
            ["Orbitr__Generation__DailyQuota"] = "100000",
            ["Orbitr__Generation__MaxConcurrentJobs"] = "2",
            ["Orbitr__Generation__ClusterCheckinSeconds"] = "1",
            ["Orbitr__Limits__OwnersPerHour"] = "100000",
        };
        // Rate limits, cache and live updates through a Redis of the test's own (it is killed halfway).
        using var redis = await RedisProcess.StartAsync();
        settings["Orbitr__Cache__Provider"] = "redis";
        settings["Orbitr__Cache__Redis"] = redis.Address;
        // Blobs in S3: the processes share no folder.
        foreach (var (key, value) in TestS3.Settings("orbitr-deploy-" + Guid.NewGuid().ToString("N")[..8])) settings[key.Replace(":", "__")] = value!;
        await using var api1 = await ServerProcess.StartAsync("api", settings);
        await using var api2 = await ServerProcess.StartAsync("api", settings);
        var worker = await ServerProcess.StartAsync("worker", settings);
        ServerProcess? second = null;
        try
        {
            using var a = new HttpClient { BaseAddress = new Uri(api1.Url) };
            using var b = new HttpClient { BaseAddress = new Uri(api2.Url) };
            var token = await OwnerAsync(a);
            foreach (var c in new[] { a, b }) c.DefaultRequestHeaders.Authorization = new("Bearer", token);

            // A worker serves only its health; the API processes serve the API.
            using (var w = new HttpClient { BaseAddress = new Uri(worker.Url) })
            {
                Assert.Equal(HttpStatusCode.OK, (await w.GetAsync("/api/health")).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await w.GetAsync("/api/engines")).StatusCode);
            }

            // 200 jobs through both API processes (long synth sounds so some are running when the worker dies).
            var ids = new List<string>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 200; i++)
            {
                // Halfway through the requests Redis dies: no request may fail for it.
                if (i == 100) redis.Kill();
                var client = i % 2 == 0 ? a : b;
                using var post = await client.PostAsync("/api/generations", new StringContent(
                    $$"""{"prompt":"deploy test {{i}}","engine":"synth","durationSeconds":4,"seed":{{i}}}""", Encoding.UTF8, "application/json"));
                Assert.True(post.StatusCode == HttpStatusCode.Accepted, await post.Content.ReadAsStringAsync());
                ids.Add((await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            }

            Console.WriteLine($"posted 200 in {clock.Elapsed.TotalSeconds:0.0} s");
            // Halfway, kill -9 the worker; then start another.
            // … at a moment when a job is running, so the new worker has one to recover.
            await WaitUntilAsync(database, c => c.Succeeded >= 60 && c.Running >= 1, TimeSpan.FromMinutes(3), "60 generations succeeded and one running (succeeded, running)");
            worker.Kill();
            var atKill = await CountAsync(database, "succeeded");
            var runningAtKill = await CountAsync(database, "running");
            Assert.InRange(atKill, 60, 199);
            Console.WriteLine($"killed at {clock.Elapsed.TotalSeconds:0.0} s");
            second = await ServerProcess.StartAsync("worker", settings);
            Console.WriteLine($"second worker up at {clock.Elapsed.TotalSeconds:0.0} s");
            try
            {
                await WaitUntilAsync(database, c => c.Succeeded == 200, TimeSpan.FromMinutes(3), "all 200 generations succeeded (succeeded, running)");
            }
            catch (Xunit.Sdk.XunitException timedOut)
            {
                var counts = string.Join(", ", await Task.WhenAll(new[] { "queued", "running", "succeeded", "failed", "canceled" }
                    .Select(async st => $"{st} {await CountAsync(database, st)}")));
                await using var failedDb = new Npgsql.NpgsqlConnection(database);
                await failedDb.OpenAsync();
                await using var errors = new Npgsql.NpgsqlCommand("""SELECT string_agg(DISTINCT "Error", ' | ') FROM "Generations" WHERE "Status" = 'failed'""", failedDb);
                throw new Xunit.Sdk.XunitException($"{timedOut.Message}; not all done: {counts}; errors: {await errors.ExecuteScalarAsync()}", timedOut);
            }
            Console.WriteLine($"all done at {clock.Elapsed.TotalSeconds:0.0} s; printed: api {api1.Printed} and {api2.Printed} chars, workers {worker.Printed} and {second.Printed}");
            // Warnings for the dead Redis and the killed worker, not a flood: an API process once logged Quartz's
            // trigger-loop error on every turn (290 million characters in 40 s) and the test host ran out of memory.
            foreach (var p in new[] { api1, api2, worker, second })
                Assert.True(p.Printed < 1_000_000, $"a process printed {p.Printed} characters; its last lines: {p.Output[^Math.Min(p.Output.Length, 2000)..]}");
            Assert.Equal(0, await CountAsync(database, "failed"));

            // Exactly once: 200 distinct samples, each the one its generation made, all in the owner's library, no job
            // failed, and every generation record succeeded once.
            var samples = new HashSet<string>();
            foreach (var id in ids)
            {
                var g = await a.GetFromJsonAsync<JsonElement>($"/api/generations/{id}");
                Assert.Equal("succeeded", g.GetProperty("status").GetString());
                Assert.True(samples.Add(g.GetProperty("sampleId").GetString()!));
            }
            var listed = new List<string>();
            for (var page = 1; listed.Count < 200 && page < 10; page++)
            {
                var library = await a.GetFromJsonAsync<JsonElement>($"/api/samples?page={page}&pageSize=100");
                Assert.Equal(200, library.GetProperty("total").GetInt32());
                listed.AddRange(library.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
            }
            Assert.Equal(samples.Order(), listed.Order());
            await using var db = new Npgsql.NpgsqlConnection(database);
            await db.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand("""SELECT count(*) FROM "Samples" """, db);
            Assert.Equal(200L, (long)(await count.ExecuteScalarAsync())!);
            // Jobs the killed worker was running were run again by the new one (their second attempt).
            await using var retried = new Npgsql.NpgsqlCommand("""SELECT count(*) FROM "Generations" WHERE "Attempts" > 1""", db);
            Console.WriteLine($"at the kill: {atKill} succeeded, {runningAtKill} running; run again after recovery: {await retried.ExecuteScalarAsync()}");
        }
        finally
        {
            await worker.DisposeAsync();
            if (second is not null) await second.DisposeAsync();
            TestPostgres.DropDatabase(database);
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task The_migrate_command_creates_the_postgres_schema_and_exits()
    {
        var database = TestPostgres.CreateDatabase();
        try
        {
            var dll = ServerProcess.Dll;
            var info = new ProcessStartInfo("dotnet", [dll, "migrate"])
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.Environment["Orbitr__Database__Provider"] = "postgres";
            info.Environment["Orbitr__Database__ConnectionString"] = database;
            info.Environment["Orbitr__DataPath"] = Directory.CreateTempSubdirectory("orbitr-migrate-").FullName;
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(120_000), "migrate did not exit");
            Assert.True(process.ExitCode == 0, await output + await error);
            await using var db = new Npgsql.NpgsqlConnection(database);
            await db.OpenAsync();
            await using var tables = new Npgsql.NpgsqlCommand(
                """SELECT count(*) FROM information_schema.tables WHERE table_name IN ('Samples', 'Generations', 'Patterns', 'Owners', 'LibraryEntries')""", db);
            Assert.Equal(5L, (long)(await tables.ExecuteScalarAsync())!);
        }
        finally
        {
            TestPostgres.DropDatabase(database);
        }
    }

    private static async Task<string> OwnerAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/owners", null);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Generations in a status, read from the shared database (cheap enough to poll).</summary>
    private static async Task<int> CountAsync(string database, string status)
    {
        await using var db = new Npgsql.NpgsqlConnection(database);
        await db.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""SELECT count(*) FROM "Generations" WHERE "Status" = @s""", db);
        command.Parameters.AddWithValue("s", status);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls the shared database's succeeded and running counts until <paramref name="done"/> accepts them.</summary>
    private static Task WaitUntilAsync(string database, Func<(int Succeeded, int Running), bool> done, TimeSpan limit, string because) =>
        Eventually.ValueAsync(async () => (await CountAsync(database, "succeeded"), await CountAsync(database, "running")), done, limit, because,
            TimeSpan.FromMilliseconds(250));
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeploymentCollection
{
    public const string Name = "deployment";
}

/// <summary>An Orbitr.Server process (the build output, as `dotnet run` starts it) with a role and settings, on a free
/// loopback port; its output is kept for the failure message.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServerProcess(Process process, string url)
    {
        this.process = process;
        Url = url;
    }

    public string Url { get; }

    /// <summary>The server's build output, as `dotnet run` starts it.</summary>
    public static string Dll
    {
        get
        {
            var dll = Path.Combine(RepoRoot(), "src", "Orbitr.Server", "bin", "Release", "net10.0", "Orbitr.Server.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build Orbitr.Server (Release) first", dll);
        }
    }
    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>What the process printed last, for a failure message: only the tail is kept (a server logging a
    /// dependency's outage on every call printed hundreds of megabytes over a run, and the test host ran out of memory
    /// in CI).</summary>
    public const int KeptOutputChars = 64 * 1024;

    /// <summary>How many characters the process printed in all.</summary>
    public long Printed { get; private set; }

    private void Keep(string? line)
    {
        lock (output)
        {
            Printed += (line?.Length ?? 0) + 1;
            output.AppendLine(line);
            if (output.Length > 2 * KeptOutputChars) output.Remove(0, output.Length - KeptOutputChars);
        }
    }

    public static async Task<ServerProcess> StartAsync(string role, IReadOnlyDictionary<string, string> settings)
    {
        var dll = Dll;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", url])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Orbitr__Roles"] = role;
        foreach (var (k, v) in settings) info.Environment[k] = v;
        var server = new ServerProcess(Process.Start(info)!, url);
        server.process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.ValueAsync(async () =>
        {
            if (server.process.HasExited) throw new InvalidOperationException($"the {role} process exited: {server.Output}");
            try
            {
                // Up when it answers its health (200, or 503 while a dependency is still coming).
                using var health = await http.GetAsync("/api/health");
                if (health.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable) return "up";
                return $"health {(int)health.StatusCode}; output: {server.Output}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return $"{e.GetType().Name}; output: {server.Output}";
            }
        }, state => state == "up", TimeSpan.FromSeconds(60), $"the {role} process to answer /api/health", TimeSpan.FromMilliseconds(200));
        return server;
    }

    /// <summary>kill -9: no shutdown, no chance to finish or release anything.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        process.Dispose();
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orbitr.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("no Orbitr.slnx above " + AppContext.BaseDirectory);
    }
}
