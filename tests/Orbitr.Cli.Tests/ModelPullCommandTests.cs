using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Orbitr.Cli.Tests;

/// <summary><c>orbitr model pull</c> against a stand-in Hugging Face hub on loopback.</summary>
public class ModelPullCommandTests
{
    [Fact]
    public void Model_pull_downloads_the_export_and_prints_the_setting()
    {
        using var hub = new MiniHub();
        using var cli = new CliRunner();
        var dir = cli.Path("model");

        var (code, output, error) = cli.Run("model", "pull", "--endpoint", hub.Endpoint, "--dir", dir);

        Assert.True(code == 0, error);
        Assert.Equal("", error);
        foreach (var (path, content) in hub.Files)
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(dir, path)));
        Assert.Empty(Directory.GetFiles(dir, "*.part", SearchOption.AllDirectories));
        Assert.Contains("onnx/decoder_model_merged.onnx", output);
        Assert.Contains("spiece.model  not in the repo (optional), skipped", output);
        Assert.Contains($"Orbitr__MusicGen__ModelPath={Path.GetFullPath(dir)}{Environment.NewLine}", output);
        Assert.DoesNotContain("\r", output.Replace(Environment.NewLine, "\n", StringComparison.Ordinal)); // redirected output: plain lines

        // Again: everything up to date, nothing downloaded.
        var (again, secondOutput, _) = cli.Run("model", "pull", "--endpoint", hub.Endpoint, "--dir", dir);
        Assert.Equal(0, again);
        Assert.Contains("config.json  ", secondOutput);
        Assert.Contains("up to date", secondOutput);
        Assert.Contains("0 downloaded, 7 up to date", secondOutput);
    }

    [Fact]
    public void Model_pull_with_quantized_fetches_the_quantized_graphs()
    {
        using var hub = new MiniHub(quantized: true);
        using var cli = new CliRunner();
        var (code, output, error) = cli.Run("model", "pull", "--quantized", "--endpoint", hub.Endpoint, "--dir", cli.Path("q"));
        Assert.True(code == 0, error);
        Assert.True(File.Exists(cli.Path("q/onnx/decoder_model_merged_quantized.onnx")));
        Assert.False(File.Exists(cli.Path("q/onnx/decoder_model_merged.onnx")));
        Assert.Contains($"Orbitr__MusicGen__ModelPath={cli.Path("q")}", output);
        Assert.DoesNotContain("Orbitr__MusicGen__Quantized", output); // only quantized graphs: the server takes them by itself
    }

    [Theory]
    [InlineData("--endpoint", "ftp://x", "--endpoint")]
    [InlineData("--endpoint", "not a url", "--endpoint")]
    [InlineData("--repo", "musicgen-small", "--repo")]
    [InlineData("--repo", "a/b/c", "--repo")]
    public void Model_pull_bad_options_are_one_line_usage_errors(string option, string value, string named)
    {
        using var cli = new CliRunner();
        var (code, _, error) = cli.Run("model", "pull", option, value, "--dir", cli.Path("m"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("orbitr: error:", error);
        Assert.Contains(named, error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(cli.Path("m")));
    }

    [Fact]
    public void Model_pull_of_a_repo_without_the_files_exits_5_naming_the_missing_file()
    {
        using var hub = new MiniHub();
        using var cli = new CliRunner();
        var (code, _, error) = cli.Run("model", "pull", "--repo", "someone/other-model", "--endpoint", hub.Endpoint, "--dir", cli.Path("m"));
        Assert.Equal(ExitCodes.Generation, code);
        Assert.StartsWith("orbitr: error:", error);
        Assert.Contains("config.json", error);
        Assert.Contains("someone/other-model", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Serves Xenova/musicgen-small@main like the hub: small files with a git blob SHA-1 ETag, ONNX files as a
    /// 302 to /blobs/{sha256} with X-Linked-Size and X-Linked-Etag. One request per connection.</summary>
    private sealed class MiniHub : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        public ConcurrentDictionary<string, byte[]> Files { get; } = new();
        public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public MiniHub(bool quantized = false)
        {
            var random = new Random(7);
            var q = quantized ? "_quantized" : "";
            foreach (var name in new[] { "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json" })
                Files[name] = Encoding.UTF8.GetBytes($"{{\"file\": \"{name}\"}}");
            foreach (var (name, size) in new[] { ($"onnx/text_encoder{q}.onnx", 120_000), ($"onnx/decoder_model_merged{q}.onnx", 400_000), ($"onnx/encodec_decode{q}.onnx", 80_000) })
            {
                var bytes = new byte[size];
                random.NextBytes(bytes);
                Files[name] = bytes;
            }
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
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
                            await ServeAsync(client.GetStream());
                        }
                        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                        {
                        }
                    }
                });
            }
        }

        private async Task ServeAsync(NetworkStream stream)
        {
            var head = new List<byte>();
            var one = new byte[1];
            while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
            {
                if (await stream.ReadAsync(one) == 0) return;
                head.Add(one[0]);
            }
            var request = Encoding.ASCII.GetString([.. head]).Split("\r\n")[0].Split(' ');
            var (method, path) = (request[0], request[1].Split('?')[0]);
            const string prefix = "/Xenova/musicgen-small/resolve/main/";
            if (path.StartsWith("/blobs/", StringComparison.Ordinal) && Files.Values.FirstOrDefault(c => Sha256(c) == path[7..]) is { } blob)
                await RespondAsync(stream, method, "200 OK", [("ETag", $"\"{Sha256(blob)}\"")], blob);
            else if (path.StartsWith(prefix, StringComparison.Ordinal) && Files.TryGetValue(Uri.UnescapeDataString(path[prefix.Length..]), out var content))
            {
                if (path.EndsWith(".onnx", StringComparison.Ordinal))
                    await RespondAsync(stream, method, "302 Found",
                        [("Location", $"{Endpoint}/blobs/{Sha256(content)}?sig=1"), ("X-Linked-Size", content.Length.ToString(CultureInfo.InvariantCulture)), ("X-Linked-Etag", $"\"{Sha256(content)}\"")],
                        "Found."u8.ToArray());
                else
                    await RespondAsync(stream, method, "200 OK", [("ETag", $"\"{GitSha1(content)}\"")], content);
            }
            else
                await RespondAsync(stream, method, "404 Not Found", [("X-Error-Code", "EntryNotFound")], "Entry not found"u8.ToArray());
        }

        private static async Task RespondAsync(NetworkStream stream, string method, string status, (string Name, string Value)[] headers, byte[] body)
        {
            var text = new StringBuilder($"HTTP/1.1 {status}\r\n");
            foreach (var (name, value) in headers) text.Append(name).Append(": ").Append(value).Append("\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()));
            if (method != "HEAD") await stream.WriteAsync(body);
            await stream.FlushAsync();
            stream.Socket.Shutdown(SocketShutdown.Send);
        }

        private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

#pragma warning disable CA5350 // git's object id, not security
        private static string GitSha1(byte[] content) => Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
#pragma warning restore CA5350
    }
}
