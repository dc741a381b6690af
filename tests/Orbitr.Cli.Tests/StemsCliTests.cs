using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;

namespace Orbitr.Cli.Tests;

/// <summary><c>orbitr render --stems DIR</c> (issue 25): one WAV per ring (after volume and pan) and one for the
/// reverb's return, named for a DAW, all one length, summing to the render with the compressor and limiter off.</summary>
public class StemsCliTests
{
    private static Pattern Groove(bool reverb = true)
    {
        var p = PatternFactory.Create(5, seed: 12, name: "Stems") with { Bpm = 97.5, Swing = 30 };
        p = PatternEditor.EuclideanFill(p, 0, 4);
        p = PatternEditor.EuclideanFill(p, 1, 2, 4);
        p = PatternEditor.EuclideanFill(p, 2, 11);
        p = PatternEditor.SetStepActive(p, 3, 6, true);
        p = PatternEditor.UpdateStep(p, 4, 12, s => s with { Active = true, Effects = new StepEffects(null, null, new DelayEffect(0.25, 0.5, 0.4)) });
        p = PatternEditor.UpdateTrack(p, 1, t => t with { Reverb = reverb ? 0.6 : 0, Pan = -0.5, Volume = 0.6 });
        p = PatternEditor.UpdateTrack(p, 2, t => t with { Pan = 0.7, Name = "Hat/2" });
        return p with { Master = p.Master with { Volume = 0.7 } };
    }

    private static AudioBuffer Read(string path) => WavReader.ReadFile(path);

    [Fact]
    public void Stems_sum_to_the_render_without_the_master_dynamics_and_are_named_for_a_daw()
    {
        using var cli = new CliRunner();
        var p = Groove();
        File.WriteAllBytes(cli.Path("p.json"), PatternJson.WriteUtf8(p));
        var (code, output, err) = cli.Run("render", cli.Path("p.json"), "--stems", cli.Path("stems"), "--format", "32f", "--cycles", "2");
        Assert.True(code == 0, err);
        Assert.Contains("stems in", output);
        var names = Directory.GetFiles(cli.Path("stems")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(new[]
        {
            "01 O (Kick) 97.5bpm.wav", "02 R (Snare) 97.5bpm.wav", "03 Hat_2 (Closed hat) 97.5bpm.wav", "04 I (Open hat) 97.5bpm.wav",
            "05 T (Clap) 97.5bpm.wav", "06 Reverb return 97.5bpm.wav",
        }, names);
        var stems = names.Select(n => Read(Path.Combine(cli.Path("stems"), n!))).ToList();
        Assert.Single(stems.Select(s => s.Length).Distinct());
        Assert.All(stems, s => Assert.True(s.Peak() > 0.01f, "every stem has its ring"));
        // The snare's pan: its stem is louder on the left.
        Assert.True(stems[1].Channel(0).Max(Math.Abs) > stems[1].Channel(1).Max(Math.Abs) * 1.5);

        var plain = p with { Master = p.Master with { Compressor = p.Master.Compressor with { Enabled = false }, Limiter = p.Master.Limiter with { Enabled = false } } };
        File.WriteAllBytes(cli.Path("plain.json"), PatternJson.WriteUtf8(plain));
        Assert.Equal(0, cli.Run("render", cli.Path("plain.json"), "-o", cli.Path("plain.wav"), "--format", "32f", "--cycles", "2").Code);
        var mix = Read(cli.Path("plain.wav"));
        Assert.True(stems[0].Length >= mix.Length, $"stems {stems[0].Length}, mix {mix.Length}");
        double worst = 0;
        for (var c = 0; c < 2; c++)
            for (var i = 0; i < stems[0].Length; i++)
            {
                var sum = stems.Sum(s => (double)s.Channel(c)[i]);
                var reference = i < mix.Length ? mix.Channel(c)[i] : 0; // past the mix's trimmed tail: silence
                worst = Math.Max(worst, Math.Abs(sum - reference));
            }
        var db = 20 * Math.Log10(Math.Max(worst, 1e-12));
        Assert.True(db < -90, $"stems sum to the mix within {db:F1} dBFS");
    }

    [Fact]
    public void Without_a_reverb_there_is_no_return_stem_and_the_mix_is_written_too()
    {
        using var cli = new CliRunner();
        File.WriteAllBytes(cli.Path("p.json"), PatternJson.WriteUtf8(Groove(reverb: false)));
        var (code, output, err) = cli.Run("render", cli.Path("p.json"), "-o", cli.Path("mix.wav"), "--stems", cli.Path("s"));
        Assert.True(code == 0, err);
        Assert.Contains("to mix.wav and stems in", output);
        Assert.True(File.Exists(cli.Path("mix.wav")));
        Assert.Equal(5, Directory.GetFiles(cli.Path("s")).Length);
        Assert.DoesNotContain(Directory.GetFiles(cli.Path("s")), f => f.Contains("Reverb", StringComparison.Ordinal));
    }

    [Fact]
    public void A_song_has_a_stem_per_ring_of_its_largest_section()
    {
        using var cli = new CliRunner();
        File.WriteAllBytes(cli.Path("a.json"), PatternJson.WriteUtf8(PatternEditor.EuclideanFill(PatternFactory.Create(4, 1) with { Bpm = 120 }, 0, 4)));
        File.WriteAllBytes(cli.Path("b.json"), PatternJson.WriteUtf8(PatternEditor.EuclideanFill(PatternFactory.Create(6, 1) with { Bpm = 90 }, 5, 3)));
        File.WriteAllText(cli.Path("song.json"), """{"format":"orbitr.song","version":1,"name":"S","sections":[{"pattern":"file:a.json"},{"pattern":"file:b.json"}]}""");
        var (code, _, err) = cli.Run("render", cli.Path("song.json"), "--stems", cli.Path("s"), "--format", "32f");
        Assert.True(code == 0, err);
        var files = Directory.GetFiles(cli.Path("s")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(6, files.Count);
        Assert.Equal("06 R (Low tom) 120bpm.wav", files[5]);
        // Ring 6 plays only in the second section, which starts at 2 s.
        var tom = Read(cli.Path(Path.Combine("s", files[5]!)));
        Assert.Equal(0f, tom.Channel(0).Take(2 * 44100 - 10).Max(Math.Abs));
        Assert.True(tom.Peak() > 0.05f);
    }

    [Fact]
    public void Bad_stem_folders_and_a_render_with_no_output_are_refused()
    {
        using var cli = new CliRunner();
        File.WriteAllBytes(cli.Path("p.json"), PatternJson.WriteUtf8(Groove()));
        File.WriteAllText(cli.Path("file"), "x");
        var (code, _, err) = cli.Run("render", cli.Path("p.json"));
        Assert.Equal(1, code);
        Assert.Contains("give -o FILE", err);
        (code, _, err) = cli.Run("render", cli.Path("p.json"), "--stems", cli.Path("file"));
        Assert.Equal(3, code);
        Assert.Contains("that is a file", err);
        (code, _, err) = cli.Run("render", cli.Path("p.json"), "--stems", cli.Path("no/such/place"));
        Assert.Equal(3, code);
        Assert.Contains("does not exist", err);
    }
}
