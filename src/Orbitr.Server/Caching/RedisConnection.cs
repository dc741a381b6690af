using StackExchange.Redis;

namespace Orbitr.Server.Caching;

/// <summary>"Orbitr:Cache" settings: memory (one process) or redis (shared by every process).</summary>
public sealed class CacheOptions
{
    public const string Section = "Orbitr:Cache";

    public string Provider { get; set; } = "memory";
    /// <summary>A StackExchange.Redis configuration string, e.g. "redis:6379" or "host:6379,password=…".</summary>
    public string? Redis { get; set; }
    /// <summary>Put before every Redis key and channel, so deployments (or tests) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "orbitr:";

    public bool UsesRedis => Provider.Equals("redis", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The one Redis connection of the process (StackExchange.Redis multiplexes it), or none with the memory
/// provider. It never stops the server: the connection is made in the background and re-made after an outage, and
/// while it is down <see cref="IsAvailable"/> is false, so callers skip Redis at once (limits fall back to this
/// process, the cache misses, live updates come from the database) instead of waiting for timeouts.</summary>
public sealed class RedisConnection : IDisposable
{
    private readonly ConnectionMultiplexer? _multiplexer;
    private readonly ILogger<RedisConnection> _log;

    public RedisConnection(CacheOptions options, ILogger<RedisConnection> log)
    {
        _log = log;
        Prefix = options.KeyPrefix;
        if (!options.UsesRedis) return;
        if (string.IsNullOrWhiteSpace(options.Redis))
            throw new InvalidOperationException("Orbitr:Cache:Provider is redis but Orbitr:Cache:Redis is empty (e.g. localhost:6379)");
        var config = ConfigurationOptions.Parse(options.Redis);
        config.AbortOnConnectFail = false;   // start without Redis; connect when it comes
        config.ConnectTimeout = 2000;
        config.SyncTimeout = 1000;
        config.AsyncTimeout = 1000;
        config.ConnectRetry = 1;
        config.ReconnectRetryPolicy = new LinearRetry(1000);
        _multiplexer = ConnectionMultiplexer.Connect(config);
        _multiplexer.ConnectionFailed += (_, e) => _log.LogWarning("Redis unavailable ({Failure}): rate limits fall back to this process, the cache is skipped", e.FailureType);
        _multiplexer.ConnectionRestored += (_, _) => _log.LogInformation("Redis connection restored");
        if (!_multiplexer.IsConnected) _log.LogWarning("Redis at {Redis} is not reachable yet; the server runs without it until it is", options.Redis);
    }

    public bool Configured => _multiplexer is not null;

    public string Prefix { get; }

    /// <summary>Connected now: only then do callers use Redis.</summary>
    public bool IsAvailable => _multiplexer is { IsConnected: true };

    public IConnectionMultiplexer? Multiplexer => _multiplexer;

    public IDatabase Database => (_multiplexer ?? throw new InvalidOperationException("Redis is not configured")).GetDatabase();

    /// <summary>Tells the other processes (pub/sub on the prefixed channel), fire and forget; nothing while Redis is away.</summary>
    public void Announce(string channel, string message)
    {
        if (IsAvailable)
            _ = _multiplexer!.GetSubscriber().PublishAsync(RedisChannel.Literal(Prefix + channel), message, CommandFlags.FireAndForget);
    }

    public void Dispose() => _multiplexer?.Dispose();
}
