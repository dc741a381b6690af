using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Finishing;

/// <summary>What every generated sound goes through before it is stored, whatever engine made it: leading silence
/// trimmed (so a step's hit lands on the step), a short fade-out (no click at the cut), and loudness normalized to one
/// target (so sounds from different engines and prompts sit at the same level), with the peak kept under a ceiling.</summary>
public sealed record SampleFinisher(double TargetLufs = -16, double PeakCeilingDbfs = -1, double SilenceThresholdDbfs = -50,
    double PreRollSeconds = 0.002, double FadeOutSeconds = 0.02)
{
    public static SampleFinisher Default { get; } = new();

    /// <summary>A new buffer; the input is not changed.</summary>
    public AudioBuffer Finish(AudioBuffer audio)
    {
        var channels = Enumerable.Range(0, audio.ChannelCount).Select(c => (float[])audio.Channel(c).Clone()).ToArray();
        var rate = audio.SampleRate;

        // Trim: from a little before the first sample above the threshold (all channels); silence stays as it is.
        var threshold = (float)Math.Pow(10, SilenceThresholdDbfs / 20);
        var onset = FirstAbove(channels, threshold);
        if (onset > 0)
        {
            var start = Math.Max(0, onset - (int)Math.Round(PreRollSeconds * rate));
            for (var c = 0; c < channels.Length; c++) channels[c] = channels[c][start..];
        }
        var length = channels[0].Length;

        // Fade-out: a raised-cosine over the last FadeOutSeconds (at most a quarter of the sound).
        var fade = Math.Min((int)Math.Round(FadeOutSeconds * rate), length / 4);
        for (var i = 0; i < fade; i++)
        {
            var g = (float)(0.5 * (1 + Math.Cos(Math.PI * (i + 1) / fade)));
            foreach (var ch in channels) ch[length - fade + i] *= g;
        }

        // Loudness: gain to the target, lowered if the peak would pass the ceiling.
        var loudness = LoudnessMeter.Integrated(channels, rate);
        var peak = channels.Max(ch => ch.Length == 0 ? 0f : ch.Max(MathF.Abs));
        if (double.IsFinite(loudness) && peak > 0)
        {
            var gainDb = Math.Min(TargetLufs - loudness, PeakCeilingDbfs - 20 * Math.Log10(peak));
            var gain = (float)Math.Pow(10, gainDb / 20);
            foreach (var ch in channels)
                for (var i = 0; i < ch.Length; i++) ch[i] *= gain;
        }
        return new AudioBuffer(channels, rate);
    }

    private static int FirstAbove(float[][] channels, float threshold)
    {
        var first = int.MaxValue;
        foreach (var ch in channels)
        {
            var i = ch.AsSpan().IndexOfAnyExceptInRange(-threshold, threshold);
            if (i >= 0) first = Math.Min(first, i);
        }
        return first == int.MaxValue ? 0 : first;
    }
}
