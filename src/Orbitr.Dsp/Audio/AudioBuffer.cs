namespace Orbitr.Dsp.Audio;

/// <summary>Planar float audio (one array per channel, nominal range −1…1) at a sample rate — the unit every stage reads and writes.</summary>
public sealed class AudioBuffer
{
    private readonly float[][] _channels;

    public AudioBuffer(int channelCount, int length, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channelCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        _channels = new float[channelCount][];
        for (var c = 0; c < channelCount; c++) _channels[c] = new float[length];
        SampleRate = sampleRate;
        Length = length;
    }

    /// <summary>Wraps existing channel arrays (not copied); all must have the same length.</summary>
    public AudioBuffer(float[][] channels, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels.Length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        var length = channels[0].Length;
        foreach (var ch in channels)
            if (ch.Length != length) throw new ArgumentException("all channels must have the same length", nameof(channels));
        _channels = channels;
        SampleRate = sampleRate;
        Length = length;
    }

    public int SampleRate { get; }

    public int Length { get; }

    public int ChannelCount => _channels.Length;

    public double Duration => (double)Length / SampleRate;

    public float[] Channel(int index) => _channels[index];

    public Span<float> Span(int channel) => _channels[channel];

    /// <summary>Largest absolute sample value over all channels.</summary>
    public float Peak()
    {
        var peak = 0f;
        foreach (var ch in _channels)
            foreach (var s in ch)
                peak = MathF.Max(peak, MathF.Abs(s));
        return peak;
    }
}
