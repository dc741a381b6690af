using System.Threading.RateLimiting;
using Orbitr.Server.Apis;
using Orbitr.Server.Generation;

namespace Orbitr.Server.Owners;

public static class OwnerServiceCollectionExtensions
{
    /// <summary>Owners, their limits (Orbitr:Limits) and the rate limits of creating owners (per client address) and of
    /// uploads and pattern saves (per owner token).</summary>
    public static IServiceCollection AddOrbitrOwners(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OwnerOptions.Section).Get<OwnerOptions>() ?? new OwnerOptions();
        services.AddSingleton(options);
        services.AddScoped<OwnerStore>();
        RateLimits.Describe(services, OwnersApi.CreatePolicy, "Too many new owners", $"at most {options.OwnersPerHour} new owners per hour from one address", 3600);
        RateLimits.Describe(services, SamplesApi.UploadPolicy, "Too many uploads", $"at most {options.UploadsPerMinute} uploads per minute", 60);
        RateLimits.Describe(services, PatternsApi.SavePolicy, "Too many pattern saves", $"at most {options.PatternSavesPerMinute} pattern saves per minute", 60);
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(OwnersApi.CreatePolicy, context => RateLimitPartition.GetFixedWindowLimiter(ClientId.Of(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, options.OwnersPerHour), Window = TimeSpan.FromHours(1), QueueLimit = 0 }));
            limiter.AddPolicy(SamplesApi.UploadPolicy, context => RateLimitPartition.GetFixedWindowLimiter(PerOwner(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, options.UploadsPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.AddPolicy(PatternsApi.SavePolicy, context => RateLimitPartition.GetFixedWindowLimiter(PerOwner(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, options.PatternSavesPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    // The owner's token (hashed: tokens are never kept in the clear, not even as a key in memory); a request with
    // none shares its address's bucket, and is refused with 401 by the endpoint anyway.
    private static string PerOwner(HttpContext context) =>
        OwnerAuth.BearerToken(context.Request) is { } token ? "owner:" + OwnerStore.Hash(token) : "address:" + ClientId.Of(context);
}
