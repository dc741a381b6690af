using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;
using Orbitr.Tests.HostileAudio;
using Orbitr.Tests.OrbitrProcess;

// The worst an upload and a render may cost one server process (issue 20), measured from outside: peak resident
// memory above where it was before the request (VmHWM after clear_refs) and the process's CPU time.
// Usage: dotnet run -c Release --project bench/hostile [-- --runs N]
var runs = args.Length == 2 && args[0] == "--runs" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
var server = new ServerProcess();
await server.StartAsync();
try
{
    var client = await server.OwnerClientAsync();
    Console.WriteLine($"server pid {server.Pid}, resident at start {server.RssBytes / 1e6:0} MB; {Environment.ProcessorCount} cores; {runs} runs each");
    Console.WriteLine();
    Console.WriteLine("| request | answer | peak above idle (MB) | CPU (s) | wall (s) |");
    Console.WriteLine("|---|---|---|---|---|");

    var uploads = new (string Name, Func<byte[]> Build)[]
    {
        ("WAV 8 ch 192 kHz, 10 MB (valid: stored 48 kHz stereo)", () => HostileAudio.WavSurround192k()),
        ("FLAC 8 ch 192 kHz 29.5 s, 48 KB (valid)", HostileAudio.FlacSurround192k),
        ("FLAC 8 ch 192 kHz, no length, 40 s (refused at 30 s while decoding)", HostileAudio.FlacUnknownLengthTooLong),
        ("OGG 8 ch, header 192 kHz, 7 s (valid)", HostileAudio.Ogg8ChannelsAt192k),
        ("OGG claims 1 s, holds 40 s (refused at 30 s while decoding)", HostileAudio.OggClaimsShortIsLong),
        ("OGG 16 ch, header 384 kHz (refused from the header)", HostileAudio.Ogg16ChannelsAt384k),
        ("FLAC 4 ch 655,350 Hz (refused from the header)", HostileAudio.FlacHighRate),
        ("MP3 40 s (refused at 30 s while decoding)", HostileAudio.Mp3TooLong),
    };
    foreach (var (name, build) in uploads)
    {
        var bytes = build();
        await Measure($"upload: {name}", async () =>
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "bomb.bin");
            var response = await client.PostAsync("/api/samples", form);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    // The worst accepted render: 4 rings × 64 steps at 40 BPM, every step a distinct voice (its own key and velocity)
    // of one 23 s stereo upload, so 256 voices sound at once (the limit) for 12 cycles = 288 s (the limit is 300 s).
    var sampleId = await UploadAsync(client, 23);
    var p = PatternEditor.SetLength(PatternFactory.Create(4, 9), 64) with { Bpm = 40 };
    for (var t = 0; t < 4; t++)
        for (var s = 0; s < 64; s++)
        {
            p = PatternEditor.WithSample(p, SampleRef.Generated(sampleId, $"same {t}.{s}"), out var key);
            p = PatternEditor.SetStepSample(PatternEditor.SetStepActive(p, t, s, true), t, s, key);
            p = PatternEditor.SetStepVelocity(p, t, s, 1 + (t * 64 + s) % 127);
        }
    var patternId = await SaveAsync(client, p);
    await Measure("render: 256 keys of one 23 s stereo upload, 256 distinct voices at once, 12 cycles (288 s)", async () =>
    {
        var response = await client.GetAsync($"/api/patterns/{patternId}/render?cycles=12");
        var wav = await response.Content.ReadAsByteArrayAsync();
        return $"{(int)response.StatusCode}, {wav.Length / 1e6:0} MB";
    });
    await Measure("render: the same, 1 cycle (24 s)", async () =>
    {
        var response = await client.GetAsync($"/api/patterns/{patternId}/render?cycles=1");
        await response.Content.ReadAsByteArrayAsync();
        return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    });
}
finally
{
    await server.StopAsync();
}

async Task Measure(string name, Func<Task<string>> request)
{
    var peaks = new List<double>();
    var cpus = new List<double>();
    var walls = new List<double>();
    var answer = "";
    for (var i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        var cost = await server.MeasureAsync(async () => answer = await request());
        walls.Add(clock.Elapsed.TotalSeconds);
        peaks.Add(cost.PeakAboveMb);
        cpus.Add(cost.CpuSeconds);
    }
    string Range(List<double> v, string f) => v.Min().ToString(f, System.Globalization.CultureInfo.InvariantCulture) + "–" +
                                              v.Max().ToString(f, System.Globalization.CultureInfo.InvariantCulture);
    Console.WriteLine($"| {name} | {answer} | {Range(peaks, "0.0")} | {Range(cpus, "0.00")} | {Range(walls, "0.00")} |");
}

static async Task<string> UploadAsync(HttpClient client, double seconds)
{
    var frames = (int)(seconds * 44100);
    var rng = new Random(5);
    var data = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, frames).Select(_ => (float)((rng.NextDouble() - 0.5) * 0.3)).ToArray()).ToArray();
    using var form = new MultipartFormDataContent();
    var file = new ByteArrayContent(WavWriter.ToBytes(new AudioBuffer(data, 44100), WavSampleFormat.Pcm16));
    file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
    form.Add(file, "file", "long.wav");
    var response = await client.PostAsync("/api/samples", form);
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
}

static async Task<string> SaveAsync(HttpClient client, Pattern pattern)
{
    var body = new ByteArrayContent(PatternJson.WriteUtf8(pattern));
    body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    var response = await client.PostAsync("/api/patterns", body);
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
}
