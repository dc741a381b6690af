using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Orbitr.Core.Errors;
using Orbitr.Server.Hosting;

namespace Orbitr.Server.Tests;

/// <summary>The real server on a loopback port (Kestrel, not TestServer), spoken to with raw bytes: Kestrel's own
/// answers carry the security headers, and a body sent too slowly is a 408 problem with a code.</summary>
public sealed class KestrelAnswersTests : IAsyncLifetime
{
    private readonly ConfiguredOrbitrFactory server = new(null);
    private int port;

    public Task InitializeAsync()
    {
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        server.UseKestrel(port);
        server.StartServer();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => server.DisposeAsync().AsTask();

    /// <summary>Sends the bytes, then reads until the server closes the connection (or the time is up).</summary>
    private async Task<string> ExchangeAsync(byte[] request, TimeSpan? wait = null, byte[]? later = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        if (later is not null)
        {
            // Kept fixed: the pause is what the test measures (the server's own timeout must fire within it).
            await Task.Delay(wait!.Value);
            try { await stream.WriteAsync(later); } catch (IOException) { }
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException) { }
        return Encoding.Latin1.GetString(received.ToArray());
    }

    private static void AssertSecurityHeaders(string head)
    {
        head += "\r\n";
        foreach (var (name, value) in SecurityHeaders.All) Assert.Contains($"\r\n{name}: {value}\r\n", head, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, int> Malformed => new()
    {
        { "GARBAGE\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400 },
        { "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\n\r\n", 400 }, // HTTP/1.1 without Host
        { $"GET /{new string('a', 10_000)} HTTP/1.1\r\nHost: x\r\n\r\n", 414 },
        { $"GET / HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 40_000)}\r\n\r\n", 431 },
        { "GET / HTTP/7.0\r\nHost: x\r\n\r\n", 505 },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Kestrels_own_error_answers_carry_the_security_headers(string request, int status)
    {
        var answer = await ExchangeAsync(Encoding.Latin1.GetBytes(request));
        Assert.StartsWith($"HTTP/1.1 {status} ", answer);
        AssertSecurityHeaders(answer[..answer.IndexOf("\r\n\r\n", StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task After_answered_requests_on_the_same_connection_a_malformed_one_gets_the_headers_and_the_answered_are_untouched()
    {
        var answer = await ExchangeAsync(Encoding.Latin1.GetBytes(
            "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /api/nothing HTTP/1.1\r\nHost: x\r\n\r\n" + "NOT HTTP AT ALL\r\n\r\n"));
        var heads = answer.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, heads.Length);
        Assert.StartsWith("200 ", heads[0]);
        Assert.StartsWith("404 ", heads[1]);
        Assert.StartsWith("400 ", heads[2]);
        foreach (var head in heads)
        {
            var text = "\r\n" + head[..head.IndexOf("\r\n\r\n", StringComparison.Ordinal)] + "\r\n";
            AssertSecurityHeaders(text);
            // Each header once: the app's answers were not given a second copy.
            Assert.Single(text.Split("\r\nContent-Security-Policy:", StringSplitOptions.None).Skip(1));
        }
        // The health body came through whole.
        Assert.Contains("\"status\"", heads[0]);
    }

    private static string ExtractJson(string response)
    {
        var start = response.IndexOf('{');
        var end = response.LastIndexOf('}');
        return response[start..(end + 1)];
    }

    [Theory]
    [InlineData("/api/generations")]
    [InlineData("/api/patterns")]
    public async Task A_body_sent_too_slowly_is_a_408_problem_with_code_3002(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var token = ConfiguredOrbitrFactory.NewOwnerToken(http);
        // Kestrel's minimum body rate is 240 bytes/s after a 5 s grace period: one byte in ~7 s is well below it.
        var head = $"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{{";
        var answer = await ExchangeAsync(Encoding.ASCII.GetBytes(head), TimeSpan.FromSeconds(8), "\"p"u8.ToArray());
        Assert.StartsWith("HTTP/1.1 408 ", answer);
        Assert.Contains("application/problem+json", answer);
        using var problem = JsonDocument.Parse(ExtractJson(answer));
        Assert.Equal(ErrorCode.NetworkTimeout, problem.RootElement.GetProperty("code").GetInt32());
        AssertSecurityHeaders(answer[..answer.IndexOf("\r\n\r\n", StringComparison.Ordinal)]);
    }
}
