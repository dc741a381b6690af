using FsCheck;
using FsCheck.Fluent;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Synthesis.Tests;

public class PromptSynthesizerTests
{
    private const int Rate = 44100;

    private static float[] Make(string prompt, uint seed = 1, double seconds = 2) => PromptSynthesizer.Generate(prompt, seed, seconds, Rate).Channel(0);

    /// <summary>Power-weighted mean frequency of the first 8,192 samples (naive DFT every 43 Hz up to 16 kHz).</summary>
    private static double Centroid(float[] y)
    {
        var n = Math.Min(8192, y.Length);
        double weighted = 0, total = 0;
        for (var f = 43.0; f < 16000; f += 43)
        {
            double re = 0, im = 0;
            var w = 2 * Math.PI * f / Rate;
            for (var i = 0; i < n; i += 2) { re += y[i] * Math.Cos(w * i); im += y[i] * Math.Sin(w * i); }
            var p = re * re + im * im;
            weighted += f * p;
            total += p;
        }
        return weighted / total;
    }

    /// <summary>Seconds until the 10 ms peak envelope stays below −40 dB of its maximum.</summary>
    private static double DecayTime(float[] y)
    {
        var frame = Rate / 100;
        var env = Enumerable.Range(0, y.Length / frame).Select(k => y.Skip(k * frame).Take(frame).Max(MathF.Abs)).ToArray();
        var max = env.Max();
        var last = Array.FindLastIndex(env, e => e > max * 0.01);
        return (last + 1) * 0.01;
    }

    /// <summary>Fundamental by autocorrelation over 40–1000 Hz on a window after the attack.</summary>
    private static double Pitch(float[] y)
    {
        var start = Rate / 50;
        var n = 4096;
        var best = 0.0;
        var bestLag = 0;
        for (var lag = Rate / 1000; lag <= Rate / 40; lag++)
        {
            double c = 0;
            for (var i = start; i < start + n; i++) c += y[i] * y[i + lag];
            if (c > best) { best = c; bestLag = lag; }
        }
        // The first lag with nearly the best correlation is the period (not a multiple of it).
        for (var lag = Rate / 1000; lag < bestLag; lag++)
        {
            double c = 0;
            for (var i = start; i < start + n; i++) c += y[i] * y[i + lag];
            if (c > 0.9 * best && c >= Corr(y, start, n, lag - 1) && c >= Corr(y, start, n, lag + 1)) return (double)Rate / lag;
        }
        return (double)Rate / bestLag;
    }

    private static double Corr(float[] y, int start, int n, int lag)
    {
        double c = 0;
        for (var i = start; i < start + n; i++) c += y[i] * y[i + lag];
        return c;
    }

    [Theory]
    [InlineData("dusty lo-fi kick", SoundKind.Kick)]
    [InlineData("Glass bell, long tail", SoundKind.Bell)]
    [InlineData("trap 808", SoundKind.Kick)]
    [InlineData("crispy closed hi-hat", SoundKind.Hat)]
    [InlineData("warm analog pad in d", SoundKind.Pad)]
    [InlineData("140 bpm white noise riser", SoundKind.Noise)]
    [InlineData("vocal chop", SoundKind.Chop)]
    [InlineData("deep sub bass", SoundKind.Sub)]
    public void The_first_named_kind_wins(string prompt, SoundKind kind) => Assert.Equal(kind, PromptReader.Read(prompt).Kind);

    [Fact]
    public void Adjectives_notes_and_tempo_are_read()
    {
        var bell = PromptReader.Read("glass bell, long tail");
        Assert.True(bell.Brightness > 0 && bell.Length > 0);
        var chord = PromptReader.Read("C minor chord");
        Assert.True(chord.Minor);
        Assert.Equal(130.81, chord.Frequency!.Value, 1);
        Assert.Equal(440, PromptReader.Read("lead a4").Frequency!.Value, 6);
        Assert.Equal(146.83, PromptReader.Read("pad in d").Frequency!.Value, 1);
        Assert.Null(PromptReader.Read("a dusty kick").Frequency); // the article is not a note
        Assert.Equal(140, PromptReader.Read("riser 140 bpm").Bpm);
        var dusty = PromptReader.Read("dusty distorted metallic wet kick");
        Assert.True(dusty.LoFi > 0 && dusty.Drive > 0 && dusty.Metallic > 0 && dusty.Wet > 0);
        var unknown = PromptReader.Read("xyzzy plugh");
        Assert.False(unknown.Recognized);
        Assert.Contains(unknown.Kind, new[] { SoundKind.Pluck, SoundKind.Bell, SoundKind.Pad });
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("kick\u0007", "control character")]
    public void Unusable_prompts_are_refused_with_a_reason(string prompt, string reason)
    {
        Assert.Contains(reason, PromptReader.Problem(prompt));
        Assert.Throws<ArgumentException>(() => PromptSynthesizer.Generate(prompt));
    }

    [Fact]
    public void Prompts_longer_than_200_characters_are_refused()
    {
        Assert.Null(PromptReader.Problem(new string('k', 200)));
        Assert.Contains("201 characters", PromptReader.Problem(new string('k', 201)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptSynthesizer.Generate("kick", 1, 10.5));
    }

    [Fact]
    public void The_same_request_gives_the_same_audio_and_another_seed_a_variation()
    {
        Assert.Equal(Make("dusty kick", 7), Make("dusty kick", 7));
        Assert.Equal(Make("Dusty  KICK", 7), Make("dusty kick", 7)); // normalized prompt
        Assert.NotEqual(Make("dusty kick", 7), Make("dusty kick", 8));
    }

    [Fact]
    public void Bright_sounds_have_a_higher_spectral_centroid_than_dark_ones()
    {
        foreach (var kind in new[] { "hat", "pad", "snare", "pluck" })
        {
            double dark = Centroid(Make($"dark {kind}")), bright = Centroid(Make($"bright {kind}"));
            Assert.True(bright > 1.3 * dark, $"{kind}: bright {bright:F0} Hz vs dark {dark:F0} Hz");
        }
    }

    [Fact]
    public void Long_sounds_decay_later_than_short_ones_and_reverb_adds_a_tail()
    {
        foreach (var kind in new[] { "snare", "kick", "bell", "tom", "hat" })
        {
            double shortT = DecayTime(Make($"short {kind}")), longT = DecayTime(Make($"long {kind}"));
            Assert.True(longT > 1.5 * shortT, $"{kind}: long {longT:F2} s vs short {shortT:F2} s");
        }
        Assert.True(DecayTime(Make("wet clap")) > DecayTime(Make("clap")) + 0.05);
        Assert.True(DecayTime(Make("808 kick")) > 2 * DecayTime(Make("acoustic kick")));
    }

    [Theory]
    [InlineData("pluck c4", 261.63)]
    [InlineData("lead e4", 329.63)]
    [InlineData("bass in a", 55)]
    [InlineData("pluck a2", 110)]
    public void Note_names_set_the_pitch(string prompt, double hz)
    {
        var measured = Pitch(Make(prompt));
        Assert.True(Math.Abs(measured / hz - 1) < 0.03, $"{prompt}: {measured:F1} Hz, expected {hz}");
    }

    [Fact]
    public void Distortion_raises_loudness_for_the_same_peak()
    {
        static double Rms(float[] y) => Math.Sqrt(y.Take(Rate / 2).Average(v => (double)v * v));
        Assert.True(Rms(Make("distorted bass")) > 1.4 * Rms(Make("bass")));
    }

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property Any_prompt_gives_finite_audio_of_the_asked_length_peaking_at_minus_1_dBFS()
    {
        var words = new[] { "kick", "snare", "dark", "bright", "long", "short", "lo-fi", "808", "wet", "metallic", "bell", "pad", "riser", "c4", "minor",
            "120", "bpm", "zzz", "warm", "distorted", "chop", "fx", "noise", "cowbell", "shaker", "rim", "cymbal", "sub", "chord", "in", "a" };
        var gen = from ws in Gen.ListOf(Gen.Elements(words)).Where(l => l.Count > 0).Select(l => l.Take(20))
                  from seed in Gen.Choose(0, 1000)
                  from tenths in Gen.Choose(1, 40)
                  select (string.Join(' ', ws), (uint)seed, tenths / 10.0);
        return Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var y = PromptSynthesizer.Generate(x.Item1, x.Item2, x.Item3, Rate).Channel(0);
            var peak = y.Max(MathF.Abs);
            return y.Length == (int)Math.Round(x.Item3 * Rate) && y.All(float.IsFinite) && Math.Abs(peak - 0.8912509f) < 1e-4;
        });
    }
}
