using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Orbitr.Server.Apis;

/// <summary>The 429 answer of every rate-limit policy: problem details with code 3003, what the limit is, and when to
/// try again (Retry-After and <c>retryAfterSeconds</c>). Each policy describes itself where it is registered.</summary>
public sealed class RateLimits
{
    private sealed record Description(string Title, string Limit, double WindowSeconds);

    private readonly Dictionary<string, Description> _policies = new(StringComparer.Ordinal);

    /// <summary>Registers a policy's words for its 429 (call from AddRateLimiter's configuration).</summary>
    public static void Describe(IServiceCollection services, string policy, string title, string limit, double windowSeconds) =>
        services.Configure<RateLimits>(r => r._policies[policy] = new Description(title, limit, windowSeconds));

    public static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancel)
    {
        var http = rejected.HttpContext;
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        var policies = http.RequestServices.GetRequiredService<IOptions<RateLimits>>().Value._policies;
        var d = policy is not null && policies.TryGetValue(policy, out var found) ? found : new Description("Too many requests", "a rate limit", 60);
        var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? (int)Math.Ceiling(after.TotalSeconds)
            : (int)Math.Ceiling(d.WindowSeconds);
        http.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        await Problems.Of(StatusCodes.Status429TooManyRequests, Orbitr.Core.Errors.ErrorCode.RateLimited, d.Title, $"{d.Limit}; try again in {retry} s",
                new Dictionary<string, object?> { ["retryAfterSeconds"] = retry })
            .ExecuteAsync(http);
    }
}
