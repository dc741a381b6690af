using Orbitr.Core.Kit;
using Orbitr.Dsp.Audio;
using Orbitr.Synthesis.Kit;

namespace Orbitr.Synthesis.Tests;

/// <summary>Ear proxies: the kit's sounds are checked by measurable features, not only that audio came out.</summary>
public class KitTests
{
    private static readonly Dictionary<string, AudioBuffer> Kit = KitSynthesizer.Names.ToDictionary(n => n, n => KitSynthesizer.Render(n));

    /// <summary>Power spectrum of the first <paramref name="seconds"/> (Hann window, plain DFT over a decimated bin grid).</summary>
    private static (double[] Freqs, double[] Power) Spectrum(AudioBuffer b, double seconds = 0.25, int bins = 400)
    {
        var n = Math.Min(b.Length, (int)(seconds * b.SampleRate));
        var x = b.Channel(0);
        var freqs = new double[bins];
        var power = new double[bins];
        for (var k = 0; k < bins; k++)
        {
            // Log-spaced analysis frequencies from 20 Hz to 20 kHz, each weighted by its bandwidth.
            var f = 20 * Math.Pow(1000, (k + 0.5) / bins);
            double re = 0, im = 0;
            for (var i = 0; i < n; i++)
            {
                var w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (n - 1));
                var a = 2 * Math.PI * f * i / b.SampleRate;
                re += x[i] * w * Math.Cos(a);
                im -= x[i] * w * Math.Sin(a);
            }
            freqs[k] = f;
            power[k] = (re * re + im * im) * f; // × bandwidth ∝ f on a log grid
        }
        return (freqs, power);
    }

    private static double FractionBelow(AudioBuffer b, double hz)
    {
        var (f, p) = Spectrum(b);
        return f.Zip(p).Where(t => t.First < hz).Sum(t => t.Second) / p.Sum();
    }

    private static double Centroid(AudioBuffer b)
    {
        var (f, p) = Spectrum(b);
        return f.Zip(p).Sum(t => t.First * t.Second) / p.Sum();
    }

    /// <summary>Time until the envelope (10 ms RMS) falls 40 dB under its peak.</summary>
    private static double DecaySeconds(AudioBuffer b)
    {
        var x = b.Channel(0);
        var win = b.SampleRate / 100;
        var rms = Enumerable.Range(0, x.Length / win).Select(w => Math.Sqrt(x.Skip(w * win).Take(win).Average(v => v * (double)v))).ToArray();
        var peak = rms.Max();
        var last = Array.FindLastIndex(rms, r => r > peak / 100);
        return (last + 1) * 0.01;
    }

    /// <summary>Fundamental by autocorrelation over 30–400 Hz.</summary>
    private static double Pitch(AudioBuffer b, double from = 0.05, double seconds = 0.15)
    {
        var x = b.Channel(0).Skip((int)(from * b.SampleRate)).Take((int)(seconds * b.SampleRate)).ToArray();
        var best = 0; var bestScore = double.MinValue;
        for (var lag = b.SampleRate / 400; lag <= b.SampleRate / 30; lag++)
        {
            double s = 0;
            for (var i = 0; i + lag < x.Length; i++) s += x[i] * x[i + lag];
            s /= x.Length - lag;
            if (s > bestScore) { bestScore = s; best = lag; }
        }
        return (double)b.SampleRate / best;
    }

    [Fact]
    public void Every_builtin_name_has_a_sound() =>
        Assert.Equal(BuiltinSounds.All.Select(s => s.Name), KitSynthesizer.Names);

    [Fact]
    public void Unknown_names_are_refused_with_the_list() =>
        Assert.Contains("kick", Assert.Throws<ArgumentException>(() => KitSynthesizer.Render("didgeridoo")).Message);

    [Fact]
    public void Sounds_peak_near_minus_one_dbfs_start_at_once_and_end_silent()
    {
        foreach (var (name, b) in Kit)
        {
            var peakDb = 20 * Math.Log10(b.Peak());
            Assert.InRange(peakDb, -1.01, -0.99);
            var x = b.Channel(0);
            var firstLoud = Array.FindIndex(x, v => Math.Abs(v) > 0.01);
            Assert.True(firstLoud < b.SampleRate / 50, $"{name} starts {firstLoud} samples late");
            var tail = x.Skip(x.Length - b.SampleRate / 100).Max(Math.Abs);
            Assert.True(20 * Math.Log10(tail + 1e-12) < -50, $"{name} ends at {20 * Math.Log10(tail):0} dBFS");
            Assert.True(Math.Abs(x.Average(v => (double)v)) < 1e-3, $"{name} has DC");
        }
    }

    [Fact]
    public void Kick_energy_is_mostly_below_150_hz() => Assert.True(FractionBelow(Kit["kick"], 150) > 0.7, $"{FractionBelow(Kit["kick"], 150):P0}");

    [Theory]
    [InlineData("closed-hat")]
    [InlineData("open-hat")]
    [InlineData("crash")]
    [InlineData("shaker")]
    public void Hats_and_cymbals_are_mostly_above_5_khz(string name) =>
        Assert.True(1 - FractionBelow(Kit[name], 5000) > 0.7, $"{name}: {1 - FractionBelow(Kit[name], 5000):P0} above 5 kHz");

    [Fact]
    public void Snare_is_brighter_than_the_kick_and_darker_than_the_hat()
    {
        var (kick, snare, hat) = (Centroid(Kit["kick"]), Centroid(Kit["snare"]), Centroid(Kit["closed-hat"]));
        Assert.True(kick < snare && snare < hat, $"centroids kick {kick:0} Hz, snare {snare:0} Hz, hat {hat:0} Hz");
    }

    [Fact]
    public void Low_tom_is_lower_than_high_tom_and_bass_sits_at_55_hz()
    {
        var (low, high) = (Pitch(Kit["low-tom"]), Pitch(Kit["high-tom"]));
        Assert.True(low < high * 0.75, $"low {low:0} Hz, high {high:0} Hz");
        Assert.InRange(Pitch(Kit["bass"], 0.02, 0.2), 53, 57);
    }

    [Fact]
    public void Closed_hat_is_shorter_than_open_hat_and_crash_rings_longest()
    {
        var (closed, open, crash) = (DecaySeconds(Kit["closed-hat"]), DecaySeconds(Kit["open-hat"]), DecaySeconds(Kit["crash"]));
        Assert.True(closed < open && open < crash, $"closed {closed}s, open {open}s, crash {crash}s");
        Assert.InRange(closed, 0.03, 0.15);
        Assert.True(Kit.Values.All(b => DecaySeconds(b) <= DecaySeconds(Kit["crash"])));
    }

    [Theory]
    [InlineData(22050)]
    [InlineData(44100)]
    [InlineData(48000)]
    public void Rendering_is_deterministic_at_every_rate(int rate)
    {
        foreach (var name in KitSynthesizer.Names)
        {
            var a = KitSynthesizer.Render(name, rate);
            Assert.Equal(rate, a.SampleRate);
            Assert.Equal(a.Channel(0), KitSynthesizer.Render(name, rate).Channel(0));
        }
    }
}
