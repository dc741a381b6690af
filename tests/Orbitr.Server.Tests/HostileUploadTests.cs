using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orbitr.Dsp;
using Orbitr.Dsp.Wav;
using Orbitr.Server.Samples;
using Orbitr.Tests.HostileAudio;
using Xunit.Abstractions;

namespace Orbitr.Server.Tests;

/// <summary>Decompression bombs and lying headers (tests/Shared/HostileAudio) against POST /api/samples: each is refused
/// (415, code 1002) or, when valid but big, stored as at most 48 kHz stereo; decoding any of them allocates under 100 MB.</summary>
public class HostileUploadTests(OrbitrFactory factory, ITestOutputHelper log) : IClassFixture<OrbitrFactory>
{
    private const long Budget = 100_000_000;

    // Built once: the OGG ones run sox.
    private static readonly Lazy<Dictionary<string, byte[]>> Bombs = new(() => new()
    {
        ["WavLyingSizes"] = HostileAudio.WavLyingSizes(),
        ["WavTooLong"] = HostileAudio.WavTooLong(),
        ["WavRate384k"] = HostileAudio.WavRate(384_000),
        ["FlacHighRate"] = HostileAudio.FlacHighRate(),
        ["FlacClaimsTooLong"] = HostileAudio.FlacClaimsTooLong(),
        ["FlacUnknownLengthTooLong"] = HostileAudio.FlacUnknownLengthTooLong(),
        ["Ogg16ChannelsAt384k"] = HostileAudio.Ogg16ChannelsAt384k(),
        ["OggClaimsTooLong"] = HostileAudio.OggClaimsTooLong(),
        ["OggClaimsShortIsLong"] = HostileAudio.OggClaimsShortIsLong(),
        ["Mp3TooLong"] = HostileAudio.Mp3TooLong(),
        ["WavSurround192k"] = HostileAudio.WavSurround192k(),
        ["FlacSurround192k"] = HostileAudio.FlacSurround192k(),
        ["FlacClaimsLongHoldsLittle"] = HostileAudio.FlacClaimsLongHoldsLittle(),
        ["Ogg8ChannelsAt192k"] = HostileAudio.Ogg8ChannelsAt192k(),
    });

    private static MultipartFormDataContent Form(byte[] bytes, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return form;
    }

    // Managed allocation (this thread) and CPU time of one AudioDecoder.Decode; the exception, if it threw one.
    private (long Bytes, AudioDecodeException? Refused) Measure(string name)
    {
        var bytes = Bombs.Value[name];
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        AudioDecodeException? refused = null;
        try
        {
            AudioDecoder.Decode(bytes);
        }
        catch (AudioDecodeException e)
        {
            refused = e;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        log.WriteLine($"{name}: {bytes.Length:N0} bytes in, {allocated / 1e6:0.0} MB allocated, {clock.ElapsedMilliseconds} ms wall, " +
            $"≤ {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:0} ms CPU (process), {(refused is null ? "accepted" : "refused: " + refused.Message)}");
        return (allocated, refused);
    }

    [Theory]
    [InlineData("WavLyingSizes", "truncated")]
    [InlineData("WavTooLong", "at most 30 s")]
    [InlineData("WavRate384k", "sample rate")]
    [InlineData("FlacHighRate", "sample rate")]
    [InlineData("FlacClaimsTooLong", "at most 30 s")]
    [InlineData("FlacUnknownLengthTooLong", "at most 30 s")]
    [InlineData("Ogg16ChannelsAt384k", "channels")]
    [InlineData("OggClaimsTooLong", "at most 30 s")]
    [InlineData("OggClaimsShortIsLong", "at most 30 s")]
    [InlineData("Mp3TooLong", "at most 30 s")]
    public async Task Bombs_are_refused_with_1002_and_decoding_them_allocates_under_100_MB(string name, string reason)
    {
        var (allocated, refused) = Measure(name);
        Assert.NotNull(refused);
        Assert.Contains(reason, refused.Message);
        Assert.True(allocated < Budget, $"{name}: {allocated:N0} bytes allocated");

        var client = factory.CreateClient();
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/samples")).GetProperty("total").GetInt32();
        var response = await client.PostAsync("/api/samples", Form(Bombs.Value[name], $"{name}.wav"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1002, problem.RootElement.GetProperty("code").GetInt32());
        Assert.Contains(reason, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonElement>("/api/samples")).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("WavSurround192k", 8 * 192_000)]
    [InlineData("FlacSurround192k", 8 * 192_000)]
    [InlineData("FlacClaimsLongHoldsLittle", 8 * 192_000)]
    [InlineData("Ogg8ChannelsAt192k", 8 * 192_000)]
    public async Task Valid_but_big_uploads_are_stored_as_at_most_48_kHz_stereo(string name, int sourceChannelsTimesRate)
    {
        Assert.True(sourceChannelsTimesRate > 2 * 48000);
        var (allocated, refused) = Measure(name);
        Assert.Null(refused);
        Assert.True(allocated < Budget, $"{name}: {allocated:N0} bytes allocated");

        var client = factory.CreateClient();
        var response = await client.PostAsync("/api/samples", Form(Bombs.Value[name], $"{name}.bin"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var sample = await client.GetFromJsonAsync<JsonElement>($"/api/samples/{id}");
        Assert.Equal(48000, sample.GetProperty("sampleRate").GetInt32());
        Assert.Equal(2, sample.GetProperty("channels").GetInt32());
        var seconds = sample.GetProperty("durationSeconds").GetDouble();
        Assert.InRange(seconds, 0, 30.05);
        var wav = await client.GetByteArrayAsync($"/api/samples/{id}/audio");
        log.WriteLine($"{name}: stored {seconds:0.000} s as {wav.Length:N0} bytes of WAV");
        // 16-bit stereo at 48 kHz: 192,000 bytes a second, plus the header.
        Assert.True(wav.Length <= 44 + (long)Math.Ceiling(seconds * 48000) * 4, $"{wav.Length:N0} bytes");
        var audio = WavReader.Read(wav);
        Assert.Equal((48000, 2), (audio.SampleRate, audio.ChannelCount));
    }

    [Fact]
    public async Task Eight_ogg_bombs_at_once_are_all_refused()
    {
        var client = factory.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            client.PostAsync("/api/samples", Form(Bombs.Value[i % 2 == 0 ? "Ogg16ChannelsAt384k" : "OggClaimsTooLong"], $"bomb-{i}.ogg"))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode));
        GC.Collect();
        log.WriteLine($"managed heap after 8 concurrent OGG bombs: {GC.GetTotalMemory(forceFullCollection: true) / 1e6:0.0} MB");
    }

    [Fact]
    public async Task A_damaged_ogg_is_refused_in_user_terms_not_with_the_decoder_libraries_message()
    {
        var good = HostileAudio.EncodeOgg(2, 44100, 0.5);
        var damaged = (byte[])good.Clone();
        for (var i = 200; i < damaged.Length; i += 7) damaged[i] ^= 0x5A; // setup header and audio garbled
        var client = factory.CreateClient();
        foreach (var body in new[] { damaged, [.. "OggS"u8, .. new byte[60]] })
        {
            var response = await client.PostAsync("/api/samples", Form(body, "broken.ogg"));
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var detail = problem.RootElement.GetProperty("detail").GetString()!;
            log.WriteLine(detail);
            Assert.StartsWith("the OGG file", detail);
            Assert.DoesNotContain(":", detail);
            Assert.DoesNotContain("Exception", detail);
            Assert.DoesNotContain("\n", detail);
        }
    }
}
