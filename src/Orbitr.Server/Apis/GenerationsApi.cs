using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Orbitr.Contracts;
using Orbitr.Core.Errors;
using Orbitr.Server.Generation;
using Orbitr.Server.Owners;

namespace Orbitr.Server.Apis;

/// <summary>/api/generations and /api/engines (ARCHITECTURE §4): submit, follow (poll or Server-Sent Events), cancel.</summary>
public static class GenerationsApi
{
    public const int InvalidPromptCode = ErrorCode.InvalidPrompt, QuotaCode = ErrorCode.GenerationQuotaExceeded;

    public static IEndpointRouteBuilder MapGenerationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/engines", (EngineCatalog engines) => TypedResults.Ok(engines.All.Select(e =>
            new EngineDto(e.Name, e.ModelVersion, 0.1, e.MaxDurationSeconds, ["draft", "hq"], e.State == EngineState.Available, e.Problem)).ToArray()));
        var api = app.MapGroup("/api/generations");
        api.MapPost("/", SubmitAsync).RequireRateLimiting(GenerationServiceCollectionExtensions.RateLimitPolicy).RequireAuthorization();
        api.MapGet("/{id}", GetAsync);
        api.MapGet("/{id}/events", Events);
        api.MapDelete("/{id}", CancelAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, GenerationService generations, CancellationToken cancel)
    {
        if (http.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return Problems.UnsupportedMediaType("Send JSON", "the body must be application/json: {\"prompt\": \"dusty lo-fi kick\"}");
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
                : Problems.Of(StatusCodes.Status400BadRequest, InvalidPromptCode, "Invalid prompt", problem!);
        var (outcome, generation, reason) = await generations.SubmitAsync(request, ClientId.Of(http), http.User.OwnerId(), cancel);
        return outcome switch
        {
            SubmitOutcome.Cached => TypedResults.Ok(generation),
            SubmitOutcome.Queued => TypedResults.Accepted($"/api/generations/{generation!.Id}", generation),
            SubmitOutcome.QuotaExceeded => Problems.Of(StatusCodes.Status429TooManyRequests, QuotaCode, "Daily generation quota used up", reason!),
            SubmitOutcome.StorageFull => Problems.StorageFull(reason!),
            _ => Problems.Of(StatusCodes.Status400BadRequest, ErrorCode.EngineUnavailable, "Engine not available", reason!),
        };
    }

    private static async Task<IResult> GetAsync(GenerationService generations, string id, CancellationToken cancel) =>
        await generations.GetAsync(id, cancel) is { } g ? TypedResults.Ok(g) : Problems.NotFound($"generation {id}");

    private static async Task<IResult> CancelAsync(ClaimsPrincipal user, GenerationService generations, string id, CancellationToken cancel) =>
        await generations.CancelAsync(id, user.OwnerId(), cancel) is { } g ? TypedResults.Ok(g) : Problems.NotFound($"generation {id} of yours");

    private static async Task<IResult> Events(GenerationService generations, IServiceScopeFactory scopes, GenerationEvents events, string id,
        HttpContext http) =>
        await generations.GetAsync(id, http.RequestAborted) is null
            ? Problems.NotFound($"generation {id}")
            : TypedResults.ServerSentEvents(Stream(scopes, events, id, http.RequestAborted));

    /// <summary>The generation as it changes, until it finishes. Woken by this process's jobs, and re-read every
    /// 500 ms for jobs running in another process.</summary>
    private static async IAsyncEnumerable<GenerationDto> Stream(IServiceScopeFactory scopes, GenerationEvents events, string id,
        [EnumeratorCancellation] CancellationToken cancel)
    {
        GenerationDto? last = null;
        while (!cancel.IsCancellationRequested)
        {
            GenerationDto? now;
            await using (var scope = scopes.CreateAsyncScope())
                now = await scope.ServiceProvider.GetRequiredService<GenerationService>().GetAsync(id, cancel);
            if (now is null) yield break;
            if (now != last) yield return now;
            last = now;
            // Finished: stop before registering a waiter, so none is left behind for a job that will not change.
            if (GenerationStatus.IsFinished(now.Status)) yield break;
            await events.WaitAsync(id, TimeSpan.FromMilliseconds(500), cancel);
        }
    }
}

/// <summary>Reads a request body up to a limit (null when it is larger).</summary>
public static class BodyReader
{
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancel)
    {
        if (request.ContentLength > maxBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
