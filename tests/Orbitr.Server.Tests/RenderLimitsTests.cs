using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Wav;
using Orbitr.Server.Rendering;
using Orbitr.Tests.Waiting;

namespace Orbitr.Server.Tests;

/// <summary>A server render costs a bounded amount (issue 20): each distinct source is loaded once however many keys
/// name it, limits answer 422 with code 1003 naming the limit, renders at once are limited (429, 3003), and the
/// temporary file goes with its response.</summary>
public sealed class RenderLimitsTests : IAsyncLifetime
{
    private readonly ConfiguredOrbitrFactory factory = new(new Dictionary<string, string?>
    {
        ["Orbitr:Render:MaxSampleSeconds"] = "40",
        ["Orbitr:Render:MaxVoices"] = "48",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private static AudioBuffer Tone(double seconds, int rate = 44100)
    {
        var n = (int)(seconds * rate);
        return new AudioBuffer([Enumerable.Range(0, n).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 220 * i / rate) * Math.Exp(-3.0 * i / n))).ToArray()], rate);
    }

    private static async Task<string> UploadAsync(HttpClient client, AudioBuffer audio, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(WavWriter.ToBytes(audio, WavSampleFormat.Pcm16));
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", name + ".wav");
        var response = await client.PostAsync("/api/samples", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>A pattern whose <paramref name="keys"/> sample keys all name one source, each step on its own key and velocity.</summary>
    private static Pattern ManyKeys(string sampleId, int keys, int steps)
    {
        var p = PatternFactory.Create(2, 5) with { Bpm = 200 };
        p = PatternEditor.SetLength(p, steps / 2);
        var names = new List<string>();
        for (var k = 0; k < keys; k++)
        {
            p = PatternEditor.WithSample(p, SampleRef.Generated(sampleId, $"long {k}"), out var key);
            names.Add(key);
        }
        for (var i = 0; i < steps; i++)
        {
            var (t, s) = (i % 2, i / 2);
            p = PatternEditor.SetStepActive(p, t, s, true);
            p = PatternEditor.SetStepSample(p, t, s, names[i % keys]);
            p = PatternEditor.SetStepVelocity(p, t, s, 127 - i % 100);
        }
        return p;
    }

    private static async Task<string> SaveAsync(HttpClient client, Pattern pattern)
    {
        var body = new ByteArrayContent(PatternJson.WriteUtf8(pattern));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await client.PostAsync("/api/patterns", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<(int Code, string Limit, string Detail)> ProblemOf(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        return (root.GetProperty("code").GetInt32(), root.TryGetProperty("limit", out var l) ? l.GetString()! : "", root.GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task Keys_naming_one_source_share_it_and_the_render_is_the_offline_render_of_that_one_buffer()
    {
        var client = factory.CreateClient();
        var tone = Tone(3);
        var id = await UploadAsync(client, tone, "long");
        var pattern = ManyKeys(id, keys: 24, steps: 32);
        var patternId = await SaveAsync(client, pattern);
        var response = await client.GetAsync($"/api/patterns/{patternId}/render");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = await response.Content.ReadAsByteArrayAsync();
        // What the library stores is the 16-bit WAV of the upload: render the pattern with that one buffer for every key.
        var stored = WavReader.Read(await client.GetByteArrayAsync($"/api/samples/{id}/audio"));
        var samples = pattern.Samples.ToDictionary(e => e.Key, _ => stored);
        var expected = WavWriter.ToBytes(OfflineRenderer.Render(pattern, samples, new RenderOptions(44100, 1)), WavSampleFormat.Pcm16);
        Assert.Equal(expected, served);
    }

    [Fact]
    public async Task Too_much_sample_audio_is_refused_before_any_is_read_with_code_1003_naming_the_limit()
    {
        var client = factory.CreateClient();
        var a = await UploadAsync(client, Tone(25), "a");
        var b = await UploadAsync(client, Tone(25, 22050), "b");
        var p = ManyKeys(a, 1, 2);
        p = PatternEditor.WithSample(p, SampleRef.Generated(b, "b"), out var keyB);
        p = PatternEditor.SetStepSample(p, 1, 0, keyB);
        var response = await client.GetAsync($"/api/patterns/{await SaveAsync(client, p)}/render");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var (code, limit, detail) = await ProblemOf(response);
        Assert.Equal(1003, code);
        Assert.Equal("sampleSeconds", limit);
        Assert.Contains("50.0 s", detail);
        Assert.Contains("40 s", detail);
        // One 25 s source named by many keys is 25 s, not 25 s per key: it renders.
        var shared = await client.GetAsync($"/api/patterns/{await SaveAsync(client, ManyKeys(a, 8, 8))}/render");
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
    }

    [Fact]
    public async Task More_voices_at_once_than_allowed_is_refused_with_code_1003_naming_the_limit()
    {
        var client = factory.CreateClient();
        var id = await UploadAsync(client, Tone(6), "long");
        // 64 steps of a 6 s sound in a 2.4 s cycle at 200 BPM: all 64 sound at the end of the cycle (limit 48).
        var response = await client.GetAsync($"/api/patterns/{await SaveAsync(client, ManyKeys(id, 4, 64))}/render");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var (code, limit, detail) = await ProblemOf(response);
        Assert.Equal(1003, code);
        Assert.Equal("voices", limit);
        Assert.Contains("48 voices", detail);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(factory.DataPath, "tmp", "renders")));
    }

    [Fact]
    public async Task A_render_beyond_the_concurrent_limit_gets_429_with_code_3003_and_its_file_goes_with_the_response()
    {
        var client = factory.CreateClient();
        var patternId = await SaveAsync(client, PatternEditor.SetStepActive(PatternFactory.Create(4, 3), 0, 0, true));
        var gate = factory.Services.GetRequiredService<RenderGate>();
        // The in-process test server has no client address: every request is the client "local".
        var held = gate.TryEnter("local");
        Assert.NotNull(held);
        var refused = await client.GetAsync($"/api/patterns/{patternId}/render");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(3003, (await ProblemOf(refused)).Code);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        held!.Dispose();
        var ok = await client.GetAsync($"/api/patterns/{patternId}/render");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.True((await ok.Content.ReadAsByteArrayAsync()).Length > 44);
        // The slot came back when the response was done (the next render is not refused) and no render file is left.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/patterns/{patternId}/render")).StatusCode);
        var folder = Path.Combine(factory.DataPath, "tmp", "renders");
        await Eventually.ValueAsync(() => Directory.GetFiles(folder), files => files.Length == 0, TimeSpan.FromSeconds(10),
            "the render files to be deleted once the responses were done");
    }

    [Fact]
    public void The_gate_counts_per_client_and_in_all()
    {
        var gate = new RenderGate(new RenderLimits { MaxConcurrent = 2, MaxConcurrentPerClient = 1 });
        var a = gate.TryEnter("a");
        Assert.NotNull(a);
        Assert.Null(gate.TryEnter("a"));
        var b = gate.TryEnter("b");
        Assert.NotNull(b);
        Assert.Null(gate.TryEnter("c"));
        a!.Dispose();
        a.Dispose(); // twice is once
        Assert.NotNull(gate.TryEnter("c"));
        Assert.Null(gate.TryEnter("a"));
    }
}
