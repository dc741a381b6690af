using System.Security.Claims;
using Orbitr.Core.Errors;
using Orbitr.Server.Generation;
using Orbitr.Server.Kits;
using Orbitr.Server.Owners;

namespace Orbitr.Server.Apis;

/// <summary>/api/kits: a matched set of sounds from one prompt ("dusty boom bap"), followed by polling.</summary>
public static class KitsApi
{
    public static IEndpointRouteBuilder MapKitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/kits").RequireAuthorization();
        api.MapPost("/", SubmitAsync).RequireRateLimiting(GenerationServiceCollectionExtensions.RateLimitPolicy);
        api.MapGet("/{id}", GetAsync);
        return app;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, KitService kits, CancellationToken cancel)
    {
        if (http.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return Problems.UnsupportedMediaType("Send JSON", "the body must be application/json: {\"prompt\": \"dusty boom bap\"}");
        byte[]? body;
        try
        {
            body = await BodyReader.ReadAsync(http.Request, GenerationRequestReader.MaxBodyBytes, cancel);
        }
        catch (BadHttpRequestException e)
        {
            return Problems.OfBadRequest(e);
        }
        if (body is null) return Problems.TooLarge("Request too large", GenerationRequestReader.MaxBodyBytes);
        var (request, problem, unreadable) = GenerationRequestReader.Read(body);
        if (request is null)
            return unreadable
                ? Problems.InvalidRequest("Unreadable request", problem!)
                : Problems.Of(StatusCodes.Status400BadRequest, GenerationsApi.InvalidPromptCode, "Invalid prompt", problem!);
        var (outcome, kit, reason) = await kits.SubmitAsync(request, ClientId.Of(http), http.User.OwnerId(), cancel);
        return outcome switch
        {
            SubmitOutcome.Queued or SubmitOutcome.Cached => TypedResults.Accepted($"/api/kits/{kit!.Id}", kit),
            SubmitOutcome.QuotaExceeded => Problems.Of(StatusCodes.Status429TooManyRequests, GenerationsApi.QuotaCode, "Daily generation quota used up", reason!),
            SubmitOutcome.StorageFull => Problems.StorageFull(reason!),
            _ when reason!.StartsWith("with the", StringComparison.Ordinal) =>
                Problems.Of(StatusCodes.Status400BadRequest, GenerationsApi.InvalidPromptCode, "Invalid prompt", reason),
            _ => Problems.Of(StatusCodes.Status400BadRequest, ErrorCode.EngineUnavailable, "Engine not available", reason!),
        };
    }

    private static async Task<IResult> GetAsync(ClaimsPrincipal user, KitService kits, string id, CancellationToken cancel) =>
        await kits.GetAsync(id, user.OwnerId(), cancel) is { } kit ? TypedResults.Ok(kit) : Problems.NotFound($"kit {id} of yours");
}
