using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Analysis;

/// <summary>Peaks for drawing a waveform thumbnail: the sound split into <c>bins</c> equal spans, each reduced to its
/// largest absolute sample over all channels (0–1 for audio within full scale). Computed once per sample.</summary>
public static class WaveformPeaks
{
    public const int DefaultBins = 200;

    public static float[] Compute(AudioBuffer audio, int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var peaks = new float[bins];
        if (audio.Length == 0) return peaks;
        for (var c = 0; c < audio.ChannelCount; c++)
        {
            var data = audio.Channel(c);
            for (var b = 0; b < bins; b++)
            {
                var from = (int)((long)b * audio.Length / bins);
                var to = (int)((long)(b + 1) * audio.Length / bins);
                var peak = peaks[b];
                for (var i = from; i < to; i++)
                {
                    var v = MathF.Abs(data[i]);
                    if (v > peak || float.IsNaN(v)) peak = float.IsNaN(v) ? peak : v;
                }
                // A bin narrower than one sample (short sounds, many bins) shows the sample it falls on.
                if (to == from) peak = MathF.Max(peak, MathF.Abs(data[Math.Min(from, audio.Length - 1)]));
                peaks[b] = peak;
            }
        }
        return peaks;
    }
}
