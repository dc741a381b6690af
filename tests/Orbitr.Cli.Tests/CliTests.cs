using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;

namespace Orbitr.Cli.Tests;

public class CliTests
{
    private static string WritePattern(CliRunner cli, Pattern p, string name = "p.json")
    {
        var path = cli.Path(name);
        File.WriteAllBytes(path, PatternJson.WriteUtf8(p));
        return path;
    }

    [Fact]
    public void New_writes_a_valid_default_pattern_and_refuses_to_overwrite()
    {
        using var cli = new CliRunner();
        var (code, _, _) = cli.Run("new", "-o", cli.Path("a.json"), "--tracks", "8");
        Assert.Equal(0, code);
        var read = PatternJson.Read(File.ReadAllBytes(cli.Path("a.json")));
        Assert.True(read.Ok);
        Assert.Equal(8, read.Pattern!.Tracks.Count);
        var again = cli.Run("new", "-o", cli.Path("a.json"));
        Assert.Equal(ExitCodes.Io, again.Code);
        Assert.Contains("already exists", again.Err);
        Assert.Equal(0, cli.Run("new", "-o", cli.Path("a.json"), "--force").Code);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("9")]
    [InlineData("many")]
    public void New_rejects_a_track_count_outside_four_to_eight(string tracks)
    {
        using var cli = new CliRunner();
        var (code, _, err) = cli.Run("new", "-o", cli.Path("a.json"), "--tracks", tracks);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(cli.Path("a.json")));
    }

    [Fact]
    public void Validate_exits_zero_for_a_valid_pattern()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("validate", WritePattern(cli, PatternFactory.Create(6, 1)));
        Assert.Equal(0, code);
        Assert.Contains("valid", output);
    }

    [Fact]
    public void Validate_exits_two_and_lists_every_error_with_its_path()
    {
        using var cli = new CliRunner();
        File.WriteAllText(cli.Path("bad.json"), """{ "bpm": 500, "tracks": [ { "length": 2, "steps": [ { "velocity": 140 }, { "timing": -80 } ] } ], "length": 2 }""");
        var (code, _, err) = cli.Run("validate", cli.Path("bad.json"));
        Assert.Equal(2, code);
        Assert.Contains("bpm: 500 is outside 40–200", err);
        Assert.Contains("tracks[0].steps[0].velocity: 140 is outside 0–127", err);
        Assert.Contains("tracks[0].steps[1].timing: -80 is outside -50–50", err);
    }

    [Fact]
    public void A_missing_pattern_file_is_one_line_and_exit_three()
    {
        using var cli = new CliRunner();
        var (code, _, err) = cli.Run("validate", cli.Path("nope.json"));
        Assert.Equal(ExitCodes.Io, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Render_writes_a_wav_with_the_notes_of_the_pattern()
    {
        using var cli = new CliRunner();
        var p = PatternEditor.EuclideanFill(PatternFactory.Create(6, 1), 0, 4);
        var (code, _, err) = cli.Run("render", WritePattern(cli, p), "-o", cli.Path("out.wav"), "--cycles", "2", "--format", "32f", "--tail", "0.5");
        Assert.True(code == 0, err);
        var wav = WavReader.ReadFile(cli.Path("out.wav"));
        Assert.Equal(2, wav.ChannelCount);
        Assert.Equal(44100, wav.SampleRate);
        Assert.Equal((int)Math.Round((2 * p.CycleSeconds + 0.5) * 44100), wav.Length);
        // Kick on every beat: energy right after each onset, silence just before the first one ends.
        Assert.True(wav.Peak() > 0.1f);
        for (var beat = 0; beat < 8; beat++)
        {
            var at = (int)Math.Round(beat * 0.5 * 44100);
            Assert.True(Rms(wav.Channel(0), at, 2000) > 0.01, $"no kick at beat {beat}");
        }
    }

    [Theory]
    [InlineData("16", 16)]
    [InlineData("24", 24)]
    [InlineData("32f", 32)]
    public void Render_writes_the_requested_bit_depth_and_rate(string format, int bits)
    {
        using var cli = new CliRunner();
        var p = PatternEditor.EuclideanFill(PatternFactory.Create(4, 1), 1, 2);
        var (code, _, err) = cli.Run("render", WritePattern(cli, p), "-o", cli.Path("o.wav"), "--format", format, "-r", "48000", "--tail", "0");
        Assert.True(code == 0, err);
        var bytes = File.ReadAllBytes(cli.Path("o.wav"));
        Assert.Equal(bits, BitConverter.ToInt16(bytes, 34));
        Assert.Equal(48000, BitConverter.ToInt32(bytes, 24));
    }

    [Fact]
    public void Render_reads_file_samples_relative_to_the_pattern_and_resamples_them()
    {
        using var cli = new CliRunner();
        Directory.CreateDirectory(cli.Path("sounds"));
        var click = new AudioBuffer(1, 100, 22050);
        click.Channel(0)[0] = 0.5f;
        File.WriteAllBytes(cli.Path("sounds/click.wav"), WavWriter.ToBytes(click, WavSampleFormat.Float32));
        var p = PatternFactory.Create(4, 1);
        p = p with { Samples = p.Samples.Add(new SampleEntry("click", SampleRef.File("sounds/click.wav"))) };
        p = PatternEditor.SetTrackSample(p, 0, "click");
        p = PatternEditor.ToggleStep(p, 0, 0);
        var (code, _, err) = cli.Run("render", WritePattern(cli, p), "-o", cli.Path("o.wav"), "--format", "32f", "--tail", "0");
        Assert.True(code == 0, err);
        Assert.True(WavReader.ReadFile(cli.Path("o.wav")).Peak() > 0.05f);
    }

    [Fact]
    public void Render_names_a_missing_sample_and_leaves_no_output()
    {
        using var cli = new CliRunner();
        var p = PatternFactory.Create(4, 1);
        p = p with { Samples = p.Samples.Add(new SampleEntry("vox", SampleRef.File("vox.wav"))) };
        p = PatternEditor.SetTrackSample(p, 2, "vox");
        p = PatternEditor.ToggleStep(p, 2, 0);
        var (code, _, err) = cli.Run("render", WritePattern(cli, p), "-o", cli.Path("o.wav"));
        Assert.Equal(ExitCodes.Sample, code);
        Assert.Contains("\"vox\"", err);
        Assert.Contains("vox.wav", err);
        Assert.False(File.Exists(cli.Path("o.wav")));
        Assert.Empty(Directory.GetFiles(cli.Dir, "*.tmp"));
    }

    [Fact]
    public void Render_of_a_corrupt_sample_fails_with_code_1002_and_keeps_an_existing_output()
    {
        using var cli = new CliRunner();
        File.WriteAllText(cli.Path("bad.wav"), "RIFF....WAVEjunk");
        File.WriteAllText(cli.Path("o.wav"), "previous render");
        var p = PatternFactory.Create(4, 1);
        p = p with { Samples = p.Samples.Add(new SampleEntry("bad", SampleRef.File("bad.wav"))) };
        p = PatternEditor.SetStepSample(PatternEditor.ToggleStep(p, 0, 0), 0, 0, "bad");
        var (code, _, err) = cli.Run("render", WritePattern(cli, p), "-o", cli.Path("o.wav"));
        Assert.Equal(ExitCodes.Sample, code);
        Assert.Contains("1002", err);
        Assert.Equal("previous render", File.ReadAllText(cli.Path("o.wav")));
    }

    [Fact]
    public void Render_of_an_invalid_pattern_exits_two()
    {
        using var cli = new CliRunner();
        File.WriteAllText(cli.Path("bad.json"), """{ "bpm": 10 }""");
        var (code, _, err) = cli.Run("render", cli.Path("bad.json"), "-o", cli.Path("o.wav"));
        Assert.Equal(2, code);
        Assert.Contains("bpm: 10 is outside 40–200", err);
    }

    [Theory]
    [InlineData("--cycles", "0")]
    [InlineData("--format", "8")]
    [InlineData("--sample-rate", "100")]
    [InlineData("--tail", "forever")]
    public void Render_rejects_bad_options_in_one_line(string option, string value)
    {
        using var cli = new CliRunner();
        var (code, _, err) = cli.Run("render", WritePattern(cli, PatternFactory.Create(4, 1)), "-o", cli.Path("o.wav"), option, value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Midi_writes_a_standard_midi_file()
    {
        using var cli = new CliRunner();
        var p = PatternEditor.EuclideanFill(PatternFactory.Create(6, 1), 0, 4);
        var (code, _, err) = cli.Run("midi", WritePattern(cli, p), "-o", cli.Path("o.mid"), "--cycles", "4");
        Assert.True(code == 0, err);
        var bytes = File.ReadAllBytes(cli.Path("o.mid"));
        Assert.Equal("MThd", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(1, bytes[9]); // format 1
    }

    [Fact]
    public void Writing_into_a_missing_folder_is_a_clear_error()
    {
        using var cli = new CliRunner();
        var (code, _, err) = cli.Run("midi", WritePattern(cli, PatternFactory.Create(4, 1)), "-o", cli.Path("no/such/dir/o.mid"));
        Assert.Equal(ExitCodes.Io, code);
        Assert.Contains("does not exist", err);
    }

    private static double Rms(float[] x, int from, int count)
    {
        double sum = 0;
        for (var i = from; i < Math.Min(x.Length, from + count); i++) sum += x[i] * x[i];
        return Math.Sqrt(sum / count);
    }
}
