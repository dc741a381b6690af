using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Dsp.Finishing;
using Orbitr.Dsp.Wav;
using Orbitr.Server.Generation;
using Orbitr.Server.Storage;
using Orbitr.Tests.Shared;
using static Orbitr.Server.Tests.GenerationsApiTests;

namespace Orbitr.Server.Tests;

/// <summary>The MusicGen engine in the server, on the tiny stand-in export: listed when its folder loads, reported
/// (never a crash or a 500) when it does not, behind the same queue, cache, libraries and progress as the synth.</summary>
public sealed class MusicGenEngineTests
{
    private static ConfiguredOrbitrFactory Server(string? modelPath, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>();
        if (modelPath is not null) settings["Orbitr:MusicGen:ModelPath"] = modelPath;
        foreach (var (k, v) in more) settings[k] = v;
        return new ConfiguredOrbitrFactory(settings);
    }

    private static async Task<JsonElement> GenerateAsync(HttpClient client, string json)
    {
        var post = await client.PostAsync("/api/generations", Body(json));
        Assert.True(post.IsSuccessStatusCode, await post.Content.ReadAsStringAsync());
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return await WaitFinishedAsync(client, id);
    }

    [Fact]
    public async Task A_kit_is_made_by_musicgen_too_seven_sounds_through_the_model()
    {
        await using var server = Server(TinyMusicGen.Folder());
        var client = server.CreateClient();
        var post = await client.PostAsync("/api/kits", Body("""{"prompt":"industrial techno","engine":"musicgen","seed":5}"""));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var kit = await Orbitr.Tests.Waiting.Eventually.ValueAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/kits/{id}"),
            k => k.GetProperty("status").GetString() is "succeeded" or "failed", TimeSpan.FromSeconds(120), $"kit {id} to finish");
        Assert.Equal("succeeded", kit.GetProperty("status").GetString());
        Assert.Equal("musicgen", kit.GetProperty("engine").GetString());
        var sounds = kit.GetProperty("sounds").EnumerateArray().ToList();
        Assert.Equal(7, sounds.Count);
        Assert.All(sounds, s =>
        {
            Assert.Equal("musicgen", s.GetProperty("generation").GetProperty("engine").GetString());
            Assert.Equal(5u, s.GetProperty("generation").GetProperty("seed").GetUInt32());
        });
        Assert.Equal(7, sounds.Select(s => s.GetProperty("generation").GetProperty("sampleId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task A_loaded_model_is_listed_and_auto_means_musicgen()
    {
        await using var server = Server(TinyMusicGen.Folder());
        var client = server.CreateClient();
        var engines = await client.GetFromJsonAsync<JsonElement>("/api/engines");
        var musicgen = engines.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "musicgen");
        Assert.True(musicgen.GetProperty("available").GetBoolean());
        Assert.Equal(10, musicgen.GetProperty("maxDurationSeconds").GetDouble());
        Assert.Contains(engines.EnumerateArray(), e => e.GetProperty("name").GetString() == "synth");

        var done = await GenerateAsync(client, """{"prompt":"jazz piano chord","engine":"auto","durationSeconds":2,"quality":"hq","seed":3}""");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal("musicgen", done.GetProperty("engine").GetString());
        var sampleId = done.GetProperty("sampleId").GetString()!;
        var meta = await client.GetFromJsonAsync<JsonElement>($"/api/samples/{sampleId}");
        Assert.Equal("musicgen", meta.GetProperty("engine").GetString());
        Assert.Equal(32000, meta.GetProperty("sampleRate").GetInt32());
        // Finished like every engine's sound: at most 2 s (leading silence trimmed), at the loudness target or the peak ceiling.
        var wav = WavReader.Read(await client.GetByteArrayAsync($"/api/samples/{sampleId}/audio"));
        Assert.InRange(wav.Duration, 1.9, 2.0);
        var lufs = LoudnessMeter.Integrated([wav.Channel(0)], wav.SampleRate);
        var peak = 20 * Math.Log10(wav.Peak());
        Assert.True(Math.Abs(lufs + 16) < 0.2 || Math.Abs(peak + 1) < 0.05, $"{lufs:0.00} LUFS, peak {peak:0.00} dBFS");

        // The same request again is a cache hit with the same sample.
        var again = await client.PostAsync("/api/generations", Body("""{"prompt":"jazz piano chord","engine":"musicgen","durationSeconds":2,"quality":"hq","seed":3}"""));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(sampleId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sampleId").GetString());
        var health = await client.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("wrong-names", "\"logits\"")]
    [InlineData("missing", "does not exist")]
    public async Task A_folder_that_does_not_load_is_reported_and_the_server_runs_on(string variant, string reason)
    {
        var folder = variant == "missing" ? Path.Combine(Path.GetTempPath(), "orbitr-no-model-" + Guid.NewGuid().ToString("N")) : TinyMusicGen.Folder(variant);
        await using var server = Server(folder);
        var client = server.CreateClient();
        var engines = await client.GetFromJsonAsync<JsonElement>("/api/engines");
        var musicgen = engines.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "musicgen");
        Assert.False(musicgen.GetProperty("available").GetBoolean());
        Assert.Contains(reason, musicgen.GetProperty("problem").GetString());

        var health = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var report = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        Assert.Contains(report.GetProperty("dependencies").EnumerateArray(),
            d => d.GetProperty("name").GetString() == "musicgen" && d.GetProperty("status").GetString() == "unavailable");

        var refused = await client.PostAsync("/api/generations", Body("""{"prompt":"kick","engine":"musicgen"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(2004, await CodeOf(refused));
        var auto = await GenerateAsync(client, """{"prompt":"kick","engine":"auto"}""");
        Assert.Equal("synth", auto.GetProperty("engine").GetString());
        Assert.Single(server.Logs.Lines, l => l.Contains("MusicGen engine unavailable"));
    }

    [Fact]
    public async Task Without_a_folder_only_the_synth_is_listed_and_the_default_folder_is_found_without_settings()
    {
        await using (var plain = Server(null))
        {
            var engines = await plain.CreateClient().GetFromJsonAsync<JsonElement>("/api/engines");
            Assert.Equal(["synth"], engines.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        }
        var data = Directory.CreateTempSubdirectory("orbitr-default-model-").FullName;
        var copy = TinyMusicGen.CopyOf(TinyMusicGen.Folder());
        Directory.CreateDirectory(Path.Combine(data, "models"));
        Directory.Move(copy, MusicGenOptions.DefaultFolder(data));
        await using var found = new ConfiguredOrbitrFactory(null, dataPath: data);
        var listed = await found.CreateClient().GetFromJsonAsync<JsonElement>("/api/engines");
        Assert.Contains(listed.EnumerateArray(), e => e.GetProperty("name").GetString() == "musicgen" && e.GetProperty("available").GetBoolean());
    }

    [Fact]
    public async Task A_decoder_that_returns_NaN_fails_the_job_with_a_reason()
    {
        await using var server = Server(TinyMusicGen.Folder("nan"));
        var done = await GenerateAsync(server.CreateClient(), """{"prompt":"kick","engine":"musicgen","durationSeconds":1}""");
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal(2005, done.GetProperty("errorCode").GetInt32());
        Assert.Contains("NaN", done.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_generation_past_the_engines_time_limit_fails_with_2001()
    {
        await using var server = Server(TinyMusicGen.Folder(), ("Orbitr:MusicGen:TimeoutSeconds", "0.001"));
        var done = await GenerateAsync(server.CreateClient(), """{"prompt":"kick","engine":"musicgen","durationSeconds":10}""");
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal(2001, done.GetProperty("errorCode").GetInt32());
    }

    [Fact]
    public async Task MusicGen_jobs_run_one_at_a_time_while_synth_jobs_keep_flowing()
    {
        // The longest sounds, so the jobs overlap in the queue.
        await using var server = Server(TinyMusicGen.Folder(), ("Orbitr:Generation:MaxConcurrentJobs", "2"));
        var client = server.CreateClient();
        var ids = new List<string>();
        foreach (var seed in new[] { 1, 2, 3, 4 })
        {
            var post = await client.PostAsync("/api/generations", Body($$"""{"prompt":"warm bass","engine":"musicgen","durationSeconds":10,"seed":{{seed}}}"""));
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
            ids.Add((await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }
        var synth = new List<string>();
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var post = await client.PostAsync("/api/generations", Body($$"""{"prompt":"hat","engine":"synth","durationSeconds":0.5,"seed":{{seed}}}"""));
            synth.Add((await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }
        foreach (var id in ids.Concat(synth))
            Assert.Equal("succeeded", (await WaitForAsync(client, id, g => g.GetProperty("status").GetString() is "succeeded" or "failed", 120))
                .GetProperty("status").GetString());

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrbitrDbContext>();
        var runs = (await db.Generations.AsNoTracking().Where(g => ids.Contains(g.Id)).ToListAsync())
            .Select(g => (Start: g.StartedAt!.Value, End: g.FinishedAt!.Value)).OrderBy(r => r.Start).ToList();
        for (var i = 1; i < runs.Count; i++) Assert.True(runs[i].Start >= runs[i - 1].End, "two MusicGen jobs ran at once");
        // The synth jobs did not wait for the MusicGen queue to drain: when MusicGen work was still going on after the
        // first synth job was queued, a synth job started before the last MusicGen job ended. (How fast the tiny model
        // runs decides how much the two overlap: comparing ends, or every start with the last MusicGen start, failed CI
        // on a loaded and on an idle machine without saying anything about the queue.)
        var synthRuns = (await db.Generations.AsNoTracking().Where(g => synth.Contains(g.Id)).ToListAsync())
            .Select(g => (Created: g.CreatedAt, Start: g.StartedAt!.Value)).ToList();
        Assert.Equal(3, synthRuns.Count);
        var lastMusicGenEnd = runs[^1].End;
        if (lastMusicGenEnd > synthRuns.Min(r => r.Created))
            Assert.True(synthRuns.Min(r => r.Start) < lastMusicGenEnd,
                $"every synth job started after the MusicGen queue drained ({lastMusicGenEnd:O}) though queued before");
    }

    [Fact]
    public async Task The_engine_reports_progress_for_every_frame_and_makes_the_requested_length()
    {
        using var engine = new MusicGenEngine(new MusicGenOptions { ModelPath = TinyMusicGen.Folder() }, new OrbitrOptions(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<MusicGenEngine>.Instance);
        var reports = new List<double>();
        var audio = await engine.GenerateAsync(new GenerationSpec("kick", 1.5, false, 9), new SyncProgress(reports.Add), CancellationToken.None);
        Assert.Equal(75 * 640, audio.Length);                 // 1.5 s × 50 frames × 640 samples
        Assert.Equal(75 + 4 - 1 + 1, reports.Count);          // one per decoder position, then the audio decoder
        Assert.Equal(reports.Order(), reports);
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
