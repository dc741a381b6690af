namespace Orbitr.Dsp.Audio;

/// <summary>How a file orders its channels: WAV and FLAC use the WAVE/SMPTE order (FL FR FC LFE BL BR SL SR), Vorbis
/// its own (FL FC FR …, LFE last).</summary>
public enum ChannelOrder
{
    Wave,
    Vorbis,
}

/// <summary>Downmix to stereo, in the manner of ITU-R BS.775: a left speaker goes to the left, a right one to the
/// right, a centre (front or back) to both at −3 dB (0.7071), the LFE is dropped. Each output is the weighted
/// average (weights summing to 1), so a signal common to every channel comes out unchanged and nothing clips that
/// did not clip before. Mono stays mono and stereo stays stereo.</summary>
public static class ChannelDownmix
{
    private const float Centre = 0.70710678f;

    private enum Speaker { Left, Right, Centre, Lfe }

    public static int OutputChannels(int channels, int maxChannels = 2) => Math.Min(channels, maxChannels);

    /// <summary>weights[output][input], or null when the channels pass through unchanged (one or two channels).</summary>
    public static float[][]? Weights(int channels, ChannelOrder order)
    {
        if (channels <= 2) return null;
        var speakers = Layout(channels, order);
        var left = new float[channels];
        var right = new float[channels];
        for (var i = 0; i < channels; i++)
        {
            (left[i], right[i]) = speakers[i] switch
            {
                Speaker.Left => (1f, 0f),
                Speaker.Right => (0f, 1f),
                Speaker.Centre => (Centre, Centre),
                _ => (0f, 0f),
            };
        }
        Normalise(left);
        Normalise(right);
        return [left, right];
    }

    private static void Normalise(float[] w)
    {
        var sum = w.Sum();
        for (var i = 0; i < w.Length; i++) w[i] /= sum;
    }

    private static Speaker[] Layout(int channels, ChannelOrder order)
    {
        const Speaker L = Speaker.Left, R = Speaker.Right, C = Speaker.Centre, F = Speaker.Lfe;
        Speaker[]? known = (order, channels) switch
        {
            (ChannelOrder.Wave, 3) => [L, R, C],
            (ChannelOrder.Wave, 4) => [L, R, L, R],                // FL FR BL BR
            (ChannelOrder.Wave, 5) => [L, R, C, L, R],             // FL FR FC BL BR
            (ChannelOrder.Wave, 6) => [L, R, C, F, L, R],          // 5.1
            (ChannelOrder.Wave, 7) => [L, R, C, F, C, L, R],       // FL FR FC LFE BC SL SR
            (ChannelOrder.Wave, 8) => [L, R, C, F, L, R, L, R],    // 7.1
            (ChannelOrder.Vorbis, 3) => [L, C, R],
            (ChannelOrder.Vorbis, 4) => [L, R, L, R],
            (ChannelOrder.Vorbis, 5) => [L, C, R, L, R],
            (ChannelOrder.Vorbis, 6) => [L, C, R, L, R, F],
            (ChannelOrder.Vorbis, 7) => [L, C, R, L, R, C, F],     // FL FC FR SL SR BC LFE
            (ChannelOrder.Vorbis, 8) => [L, C, R, L, R, L, R, F],  // FL FC FR SL SR BL BR LFE
            _ => null,
        };
        // No defined layout (more than eight): even channels left, odd ones right.
        return known ?? [.. Enumerable.Range(0, channels).Select(i => i % 2 == 0 ? L : R)];
    }
}
