using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orbitr.Contracts;
using Orbitr.Web.State;

namespace Orbitr.Web.Api;

/// <summary>A failed call: the design's code (3001 offline, 3002 timeout, or the server's), a message for the user,
/// the HTTP status (0 when the server was not reached) and, for 429, when to try again.</summary>
public sealed record ApiProblem(int Code, string Title, string Detail, int Status = 0, int? RetryAfterSeconds = null);

public readonly record struct ApiResult<T>(T? Value, ApiProblem? Problem, HttpStatusCode Status = HttpStatusCode.OK)
{
    public bool Ok => Problem is null;
}

/// <summary>The Orbitr server's HTTP API as the browser app uses it. Never throws for network or server errors:
/// every failure comes back as an <see cref="ApiProblem"/> with a code the UI can show.</summary>
public sealed class OrbitrApiClient(HttpClient http, OwnerSession owner)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public Task<ApiResult<GenerationDto>> GenerateAsync(GenerationRequest body) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "api/generations")
        { Content = JsonContent.Create(body, OrbitrJsonContext.Default.GenerationRequest) }, OrbitrJsonContext.Default.GenerationDto, asOwner: true);

    /// <summary>A kit from one prompt: seven matched sounds queued as generations (POST /api/kits).</summary>
    public Task<ApiResult<KitDto>> GenerateKitAsync(GenerationRequest body) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "api/kits")
        { Content = JsonContent.Create(body, OrbitrJsonContext.Default.GenerationRequest) }, OrbitrJsonContext.Default.KitDto, asOwner: true);

    public Task<ApiResult<KitDto>> KitAsync(string id) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"api/kits/{Uri.EscapeDataString(id)}"), OrbitrJsonContext.Default.KitDto, asOwner: true);

    /// <summary>The generation engines the server is configured with, available or not.</summary>
    public Task<ApiResult<List<EngineDto>>> EnginesAsync() =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "api/engines"), OrbitrJsonContext.Default.ListEngineDto);

    public Task<ApiResult<GenerationDto>> GenerationAsync(string id) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"api/generations/{Uri.EscapeDataString(id)}"), OrbitrJsonContext.Default.GenerationDto);

    public Task<ApiResult<GenerationDto>> CancelAsync(string id) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, $"api/generations/{Uri.EscapeDataString(id)}"), OrbitrJsonContext.Default.GenerationDto, asOwner: true);

    public Task<ApiResult<SamplePage>> SamplesAsync(string? search) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"api/samples?pageSize=100{(string.IsNullOrWhiteSpace(search) ? "" : "&q=" + Uri.EscapeDataString(search))}"),
            OrbitrJsonContext.Default.SamplePage, asOwner: true);

    public Task<ApiResult<SampleDto>> SampleAsync(string id) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"api/samples/{Uri.EscapeDataString(id)}"), OrbitrJsonContext.Default.SampleDto);

    public async Task<ApiResult<bool>> DeleteSampleAsync(string id)
    {
        var r = await SendAsync<ProblemBody>(() => new HttpRequestMessage(HttpMethod.Delete, $"api/samples/{Uri.EscapeDataString(id)}"), null, asOwner: true);
        return new(r.Ok, r.Problem, r.Status);
    }

    public Task<ApiResult<SampleDto>> UploadAsync(string fileName, byte[] bytes) =>
        SendAsync(() =>
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", fileName);
            return new HttpRequestMessage(HttpMethod.Post, "api/samples") { Content = form };
        }, OrbitrJsonContext.Default.SampleDto, asOwner: true);

    public async Task<ApiResult<byte[]>> SampleAudioAsync(string id)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await http.GetAsync($"api/samples/{Uri.EscapeDataString(id)}/audio", cts.Token);
            if (!response.IsSuccessStatusCode) return new(null, await ProblemOf(response), response.StatusCode);
            return new(await response.Content.ReadAsByteArrayAsync(cts.Token), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new(null, Unreachable(e));
        }
    }

    /// <summary>POST (new) or PUT (with the owner's token and the version last seen) a pattern body. A PUT answers
    /// only the new version: the result carries the id and token it was sent with.</summary>
    public async Task<ApiResult<SavedPattern>> SavePatternAsync(byte[] body, string contentType, string? id = null, string? editToken = null, int? version = null)
    {
        Func<HttpRequestMessage> create = () =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            var request = new HttpRequestMessage(id is null ? HttpMethod.Post : HttpMethod.Put, id is null ? "api/patterns" : $"api/patterns/{Uri.EscapeDataString(id)}") { Content = content };
            if (editToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", editToken);
            if (version is not null) request.Headers.TryAddWithoutValidation("If-Match", $"\"v{version}\"");
            return request;
        };
        if (id is null) return await SendAsync(create, OrbitrJsonContext.Default.SavedPattern, asOwner: editToken is null);
        var r = await SendAsync(create, OrbitrJsonContext.Default.PatternVersion, asOwner: editToken is null);
        return new(r.Value is { } v ? new SavedPattern(v.Id, editToken ?? "", v.Version, $"/p/{v.Id}") : null, r.Problem, r.Status);
    }

    /// <summary>What the owner stores against its quota; with <paramref name="token"/>, for that owner (to check a pasted key).</summary>
    public Task<ApiResult<OwnerUsageDto>> OwnerUsageAsync(string? token = null) => token is null
        ? SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "api/owners/me"), OrbitrJsonContext.Default.OwnerUsageDto, asOwner: true)
        : SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "api/owners/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }, OrbitrJsonContext.Default.OwnerUsageDto);

    /// <summary>Deletes everything the owner stored on the server (its token stops working).</summary>
    public async Task<ApiResult<bool>> DeleteOwnerAsync()
    {
        if (await owner.TokenAsync() is null) return new(true, null); // nothing was ever stored
        var r = await SendAsync<ProblemBody>(() => new HttpRequestMessage(HttpMethod.Delete, "api/owners/me"), null, asOwner: true);
        return new(r.Ok, r.Problem, r.Status);
    }

    /// <summary>A saved pattern's bytes and content type.</summary>
    public async Task<ApiResult<(byte[] Body, string ContentType, int Version)>> LoadPatternAsync(string id)
    {
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            using var response = await http.GetAsync($"api/patterns/{Uri.EscapeDataString(id)}", cts.Token);
            if (!response.IsSuccessStatusCode) return new(default, await ProblemOf(response), response.StatusCode);
            var etag = response.Headers.ETag?.Tag ?? "\"v1\"";
            var version = int.TryParse(etag.Trim('"').TrimStart('v'), out var v) ? v : 1;
            return new((await response.Content.ReadAsByteArrayAsync(cts.Token), response.Content.Headers.ContentType?.MediaType ?? "", version), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new(default, Unreachable(e));
        }
    }

    /// <summary>The owner token for calls that store something: the saved one, or a new owner's (created and saved on
    /// first need, or when the server no longer knows the saved one).</summary>
    private async Task<(string? Token, ApiProblem? Problem)> OwnerTokenAsync(bool renew)
    {
        if (!renew && await owner.TokenAsync() is { } saved) return (saved, null);
        var created = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "api/owners"), OrbitrJsonContext.Default.CreatedOwner);
        if (!created.Ok || created.Value is not { Token.Length: > 0 } o) return (null, created.Problem ?? new ApiProblem(0, "No owner", "the server did not create an owner"));
        await owner.SaveAsync(o.Token);
        return (o.Token, null);
    }

    private async Task<ApiResult<T>> SendAsync<T>(Func<HttpRequestMessage> create, JsonTypeInfo<T>? type, bool asOwner)
    {
        if (!asOwner) return await SendAsync(create, type);
        var (token, problem) = await OwnerTokenAsync(renew: false);
        if (problem is not null) return new(default, problem);
        var result = await SendAsync(WithToken(create, token), type);
        if (result.Status != HttpStatusCode.Unauthorized) return result;
        // The server does not know this browser's owner (deleted, or another server's data): start a new one.
        (token, problem) = await OwnerTokenAsync(renew: true);
        return problem is not null ? new(default, problem) : await SendAsync(WithToken(create, token), type);
    }

    private static Func<HttpRequestMessage> WithToken(Func<HttpRequestMessage> create, string? token) => () =>
    {
        var request = create();
        if (token is not null && request.Headers.Authorization is null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    };

    private async Task<ApiResult<T>> SendAsync<T>(Func<HttpRequestMessage> create, JsonTypeInfo<T>? type)
    {
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            using var request = create();
            using var response = await http.SendAsync(request, cts.Token);
            if (!response.IsSuccessStatusCode) return new(default, await ProblemOf(response), response.StatusCode);
            if (type is null || response.StatusCode == HttpStatusCode.NoContent) return new(default, null, response.StatusCode);
            return new(await response.Content.ReadFromJsonAsync(type, cts.Token), null, response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new(default, Unreachable(e));
        }
        catch (JsonException)
        {
            return new(default, new ApiProblem(ErrorCodes.Offline, "The server answered strangely", "its answer was not what Orbitr expects; is this an Orbitr server?"));
        }
    }

    private static ApiProblem Unreachable(Exception e) => e is TaskCanceledException
        ? new ApiProblem(ErrorCodes.NetworkTimeout, "The server did not answer in time", "try again in a moment; everything local keeps working")
        : new ApiProblem(ErrorCodes.Offline, "The Orbitr server cannot be reached", "you are offline or the server is down; everything local keeps working");

    private static async Task<ApiProblem> ProblemOf(HttpResponseMessage response)
    {
        ProblemBody? body = null;
        try
        {
            body = await response.Content.ReadFromJsonAsync(OrbitrJsonContext.Default.ProblemBody);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
        }
        var retry = body?.RetryAfterSeconds ?? (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds;
        return new ApiProblem(body?.Code ?? 0, body?.Title ?? response.ReasonPhrase ?? "The server refused", body?.Detail ?? $"HTTP {(int)response.StatusCode}",
            (int)response.StatusCode, retry);
    }
}
