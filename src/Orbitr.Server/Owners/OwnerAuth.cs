
namespace Orbitr.Server.Owners;

/// <summary>Which owner a request acts for: <c>Authorization: Bearer &lt;owner token&gt;</c>. Tokens never reach a
/// log: they are only hashed.</summary>
public static class OwnerAuth
{
    /// <summary>The bearer token of the request, or null when there is none (any other scheme counts as none).</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value) return null;
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var token = value[7..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>The owner the request acts for; 401 when it has no owner token or an unknown (or deleted) one.</summary>
    public static async Task<(OwnerRecord? Owner, IResult? Problem)> RequireAsync(HttpRequest request, OwnerStore owners, CancellationToken cancel)
    {
        if (BearerToken(request) is not { } token)
            return (null, Unauthorized("Owner token required",
                "this stores something on the server: create an owner once with POST /api/owners and send its token as Authorization: Bearer <token>"));
        return await owners.FindByTokenAsync(token, cancel) is { } owner
            ? (owner, null)
            : (null, Unauthorized("Unknown owner token", "this owner token is not known here (it may have been deleted); create a new one with POST /api/owners"));
    }

    private static IResult Unauthorized(string title, string detail) => Apis.Problems.Unauthenticated(title, detail);
}
