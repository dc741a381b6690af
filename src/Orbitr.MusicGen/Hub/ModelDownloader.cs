using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Orbitr.MusicGen.Hub;

/// <summary>Which way out a <see cref="ModelDownloadException"/> suggests to the command line.</summary>
public enum ModelDownloadExitKind
{
    /// <summary>The request itself is wrong: repo, revision, endpoint (also from HF_ENDPOINT) or token.</summary>
    Usage,

    /// <summary>The hub refused or lacks a file, the connection failed for good, or a file failed its size or checksum check.</summary>
    Network,

    /// <summary>The target folder cannot be created or written.</summary>
    Io,
}

/// <summary>A download failure the user can act on; the message is one line that says what to do.</summary>
public sealed class ModelDownloadException(string message, ModelDownloadExitKind kind, Exception? innerException = null)
    : Exception(message, innerException)
{
    public ModelDownloadExitKind Kind { get; } = kind;
}

/// <summary>What to download and where. <see cref="Endpoint"/> null means HF_ENDPOINT, else https://huggingface.co;
/// <see cref="Token"/> null means HF_TOKEN (sent as <c>Authorization: Bearer</c> to the endpoint's own host only).</summary>
public sealed record ModelPullOptions
{
    public const string DefaultRepo = "Xenova/musicgen-small";
    public const string DefaultRevision = "main";
    public static Uri DefaultEndpoint { get; } = new("https://huggingface.co");

    public string Repo { get; init; } = DefaultRepo;
    public string Revision { get; init; } = DefaultRevision;
    public bool Quantized { get; init; }
    public Uri? Endpoint { get; init; }
    public string? Token { get; init; }
    public required string Directory { get; init; }
}

/// <summary>One file of the export, by its path in the repo (and in the target folder).</summary>
public sealed record ModelFile(string Path, bool Required);

public enum DownloadState
{
    /// <summary>Bytes are arriving (reported about every 64 KiB; <see cref="DownloadProgress.BytesDone"/> includes resumed bytes).</summary>
    Downloading,

    /// <summary>The connection failed or the file failed its check; another attempt follows.</summary>
    Retrying,

    /// <summary>The whole body is on disk; its size and checksum are being checked.</summary>
    Verifying,

    /// <summary>Checked and in place under its final name.</summary>
    Done,

    /// <summary>Already present with the right size and checksum: nothing downloaded.</summary>
    UpToDate,

    /// <summary>An optional file the repo does not have (404): skipped.</summary>
    NotInRepo,
}

public sealed record DownloadProgress(string File, long BytesDone, long? BytesTotal, DownloadState State = DownloadState.Downloading);

public enum ModelFileOutcome { Downloaded, UpToDate, NotInRepo }

public sealed record ModelFileResult(string Path, ModelFileOutcome Outcome, long Bytes);

public sealed record ModelPullResult(string Directory, Uri Endpoint, string Repo, string Revision, IReadOnlyList<ModelFileResult> Files);

/// <summary>Downloads MusicGen's ONNX export (config, tokenizer, three ONNX graphs) from a Hugging Face-compatible endpoint,
/// the way huggingface_hub does: a HEAD without following redirects gives the expected size and checksum
/// (<c>X-Linked-Size</c>/<c>X-Linked-Etag</c> for LFS files, which redirect to a CDN; <c>Content-Length</c>/<c>ETag</c> otherwise),
/// then a GET (redirects followed) writes <c>{file}.part</c>, resumed with a Range request after a dropped connection or an
/// interrupted run, checked (SHA-256 for a 64-hex etag, git blob SHA-1 for a 40-hex one) and only then renamed to its final name.</summary>
public sealed class ModelDownloader : IDisposable
{
    private const int ProgressStep = 64 * 1024;
    private const int MaxRedirects = 10;
    private readonly HttpClient _http;
    private readonly Func<string, string?> _environment;

    /// <param name="handler">For tests; it must not follow redirects. Null: an <see cref="HttpClientHandler"/> with
    /// <c>AllowAutoRedirect = false</c>.</param>
    /// <param name="environment">Reads HF_ENDPOINT and HF_TOKEN; null: the process environment.</param>
    public ModelDownloader(HttpMessageHandler? handler = null, Func<string, string?>? environment = null)
    {
        _http = handler is null
            ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        // Our own timeouts: one for the answer's headers, one for silence between body reads (a whole 1.5 GB file has none).
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("orbitr-model-pull", "0.1"));
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>Retries after a failed connection or server error while downloading a file's body (each resumes from the
    /// bytes already written) before giving up; the .part is kept for the next run. A HEAD is retried at most twice.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The n-th retry waits n times this.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for an answer's headers, and for the next bytes of a body.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The files of the export: required ones first, then optional ones (a 404 is fine).</summary>
    public static IReadOnlyList<ModelFile> Files(bool quantized)
    {
        var suffix = quantized ? "_quantized" : "";
        return
        [
            new("config.json", true),
            new("generation_config.json", true),
            new("tokenizer.json", true),
            new("tokenizer_config.json", true),
            new($"onnx/text_encoder{suffix}.onnx", true),
            new($"onnx/decoder_model_merged{suffix}.onnx", true),
            new($"onnx/encodec_decode{suffix}.onnx", true),
            new("spiece.model", false),
            new("special_tokens_map.json", false),
            new("preprocessor_config.json", false),
        ];
    }

    /// <summary>"owner/name", each part letters, digits, '-', '_' or '.' (not starting with '.').</summary>
    public static bool IsValidRepo(string? repo)
    {
        if (string.IsNullOrEmpty(repo)) return false;
        var parts = repo.Split('/');
        return parts.Length == 2 && parts.All(p => p.Length is > 0 and <= 96 && p[0] != '.' && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
    }

    /// <summary><c>{endpoint}/{owner}/{name}/resolve/{revision}/{path}</c>, each segment escaped.</summary>
    public static Uri FileUrl(Uri endpoint, string repo, string revision, string path)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(path);
        var root = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri($"{root}/{Escape(repo)}/resolve/{Uri.EscapeDataString(revision)}/{Escape(path)}");

        static string Escape(string segments) => string.Join('/', segments.Split('/').Select(Uri.EscapeDataString));
    }

    /// <summary>The endpoint to use: the option, else HF_ENDPOINT, else https://huggingface.co. Not http(s): a usage error.</summary>
    public Uri ResolveEndpoint(ModelPullOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoint is { } given) return CheckEndpoint(given.OriginalString, "the endpoint");
        var fromEnvironment = _environment("HF_ENDPOINT");
        return string.IsNullOrWhiteSpace(fromEnvironment) ? ModelPullOptions.DefaultEndpoint : CheckEndpoint(fromEnvironment.Trim(), "HF_ENDPOINT");
    }

    /// <summary>The token to send: the option, else HF_TOKEN; blank means none.</summary>
    public string? ResolveToken(ModelPullOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var token = options.Token ?? _environment("HF_TOKEN");
        if (string.IsNullOrWhiteSpace(token)) return null;
        token = token.Trim();
        if (!token.All(c => c is > ' ' and < (char)127))
            throw new ModelDownloadException("HF_TOKEN holds characters an access token cannot have (spaces or non-ASCII); copy the token again from your Hugging Face settings", ModelDownloadExitKind.Usage);
        return token;
    }

    public async Task<ModelPullResult> PullAsync(ModelPullOptions options, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsValidRepo(options.Repo))
            throw new ModelDownloadException($"the repo must be \"owner/name\" such as {ModelPullOptions.DefaultRepo}, not \"{options.Repo}\"", ModelDownloadExitKind.Usage);
        if (string.IsNullOrWhiteSpace(options.Revision) || options.Revision.Any(char.IsControl))
            throw new ModelDownloadException($"the revision must be a branch, tag or commit such as {ModelPullOptions.DefaultRevision}, not \"{options.Revision}\"", ModelDownloadExitKind.Usage);
        if (string.IsNullOrWhiteSpace(options.Directory))
            throw new ModelDownloadException("the target folder is empty", ModelDownloadExitKind.Usage);
        var job = new Job(ResolveEndpoint(options), ResolveToken(options), options.Repo, options.Revision, Path.GetFullPath(options.Directory), progress);
        var results = new List<ModelFileResult>();
        foreach (var file in Files(options.Quantized))
            results.Add(await PullFileAsync(job, file, cancellationToken).ConfigureAwait(false));
        return new ModelPullResult(job.Directory, job.Endpoint, job.Repo, job.Revision, results);
    }

    public void Dispose() => _http.Dispose();

    private async Task<ModelFileResult> PullFileAsync(Job job, ModelFile file, CancellationToken ct)
    {
        var remote = await HeadWithRetriesAsync(job, file, ct).ConfigureAwait(false);
        if (remote is null)
        {
            job.Report(file, 0, null, DownloadState.NotInRepo);
            return new ModelFileResult(file.Path, ModelFileOutcome.NotInRepo, 0);
        }
        var target = Path.Combine(job.Directory, file.Path.Replace('/', Path.DirectorySeparatorChar));
        var part = target + ".part";
        CreateDirectory(Path.GetDirectoryName(target)!);

        if (remote.Verifiable && File.Exists(target) && await CheckAsync(target, remote, ct).ConfigureAwait(false) is null)
        {
            var length = FileLength(target);
            job.Report(file, length, length, DownloadState.UpToDate);
            return new ModelFileResult(file.Path, ModelFileOutcome.UpToDate, length);
        }

        var failures = 0;
        var freshRetryUsed = false;
        string? lastProblem = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var have = FileLength(part);
            if (remote.Size is { } expected && have > expected)
            {
                DeleteFile(part);
                have = 0;
            }
            if (remote.Size is not { } size || have < size)
            {
                try
                {
                    await DownloadOnceAsync(job, file, part, remote, ct).ConfigureAwait(false);
                }
                catch (TransientException e)
                {
                    lastProblem = e.Message;
                    await BackOffAsync().ConfigureAwait(false);
                    continue;
                }
            }

            job.Report(file, FileLength(part), remote.Size, DownloadState.Verifying);
            var mismatch = await CheckAsync(part, remote, ct).ConfigureAwait(false);
            if (mismatch is null)
            {
                try
                {
                    File.Move(part, target, overwrite: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ModelDownloadException($"cannot move {part} to {target}: {e.Message}", ModelDownloadExitKind.Io, e);
                }
                var length = FileLength(target);
                job.Report(file, length, length, DownloadState.Done);
                return new ModelFileResult(file.Path, ModelFileOutcome.Downloaded, length);
            }
            if (mismatch.Short)
            {
                // The body ended cleanly but early: resume like after a dropped connection.
                lastProblem = $"the answer ended after {mismatch.Actual} of {mismatch.Expected} bytes";
                await BackOffAsync().ConfigureAwait(false);
                continue;
            }
            DeleteFile(part);
            var problem = $"{file.Path} from {job.Repo}@{job.Revision} failed its {mismatch.What} check: expected {mismatch.Expected}, got {mismatch.Actual}";
            if (freshRetryUsed)
                throw new ModelDownloadException($"{problem} (downloaded twice; the partial file was deleted)", ModelDownloadExitKind.Network);
            freshRetryUsed = true;
            job.Report(file, 0, remote.Size, DownloadState.Retrying);
        }

        async Task BackOffAsync()
        {
            failures++;
            if (failures > MaxRetries)
            {
                var kept = FileLength(part);
                var total = remote.Size is { } s ? s.ToString(CultureInfo.InvariantCulture) : "?";
                throw new ModelDownloadException(
                    $"the download of {file.Path} failed {failures} times ({lastProblem}); {kept.ToString(CultureInfo.InvariantCulture)} of {total} bytes are kept in {part} and the next run resumes from there",
                    ModelDownloadExitKind.Network);
            }
            job.Report(file, FileLength(part), remote.Size, DownloadState.Retrying);
            await Task.Delay(RetryDelay * failures, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Expected size and checksum, or null for an optional file the repo does not have. Fewer retries than for a
    /// body: a host that does not answer at all is usually down or mistyped, and the user should hear it quickly.</summary>
    private async Task<Remote?> HeadWithRetriesAsync(Job job, ModelFile file, CancellationToken ct)
    {
        var maxRetries = Math.Min(MaxRetries, 2);
        for (var failures = 0; ; failures++)
        {
            try
            {
                return await HeadAsync(job, file, ct).ConfigureAwait(false);
            }
            catch (TransientException e)
            {
                if (failures >= maxRetries)
                    throw new ModelDownloadException($"cannot get {file.Path} from {job.Endpoint} ({e.Message}); check the connection (or HF_ENDPOINT) and run again", ModelDownloadExitKind.Network, e);
                await Task.Delay(RetryDelay * (failures + 1), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<Remote?> HeadAsync(Job job, ModelFile file, CancellationToken ct)
    {
        var url = FileUrl(job.Endpoint, job.Repo, job.Revision, file.Path);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var response = await SendAsync(job, HttpMethod.Head, url, 0, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
                return new Remote(LinkedSize(response) ?? response.Content.Headers.ContentLength, Etag(response, "X-Linked-Etag") ?? Etag(response, "ETag"));
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                // An LFS file redirects to its CDN and says here what it is; a renamed repo redirects to its new name.
                var linkedSize = LinkedSize(response);
                var linkedEtag = Etag(response, "X-Linked-Etag");
                if (linkedSize is not null || linkedEtag is not null) return new Remote(linkedSize, linkedEtag ?? Etag(response, "ETag"));
                url = new Uri(url, location);
                continue;
            }
            if (status == 404 && !file.Required) return null;
            throw StatusFailure(job, file, response);
        }
        throw new ModelDownloadException($"{file.Path}: more than {MaxRedirects} redirects from {job.Endpoint}", ModelDownloadExitKind.Network);
    }

    /// <summary>One GET into the .part (appended after a 206, restarted after a 200). Throws <see cref="TransientException"/>
    /// when the connection fails; what arrived before stays on disk.</summary>
    private async Task DownloadOnceAsync(Job job, ModelFile file, string part, Remote remote, CancellationToken ct)
    {
        var have = FileLength(part);
        var url = FileUrl(job.Endpoint, job.Repo, job.Revision, file.Path);
        HttpResponseMessage? response = null;
        try
        {
            for (var hop = 0; ; hop++)
            {
                response = await SendAsync(job, HttpMethod.Get, url, have, ct).ConfigureAwait(false);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop == MaxRedirects)
                        throw new ModelDownloadException($"{file.Path}: more than {MaxRedirects} redirects from {job.Endpoint}", ModelDownloadExitKind.Network);
                    url = new Uri(url, location);
                    response.Dispose();
                    response = null;
                    continue;
                }
                break;
            }

            bool append;
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var from = response.Content.Headers.ContentRange?.From ?? have;
                if (from != have)
                {
                    DeleteFile(part);
                    throw new TransientException($"the server resumed at byte {from} instead of {have}");
                }
                append = have > 0;
            }
            else if (response.StatusCode == HttpStatusCode.OK)
                append = false;
            else if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                DeleteFile(part);
                throw new TransientException($"the server could not resume at byte {have}");
            }
            else
                throw StatusFailure(job, file, response);

            var done = append ? have : 0;
            var total = remote.Size ?? (response.Content.Headers.ContentLength is { } length ? done + length : null);
            await CopyBodyAsync(job, file, response, part, append, done, total, ct).ConfigureAwait(false);
        }
        finally
        {
            response?.Dispose();
        }
    }

    private async Task CopyBodyAsync(Job job, ModelFile file, HttpResponseMessage response, string part, bool append, long done, long? total, CancellationToken ct)
    {
        FileStream output;
        try
        {
            output = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelDownloadException($"cannot write {part}: {e.Message}", ModelDownloadExitKind.Io, e);
        }
        await using (output.ConfigureAwait(false))
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Stream body;
            try
            {
                body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new TransientException($"the connection dropped: {e.Message}", e);
            }
            await using (body.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                var reported = done;
                job.Report(file, done, total, DownloadState.Downloading);
                while (true)
                {
                    int read;
                    ct.ThrowIfCancellationRequested();
                    idle.CancelAfter(ResponseTimeout);
                    try
                    {
                        read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        throw new TransientException($"no data for {ResponseTimeout.TotalSeconds:0} s after byte {done}");
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException)
                    {
                        throw new TransientException($"the connection dropped after byte {done}: {e.Message}", e);
                    }
                    if (read == 0) break;
                    try
                    {
                        await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    }
                    catch (IOException e)
                    {
                        throw new ModelDownloadException($"cannot write {part}: {e.Message}", ModelDownloadExitKind.Io, e);
                    }
                    done += read;
                    if (done - reported >= ProgressStep)
                    {
                        job.Report(file, done, total, DownloadState.Downloading);
                        reported = done;
                    }
                }
                if (reported != done) job.Report(file, done, total, DownloadState.Downloading);
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Job job, HttpMethod method, Uri url, long rangeFrom, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        // The token is for the hub; a CDN gets a signed address instead, and another host must not see it.
        if (job.Token is not null && Uri.Compare(url, job.Endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", job.Token);
        if (rangeFrom > 0) request.Headers.Range = new RangeHeaderValue(rangeFrom, null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ResponseTimeout);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TransientException($"no answer from {url.Authority} within {ResponseTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            throw new ModelDownloadException($"cannot find the host {url.Host} ({e.Message}); check the endpoint (or HF_ENDPOINT) and the connection", ModelDownloadExitKind.Network, e);
        }
        catch (HttpRequestException e)
        {
            throw new TransientException(e.Message, e);
        }
    }

    /// <summary>Turns an error answer into what the user should do (or a retry for a passing server problem).</summary>
    private static Exception StatusFailure(Job job, ModelFile file, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var what = $"{status} {response.ReasonPhrase}".TrimEnd();
        var code = response.Headers.TryGetValues("X-Error-Code", out var codes) ? codes.FirstOrDefault() : null;
        switch (status)
        {
            case 401 or 403:
                return new ModelDownloadException(job.Token is null
                    ? $"{job.Endpoint} refused {file.Path} of {job.Repo}@{job.Revision} ({what}): the repo may be gated or private (or not exist); set HF_TOKEN to a Hugging Face access token that can read it"
                    : $"{job.Endpoint} refused {file.Path} of {job.Repo}@{job.Revision} ({what}) with the token in HF_TOKEN: check that it can read the repo (and that the model's terms are accepted on its page)",
                    ModelDownloadExitKind.Network);
            case 404:
                return new ModelDownloadException(code switch
                {
                    "RepoNotFound" => $"{file.Path}: the repo {job.Repo} does not exist on {job.Endpoint} (or is private: set HF_TOKEN)",
                    "RevisionNotFound" => $"{file.Path}: {job.Repo} has no revision \"{job.Revision}\"",
                    _ => $"{file.Path} is not in {job.Repo} at revision {job.Revision} on {job.Endpoint}; is this a MusicGen ONNX export such as {ModelPullOptions.DefaultRepo}?",
                }, ModelDownloadExitKind.Network);
            case 408 or 429 or >= 500:
                return new TransientException($"{job.Endpoint} answered {what} for {file.Path}");
            default:
                return new ModelDownloadException($"{job.Endpoint} answered {what} for {file.Path} of {job.Repo}@{job.Revision}", ModelDownloadExitKind.Network);
        }
    }

    /// <summary>Null when the file matches; else what differs. Short: a size below the expected one (resumable).</summary>
    private static async Task<Mismatch?> CheckAsync(string path, Remote remote, CancellationToken ct)
    {
        var length = FileLength(path);
        if (remote.Size is { } size && length != size)
            return new Mismatch("size", $"{size.ToString(CultureInfo.InvariantCulture)} bytes", $"{length.ToString(CultureInfo.InvariantCulture)} bytes", length < size);
        if (remote.Checksum is not { } kind) return null;
        var actual = await HashAsync(path, kind, ct).ConfigureAwait(false);
        return actual == remote.Etag ? null : new Mismatch(kind == ChecksumKind.Sha256 ? "SHA-256" : "git SHA-1", remote.Etag!, actual, false);
    }

    private static async Task<string> HashAsync(string path, ChecksumKind kind, CancellationToken ct)
    {
        try
        {
            var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await using (input.ConfigureAwait(false))
            {
                if (kind == ChecksumKind.Sha256)
                    return Convert.ToHexStringLower(await SHA256.HashDataAsync(input, ct).ConfigureAwait(false));
                // git's object id of a file: SHA-1 of "blob {length}\0" and the content (not a security check: it is what the hub gives).
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
                hash.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {input.Length}\0")));
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    hash.AppendData(buffer, 0, read);
                return Convert.ToHexStringLower(hash.GetHashAndReset());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelDownloadException($"cannot read {path}: {e.Message}", ModelDownloadExitKind.Io, e);
        }
    }

    private static long? LinkedSize(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Linked-Size", out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null;

    /// <summary>The header's etag without <c>W/</c> and quotes, lower-case; null when absent.</summary>
    private static string? Etag(HttpResponseMessage response, string header)
    {
        if (!response.Headers.TryGetValues(header, out var values)) return null;
        var etag = values.FirstOrDefault()?.Trim();
        if (etag is null) return null;
        if (etag.StartsWith("W/", StringComparison.OrdinalIgnoreCase)) etag = etag[2..];
        etag = etag.Trim().Trim('"');
        return etag.Length == 0 ? null : etag.ToLowerInvariant();
    }

    private static long FileLength(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelDownloadException($"cannot read {path}: {e.Message}", ModelDownloadExitKind.Io, e);
        }
    }

    private static void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelDownloadException($"cannot delete {path}: {e.Message}", ModelDownloadExitKind.Io, e);
        }
    }

    private static void CreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ModelDownloadException($"cannot create the folder {path}: {e.Message}", ModelDownloadExitKind.Io, e);
        }
    }

    private static Uri CheckEndpoint(string text, string source)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0) return uri;
        throw new ModelDownloadException($"{source} must be an http(s) address such as https://huggingface.co, not {text}", ModelDownloadExitKind.Usage);
    }

    private enum ChecksumKind { Sha256, GitSha1 }

    private sealed record Remote(long? Size, string? Etag)
    {
        public ChecksumKind? Checksum { get; } = Etag is null || !Etag.All(char.IsAsciiHexDigit) ? null
            : Etag.Length == 64 ? ChecksumKind.Sha256
            : Etag.Length == 40 ? ChecksumKind.GitSha1
            : null;

        /// <summary>Whether a file on disk can be recognised as this one without downloading it again.</summary>
        public bool Verifiable => Size is not null || Checksum is not null;
    }

    private sealed record Mismatch(string What, string Expected, string Actual, bool Short);

    private sealed record Job(Uri Endpoint, string? Token, string Repo, string Revision, string Directory, IProgress<DownloadProgress>? Progress)
    {
        public void Report(ModelFile file, long done, long? total, DownloadState state) =>
            Progress?.Report(new DownloadProgress(file.Path, done, total, state));
    }

    /// <summary>A connection problem worth another attempt; never escapes the downloader.</summary>
    private sealed class TransientException(string message, Exception? innerException = null) : Exception(message, innerException);
}
