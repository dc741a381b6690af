using System.Text;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.Core.Tests;

public class PatternJsonTests
{
    private static string Errors(PatternReadResult r) => string.Join("\n", r.Errors);

    [Fact]
    public void Written_pattern_reads_back_equal()
    {
        var p = PatternEditor.SetStepEffects(TestPatterns.Busy(), 1, 4, new StepEffects(
            new FilterEffect(FilterType.Bandpass, 1234.5, 0.7), new DistortionEffect(0.33), new DelayEffect(0.375, 0.6, 0.25)));
        p = p with { Samples = p.Samples.Add(new SampleEntry("bell", SampleRef.Generated("3f2a", "glass bell"))) };
        p = PatternEditor.SetStepSample(p, 0, 3, "bell");
        var json = PatternJson.Write(p);
        var read = PatternJson.Read(json);
        Assert.True(read.Ok, Errors(read));
        Assert.Equal(p, read.Pattern);
        Assert.Equal(json, PatternJson.Write(read.Pattern!));
    }

    [Fact]
    public void Written_json_is_camel_case_with_the_format_header()
    {
        var json = PatternJson.Write(PatternFactory.Create(6, 42));
        Assert.Contains("\"format\": \"orbitr.pattern\"", json);
        Assert.Contains("\"version\": 2", json);
        Assert.Contains("\"timeSignature\": [", json);
        Assert.Contains("\"source\": \"builtin:kick\"", json);
        Assert.Contains("\"seed\": 42", json);
    }

    [Fact]
    public void Missing_fields_take_their_defaults()
    {
        var read = PatternJson.Read("""{ "samples": { "k": { "source": "builtin:kick" } }, "tracks": [ { "sample": "k" } ] }""");
        Assert.True(read.Ok, Errors(read));
        var p = read.Pattern!;
        Assert.Equal((120.0, 0.0, 16, 1u, "Untitled"), (p.Bpm, p.Swing, p.Length, p.Seed, p.Name));
        Assert.Equal(MasterSettings.Default, p.Master);
        Assert.Equal(TimeSignature.Common, p.TimeSignature);
        var t = Assert.Single(p.Tracks);
        Assert.Equal((0.8, 0.0, false, false, 16, "k"), (t.Volume, t.Pan, t.Mute, t.Solo, t.Length, t.Sample));
        Assert.Equal(16, t.Steps.Count);
        Assert.All(t.Steps, s => Assert.Equal(Step.Off, s));
    }

    [Fact]
    public void Step_defaults_fill_a_partial_step()
    {
        var read = PatternJson.Read("""{ "length": 2, "tracks": [ { "steps": [ { "active": true }, {} ] } ] }""");
        Assert.True(read.Ok, Errors(read));
        Assert.Equal(new Step(Active: true), read.Pattern!.Tracks[0].Steps[0]);
    }

    [Fact]
    public void Every_range_error_is_reported_with_its_path_and_range()
    {
        var json = """
        { "bpm": 300, "swing": -1, "length": 2,
          "tracks": [ { "length": 2, "steps": [ {}, {} ] },
                      { "length": 2, "volume": 1.5, "steps": [ {}, { "velocity": 140, "probability": 2, "timing": 60,
                        "effects": { "filter": { "frequency": 5, "q": 50 }, "delay": { "feedback": 1 } } } ] } ] }
        """;
        var read = PatternJson.Read(json);
        Assert.False(read.Ok);
        var messages = read.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("bpm: 300 is outside 40–200", messages);
        Assert.Contains("swing: -1 is outside 0–100", messages);
        Assert.Contains("tracks[1].volume: 1.5 is outside 0–1", messages);
        Assert.Contains("tracks[1].steps[1].velocity: 140 is outside 0–127", messages);
        Assert.Contains("tracks[1].steps[1].probability: 2 is outside 0–1", messages);
        Assert.Contains("tracks[1].steps[1].timing: 60 is outside -50–50", messages);
        Assert.Contains("tracks[1].steps[1].effects.filter.frequency: 5 is outside 20–20000", messages);
        Assert.Contains("tracks[1].steps[1].effects.filter.q: 50 is outside 0.0001–30", messages);
        Assert.Contains("tracks[1].steps[1].effects.delay.feedback: 1 is outside 0–0.95", messages);
        Assert.Equal(9, messages.Count);
    }

    [Fact]
    public void Unknown_fields_are_rejected_by_path()
    {
        var read = PatternJson.Read("""{ "tempo": 120, "tracks": [ { "steps": [], "length": 0, "colour": "#fff" } ], "master": { "gain": 1 } }""");
        Assert.False(read.Ok);
        var paths = read.Errors.Select(e => e.Path).ToList();
        Assert.Contains("tempo", paths);
        Assert.Contains("tracks[0].colour", paths);
        Assert.Contains("master.gain", paths);
    }

    [Theory]
    [InlineData("""{ "bpm": "fast" }""", "bpm", "must be a number, not a string")]
    [InlineData("""{ "tracks": {} }""", "tracks", "must be an array of tracks, not an object")]
    [InlineData("""{ "tracks": [ { "mute": 1 } ] }""", "tracks[0].mute", "must be true or false, not a number")]
    [InlineData("""{ "tracks": [ { "steps": [ { "velocity": 100.5 } ] } ] }""", "tracks[0].steps[0].velocity", "100.5 must be a whole number")]
    [InlineData("""{ "seed": -1 }""", "seed", "-1 is far outside the allowed range")]
    [InlineData("""{ "bpm": 1e400 }""", "bpm", "1e400 is too large to be a number here")]
    [InlineData("""{ "timeSignature": [4] }""", "timeSignature", "must be an array of two integers such as [4, 4], not an array")]
    [InlineData("""{ "samples": { "k": { "source": "http://x" } } }""", "samples.k.source", "\"http://x\" is not a sample source (builtin:<name>, file:<path>, generated:<id> or local:<id>)")]
    [InlineData("""{ "format": "midi" }""", "format", "\"midi\" is not an Orbitr pattern (expected \"orbitr.pattern\")")]
    public void Wrong_types_are_rejected_with_path(string json, string path, string message)
    {
        var read = PatternJson.Read(json);
        Assert.False(read.Ok);
        Assert.Contains(read.Errors, e => e.Path == path && e.Message == message);
    }

    [Fact]
    public void A_newer_version_says_to_update_and_nothing_else()
    {
        var read = PatternJson.Read("""{ "format": "orbitr.pattern", "version": 3, "futureField": true }""");
        var e = Assert.Single(read.Errors);
        Assert.Equal("version", e.Path);
        Assert.Contains("newer Orbitr", e.Message);
    }

    [Fact]
    public void Duplicate_keys_are_rejected()
    {
        var read = PatternJson.Read("""{ "bpm": 120, "bpm": 130 }""");
        Assert.Contains(read.Errors, e => e.Path == "bpm" && e.Message == "appears more than once");
    }

    [Fact]
    public void Unknown_sample_references_and_builtins_are_errors()
    {
        var read = PatternJson.Read("""{ "samples": { "k": { "source": "builtin:cowbel" } }, "tracks": [ { "sample": "snare" } ] }""");
        Assert.Contains(read.Errors, e => e.Path == "samples.k.source" && e.Message.StartsWith("\"cowbel\" is not a built-in sound"));
        Assert.Contains(read.Errors, e => e.Path == "tracks[0].sample" && e.Message == "\"snare\" is not a key of samples");
    }

    [Fact]
    public void Steps_must_match_the_track_length()
    {
        var read = PatternJson.Read("""{ "tracks": [ { "length": 4, "steps": [ {}, {} ] } ] }""");
        Assert.Contains(read.Errors, e => e.ToString() == "tracks[0].steps: has 2 steps but the track's length is 4");
    }

    [Fact]
    public void Files_over_one_megabyte_are_refused_before_parsing()
    {
        var big = "{\"name\":\"" + new string('a', PatternJson.MaxBytes) + "\"}";
        var read = PatternJson.Read(Encoding.UTF8.GetBytes(big));
        Assert.Contains("at most 1,048,576 bytes", Assert.Single(read.Errors).Message);
    }

    [Fact]
    public void More_than_eight_tracks_or_sixty_four_steps_are_refused()
    {
        var tracks = string.Join(",", Enumerable.Repeat("{}", 9));
        Assert.Contains(PatternJson.Read($$"""{ "tracks": [{{tracks}}] }""").Errors, e => e.ToString() == "tracks: 9 tracks is more than the limit of 8");
        var steps = string.Join(",", Enumerable.Repeat("{}", 65));
        Assert.Contains(PatternJson.Read($$"""{ "tracks": [ { "steps": [{{steps}}] } ] }""").Errors, e => e.ToString() == "tracks[0].steps: 65 steps is more than the limit of 64");
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("{\"bpm\": 120,}")]
    [InlineData("{} {}")]
    [InlineData("null")]
    [InlineData("{\"name\": \"a\" // comment\n}")]
    public void Malformed_json_gives_one_clear_error(string json)
    {
        var read = PatternJson.Read(json);
        Assert.False(read.Ok);
        Assert.NotEmpty(read.Errors);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_not_an_exception()
    {
        var bytes = "{\"name\": \"ab\"}"u8.ToArray();
        bytes[11] = 0xFF;
        Assert.False(PatternJson.Read(bytes).Ok);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        Assert.False(PatternJson.Read("{\"name\": " + deep + "}").Ok);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(PatternJson.WriteUtf8(PatternFactory.Create(4, 3))).ToArray();
        Assert.True(PatternJson.Read(bytes).Ok);
    }
}
