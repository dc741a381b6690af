using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Server.Generation;
using Orbitr.Server.Samples;
using Orbitr.Tests.Waiting;
using static Orbitr.Server.Tests.GenerationsApiTests;

namespace Orbitr.Server.Tests;

/// <summary>Shared state through a real Redis: limits that hold across server processes, live updates and sample
/// invalidations between them, and a server that keeps serving (never a 500) while Redis is away.</summary>
public sealed class RedisTests
{
    private static Dictionary<string, string?> Shared(string redis, string prefix, params (string, string)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orbitr:Cache:Provider"] = "redis",
            ["Orbitr:Cache:Redis"] = redis,
            ["Orbitr:Cache:KeyPrefix"] = prefix,
        };
        foreach (var (k, v) in more) settings[k] = v;
        return settings;
    }

    [Fact]
    public async Task A_rate_limit_holds_across_two_servers_sharing_redis()
    {
        var prefix = $"t{Guid.NewGuid():N}:";
        await using var a = new ConfiguredOrbitrFactory(Shared(TestRedis.Server, prefix, ("Orbitr:Limits:OwnersPerHour", "3")));
        await using var b = new ConfiguredOrbitrFactory(Shared(TestRedis.Server, prefix, ("Orbitr:Limits:OwnersPerHour", "3")));
        var ca = a.CreateAnonymousClient();
        var cb = b.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Created, (await ca.PostAsync("/api/owners", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await cb.PostAsync("/api/owners", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ca.PostAsync("/api/owners", null)).StatusCode);
        // The fourth, on the other server: per process it would pass; shared, it is refused with when to retry.
        var fourth = await cb.PostAsync("/api/owners", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Equal(3003, await CodeOf(fourth));
        Assert.InRange(fourth.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
    }

    [Fact]
    public async Task Generation_changes_and_deleted_samples_are_announced_to_the_other_servers()
    {
        var prefix = $"t{Guid.NewGuid():N}:";
        await using var a = new ConfiguredOrbitrFactory(Shared(TestRedis.Server, prefix));
        await using var b = new ConfiguredOrbitrFactory(Shared(TestRedis.Server, prefix));
        _ = a.CreateClient();
        _ = b.CreateClient();
        await WaitAsync(() => a.Services.GetRequiredService<Caching.RedisConnection>().IsAvailable && b.Services.GetRequiredService<Caching.RedisConnection>().IsAvailable);
        // The subscriptions are made at start-up: wait until an announcement from a reaches b (a probe's waiter is
        // woken at once; unwoken it would wait its full second).
        var probes = 0;
        await Eventually.TrueAsync(async () =>
        {
            var probe = $"g-probe-{++probes}";
            var heard = b.Services.GetRequiredService<GenerationEvents>().WaitAsync(probe, TimeSpan.FromSeconds(1), CancellationToken.None);
            a.Services.GetRequiredService<GenerationEvents>().Changed(probe);
            return await Task.WhenAny(heard, Task.Delay(500)) == heard;
        }, TimeSpan.FromSeconds(15), "b to hear a's announcements (its subscriptions made)");

        var clock = Stopwatch.StartNew();
        var woken = b.Services.GetRequiredService<GenerationEvents>().WaitAsync("g-announced", TimeSpan.FromSeconds(10), CancellationToken.None);
        a.Services.GetRequiredService<GenerationEvents>().Changed("g-announced");
        await woken;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"woken after {clock.Elapsed}: not by the announcement");

        var index = b.Services.GetRequiredService<SampleAudioIndex>();
        index.Remember(new SampleAudio("s-announced", "ab/cd", "hash", DateTimeOffset.UtcNow));
        a.Services.GetRequiredService<SampleAudioIndex>().Forget("s-announced");
        await WaitAsync(() => !index.TryGet("s-announced", out _));
    }

    [Fact]
    public async Task With_redis_killed_mid_run_no_request_fails_and_health_warns_until_it_is_back()
    {
        using var redis = await RedisProcess.StartAsync();
        await using var server = new ConfiguredOrbitrFactory(Shared(redis.Address, $"t{Guid.NewGuid():N}:", ("Orbitr:Generation:RateLimitPermits", "1000")));
        var client = server.CreateClient();
        await WaitAsync(() => server.Services.GetRequiredService<Caching.RedisConnection>().IsAvailable);
        Assert.Equal("up", await CacheStateAsync(client));
        Assert.Equal("succeeded", (await GenerateAsync(client, "redis up kick")).GetProperty("status").GetString());

        redis.Kill();
        await WaitAsync(() => !server.Services.GetRequiredService<Caching.RedisConnection>().IsAvailable);
        // Everything still answers: generations (rate limit per process, cache skipped), cache hits from the database,
        // owners, the library; health says degraded with 200.
        for (var i = 0; i < 5; i++)
            Assert.Equal("succeeded", (await GenerateAsync(client, $"redis down snare {i}")).GetProperty("status").GetString());
        var hit = await client.PostAsync("/api/generations", Body("""{"prompt":"redis up kick","durationSeconds":0.5}"""));
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.CreateAnonymousClient().PostAsync("/api/owners", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/samples")).StatusCode);
        var health = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("degraded", await CacheStateAsync(client));

        await redis.RestartAsync();
        await WaitAsync(() => server.Services.GetRequiredService<Caching.RedisConnection>().IsAvailable, 30);
        Assert.Equal("up", await CacheStateAsync(client));
    }

    private static async Task<string> CacheStateAsync(HttpClient client)
    {
        var report = await client.GetFromJsonAsync<JsonElement>("/api/health");
        return report.GetProperty("dependencies").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "cache").GetProperty("status").GetString()!;
    }

    private static async Task<JsonElement> GenerateAsync(HttpClient client, string prompt)
    {
        var post = await client.PostAsync("/api/generations", Body(JsonSerializer.Serialize(new { prompt, durationSeconds = 0.5 })));
        Assert.True(post.IsSuccessStatusCode, $"{(int)post.StatusCode}: {await post.Content.ReadAsStringAsync()}");
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return await WaitFinishedAsync(client, id);
    }

    private static Task WaitAsync(Func<bool> condition, double seconds = 15, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(condition))] string because = "") =>
        Eventually.TrueAsync(condition, TimeSpan.FromSeconds(seconds), because, TimeSpan.FromMilliseconds(50));

}

/// <summary>A redis-server of the test's own on a free loopback port, to kill and bring back.</summary>
public sealed class RedisProcess : IDisposable
{
    private readonly int port;
    private Process? process;

    private RedisProcess(int port) => this.port = port;

    public string Address => $"127.0.0.1:{port}";

    public static async Task<RedisProcess> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var redis = new RedisProcess(port);
        await redis.RestartAsync();
        return redis;
    }

    public Task RestartAsync()
    {
        process = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return Eventually.ValueAsync(async () =>
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return "listening";
            }
            catch (SocketException e)
            {
                return e.SocketErrorCode.ToString();
            }
        }, state => state == "listening", TimeSpan.FromSeconds(10), $"redis-server to listen on {Address}", TimeSpan.FromMilliseconds(50));
    }

    public void Kill()
    {
        if (process is { HasExited: false }) process.Kill();
        process?.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        process?.Dispose();
    }
}
