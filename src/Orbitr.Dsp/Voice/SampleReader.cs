using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Voice;

/// <summary>Reads a sample as Chromium's AudioBufferSourceNode plays it (start offset, playbackRate, reversed buffer),
/// so the renderer and the browser read the same values. The read position starts at frame
/// <see cref="VoiceShape.StartFrame"/> and grows by the rate each output frame (accumulated in double, as Chromium's
/// virtual read index is); output frame k is the linear interpolation (1 − f)·s[i] + f·s[i + 1] at i = ⌊p⌋, f = p − i,
/// computed in double and rounded to float. At the last frame (i + 1 past the end) the value is extrapolated from the
/// last two frames, s[i] + (s[i] − s[i − 1])·f (for a 1-frame sample: s[0]). The voice ends at the first output frame
/// whose position is at or past the sample's length. At rate 1 from a whole frame that is an exact copy.</summary>
public sealed class SampleReader
{
    private readonly AudioBuffer _sample;
    private readonly bool _reverse;
    private readonly double _rate;
    private double _position;

    public SampleReader(AudioBuffer sample, VoiceShape shape)
    {
        _sample = sample;
        _reverse = shape.Reverse;
        _rate = shape.Rate;
        if (!(_rate > 0) || !double.IsFinite(_rate)) throw new ArgumentOutOfRangeException(nameof(shape), "the playback rate must be positive");
        _position = Math.Clamp(shape.StartFrame, 0, sample.Length);
        Length = FramesFrom(_position, _rate, sample.Length);
    }

    /// <summary>Output frames the voice reads from its sample.</summary>
    public int Length { get; }

    public int ChannelCount => _sample.ChannelCount;

    /// <summary>Frames an AudioBufferSourceNode plays from position <paramref name="start"/> at <paramref name="rate"/>.</summary>
    public static int FramesFrom(double start, double rate, int length)
    {
        if (!(rate > 0) || !double.IsFinite(rate)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "the playback rate must be positive");
        if (rate == 1) return (int)Math.Max(0, Math.Ceiling(length - start));
        // The same accumulation as the reads, so the count matches them exactly.
        var n = 0;
        for (var p = start; p < length; p += rate) n++;
        return n;
    }

    /// <summary>The next <c>left.Length</c> frames of channel 0 into <paramref name="left"/> and of channel 1 (for a
    /// stereo sample) into <paramref name="right"/>; frames past <see cref="Length"/> are zero.</summary>
    public void Read(Span<float> left, Span<float> right)
    {
        left.Clear();
        if (_sample.ChannelCount > 1) right.Clear();
        var length = _sample.Length;
        var stereo = _sample.ChannelCount > 1;
        var s0 = _sample.Channel(0);
        var s1 = stereo ? _sample.Channel(1) : s0;
        var p = _position;
        for (var k = 0; k < left.Length; k++)
        {
            if (!(p < length)) break;
            var i = (int)p;
            var f = p - i;
            left[k] = Interpolate(s0, i, f, length);
            if (stereo) right[k] = Interpolate(s1, i, f, length);
            p += _rate;
        }
        _position = p;
    }

    /// <summary>The whole voice as a buffer (the cached path).</summary>
    public AudioBuffer ReadAll()
    {
        var output = new AudioBuffer(_sample.ChannelCount, Length, _sample.SampleRate);
        Read(output.Span(0), _sample.ChannelCount > 1 ? output.Span(1) : default);
        return output;
    }

    private float Interpolate(float[] s, int i, double f, int length)
    {
        var a = At(s, i, length);
        if (f == 0) return a;
        if (i + 1 >= length)
        {
            if (i < 1) return a;
            var before = At(s, i - 1, length);
            return (float)(a + ((double)a - before) * f);
        }
        var b = At(s, i + 1, length);
        return (float)((1.0 - f) * a + f * b);
    }

    private float At(float[] s, int i, int length) => _reverse ? s[length - 1 - i] : s[i];
}
