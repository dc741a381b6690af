using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Orbitr.Server.Owners;

/// <summary>Which owner a request acts for: <c>Authorization: Bearer &lt;owner token&gt;</c>. Tokens never reach a
/// log: they are only hashed.</summary>
public static class OwnerAuth
{
    /// <summary>The authentication scheme (and the default authorization policy's): endpoints that act for an owner
    /// say <c>.RequireAuthorization()</c>.</summary>
    public const string Scheme = "Owner";

    /// <summary>The claim carrying the owner's id.</summary>
    public const string OwnerIdClaim = "orbitr:owner";

    /// <summary>The bearer token of the request, or null when there is none (any other scheme counts as none).</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value) return null;
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var token = value[7..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>The id of the owner the principal is (null when it is none: no token, or not an owner's).</summary>
    public static string? FindOwnerId(this ClaimsPrincipal user) =>
        user.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == Scheme)?.FindFirst(OwnerIdClaim)?.Value;

    /// <summary>The id of the owner of an authenticated request (an endpoint that requires authorization).</summary>
    public static string OwnerId(this ClaimsPrincipal user) =>
        user.FindOwnerId() ?? throw new InvalidOperationException("the endpoint does not require an owner (.RequireAuthorization())");

    /// <summary>The owner of the request, when it carries a known owner token; null otherwise (without answering 401).</summary>
    public static async Task<string?> OwnerIdIfAnyAsync(HttpContext http) =>
        http.User.FindOwnerId() ?? (await http.AuthenticateAsync(Scheme)).Principal?.FindOwnerId();
}

/// <summary>The "Owner" scheme: a known owner token becomes a principal carrying the owner's id; no token is no
/// result, an unknown (or deleted) one a failure. The challenge answers 401 with code 4006.</summary>
public sealed class OwnerAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (OwnerAuth.BearerToken(Request) is not { } token) return AuthenticateResult.NoResult();
        var owners = Context.RequestServices.GetRequiredService<OwnerStore>();
        if (await owners.FindByTokenAsync(token, Context.RequestAborted) is not { } owner) return AuthenticateResult.Fail("Unknown owner token");
        var identity = new ClaimsIdentity([new Claim(OwnerAuth.OwnerIdClaim, owner.Id), new Claim(ClaimTypes.NameIdentifier, owner.Id)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var problem = OwnerAuth.BearerToken(Request) is null
            ? Apis.Problems.Unauthenticated("Owner token required",
                "this stores something on the server: create an owner once with POST /api/owners and send its token as Authorization: Bearer <token>")
            : Apis.Problems.Unauthenticated("Unknown owner token",
                "this owner token is not known here (it may have been deleted); create a new one with POST /api/owners");
        return problem.ExecuteAsync(Context);
    }
}
