using System.Security.Claims;
using Orbitr.Contracts;
using Orbitr.Server.Owners;
using Orbitr.Server.Storage;

namespace Orbitr.Server.Apis;

/// <summary>/api/owners: anonymous owners (no sign-up). Create one, see its usage, delete everything it stored.</summary>
public static class OwnersApi
{
    public const string CreatePolicy = "owners";

    public static IEndpointRouteBuilder MapOwnersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/owners");
        api.MapPost("/", CreateAsync).RequireRateLimiting(CreatePolicy);
        api.MapGet("/me", UsageAsync).RequireAuthorization();
        api.MapDelete("/me", DeleteAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> CreateAsync(OwnerStore owners, CancellationToken cancel)
    {
        var (_, token) = await owners.CreateAsync(cancel);
        return TypedResults.Created("/api/owners/me", new CreatedOwner(token));
    }

    private static async Task<IResult> UsageAsync(ClaimsPrincipal user, OwnerStore owners, CancellationToken cancel)
    {
        var u = await owners.UsageAsync(user.OwnerId(), cancel);
        return TypedResults.Ok(new OwnerUsageDto(u.Samples, u.Patterns, u.Bytes, u.QuotaBytes));
    }

    private static async Task<IResult> DeleteAsync(ClaimsPrincipal user, OwnerStore owners, DiskReserve reserve, CancellationToken cancel)
    {
        var ownerId = user.OwnerId();
        // Works on a full disk too (the reserve is given up if need be).
        await reserve.FreeingAsync(async () =>
        {
            await owners.DeleteAsync(ownerId, cancel);
            return true;
        });
        return TypedResults.NoContent();
    }
}
