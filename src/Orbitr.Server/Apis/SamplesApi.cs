using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Orbitr.Contracts;
using Orbitr.Core.Errors;
using Orbitr.Dsp;
using Orbitr.Server.Owners;
using Orbitr.Server.Samples;
using Orbitr.Server.Storage;
using Orbitr.Server.Telemetry;

namespace Orbitr.Server.Apis;

/// <summary>/api/samples: the library (ARCHITECTURE §4). Uploads are decoded on the server and stored as WAV.</summary>
public static class SamplesApi
{
    public const long MaxUploadBytes = 10 * 1024 * 1024;

    public static IEndpointRouteBuilder MapSamplesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/samples");
        api.MapGet("/", ListAsync).RequireAuthorization();
        api.MapGet("/{id}", GetAsync);
        // HEAD answers like GET without the body (Content-Length, ETag, Accept-Ranges).
        api.MapMethods("/{id}/audio", [HttpMethods.Get, HttpMethods.Head], AudioAsync);
        api.MapPost("/", UploadAsync).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes + 64 * 1024))
            .RequireRateLimiting(UploadPolicy).RequireAuthorization();
        api.MapDelete("/{id}", DeleteAsync).RequireAuthorization();
        return app;
    }

    public static SampleDto ToDto(SampleRecord s) => new(s.Id, s.Name, s.Prompt, s.Engine, s.DurationSeconds, s.SampleRate, s.Channels,
        s.Peaks, s.CreatedAt, $"generated:{s.Id}", $"/api/samples/{s.Id}/audio");

    public const string UploadPolicy = "uploads";

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, SampleLibrary library, string? q, int? page, int? pageSize,
        CancellationToken cancel)
    {
        var p = page ?? 1;
        var size = pageSize ?? 50;
        if (p < 1 || size < 1 || size > SampleLibrary.MaxPageSize)
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["page"] = p < 1 ? ["page starts at 1"] : [],
                ["pageSize"] = size < 1 || size > SampleLibrary.MaxPageSize ? [$"pageSize must be 1–{SampleLibrary.MaxPageSize}"] : [],
            }.Where(kv => kv.Value.Length > 0).ToDictionary());
        var (items, total) = await library.ListAsync(user.OwnerId(), q, p, size, cancel);
        return TypedResults.Ok(new SamplePage(items.Select(ToDto).ToList(), p, size, total));
    }

    private static async Task<IResult> GetAsync(SampleLibrary library, string id, CancellationToken cancel) =>
        await library.FindAsync(id, cancel) is { } s ? TypedResults.Ok(ToDto(s)) : Problems.NotFound($"sample {id}");

    // Audio never changes for an id: an ETag from its hash, a year of caching, and Range requests.
    private static async Task<IResult> AudioAsync(HttpRequest request, SampleAudioIndex index, IBlobStore blobs, IServiceProvider services, string id,
        CancellationToken cancel)
    {
        // A range in units other than bytes is ignored (RFC 9110 §14.2): the whole audio, 200.
        if (request.Headers.Range.Count > 0 &&
            (!RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var range) || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)))
            request.Headers.Remove(HeaderNames.Range);
        services.GetRequiredService<OrbitrTelemetry>().AudioRequested();
        // Known ids are answered from memory: no database context is even created on this path.
        if (!index.TryGet(id, out var s))
        {
            if (await services.GetRequiredService<SampleLibrary>().AudioAsync(id, cancel) is not { } found) return Problems.NotFound($"sample {id}");
            s = found;
        }
        var etag = new EntityTagHeaderValue($"\"{s.ContentHash}\"");
        // Files on local disk go out with sendfile, like static files; other stores stream.
        if (blobs.LocalPath(s.BlobKey) is { } path)
            return new CachedAudioResult(TypedResults.PhysicalFile(path, "audio/wav", fileDownloadName: null, lastModified: s.CreatedAt, entityTag: etag,
                enableRangeProcessing: true));
        var stream = await blobs.OpenAsync(s.BlobKey, cancel);
        if (stream is null)
        {
            index.Forget(id);
            return Problems.NotFound($"the audio of sample {id}");
        }
        return new CachedAudioResult(TypedResults.Stream(stream, "audio/wav", fileDownloadName: null, lastModified: s.CreatedAt, entityTag: etag,
            enableRangeProcessing: true));
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, OwnerStore owners, SampleLibrary library, ILoggerFactory loggers,
        CancellationToken cancel)
    {
        var ownerId = request.HttpContext.User.OwnerId();
        if (!request.HasFormContentType)
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, ErrorCode.UnsupportedAudio, "Upload a file", "send multipart/form-data with the audio in a field named \"file\"");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancel);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return e is BadHttpRequestException bad ? Problems.OfBadRequest(bad)
                : Problems.Of(StatusCodes.Status400BadRequest, ErrorCode.UnsupportedAudio, "Unreadable upload", "the multipart form could not be read (malformed or cut short)");
        }
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
        if (file is null || file.Length == 0)
            return Problems.Of(StatusCodes.Status400BadRequest, ErrorCode.UnsupportedAudio, "No file", "the form has no file (field \"file\")");
        if (file.Length > MaxUploadBytes)
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, ErrorCode.RequestTooLarge, "File too large", $"the file is {file.Length:N0} bytes; at most {MaxUploadBytes:N0}");
        // One copy of the file (at most 10 MB): the decoders read it in place and keep only what will be stored.
        var bytes = new byte[file.Length];
        await using (var s = file.OpenReadStream()) await s.ReadExactlyAsync(bytes, cancel);
        Orbitr.Dsp.Audio.AudioBuffer audio;
        try
        {
            audio = AudioDecoder.Decode(bytes);
        }
        catch (AudioDecodeException e)
        {
            // The user gets the one-line reason; a decoder library's own exception goes to the log only.
            if (e.InnerException is { } inner)
                loggers.CreateLogger(typeof(SamplesApi).FullName!).LogInformation(inner, "Upload {Name} refused: {Reason}", file.FileName, e.Message);
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, e.Code, "Not usable audio", e.Message);
        }
        var name = Path.GetFileNameWithoutExtension(file.FileName);
        SampleRecord? record = null;
        // Checked and stored in one transaction under the owner's lock: concurrent uploads cannot pass the quota together.
        if (await owners.WithinQuotaAsync(ownerId, SampleLibrary.StoredBytes(audio), async ct =>
            {
                record = await library.AddAsync(audio, string.IsNullOrWhiteSpace(name) ? "upload" : name, "upload", null, ct);
                await owners.AddNewToLibraryAsync(ownerId, record.Id, ct);
            }, cancel) is { } over)
            return Problems.StorageFull(over);
        return TypedResults.Created($"/api/samples/{record!.Id}", ToDto(record));
    }

    /// <summary>Takes the sample out of the caller's library (404 when it is not in it, whether or not it exists
    /// elsewhere); the audio goes when nobody keeps it.</summary>
    private static async Task<IResult> DeleteAsync(ClaimsPrincipal user, OwnerStore owners, DiskReserve reserve, string id, CancellationToken cancel)
    {
        var ownerId = user.OwnerId();
        // Works on a full disk too: that is when space most needs freeing.
        return await reserve.FreeingAsync(() => owners.RemoveFromLibraryAsync(ownerId, id, cancel))
            ? TypedResults.NoContent() : Problems.NotFound($"sample {id} in your library");
    }

    /// <summary>Adds Cache-Control to a stream result (the audio behind an id is immutable).</summary>
    private sealed class CachedAudioResult(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return inner.ExecuteAsync(context);
        }
    }
}
