using Orbitr.Contracts;
using Orbitr.Core.Errors;
using Orbitr.Core.Midi;
using Orbitr.Core.Songs;
using Orbitr.Server.Http;
using Orbitr.Server.Owners;
using Orbitr.Server.Patterns;
using Orbitr.Server.Rendering;

namespace Orbitr.Server.Apis;

/// <summary>/api/songs (issue 25): save a song bundle (orbitr.song with its patterns inside), read it, render it to
/// WAV or MIDI on the server as <c>orbitr render song.json</c> does. Songs are kept beside patterns (the same store and
/// owner quota, their own content type), so a pattern route never returns a song nor a song route a pattern.</summary>
public static class SongsApi
{
    public const string ContentType = "application/vnd.orbitr.song+json";
    /// <summary>A bundle of up to 256 patterns fits; a request body is never larger.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapSongsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/songs");
        api.MapPost("/", CreateAsync).RequireRateLimiting(PatternsApi.SavePolicy).RequireAuthorization();
        api.MapGet("/{id}", GetAsync);
        api.MapGet("/{id}/render", RenderAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, PatternStore store, CancellationToken cancel)
    {
        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return Problems.UnsupportedMediaType("Unsupported content", "send the song bundle as application/json");
        byte[]? body;
        try
        {
            body = await BodyReader.ReadAsync(request, MaxBytes, cancel);
        }
        catch (BadHttpRequestException e)
        {
            return Problems.OfBadRequest(e);
        }
        if (body is null) return Problems.TooLarge("Song too large", MaxBytes);
        var read = SongJson.Read(body);
        if (read.Song is not { } song) return Invalid("Invalid song", read.Errors);
        if (SongBundle.Parts(song) is null)
            return Invalid("The song's patterns are not inside it",
                [.. song.Sections.Items.Select((s, i) => (s, i)).Where(x => song.Bundled(x.s.Pattern) is null)
                    .Select(x => new Core.Validation.PatternError($"sections[{x.i}].pattern", $"{x.s.Pattern} is not in the bundle: send the song with its patterns (\"patterns\", bundle:<key>)"))]);
        var samples = song.Patterns.Items.SelectMany(p => PatternBody.Of(p.Pattern).SamplesPlayed).Distinct(StringComparer.Ordinal).ToList();
        var content = System.Text.Encoding.UTF8.GetBytes(SongJson.Write(song)); // canonical, as Core writes it
        var (record, token, over) = await store.CreateAsync(new PatternBody(ContentType, content, samples), request.HttpContext.User.OwnerId(), cancel);
        if (over is not null) return Problems.StorageFull(over);
        request.HttpContext.Response.Headers.ETag = PatternStore.ETagOf(record!);
        return TypedResults.Created($"/api/songs/{record!.Id}", new SavedPattern(record.Id, token!, record.Version, $"/api/songs/{record.Id}"));
    }

    private static async Task<IResult> GetAsync(HttpContext http, PatternStore store, string id, CancellationToken cancel)
    {
        if (await store.FindAsync(id, cancel) is not { } record || record.ContentType != ContentType) return Problems.NotFound($"song {id}");
        http.Response.Headers.ETag = PatternStore.ETagOf(record);
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(record.Content, "application/json");
    }

    private static async Task<IResult> RenderAsync(HttpContext http, PatternStore store, PatternRenderer renderer, RenderLimits limits,
        RenderGate gate, RenderFiles files, string id, string? format, CancellationToken cancel)
    {
        var f = (format ?? "wav").ToLowerInvariant();
        if (f is not ("wav" or "mid" or "midi"))
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = ["format must be wav or mid"] });
        if (await store.FindAsync(id, cancel) is not { } record || record.ContentType != ContentType) return Problems.NotFound($"song {id}");
        var song = SongJson.Read(record.Content).Song!;
        var parts = SongBundle.Parts(song)!;
        if (f != "wav")
        {
            using var midi = new MemoryStream();
            MidiExport.WriteSong(parts, song.Name, midi);
            return TypedResults.File(midi.ToArray(), "audio/midi", $"{id}.mid");
        }
        var seconds = SongTimeline.TotalSeconds(parts);
        if (seconds > limits.MaxSeconds)
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, ErrorCode.AudioBufferOverflow, "Render too long",
                $"the song lasts {seconds:0} s; a server render is at most {limits.MaxSeconds:0} s", new Dictionary<string, object?> { ["limit"] = "seconds" });
        return await PatternsApi.RenderWavResponseAsync(http, limits, gate, files, $"{id}.wav", (file, c) => renderer.RenderSongWavAsync(parts, file, c), cancel);
    }

    private static IResult Invalid(string title, IReadOnlyList<Core.Validation.PatternError> errors) =>
        Problems.Of(StatusCodes.Status400BadRequest, ErrorCode.InvalidPattern, title,
            string.Join("; ", errors.Take(5).Select(e => e.Path.Length == 0 ? e.Message : $"{e.Path}: {e.Message}")),
            new Dictionary<string, object?> { ["errors"] = errors.Take(50).Select(e => new { path = e.Path, message = e.Message }) });
}
