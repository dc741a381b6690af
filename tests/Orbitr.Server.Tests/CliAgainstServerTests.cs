using System.Net;
using System.Net.Sockets;
using Orbitr.Cli;
using Orbitr.Dsp.Wav;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Server.Tests;

/// <summary><c>orbitr generate --server</c> against the real server listening on a loopback port (Kestrel).</summary>
public class CliAgainstServerTests
{
    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Generate_with_server_queues_waits_and_downloads_the_sample()
    {
        var port = FreePort();
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Generation:DailyQuota"] = "2" });
        server.UseKestrel(port);
        server.StartServer();
        var dir = Directory.CreateTempSubdirectory("orbitr-cli-server-").FullName;
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", Path.Combine(dir, "config"));
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var code = OrbitrCli.Run(["generate", "dusty lo-fi kick", "-o", Path.Combine(dir, "k.wav"), "--server", $"http://127.0.0.1:{port}", "-d", "1"], output, error);
            Assert.True(code == 0, error.ToString());
            var expected = PromptSynthesizer.Generate("dusty lo-fi kick", 0, 1, 44100);
            var got = WavReader.ReadFile(Path.Combine(dir, "k.wav"));
            Assert.Equal(expected.Length, got.Length);
            Assert.DoesNotContain("warning", error.ToString()); // every word understood

            // A prompt the server's synth has no sound for: made all the same, with the server's reading as a warning.
            error = new StringWriter();
            code = OrbitrCli.Run(["generate", "a cat meowing", "-o", Path.Combine(dir, "c.wav"), "--server", $"http://127.0.0.1:{port}", "-d", "0.5"], output, error);
            Assert.True(code == 0, error.ToString());
            Assert.Contains("warning: the synth has no sound for \"cat\", \"meowing\"; it made a generic tone", error.ToString());

            // The CLI created its owner once and keeps its token (user-only) in the config folder: the sample is in
            // that owner's library.
            var tokenFile = Path.Combine(dir, "config", "orbitr", "owner");
            Assert.True(File.Exists(tokenFile));
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", File.ReadAllText(tokenFile));
            var library = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/samples")).RootElement;
            Assert.Equal(2, library.GetProperty("total").GetInt32());
            Assert.Contains(library.GetProperty("items").EnumerateArray(), i => i.GetProperty("prompt").GetString() == "dusty lo-fi kick");

            // Quota of 2 used up: a new prompt is refused with the server's code.
            error = new StringWriter();
            code = OrbitrCli.Run(["generate", "snare", "-o", Path.Combine(dir, "s.wav"), "--server", $"http://127.0.0.1:{port}"], output, error);
            Assert.Equal(ExitCodes.Generation, code);
            Assert.Contains("2003", error.ToString());
            Assert.False(File.Exists(Path.Combine(dir, "s.wav")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", config);
            Directory.Delete(dir, true);
        }
    }
}
