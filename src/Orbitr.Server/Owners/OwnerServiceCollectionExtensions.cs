using System.Threading.RateLimiting;
using Orbitr.Server.Caching;
using Orbitr.Server.Apis;
using Orbitr.Server.Generation;

namespace Orbitr.Server.Owners;

public static class OwnerServiceCollectionExtensions
{
    /// <summary>Owners, their authentication (the "Owner" scheme), their limits (Orbitr:Limits) and the rate limits of creating owners (per client address) and of
    /// uploads and pattern saves (per owner token).</summary>
    public static IServiceCollection AddOrbitrOwners(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OwnerOptions.Section).Get<OwnerOptions>() ?? new OwnerOptions();
        services.AddSingleton(options);
        services.AddScoped<OwnerStore>();
        // Owner authentication: endpoints that act for an owner say .RequireAuthorization() (the default policy: an
        // owner of this scheme); their handlers read the owner's id from the principal. No default scheme: a request
        // to an endpoint that acts for nobody (audio, health…) never looks its token up.
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, OwnerAuthenticationHandler>(OwnerAuth.Scheme, null);
        services.AddAuthorizationBuilder().SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(OwnerAuth.Scheme)
            .RequireAuthenticatedUser().Build());
        RateLimits.Describe(services, OwnersApi.CreatePolicy, "Too many new owners", $"at most {options.OwnersPerHour} new owners per hour from one address", 3600);
        RateLimits.Describe(services, SamplesApi.UploadPolicy, "Too many uploads", $"at most {options.UploadsPerMinute} uploads per minute", 60);
        RateLimits.Describe(services, PatternsApi.SavePolicy, "Too many pattern saves", $"at most {options.PatternSavesPerMinute} pattern saves per minute", 60);
        services.AddRateLimiter(limiter =>
        {
            // Shared by every process through Redis when it is configured (each falls back to its own window while Redis is away).
            limiter.AddPolicy(OwnersApi.CreatePolicy, context => SharedRateLimits.FixedWindow(context, OwnersApi.CreatePolicy, ClientId.Of(context),
                options.OwnersPerHour, TimeSpan.FromHours(1)));
            limiter.AddPolicy(SamplesApi.UploadPolicy, context => SharedRateLimits.FixedWindow(context, SamplesApi.UploadPolicy, PerOwner(context),
                options.UploadsPerMinute, TimeSpan.FromMinutes(1)));
            limiter.AddPolicy(PatternsApi.SavePolicy, context => SharedRateLimits.FixedWindow(context, PatternsApi.SavePolicy, PerOwner(context),
                options.PatternSavesPerMinute, TimeSpan.FromMinutes(1)));
        });
        return services;
    }

    // The owner's token (hashed: tokens are never kept in the clear, not even as a key in memory); a request with
    // none shares its address's bucket, and is refused with 401 by the endpoint anyway.
    private static string PerOwner(HttpContext context) =>
        OwnerAuth.BearerToken(context.Request) is { } token ? "owner:" + OwnerStore.Hash(token) : "address:" + ClientId.Of(context);
}
