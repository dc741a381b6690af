using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Orbitr.MusicGen.Hub;

namespace Orbitr.MusicGen.Tests.Hub;

/// <summary>The downloader against a stand-in hub on loopback that behaves like huggingface.co: ONNX (LFS) files answer
/// the resolve address with a 302 to a CDN on another origin plus X-Linked-Size/X-Linked-Etag (SHA-256), small files answer
/// with a git blob SHA-1 ETag, bodies honour Range, and a file can be cut off halfway to drop the connection.</summary>
public sealed class ModelDownloaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orbitr-hub-").FullName;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    public void Dispose()
    {
        _timeout.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static ModelDownloader Downloader(Func<string, string?>? environment = null, int maxRetries = 5) =>
        new(environment: environment ?? (_ => null)) { RetryDelay = TimeSpan.FromMilliseconds(10), ResponseTimeout = TimeSpan.FromSeconds(10), MaxRetries = maxRetries };

    private ModelPullOptions Options(FakeHub hub, bool quantized = false, string? token = null) =>
        new() { Endpoint = hub.Endpoint, Directory = _dir, Quantized = quantized, Token = token };

    private string Local(string path) => Path.Combine(_dir, path.Replace('/', Path.DirectorySeparatorChar));

    private void AssertAllPresent(FakeHub hub, bool quantized = false)
    {
        foreach (var file in ModelDownloader.Files(quantized))
        {
            if (hub.Files.TryGetValue(file.Path, out var content)) Assert.Equal(content, File.ReadAllBytes(Local(file.Path)));
            else Assert.False(File.Exists(Local(file.Path)), file.Path);
        }
        Assert.Empty(Directory.GetFiles(_dir, "*.part", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Downloads_every_file_checked_with_optional_404s_skipped_and_the_token_for_the_hub_only()
    {
        using var hub = FakeHub.WithModel();
        using var downloader = Downloader();
        var seen = new ConcurrentQueue<DownloadProgress>();

        var result = await downloader.PullAsync(Options(hub, token: "hf_secret"), new SyncProgress(seen.Enqueue), _timeout.Token);

        AssertAllPresent(hub);
        Assert.True(Directory.Exists(Path.Combine(_dir, "onnx")));
        Assert.Equal(_dir, result.Directory);
        Assert.Equal(8, result.Files.Count(f => f.Outcome == ModelFileOutcome.Downloaded)); // 7 required + special_tokens_map.json
        Assert.Equal(new[] { "spiece.model", "preprocessor_config.json" }, result.Files.Where(f => f.Outcome == ModelFileOutcome.NotInRepo).Select(f => f.Path));
        Assert.Contains(seen, p => p.File == "onnx/decoder_model_merged.onnx" && p.State == DownloadState.Done && p.BytesDone == hub.Files[p.File].Length);
        Assert.Contains(seen, p => p.File == "onnx/decoder_model_merged.onnx" && p.State == DownloadState.Downloading && p.BytesDone > 0 && p.BytesDone < p.BytesTotal);
        // The LFS files came through the redirect; the token went to the hub and never to the CDN.
        Assert.Contains(hub.Requests, r => r.Origin == "cdn" && r.Method == "GET" && r.File == "onnx/decoder_model_merged.onnx");
        Assert.All(hub.Requests.Where(r => r.Origin == "hub"), r => Assert.Equal("Bearer hf_secret", r.Header("Authorization")));
        Assert.All(hub.Requests.Where(r => r.Origin == "cdn"), r => Assert.Null(r.Header("Authorization")));

        // A second run finds everything in place and downloads nothing.
        hub.Requests.Clear();
        var again = await downloader.PullAsync(Options(hub, token: "hf_secret"), null, _timeout.Token);
        Assert.Equal(8, again.Files.Count(f => f.Outcome == ModelFileOutcome.UpToDate));
        Assert.DoesNotContain(hub.Requests, r => r.Method == "GET");
        AssertAllPresent(hub);
    }

    [Fact]
    public async Task Without_a_token_no_authorization_is_sent_and_HF_TOKEN_is_read_from_the_environment()
    {
        using var hub = FakeHub.WithModel();
        using (var anonymous = Downloader())
            await anonymous.PullAsync(Options(hub), null, _timeout.Token);
        Assert.NotEmpty(hub.Requests);
        Assert.All(hub.Requests, r => Assert.Null(r.Header("Authorization")));

        Directory.Delete(_dir, true);
        hub.Requests.Clear();
        using (var withEnvironment = Downloader(name => name == "HF_TOKEN" ? "hf_from_env" : null))
            await withEnvironment.PullAsync(Options(hub), null, _timeout.Token);
        Assert.All(hub.Requests.Where(r => r.Origin == "hub"), r => Assert.Equal("Bearer hf_from_env", r.Header("Authorization")));
        AssertAllPresent(hub);
    }

    [Fact]
    public async Task A_connection_dropped_mid_file_resumes_with_a_range_request()
    {
        using var hub = FakeHub.WithModel();
        const string decoder = "onnx/decoder_model_merged.onnx";
        hub.DropGets[decoder] = 1; // the first GET sends half the body, then closes the socket
        using var downloader = Downloader();

        var seen = new ConcurrentQueue<DownloadProgress>();
        await downloader.PullAsync(Options(hub), new SyncProgress(seen.Enqueue), _timeout.Token);

        var gets = hub.Requests.Where(r => r.Origin == "cdn" && r.Method == "GET" && r.File == decoder).ToList();
        Assert.Equal(2, gets.Count);
        Assert.Null(gets[0].Header("Range"));
        var half = hub.Files[decoder].Length / 2;
        Assert.Equal($"bytes={half}-", gets[1].Header("Range"));
        Assert.Contains(seen, p => p.File == decoder && p.State == DownloadState.Retrying && p.BytesDone == half);
        AssertAllPresent(hub);
    }

    [Fact]
    public async Task An_interrupted_run_leaves_only_a_part_file_and_the_next_run_resumes_from_it()
    {
        using var hub = FakeHub.WithModel();
        const string decoder = "onnx/decoder_model_merged.onnx";
        hub.DropGets[decoder] = int.MaxValue; // every GET is cut off halfway

        using (var downloader = Downloader(maxRetries: 2))
        {
            var e = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync(Options(hub), null, _timeout.Token));
            Assert.Equal(ModelDownloadExitKind.Network, e.Kind);
            Assert.Contains(decoder, e.Message);
            Assert.Contains("resumes", e.Message);
        }
        Assert.False(File.Exists(Local(decoder)));
        var part = new FileInfo(Local(decoder) + ".part");
        Assert.True(part.Exists);
        var kept = part.Length;
        Assert.InRange(kept, 1, hub.Files[decoder].Length - 1);
        Assert.Equal(hub.Files[decoder].AsSpan(0, (int)kept).ToArray(), File.ReadAllBytes(part.FullName));
        // Three attempts (first + 2 retries), each resuming where the previous one stopped.
        Assert.Equal(3, hub.Requests.Count(r => r.Origin == "cdn" && r.Method == "GET" && r.File == decoder));
        Assert.False(File.Exists(Local("onnx/encodec_decode.onnx")));

        hub.DropGets.Clear();
        hub.Requests.Clear();
        using (var downloader = Downloader())
            await downloader.PullAsync(Options(hub), null, _timeout.Token);
        var get = Assert.Single(hub.Requests, r => r.Origin == "cdn" && r.Method == "GET" && r.File == decoder);
        Assert.Equal($"bytes={kept}-", get.Header("Range"));
        AssertAllPresent(hub);
    }

    [Theory]
    [InlineData("onnx/text_encoder.onnx", "SHA-256")]
    [InlineData("tokenizer.json", "git SHA-1")]
    public async Task A_wrong_checksum_fails_naming_the_file_after_one_fresh_retry_and_leaves_no_file(string path, string kind)
    {
        using var hub = FakeHub.WithModel();
        var wrong = kind == "SHA-256" ? FakeHub.Sha256(Encoding.UTF8.GetBytes("something else")) : FakeHub.GitSha1(Encoding.UTF8.GetBytes("something else"));
        hub.AdvertisedEtag[path] = wrong;
        using var downloader = Downloader();

        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync(Options(hub), null, _timeout.Token));

        Assert.Contains(path, e.Message);
        Assert.Contains(kind, e.Message);
        Assert.Contains(wrong, e.Message);
        var actual = kind == "SHA-256" ? FakeHub.Sha256(hub.Files[path]) : FakeHub.GitSha1(hub.Files[path]);
        Assert.Contains(actual, e.Message);
        Assert.False(File.Exists(Local(path)));
        Assert.False(File.Exists(Local(path) + ".part"));
        Assert.Equal(2, hub.Requests.Count(r => r.Method == "GET" && r.File == path && r.Origin == (path.EndsWith(".onnx", StringComparison.Ordinal) ? "cdn" : "hub")));
    }

    [Fact]
    public async Task A_passing_server_error_is_retried_and_a_lasting_one_fails_with_a_clear_message()
    {
        using var hub = FakeHub.WithModel();
        hub.FailingHeads = 2;
        using var downloader = Downloader();
        await downloader.PullAsync(Options(hub), null, _timeout.Token);
        AssertAllPresent(hub);
        Assert.Equal(3, hub.Requests.Count(r => r.Method == "HEAD" && r.File == "config.json"));

        Directory.Delete(_dir, true);
        hub.FailingHeads = 1000;
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync(Options(hub), null, _timeout.Token));
        Assert.Equal(ModelDownloadExitKind.Network, e.Kind);
        Assert.Contains("config.json", e.Message);
        Assert.Contains("503", e.Message);
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public async Task A_missing_required_file_fails_naming_it_and_the_repo()
    {
        using var hub = FakeHub.WithModel();
        hub.Files.TryRemove("onnx/encodec_decode.onnx", out _);
        using var downloader = Downloader();

        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync(Options(hub), null, _timeout.Token));

        Assert.Equal(ModelDownloadExitKind.Network, e.Kind);
        Assert.Contains("onnx/encodec_decode.onnx", e.Message);
        Assert.Contains("Xenova/musicgen-small", e.Message);
        Assert.Contains("main", e.Message);
        Assert.False(File.Exists(Local("onnx/encodec_decode.onnx")));
        Assert.True(File.Exists(Local("onnx/decoder_model_merged.onnx")));
    }

    [Fact]
    public async Task A_refused_request_says_to_set_HF_TOKEN_and_the_right_token_gets_through()
    {
        using var hub = FakeHub.WithModel();
        hub.RequiredToken = "hf_gated";
        using var downloader = Downloader();

        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync(Options(hub), null, _timeout.Token));
        Assert.Contains("HF_TOKEN", e.Message);
        Assert.Contains("401", e.Message);
        Assert.Empty(Directory.GetFiles(_dir, "*", SearchOption.AllDirectories));

        var wrong = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync(Options(hub, token: "hf_other"), null, _timeout.Token));
        Assert.Contains("HF_TOKEN", wrong.Message);

        await downloader.PullAsync(Options(hub, token: "hf_gated"), null, _timeout.Token);
        AssertAllPresent(hub);
    }

    [Fact]
    public async Task Quantized_downloads_the_quantized_graphs()
    {
        using var hub = FakeHub.WithModel(quantized: true);
        using var downloader = Downloader();

        var result = await downloader.PullAsync(Options(hub, quantized: true), null, _timeout.Token);

        foreach (var name in new[] { "text_encoder", "decoder_model_merged", "encodec_decode" })
        {
            Assert.Equal(hub.Files[$"onnx/{name}_quantized.onnx"], File.ReadAllBytes(Local($"onnx/{name}_quantized.onnx")));
            Assert.False(File.Exists(Local($"onnx/{name}.onnx")));
        }
        Assert.Contains(result.Files, f => f.Path == "onnx/decoder_model_merged_quantized.onnx" && f.Outcome == ModelFileOutcome.Downloaded);
        AssertAllPresent(hub, quantized: true);
    }

    [Fact]
    public async Task The_endpoint_comes_from_HF_ENDPOINT_when_none_is_given()
    {
        using var hub = FakeHub.WithModel();
        using var downloader = Downloader(name => name == "HF_ENDPOINT" ? hub.Endpoint.ToString() : null);
        var options = new ModelPullOptions { Directory = _dir };
        Assert.Equal(hub.Endpoint, downloader.ResolveEndpoint(options));

        var result = await downloader.PullAsync(options, null, _timeout.Token);

        Assert.Equal(hub.Endpoint, result.Endpoint);
        AssertAllPresent(hub);
        using var plain = Downloader();
        Assert.Equal(new Uri("https://huggingface.co"), plain.ResolveEndpoint(options));
        using var bad = Downloader(name => name == "HF_ENDPOINT" ? "ftp://mirror" : null);
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => bad.PullAsync(options, null, _timeout.Token));
        Assert.Equal(ModelDownloadExitKind.Usage, e.Kind);
        Assert.Contains("HF_ENDPOINT", e.Message);
    }

    [Fact]
    public async Task A_changed_file_is_downloaded_again_and_a_complete_part_is_just_checked()
    {
        using var hub = FakeHub.WithModel();
        using var downloader = Downloader();
        await downloader.PullAsync(Options(hub), null, _timeout.Token);

        var config = Local("config.json");
        File.WriteAllText(config, "{\"stale\": true}");
        const string encodec = "onnx/encodec_decode.onnx";
        File.Delete(Local(encodec));
        File.WriteAllBytes(Local(encodec) + ".part", hub.Files[encodec]); // a run stopped between the download and the rename
        hub.Requests.Clear();

        var result = await downloader.PullAsync(Options(hub), null, _timeout.Token);

        Assert.Equal(ModelFileOutcome.Downloaded, result.Files.Single(f => f.Path == "config.json").Outcome);
        Assert.Equal(ModelFileOutcome.Downloaded, result.Files.Single(f => f.Path == encodec).Outcome);
        Assert.DoesNotContain(hub.Requests, r => r.Method == "GET" && r.File == encodec);
        AssertAllPresent(hub);
    }

    [Theory]
    [InlineData("musicgen-small")]
    [InlineData("a/b/c")]
    [InlineData("owner/")]
    [InlineData("own er/name")]
    public async Task A_repo_that_is_not_owner_slash_name_is_a_usage_error(string repo)
    {
        using var downloader = Downloader();
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() =>
            downloader.PullAsync(new ModelPullOptions { Repo = repo, Directory = _dir, Endpoint = new Uri("http://127.0.0.1:9") }, null, _timeout.Token));
        Assert.Equal(ModelDownloadExitKind.Usage, e.Kind);
    }

    [Fact]
    public void File_addresses_escape_each_segment()
    {
        Assert.Equal("https://huggingface.co/Xenova/musicgen-small/resolve/main/onnx/text_encoder.onnx",
            ModelDownloader.FileUrl(new Uri("https://huggingface.co"), "Xenova/musicgen-small", "main", "onnx/text_encoder.onnx").AbsoluteUri);
        Assert.Equal("http://mirror.local/hf/Xenova/musicgen-small/resolve/refs%2Fpr%2F1/config.json",
            ModelDownloader.FileUrl(new Uri("http://mirror.local/hf/"), "Xenova/musicgen-small", "refs/pr/1", "config.json").AbsoluteUri);
    }

    [Fact]
    public async Task Cancellation_stops_the_download_and_keeps_the_part()
    {
        using var hub = FakeHub.WithModel();
        const string decoder = "onnx/decoder_model_merged.onnx";
        using var downloader = Downloader();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token);
        var progress = new SyncProgress(p =>
        {
            if (p.File == decoder && p.State == DownloadState.Downloading && p.BytesDone > 0) cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => downloader.PullAsync(Options(hub), progress, cancel.Token));

        Assert.False(File.Exists(Local(decoder)));
        Assert.True(new FileInfo(Local(decoder) + ".part").Length > 0);
    }

    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}

/// <summary>A minimal HTTP/1.1 hub on two loopback ports (hub and CDN origins), one request per connection.</summary>
internal sealed class FakeHub : IDisposable
{
    private readonly TcpListener _hub = new(IPAddress.Loopback, 0);
    private readonly TcpListener _cdn = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _getCounts = new();

    public string Repo { get; init; } = "Xenova/musicgen-small";
    public string Revision { get; init; } = "main";

    /// <summary>Path in the repo → content.</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    /// <summary>Path → etag to advertise instead of the true one.</summary>
    public ConcurrentDictionary<string, string> AdvertisedEtag { get; } = new();

    /// <summary>Path → how many GETs of it (counted from the server's start) send half the body and close the connection.</summary>
    public ConcurrentDictionary<string, int> DropGets { get; } = new();

    /// <summary>How many of the next HEAD requests to the hub answer 503.</summary>
    public int FailingHeads;

    /// <summary>When set, the hub answers 401 unless this bearer token is sent.</summary>
    public string? RequiredToken { get; set; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_hub.LocalEndpoint).Port}");
    private string CdnOrigin => $"http://127.0.0.1:{((IPEndPoint)_cdn.LocalEndpoint).Port}";

    public sealed record Request(string Origin, string Method, string Target, string? File, IReadOnlyDictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
    }

    public static FakeHub WithModel(bool quantized = false)
    {
        var hub = new FakeHub();
        var random = new Random(42);
        byte[] Bytes(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }
        var q = quantized ? "_quantized" : "";
        hub.Files["config.json"] = Encoding.UTF8.GetBytes("{\"model_type\": \"musicgen\", \"decoder\": {\"num_codebooks\": 4}}");
        hub.Files["generation_config.json"] = Encoding.UTF8.GetBytes("{\"guidance_scale\": 3.0, \"top_k\": 250, \"max_length\": 1500}");
        hub.Files["tokenizer.json"] = Encoding.UTF8.GetBytes("{\"version\": \"1.0\", \"model\": {\"type\": \"Unigram\", \"vocab\": []}}" + new string(' ', 3000));
        hub.Files["tokenizer_config.json"] = Encoding.UTF8.GetBytes("{\"model_max_length\": 512}");
        hub.Files["special_tokens_map.json"] = Encoding.UTF8.GetBytes("{\"eos_token\": \"</s>\"}");
        hub.Files[$"onnx/text_encoder{q}.onnx"] = Bytes(300_000);
        hub.Files[$"onnx/decoder_model_merged{q}.onnx"] = Bytes(900_001);
        hub.Files[$"onnx/encodec_decode{q}.onnx"] = Bytes(200_000);
        hub.Start();
        return hub;
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string GitSha1(byte[] content)
    {
#pragma warning disable CA5350 // git's object id, not security
        return Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
#pragma warning restore CA5350
    }

    private void Start()
    {
        _hub.Start();
        _cdn.Start();
        _ = AcceptAsync(_hub, "hub");
        _ = AcceptAsync(_cdn, "cdn");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _hub.Stop();
        _cdn.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, string origin)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await ServeAsync(client, origin);
                    }
                    catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
                    {
                    }
                }
            });
        }
    }

    private async Task ServeAsync(TcpClient client, string origin)
    {
        var stream = client.GetStream();
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0) return;
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var (method, target) = (requestLine[0], requestLine[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var path = target.Split('?')[0];

        string? file = null;
        var resolvePrefix = $"/{Repo}/resolve/{Uri.EscapeDataString(Revision)}/";
        if (origin == "hub" && path.StartsWith(resolvePrefix, StringComparison.Ordinal))
            file = Uri.UnescapeDataString(path[resolvePrefix.Length..]);
        else if (path.StartsWith("/blobs/", StringComparison.Ordinal))
            file = Files.FirstOrDefault(f => Sha256(f.Value) == path["/blobs/".Length..]).Key;
        Requests.Enqueue(new Request(origin, method, target, file, headers));

        if (origin == "hub" && !path.StartsWith("/blobs/", StringComparison.Ordinal))
        {
            if (method == "HEAD" && Interlocked.Decrement(ref FailingHeads) >= 0)
            {
                await RespondAsync(stream, method, "503 Service Unavailable", [], "Try again"u8.ToArray());
                return;
            }
            if (RequiredToken is not null && headers.GetValueOrDefault("Authorization") != $"Bearer {RequiredToken}")
            {
                await RespondAsync(stream, method, "401 Unauthorized", [("X-Error-Code", "GatedRepo")], "Access to this model is restricted."u8.ToArray());
                return;
            }
            if (file is null || !Files.TryGetValue(file, out var content))
            {
                await RespondAsync(stream, method, "404 Not Found", [("X-Error-Code", file is null ? "RepoNotFound" : "EntryNotFound")], "Entry not found"u8.ToArray());
                return;
            }
            if (file.EndsWith(".onnx", StringComparison.Ordinal))
            {
                // Like the hub for an LFS file: a redirect to the CDN, which says here what the file is. The encodec
                // graph is redirected with a relative address (served by the hub itself) to exercise both kinds.
                var sha = Sha256(content);
                var location = file.Contains("encodec", StringComparison.Ordinal) ? $"/blobs/{sha}?sig=1" : $"{CdnOrigin}/blobs/{sha}?sig=1";
                await RespondAsync(stream, method, "302 Found",
                [
                    ("Location", location),
                    ("X-Linked-Size", content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ("X-Linked-Etag", $"\"{AdvertisedEtag.GetValueOrDefault(file, sha)}\""),
                    ("ETag", $"W/\"{GitSha1("version https://git-lfs.github.com/spec/v1\n"u8.ToArray())}\""),
                ], Encoding.ASCII.GetBytes($"Found. Redirecting to {location}"));
                return;
            }
            await ServeBodyAsync(stream, method, file, content, headers, AdvertisedEtag.GetValueOrDefault(file, GitSha1(content)));
            return;
        }
        if (file is not null && Files.TryGetValue(file, out var blob))
        {
            await ServeBodyAsync(stream, method, file, blob, headers, Sha256(blob));
            return;
        }
        await RespondAsync(stream, method, "404 Not Found", [], ReadOnlyMemory<byte>.Empty);
    }

    private async Task ServeBodyAsync(NetworkStream stream, string method, string file, byte[] content, Dictionary<string, string> headers, string etag)
    {
        var start = 0;
        var status = "200 OK";
        var extra = new List<(string, string)> { ("ETag", $"\"{etag}\""), ("Accept-Ranges", "bytes") };
        if (headers.TryGetValue("Range", out var range) && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = int.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                await RespondAsync(stream, method, "416 Range Not Satisfiable", [("Content-Range", $"bytes */{content.Length}")], ReadOnlyMemory<byte>.Empty);
                return;
            }
            status = "206 Partial Content";
            extra.Add(("Content-Range", $"bytes {start}-{content.Length - 1}/{content.Length}"));
        }
        var body = content.AsMemory(start);
        if (method == "GET")
        {
            var count = _getCounts.AddOrUpdate(file, 1, (_, n) => n + 1);
            if (DropGets.TryGetValue(file, out var drops) && count <= drops)
            {
                // Half the body, then a clean close: the client sees the answer end early.
                await WriteHeadAsync(stream, status, extra, body.Length);
                await stream.WriteAsync(body[..Math.Max(1, body.Length / 2)]);
                await stream.FlushAsync();
                stream.Socket.Shutdown(SocketShutdown.Send);
                return;
            }
        }
        await RespondAsync(stream, method, status, extra, body);
    }

    private static async Task RespondAsync(NetworkStream stream, string method, string status, IEnumerable<(string, string)> headers, ReadOnlyMemory<byte> body)
    {
        await WriteHeadAsync(stream, status, headers, body.Length);
        if (method != "HEAD") await stream.WriteAsync(body);
        await stream.FlushAsync();
        stream.Socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task WriteHeadAsync(NetworkStream stream, string status, IEnumerable<(string Name, string Value)> headers, int length)
    {
        var text = new StringBuilder($"HTTP/1.1 {status}\r\n");
        foreach (var (name, value) in headers) text.Append(name).Append(": ").Append(value).Append("\r\n");
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Length: {length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()));
    }
}
