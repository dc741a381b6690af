using Microsoft.Net.Http.Headers;
using Orbitr.Contracts;
using Orbitr.Core.Errors;
using Orbitr.Core.Json;
using Orbitr.Core.Midi;
using Orbitr.Server.Http;
using Orbitr.Server.Owners;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Orbitr.Dsp.Rendering;
using Orbitr.Server.Generation;
using Orbitr.Server.Patterns;
using Orbitr.Server.Rendering;
using Orbitr.Server.Storage;

namespace Orbitr.Server.Apis;

/// <summary>/api/patterns (ARCHITECTURE §4): save, load, update with the edit token and If-Match, render to WAV/MIDI.
/// A body of application/octet-stream is an end-to-end encrypted share: stored as it came, never parsed.</summary>
public static class PatternsApi
{
    public const int MaxCiphertextBytes = PatternJson.MaxBytes + 64 * 1024;
    private const string Json = "application/json", Ciphertext = "application/octet-stream";

    public static IEndpointRouteBuilder MapPatternsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/patterns");
        api.MapPost("/", CreateAsync).RequireRateLimiting(SavePolicy).RequireAuthorization();
        api.MapGet("/{id}", GetAsync);
        // The owner's token or the pattern's edit token: no .RequireAuthorization(), the handler decides.
        api.MapPut("/{id}", UpdateAsync).RequireRateLimiting(SavePolicy);
        api.MapGet("/{id}/render", RenderAsync);
        return app;
    }

    public const string SavePolicy = "pattern-saves";

    private static async Task<IResult> CreateAsync(HttpRequest request, PatternStore patterns, CancellationToken cancel)
    {
        var (content, problem) = await ReadBodyAsync(request, cancel);
        if (problem is not null) return problem;
        var (record, token, over) = await patterns.CreateAsync(content!, request.HttpContext.User.OwnerId(), cancel);
        if (over is not null) return Problems.StorageFull(over);
        request.HttpContext.Response.Headers.ETag = PatternStore.ETagOf(record!);
        return TypedResults.Created($"/api/patterns/{record!.Id}", new SavedPattern(record.Id, token!, record.Version, $"/p/{record.Id}"));
    }

    private static async Task<IResult> GetAsync(HttpContext http, PatternStore patterns, string id, CancellationToken cancel)
    {
        if (await patterns.FindAsync(id, cancel) is not { } record || record.ContentType == SongsApi.ContentType) return Problems.NotFound($"pattern {id}");
        http.Response.Headers.ETag = PatternStore.ETagOf(record);
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(record.Content, record.ContentType);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, PatternStore patterns, string id, CancellationToken cancel)
    {
        if (OwnerAuth.BearerToken(http.Request) is not { } bearer)
            return Problems.Unauthenticated("Owner or edit token required", "send your owner token, or the pattern's edit token, as Authorization: Bearer <token>");
        // The owner's token (the principal of the Owner scheme) or else the pattern's edit token: both existing clients keep working.
        var ownerId = await OwnerAuth.OwnerIdIfAnyAsync(http);
        // RFC 9110 §13.1.1: absent → 428 (we never overwrite blindly), malformed → 400, no tag matches → 412.
        switch (IfMatch.TryParse(http.Request.Headers.IfMatch, out var condition, out var malformed))
        {
            case IfMatch.Parse.Absent:
                return Problems.Of(StatusCodes.Status428PreconditionRequired, ErrorCode.PreconditionFailed, "If-Match required",
                    "send the ETag you loaded in If-Match (or * to overwrite whatever is there) so that a newer save is never overwritten by accident");
            case IfMatch.Parse.Malformed:
                return Problems.Of(StatusCodes.Status400BadRequest, ErrorCode.PreconditionFailed, "Malformed If-Match",
                    $"If-Match must be * or a list of entity tags such as \"v3\": {malformed}");
        }
        var (content, problem) = await ReadBodyAsync(http.Request, cancel);
        if (problem is not null) return problem;
        // A song is kept in the same store: it is not a pattern to overwrite.
        if (await patterns.FindAsync(id, cancel) is { ContentType: SongsApi.ContentType }) return Problems.NotFound($"pattern {id}");
        var (outcome, record, over) = await patterns.UpdateAsync(id, bearer, ownerId, condition!, content!, cancel);
        if (record is not null) http.Response.Headers.ETag = PatternStore.ETagOf(record);
        return outcome switch
        {
            UpdateOutcome.OverQuota => Problems.StorageFull(over!),
            UpdateOutcome.Updated => TypedResults.Ok(new PatternVersion(id, record!.Version)),
            UpdateOutcome.NotFound => Problems.NotFound($"pattern {id}"),
            UpdateOutcome.Forbidden => Problems.Forbidden("Not your pattern", "this token is neither the pattern's owner nor its edit token; save a copy instead"),
            _ => Problems.Of(StatusCodes.Status412PreconditionFailed, ErrorCode.PreconditionFailed, "The pattern changed",
                $"it is at version {record!.Version} now ({PatternStore.ETagOf(record)}), which If-Match does not name; load it again, then save",
                new Dictionary<string, object?> { ["version"] = record.Version }),
        };
    }

    private static async Task<IResult> RenderAsync(HttpContext http, PatternStore patterns, PatternRenderer renderer, RenderLimits limits,
        RenderGate gate, RenderFiles files, string id, string? format, int? cycles, CancellationToken cancel)
    {
        var f = (format ?? "wav").ToLowerInvariant();
        var n = cycles ?? 1;
        if (f is not ("wav" or "mid" or "midi"))
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = ["format must be wav or mid"] });
        if (n < 1 || n > limits.MaxCycles)
            return Problems.Validation(new Dictionary<string, string[]> { ["cycles"] = [$"cycles must be 1–{limits.MaxCycles}"] });
        if (await patterns.FindAsync(id, cancel) is not { } record || record.ContentType == SongsApi.ContentType) return Problems.NotFound($"pattern {id}");
        if (record.ContentType != Json)
            return Problems.Of(StatusCodes.Status409Conflict, ErrorCode.EncryptedPattern, "Encrypted pattern",
                "this pattern is end-to-end encrypted; only a browser with the link's key can read it");
        var pattern = PatternJson.Read(record.Content).Pattern!;
        if (f != "wav") return TypedResults.File(MidiExport.ToBytes(pattern, n), "audio/midi", $"{id}.mid");
        if (pattern.CycleSeconds * n > limits.MaxSeconds)
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, ErrorCode.AudioBufferOverflow, "Render too long",
                $"{n} cycles last {pattern.CycleSeconds * n:0} s; a server render is at most {limits.MaxSeconds:0} s", new Dictionary<string, object?> { ["limit"] = "seconds" });
        return await RenderWavResponseAsync(http, limits, gate, files, $"{id}.wav", (file, c) => renderer.RenderWavAsync(pattern, n, file, c), cancel);
    }

    /// <summary>A WAV render as the response (patterns and songs alike): a slot per render (429 when none is free), the
    /// audio in a temporary file that goes with the response, a missing sample or a limit reached as 422.</summary>
    internal static async Task<IResult> RenderWavResponseAsync(HttpContext http, RenderLimits limits, RenderGate gate, RenderFiles files, string fileName,
        Func<Stream, CancellationToken, Task> render, CancellationToken cancel)
    {
        // A slot per render, held until the response has been sent: renders queue neither CPU nor temporary disk.
        if (gate.TryEnter(ClientId.Of(http)) is not { } slot)
        {
            http.Response.Headers.RetryAfter = "5";
            return Problems.Of(StatusCodes.Status429TooManyRequests, ErrorCode.RateLimited, "Too many renders at once",
                $"the server renders at most {limits.MaxConcurrent} patterns at once and {limits.MaxConcurrentPerClient} per client; try again in 5 s",
                new Dictionary<string, object?> { ["retryAfterSeconds"] = 5 });
        }
        http.Response.RegisterForDispose(slot);
        // Rendered into a temporary file that goes away when the response has been sent (or fails); a client that
        // stops reading is dropped (Kestrel's minimum data rate), which ends the response and the file.
        if (http.Features.Get<IHttpMinResponseDataRateFeature>() is { } rate)
            rate.MinDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(limits.MinReadBytesPerSecond, TimeSpan.FromSeconds(10));
        var file = files.Create();
        try
        {
            await render(file, cancel);
            file.Position = 0;
            return TypedResults.Stream(file, "audio/wav", fileName);
        }
        catch (SampleUnavailableException e)
        {
            await file.DisposeAsync();
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, ErrorCode.AudioDecodeFailed, "A sample is missing", e.Message);
        }
        catch (RenderLimitException e)
        {
            await file.DisposeAsync();
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, ErrorCode.AudioBufferOverflow, "Render too large", e.Message,
                new Dictionary<string, object?> { ["limit"] = e.Limit });
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>A pattern body: JSON validated by Core's reader (errors by path), or ciphertext kept as it is.</summary>
    private static async Task<(PatternBody? Content, IResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancel)
    {
        var type = request.ContentType ?? "";
        var isJson = type.StartsWith(Json, StringComparison.OrdinalIgnoreCase);
        var isCipher = type.StartsWith(Ciphertext, StringComparison.OrdinalIgnoreCase);
        if (!isJson && !isCipher)
            return (null, Problems.UnsupportedMediaType("Unsupported content", "send the pattern as application/json, or an encrypted share as application/octet-stream"));
        var limit = isJson ? PatternJson.MaxBytes : MaxCiphertextBytes;
        byte[]? body;
        try
        {
            body = await BodyReader.ReadAsync(request, limit, cancel);
        }
        catch (BadHttpRequestException e)
        {
            return (null, Problems.OfBadRequest(e));
        }
        if (body is null) return (null, Problems.TooLarge("Pattern too large", limit));
        if (isCipher)
            return body.Length < 29 // AES-GCM: 12-byte nonce + 16-byte tag + at least one byte
                ? (null, Problems.Of(StatusCodes.Status400BadRequest, ErrorCode.InvalidPattern, "Not an encrypted pattern", "the body is too short to be AES-GCM ciphertext"))
                : (new PatternBody(Ciphertext, body, []), null);
        var read = PatternJson.Read(body);
        if (!read.Ok)
            return (null, Problems.Of(StatusCodes.Status400BadRequest, ErrorCode.InvalidPattern, "Invalid pattern",
                string.Join("; ", read.Errors.Take(5).Select(e => e.Path.Length == 0 ? e.Message : $"{e.Path}: {e.Message}")),
                new Dictionary<string, object?> { ["errors"] = read.Errors.Take(50).Select(e => new { path = e.Path, message = e.Message }) }));
        // Stored in canonical form, so what a GET returns is what Core writes.
        return (PatternBody.Of(read.Pattern!), null);
    }
}
