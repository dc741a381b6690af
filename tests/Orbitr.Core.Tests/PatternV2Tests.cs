using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Core.Sharing;

namespace Orbitr.Core.Tests;

/// <summary>Pattern JSON v2 and share code v2: every new field written and read back, only non-defaults written,
/// v1 files and codes read as before, and every bad v2 value reported at its path.</summary>
public class PatternV2Tests
{
    private static Pattern EveryField()
    {
        var p = PatternFactory.Create(3, 11, "v2");
        p = p with { Master = p.Master with { Reverb = new ReverbSettings(false, 3.25, 0.8, 0.125, 0.6) } };
        p = PatternEditor.UpdateTrack(p, 0, t => t with { Choke = 2, Swing = 0, Reverb = 0.45 });
        p = PatternEditor.UpdateTrack(p, 2, t => t with { Swing = 66.6 });
        p = PatternEditor.UpdateStep(p, 0, 1, s => s with { Active = true, Pitch = -7.25, Start = 0.99, Reverse = true, Gate = 0.005, Ratchet = 8, Condition = TrigCondition.Ratio(3, 7) });
        p = PatternEditor.UpdateStep(p, 1, 2, s => s with { Active = true, Condition = TrigCondition.NotFirst, Gate = 10 });
        p = PatternEditor.UpdateStep(p, 2, 3, s => s with { Condition = TrigCondition.Fill, Pitch = 24 });
        p = PatternEditor.UpdateStep(p, 2, 4, s => s with { Condition = TrigCondition.NotFill, Pitch = -24 });
        p = PatternEditor.UpdateStep(p, 2, 5, s => s with { Condition = TrigCondition.First, Ratchet = 2 });
        return p;
    }

    [Fact]
    public void Every_v2_field_round_trips_through_json_and_share_codes()
    {
        var p = EveryField();
        var read = PatternJson.Read(PatternJson.Write(p));
        Assert.True(read.Ok, string.Join("; ", read.Errors));
        Assert.Equal(p, read.Pattern);
        Assert.True(ShareCode.TryDecode(ShareCode.Encode(p), out var shared, out var error), error);
        Assert.Equal(p, shared);
    }

    [Fact]
    public void The_writer_writes_version_2_and_v2_fields_only_where_they_are_not_defaults()
    {
        var json = PatternJson.Write(EveryField());
        Assert.Contains("\"version\": 2", json);
        Assert.Contains("\"condition\": \"3:7\"", json);
        Assert.Contains("\"condition\": \"!first\"", json);
        Assert.Contains("\"choke\": 2", json);
        Assert.Contains("\"preDelay\": 0.125", json);
        var plain = PatternJson.Write(PatternFactory.Create(2, 1));
        foreach (var field in new[] { "pitch", "start", "reverse", "gate", "ratchet", "condition", "choke", "\"swing\": null", "\"reverb\": 0," })
            Assert.DoesNotContain(field, plain);
        Assert.Contains("\"reverb\": {", plain); // the master's, always
    }

    // A file as Orbitr wrote it before version 2 (every v1 field): it reads as before, its new fields at their defaults.
    private const string V1File = """
        {
          "format": "orbitr.pattern",
          "version": 1,
          "name": "old groove",
          "bpm": 97.5,
          "swing": 12,
          "length": 8,
          "timeSignature": [7, 8],
          "seed": 31337,
          "master": {
            "volume": 0.7,
            "compressor": { "enabled": false, "threshold": -20, "knee": 10, "ratio": 4, "attack": 0.01, "release": 0.2 },
            "limiter": { "enabled": true, "ceiling": -2 }
          },
          "samples": { "kick": { "source": "builtin:kick" }, "bell": { "source": "generated:abc123", "name": "bell" } },
          "tracks": [
            {
              "name": "K", "color": "#ff6b35", "sample": "kick", "volume": 0.9, "pan": -0.5, "mute": false, "solo": true, "length": 8,
              "steps": [
                { "active": true, "sample": null, "velocity": 100, "probability": 1, "timing": 0, "effects": null },
                { "active": false, "sample": "bell", "velocity": 64, "probability": 0.5, "timing": -12,
                  "effects": { "filter": { "type": "highpass", "frequency": 800, "q": 2 }, "distortion": { "amount": 0.3 }, "delay": { "time": 0.25, "feedback": 0.4, "mix": 0.5 } } },
                { "active": true }, {}, {}, {}, {}, {}
              ]
            }
          ]
        }
        """;

    [Fact]
    public void A_v1_file_reads_as_before_with_the_new_fields_at_their_defaults_and_writes_back_as_version_2()
    {
        var read = PatternJson.Read(V1File);
        Assert.True(read.Ok, string.Join("; ", read.Errors));
        var p = read.Pattern!;
        Assert.Equal(97.5, p.Bpm);
        Assert.Equal(new TimeSignature(7, 8), p.TimeSignature);
        Assert.Equal(ReverbSettings.Default, p.Master.Reverb);
        Assert.False(p.Master.Compressor.Enabled);
        var t = p.Tracks[0];
        Assert.Equal((null, null, 0.0), (t.Choke, t.Swing, t.Reverb));
        Assert.True(t.Solo);
        Assert.All(t.Steps, s => Assert.Equal((0.0, 0.0, false, (double?)null, 1, (TrigCondition?)null), (s.Pitch, s.Start, s.Reverse, s.Gate, s.Ratchet, s.Condition)));
        Assert.Equal(new StepEffects(new FilterEffect(FilterType.Highpass, 800, 2), new DistortionEffect(0.3), new DelayEffect(0.25, 0.4, 0.5)), t.Steps[1].Effects);
        Assert.Equal(0.5, t.Steps[1].Probability);
        var again = PatternJson.Write(p);
        Assert.Contains("\"version\": 2", again);
        Assert.Equal(p, PatternJson.Read(again).Pattern);
    }

    // A share code made by Orbitr before share code version 2 (the pattern below, encoded by the v1 writer).
    private const string V1Code = "Y-QoM1QozkgsSr1wVGFBL5vAJEUWFsYPosz_3rIeWMne8J2J5wX7PHlmFpbszORsFtbiPKBSFq7knPzi1BTdjMQSZh4GxgZJBgEBVl8GBkYkxMDDyASWADIFz7UxMyABHibmBskNnGA5FAAA";

    [Fact]
    public void A_version_1_share_code_reads_as_before()
    {
        var p = PatternFactory.Create(3, 4242, "v1 share");
        p = PatternEditor.EuclideanFill(p, 0, 5);
        p = PatternEditor.SetStepVelocity(p, 0, 0, 77);
        p = PatternEditor.SetStepTiming(p, 1, 3, -12.5);
        p = PatternEditor.SetStepActive(p, 1, 3, true);
        p = PatternEditor.SetTrackPan(p, 2, 0.3);
        p = p with { Bpm = 133.3, Swing = 25, Master = p.Master with { Volume = 0.7 } };
        Assert.True(ShareCode.TryDecode(V1Code, out var decoded, out var error), error);
        Assert.Equal(p, decoded);
        Assert.NotEqual(V1Code, ShareCode.Encode(p)); // written as version 2 now
    }

    [Theory]
    [InlineData("pitch", "24.5", "tracks[0].steps[0].pitch", "24.5 is outside -24–24")]
    [InlineData("pitch", "\"up\"", "tracks[0].steps[0].pitch", "must be a number, not a string")]
    [InlineData("start", "1", "tracks[0].steps[0].start", "1 is outside 0–0.99")]
    [InlineData("reverse", "1", "tracks[0].steps[0].reverse", "must be true or false, not a number")]
    [InlineData("gate", "0.001", "tracks[0].steps[0].gate", "0.001 is outside 0.005–10")]
    [InlineData("gate", "11", "tracks[0].steps[0].gate", "11 is outside 0.005–10")]
    [InlineData("ratchet", "9", "tracks[0].steps[0].ratchet", "9 is outside 1–8")]
    [InlineData("ratchet", "0", "tracks[0].steps[0].ratchet", "0 is outside 1–8")]
    [InlineData("ratchet", "2.5", "tracks[0].steps[0].ratchet", "2.5 must be a whole number")]
    [InlineData("condition", "\"5:4\"", "tracks[0].steps[0].condition", "\"5:4\" is not a trig condition: in \"A:B\" 1 ≤ A ≤ B ≤ 8")]
    [InlineData("condition", "\"0:4\"", "tracks[0].steps[0].condition", "\"0:4\" is not a trig condition")]
    [InlineData("condition", "\"3:9\"", "tracks[0].steps[0].condition", "\"3:9\" is not a trig condition")]
    [InlineData("condition", "\"sometimes\"", "tracks[0].steps[0].condition", "\"sometimes\" is not a trig condition (\"A:B\"")]
    [InlineData("condition", "\"1:\"", "tracks[0].steps[0].condition", "is not a trig condition")]
    [InlineData("condition", "4", "tracks[0].steps[0].condition", "must be a string, not a number")]
    public void A_bad_step_field_is_reported_at_its_path(string field, string value, string path, string message)
    {
        var json = """{"format":"orbitr.pattern","version":2,"samples":{"k":{"source":"builtin:kick"}},"tracks":[{"sample":"k","length":1,"steps":[{"active":true,""" + "\"" + field + "\":" + value + """}]}],"length":1}""";
        var read = PatternJson.Read(json);
        Assert.False(read.Ok);
        var error = Assert.Single(read.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message.Replace("-24", "−24"), error.Message.Replace("-24", "−24"));
    }

    [Theory]
    [InlineData("\"choke\": 9", "tracks[0].choke", "9 is outside 1–8")]
    [InlineData("\"choke\": 0", "tracks[0].choke", "0 is outside 1–8")]
    [InlineData("\"swing\": 101", "tracks[0].swing", "101 is outside 0–100")]
    [InlineData("\"reverb\": -0.1", "tracks[0].reverb", "is outside 0–1")]
    [InlineData("\"reverb\": null", "tracks[0].reverb", "must be a number, not null")]
    [InlineData("\"midiChannel\": 0", "tracks[0].midiChannel", "0 is outside 1–16")]
    [InlineData("\"midiChannel\": 17", "tracks[0].midiChannel", "17 is outside 1–16")]
    [InlineData("\"midiChannel\": 1.5", "tracks[0].midiChannel", "whole number")]
    [InlineData("\"midiNote\": 128", "tracks[0].midiNote", "128 is outside 0–127")]
    [InlineData("\"midiNote\": -1", "tracks[0].midiNote", "is outside 0–127")]
    public void A_bad_ring_field_is_reported_at_its_path(string field, string path, string message)
    {
        var json = """{"samples":{"k":{"source":"builtin:kick"}},"tracks":[{"sample":"k","length":1,"steps":[{}],""" + field + """}],"length":1}""";
        var read = PatternJson.Read(json);
        var error = Assert.Single(read.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("\"decay\": 0.05", "master.reverb.decay", "0.05 is outside 0.1–10")]
    [InlineData("\"damping\": 2", "master.reverb.damping", "2 is outside 0–1")]
    [InlineData("\"preDelay\": 0.3", "master.reverb.preDelay", "0.3 is outside 0–0.2")]
    [InlineData("\"return\": 1.5", "master.reverb.return", "1.5 is outside 0–1")]
    [InlineData("\"enabled\": \"yes\"", "master.reverb.enabled", "must be true or false")]
    [InlineData("\"size\": 3", "master.reverb.size", "is not a field of an Orbitr pattern")]
    public void A_bad_reverb_field_is_reported_at_its_path(string field, string path, string message)
    {
        var json = """{"master":{"reverb":{""" + field + """}},"samples":{"k":{"source":"builtin:kick"}},"tracks":[{"sample":"k","length":1,"steps":[{}]}],"length":1}""";
        var read = PatternJson.Read(json);
        var error = Assert.Single(read.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Nulls_are_allowed_where_a_field_can_be_absent_and_every_error_comes_at_once()
    {
        var ok = PatternJson.Read("""{"samples":{"k":{"source":"builtin:kick"}},"tracks":[{"sample":"k","choke":null,"swing":null,"length":1,"steps":[{"gate":null,"condition":null}]}],"length":1}""");
        Assert.True(ok.Ok, string.Join("; ", ok.Errors));
        var bad = PatternJson.Read("""{"samples":{"k":{"source":"builtin:kick"}},"tracks":[{"sample":"k","choke":12,"length":2,"steps":[{"pitch":99},{"ratchet":20,"condition":"9:9"}]}],"length":2}""");
        Assert.Equal(["tracks[0].choke", "tracks[0].steps[0].pitch", "tracks[0].steps[1].condition", "tracks[0].steps[1].ratchet"],
            bad.Errors.Select(e => e.Path).Order(StringComparer.Ordinal).ToArray());
    }
}
