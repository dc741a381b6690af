using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Orbitr.Server.Apis;

/// <summary>The 429 answer of every rate-limit policy: problem details with code 3003, what the limit is, and when to
/// try again (Retry-After and <c>retryAfterSeconds</c>).</summary>
public static class RateLimits
{
    private sealed record Description(string Title, string Limit, double WindowSeconds);

    private static readonly ConcurrentDictionary<string, Description> Policies = new(StringComparer.Ordinal);

    public static void Describe(string policy, string title, string limit, double windowSeconds) =>
        Policies[policy] = new Description(title, limit, windowSeconds);

    public static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancel)
    {
        var http = rejected.HttpContext;
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        var d = policy is not null && Policies.TryGetValue(policy, out var found) ? found : new Description("Too many requests", "a rate limit", 60);
        var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? (int)Math.Ceiling(after.TotalSeconds)
            : (int)Math.Ceiling(d.WindowSeconds);
        http.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        await Problems.Of(StatusCodes.Status429TooManyRequests, 3003, d.Title, $"{d.Limit}; try again in {retry} s",
                new Dictionary<string, object?> { ["retryAfterSeconds"] = retry })
            .ExecuteAsync(http);
    }
}
