using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Orbitr.Server.Caching;

/// <summary>Fixed-window rate limits that hold across every process through Redis (one counter per policy and
/// client, expiring with its window), falling back to this process's own window while Redis is away — a limit that
/// is briefly per process rather than a request that fails.</summary>
public static class SharedRateLimits
{
    /// <summary>A partition for the rate limiter middleware: <paramref name="key"/> (client or owner) under <paramref name="policy"/>.</summary>
    public static RateLimitPartition<string> FixedWindow(HttpContext context, string policy, string key, int permits, TimeSpan window)
    {
        var redis = context.RequestServices.GetRequiredService<RedisConnection>();
        var options = new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, permits), Window = window, QueueLimit = 0 };
        return redis.Configured
            ? RateLimitPartition.Get(key, k => new SharedFixedWindowLimiter(redis, $"{redis.Prefix}rate:{policy}:{k}", options))
            : RateLimitPartition.GetFixedWindowLimiter(key, _ => options);
    }
}

/// <summary>One client's window in Redis: INCRBY, the first hit of a window sets its expiry, and a count past the
/// limit is refused with the time the window has left (Retry-After).</summary>
public sealed class SharedFixedWindowLimiter(RedisConnection redis, string key, FixedWindowRateLimiterOptions options) : RateLimiter
{
    private const string Script = """
        local count = redis.call('INCRBY', KEYS[1], ARGV[1])
        if count == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return { count, redis.call('PTTL', KEYS[1]) }
        """;

    private readonly FixedWindowRateLimiter _local = new(options);

    public override TimeSpan? IdleDuration => _local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _local.GetStatistics();

    // The middleware tries the synchronous path first and then the asynchronous one: with Redis up, decline here (no
    // blocking call, no counting twice) so the one Redis round trip happens in AcquireAsync.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        redis.IsAvailable ? Lease.Deferred : _local.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (redis.IsAvailable)
        {
            try
            {
                var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(Script, [key],
                    [permitCount, (long)options.Window.TotalMilliseconds]))!;
                var count = (long)result[0];
                var left = Math.Max(0, (long)result[1]);
                return count <= options.PermitLimit ? Lease.Granted : new Lease(false, TimeSpan.FromMilliseconds(left));
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Redis went away mid-request: this process's own window answers.
            }
        }
        return await _local.AcquireAsync(permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _local.Dispose();
        base.Dispose(disposing);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease Deferred = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name && retryAfter is { } r ? r : null;
            return metadata is not null;
        }
    }
}
