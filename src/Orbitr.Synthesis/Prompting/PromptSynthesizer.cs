using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Voice;
using Orbitr.Synthesis.Kit;

namespace Orbitr.Synthesis.Prompting;

/// <summary>The built-in generation engine (<c>synth</c>): prompt + seed + duration → a mono one-shot. The prompt is read
/// by <see cref="PromptReader"/>; a source for the sound's kind is shaped by the adjectives (brightness → filter
/// cutoff, length → decay, punch → transient, drive/warmth → saturation, lo-fi → bit and rate reduction, metallic →
/// inharmonic partials, wet → a small Schroeder reverb). Deterministic: the same request gives the same samples; the
/// seed varies noise, detune and partials.</summary>
public static class PromptSynthesizer
{
    public const string EngineName = "synth";
    public const string ModelVersion = "synth-1";
    public const double MinDuration = 0.1, MaxDuration = 10, DefaultDuration = 2;

    public static AudioBuffer Generate(string prompt, uint seed = 0, double durationSeconds = DefaultDuration, int sampleRate = 44100, bool highQuality = false)
    {
        if (PromptReader.Problem(prompt) is { } problem) throw new ArgumentException(problem, nameof(prompt));
        if (!(durationSeconds >= MinDuration && durationSeconds <= MaxDuration))
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, $"duration must be {MinDuration}–{MaxDuration} s");
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
        var normalized = PromptReader.Normalize(prompt);
        var spec = PromptReader.Read(normalized);
        var h = 2166136261u;
        foreach (var c in normalized) h = (h ^ c) * 16777619u;
        return Render(spec, h ^ (seed * 0x9E3779B9u), durationSeconds, sampleRate, highQuality);
    }

    public static AudioBuffer Render(SoundSpec spec, uint seed, double durationSeconds, int rate, bool highQuality = false)
    {
        var n = Math.Max(1, (int)Math.Round(durationSeconds * rate));
        var y = new float[n];
        var rng = new Rng(seed);
        var decay = Math.Pow(2, spec.Length * 1.5);          // ×0.35 … ×2.8
        var bright = Math.Pow(2, spec.Brightness * 2);        // ×0.25 … ×4
        double Vary(double amount) => 1 + amount * rng.NextNoise();

        switch (spec.Kind)
        {
            case SoundKind.Kick:
            {
                var f0 = spec.Frequency ?? (spec.Is808 ? 45 : 52) * Vary(0.04);
                Tone.AddSweep(y, rate, f0 * (spec.Is808 ? 3 : 3.2), f0, spec.Is808 ? 0.05 : 0.03, 1);
                Tone.Decay(y, rate, (spec.Is808 ? 0.45 : 0.12) * decay);
                AddBurst(y, rate, seed, 0.25 + 0.4 * Math.Max(0, spec.Punch), FilterType.Lowpass, 3000 * bright, 0.003);
                break;
            }
            case SoundKind.Snare:
            {
                Tone.AddSweep(y, rate, 250 * Vary(0.05), spec.Frequency ?? 185, 0.02, spec.Acoustic ? 0.4 : 0.6);
                Tone.Decay(y, rate, 0.05 * decay);
                AddBurst(y, rate, seed, 0.9, FilterType.Highpass, 1500 * bright, (spec.Acoustic ? 0.09 : 0.06) * decay);
                break;
            }
            case SoundKind.Clap:
                AddNoise(y, seed, 1);
                Tone.Filter(y, rate, FilterType.Bandpass, Math.Min(1200 * bright, rate * 0.45), 1.2);
                for (var i = 0; i < n; i++)
                {
                    var t = (double)i / rate;
                    y[i] *= (float)(t < 0.03 ? Math.Exp(-(t % 0.01) / 0.003) : 0.7 * Math.Exp(-(t - 0.03) / (0.07 * decay)));
                }
                break;
            case SoundKind.Hat:
            case SoundKind.Cymbal:
            {
                var cymbal = spec.Kind == SoundKind.Cymbal;
                AddNoise(y, seed, 0.7);
                AddPartials(y, rate, 317 * Vary(0.03), [1, 1.47, 1.83, 2.52, 3.09, 4.23], 0.12 + 0.3 * spec.Metallic);
                Tone.Filter(y, rate, FilterType.Highpass, Math.Min((cymbal ? 4500 : 7000) * Math.Sqrt(bright), rate * 0.45), 0.7);
                if (bright < 4) Tone.Filter(y, rate, FilterType.Lowpass, Math.Min(12000 * bright, rate * 0.45), 0.7);
                Tone.Decay(y, rate, (cymbal ? 0.7 : 0.035) * decay, attack: 0.0005);
                break;
            }
            case SoundKind.Tom:
                Tone.AddSweep(y, rate, (spec.Frequency ?? 120) * 1.6, spec.Frequency ?? 120 * Vary(0.05), 0.04, 1);
                Tone.Decay(y, rate, 0.16 * decay);
                AddBurst(y, rate, seed, 0.15, FilterType.Lowpass, 2500 * bright, 0.004);
                break;
            case SoundKind.Rim:
                AddPartials(y, rate, spec.Frequency ?? 480, [1, 3.4], 0.6);
                AddBurst(y, rate, seed, 0.6, FilterType.Bandpass, 1700 * bright, 0.004);
                Tone.Decay(y, rate, 0.012 * decay);
                break;
            case SoundKind.Cowbell:
                Tone.AddSquare(y, rate, 540 * Vary(0.01), 0.5);
                Tone.AddSquare(y, rate, 800 * Vary(0.01), 0.5);
                Tone.Filter(y, rate, FilterType.Bandpass, Math.Min(900 * bright, rate * 0.45), 2);
                Tone.Decay(y, rate, 0.09 * decay, attack: 0.001);
                break;
            case SoundKind.Shaker:
                AddNoise(y, seed, 1);
                Tone.Filter(y, rate, FilterType.Bandpass, Math.Min(6000 * Math.Sqrt(bright), rate * 0.45), 1.5);
                Tone.Decay(y, rate, 0.05 * decay, attack: 0.012);
                break;
            case SoundKind.Bass:
            case SoundKind.Sub:
            {
                var sub = spec.Kind == SoundKind.Sub || spec.Is808;
                var f0 = spec.Frequency is { } f ? NearOctave(f, 41.2, 82.4) : (sub ? 41.2 : 55); // E1–E2
                if (sub) Tone.AddSweep(y, rate, f0 * 1.5, f0, 0.02, 1);
                else
                {
                    AddSaw(y, rate, f0 * Vary(0.002), 0.6, seed);
                    AddSaw(y, rate, f0 * 1.004 * Vary(0.002), 0.6, seed + 1);
                    Tone.Filter(y, rate, FilterType.Lowpass, Math.Min(380 * bright, rate * 0.45), 1.5);
                }
                Tone.Decay(y, rate, (sub ? 0.7 : 0.35) * decay, attack: 0.002);
                break;
            }
            case SoundKind.Pluck:
                Pluck(y, rate, spec.Frequency ?? 220, seed, Math.Clamp(0.996 + 0.003 * spec.Length, 0.98, 0.9995), Math.Clamp(0.5 + 0.25 * spec.Brightness, 0.2, 0.95));
                break;
            case SoundKind.Bell:
            {
                var f0 = spec.Frequency ?? 523.25;
                double[] ratios = spec.Metallic > 0 ? [1, 2.76, 5.4, 8.93, 11.3] : [1, 2.0, 2.76, 4.07, 5.4];
                for (var k = 0; k < ratios.Length; k++)
                {
                    var partial = new float[n];
                    if (f0 * ratios[k] * Vary(0.002) is var fk && fk < rate * 0.45)
                    {
                        AddPartials(partial, rate, fk, [1], Math.Pow(0.6, k) * (k == 0 ? 1 : Math.Min(1.5, 0.8 * bright)));
                        Tone.Decay(partial, rate, 0.6 * decay / (1 + k * 0.7), attack: 0.001);
                        for (var i = 0; i < n; i++) y[i] += partial[i];
                    }
                }
                break;
            }
            case SoundKind.Chord:
            case SoundKind.Pad:
            {
                var pad = spec.Kind == SoundKind.Pad;
                var root = spec.Frequency ?? 261.63;
                double[] intervals = spec.Minor ? [0, 3, 7, 12] : [0, 4, 7, 12];
                foreach (var iv in intervals)
                {
                    var f = root * Math.Pow(2, iv / 12.0);
                    AddSaw(y, rate, f * Vary(0.003), 0.3, seed + (uint)iv);
                    if (pad) AddSaw(y, rate, f * 1.006 * Vary(0.003), 0.3, seed + 100 + (uint)iv);
                }
                Tone.Filter(y, rate, FilterType.Lowpass, Math.Min((pad ? 1100 : 2400) * bright, rate * 0.45), 0.8);
                if (pad) Envelope(y, rate, attack: 0.35 * decay, release: 0.4 * decay);
                else Tone.Decay(y, rate, 0.6 * decay, attack: 0.003);
                break;
            }
            case SoundKind.Lead:
            {
                var f0 = spec.Frequency ?? 440;
                AddSaw(y, rate, f0, 0.5, seed);
                Tone.AddSquare(y, rate, f0 * 1.002, 0.2);
                Tone.Filter(y, rate, FilterType.Lowpass, Math.Min(2800 * bright, rate * 0.45), 2);
                Envelope(y, rate, attack: 0.005, release: 0.25 * decay);
                break;
            }
            case SoundKind.Chop:
            {
                var source = new float[n];
                AddSaw(source, rate, spec.Frequency ?? 220, 1, seed);
                foreach (var (formant, gain) in new[] { (700.0, 1.0), (1220.0, 0.5), (2600.0, 0.25) })
                {
                    var band = (float[])source.Clone();
                    Tone.Filter(band, rate, FilterType.Bandpass, Math.Min(formant * Math.Sqrt(bright), rate * 0.45), 8);
                    for (var i = 0; i < n; i++) y[i] += (float)gain * band[i];
                }
                var gate = spec.Bpm is { } bpm ? 60 / bpm / 2 : 0.18 * decay;
                Envelope(y, rate, attack: 0.004, release: 0.03, hold: gate);
                break;
            }
            case SoundKind.Riser:
            {
                var length = Math.Min(n / (double)rate, spec.Bpm is { } bpm ? 4 * 60 / bpm : n / (double)rate);
                AddNoise(y, seed, 0.6);
                // An exponential glide up from 150 Hz to 4 kHz (scaled by brightness) over the riser's length.
                var rising = new float[n];
                var top = Math.Min(4000 * bright, rate * 0.45);
                double phase = 0;
                for (var i = 0; i < n; i++)
                {
                    var f = 150 * Math.Pow(top / 150, Math.Min(1, (double)i / rate / length));
                    rising[i] = (float)(0.3 * Math.Sin(phase));
                    phase += 2 * Math.PI * f / rate;
                }
                for (var i = 0; i < n; i++)
                {
                    var t = (double)i / rate;
                    var env = t < length ? Math.Pow(t / length, 2) : Math.Exp(-(t - length) / 0.05);
                    y[i] = (float)((y[i] * Math.Min(1, t / length) + rising[i]) * env);
                }
                Tone.Filter(y, rate, FilterType.Highpass, 300, 0.7);
                break;
            }
            case SoundKind.Fx:
                Tone.AddSweep(y, rate, 2400 * bright, 90, 0.06, 1);
                AddBurst(y, rate, seed, 0.4, FilterType.Bandpass, 2000 * bright, 0.03);
                Tone.Decay(y, rate, 0.25 * decay);
                break;
            default: // noise
                AddNoise(y, seed, 1);
                Tone.Filter(y, rate, FilterType.Lowpass, Math.Min(3000 * bright, rate * 0.45), 0.7);
                Envelope(y, rate, attack: 0.05, release: 0.3 * decay);
                break;
        }

        Shape(y, rate, spec, seed, highQuality);
        FadeOut(y, rate);
        return new AudioBuffer([Tone.Normalize(y)], rate);
    }

    // ---- post-processing: the adjectives ----

    private static void Shape(float[] y, int rate, SoundSpec spec, uint seed, bool highQuality)
    {
        // Brightness as an overall tilt too: dark sounds lose their top, bright ones (except the low kinds) their bottom.
        if (spec.Brightness < 0)
            Tone.Filter(y, rate, FilterType.Lowpass, Math.Min(9000 * Math.Pow(2, spec.Brightness * 2), rate * 0.45), 0.7);
        else if (spec.Brightness > 0 && spec.Kind is not (SoundKind.Kick or SoundKind.Bass or SoundKind.Sub or SoundKind.Tom))
            Tone.Filter(y, rate, FilterType.Highpass, 150 * Math.Pow(2, spec.Brightness * 2), 0.7);
        if (spec.Punch != 0)
        {
            var transient = (int)(0.015 * rate);
            for (var i = 0; i < Math.Min(transient, y.Length); i++)
                y[i] *= (float)(1 + spec.Punch * (1 - (double)i / transient));
        }
        if (spec.Metallic > 0 && spec.Kind is not (SoundKind.Bell or SoundKind.Hat or SoundKind.Cymbal))
            for (var i = 0; i < y.Length; i++) y[i] *= (float)(1 - spec.Metallic + spec.Metallic * Math.Sin(2 * Math.PI * 1390 * i / rate));
        if (spec.Drive > 0 || spec.Warmth > 0)
        {
            var drive = 1 + 8 * spec.Drive + 1.5 * spec.Warmth;
            var norm = Math.Tanh(drive);
            for (var i = 0; i < y.Length; i++) y[i] = (float)(Math.Tanh(drive * y[i]) / norm);
            if (spec.Warmth > 0) Tone.Filter(y, rate, FilterType.Lowpass, Math.Min(6000, rate * 0.45), 0.7);
        }
        if (spec.LoFi > 0)
        {
            // Sample-and-hold to a quarter of the rate, 8-bit steps, a little hiss.
            var hold = 4;
            var levels = 128f;
            var rng = new Rng(seed ^ 0x5bd1e995u);
            for (var i = 0; i < y.Length; i++)
            {
                var held = y[i - i % hold];
                y[i] = MathF.Round(held * levels) / levels + 0.004f * rng.NextNoise();
            }
            Tone.Filter(y, rate, FilterType.Lowpass, Math.Min(rate / (2.0 * hold), rate * 0.45), 0.7);
        }
        if (spec.Wet > 0) Reverb(y, rate, spec.Wet * 0.4, highQuality ? 1.6 : 1.0);
    }

    /// <summary>Schroeder reverb: four parallel combs into two allpasses, added as <paramref name="mix"/>·wet.</summary>
    private static void Reverb(float[] y, int rate, double mix, double size)
    {
        var wet = new float[y.Length];
        foreach (var (ms, g) in new[] { (29.7, 0.805), (37.1, 0.827), (41.1, 0.783), (43.7, 0.764) })
        {
            var d = (int)(ms * size * rate / 1000);
            var line = new float[d];
            for (int i = 0, p = 0; i < y.Length; i++, p = p + 1 == d ? 0 : p + 1)
            {
                var o = line[p];
                line[p] = y[i] + (float)g * o;
                wet[i] += o * 0.25f;
            }
        }
        foreach (var ms in new[] { 5.0, 1.7 })
        {
            var d = (int)(ms * rate / 1000);
            var line = new float[d];
            for (int i = 0, p = 0; i < wet.Length; i++, p = p + 1 == d ? 0 : p + 1)
            {
                var o = line[p];
                var v = wet[i] + 0.7f * o;
                line[p] = v;
                wet[i] = o - 0.7f * v;
            }
        }
        for (var i = 0; i < y.Length; i++) y[i] += (float)mix * wet[i];
    }

    // ---- sources ----

    private static void AddNoise(float[] y, uint seed, double gain) => Tone.AddNoise(y, seed, gain);

    private static void AddBurst(float[] y, int rate, uint seed, double gain, FilterType type, double frequency, double tau)
    {
        var burst = new float[y.Length];
        Tone.AddNoise(burst, seed ^ 0xA5A5A5A5u, gain);
        Tone.Filter(burst, rate, type, Math.Clamp(frequency, 30, rate * 0.45), 0.7);
        Tone.Decay(burst, rate, tau);
        for (var i = 0; i < y.Length; i++) y[i] += burst[i];
    }

    private static void AddPartials(float[] y, int rate, double f0, double[] ratios, double gain)
    {
        foreach (var r in ratios)
        {
            var w = 2 * Math.PI * f0 * r / rate;
            if (f0 * r >= rate * 0.45) continue;
            for (var i = 0; i < y.Length; i++) y[i] += (float)(gain * Math.Sin(w * i));
        }
    }

    /// <summary>Band-limited sawtooth (PolyBLEP), cheap at any pitch.</summary>
    private static void AddSaw(float[] y, int rate, double frequency, double gain, uint seed)
    {
        var dt = frequency / rate;
        var phase = (seed % 1000) / 1000.0;
        for (var i = 0; i < y.Length; i++)
        {
            var v = 2 * phase - 1;
            if (phase < dt) { var t = phase / dt; v -= t + t - t * t - 1; }
            else if (phase > 1 - dt) { var t = (phase - 1) / dt; v -= t * t + t + t + 1; }
            y[i] += (float)(gain * v);
            phase += dt;
            if (phase >= 1) phase -= 1;
        }
    }

    /// <summary>Karplus–Strong plucked string: noise through a delay line with an averaging, damped feedback.</summary>
    private static void Pluck(float[] y, int rate, double frequency, uint seed, double damping, double brightness)
    {
        var period = Math.Max(2, (int)Math.Round(rate / frequency));
        var line = new float[period];
        var rng = new Rng(seed);
        for (var i = 0; i < period; i++) line[i] = rng.NextNoise();
        var b = (float)brightness;
        var d = (float)damping;
        for (int i = 0, p = 0; i < y.Length; i++)
        {
            var next = (p + 1) % period;
            var v = line[p];
            y[i] = v;
            line[p] = d * (b * v + (1 - b) * line[next]);
            p = next;
        }
    }

    private static void Envelope(float[] y, int rate, double attack, double release, double hold = -1)
    {
        var n = y.Length;
        var holdEnd = hold >= 0 ? attack + hold : n / (double)rate - release;
        for (var i = 0; i < n; i++)
        {
            var t = (double)i / rate;
            double env = t < attack ? t / attack : t < holdEnd ? 1 : Math.Max(0, 1 - (t - holdEnd) / Math.Max(release, 1e-3));
            y[i] *= (float)env;
        }
    }

    private static void FadeOut(float[] y, int rate)
    {
        var fade = Math.Min(y.Length, (int)(0.005 * rate));
        for (var i = 0; i < fade; i++) y[y.Length - 1 - i] *= (float)i / fade;
    }

    private static double NearOctave(double f, double low, double high)
    {
        while (f > high) f /= 2;
        while (f < low) f *= 2;
        return f;
    }
}
