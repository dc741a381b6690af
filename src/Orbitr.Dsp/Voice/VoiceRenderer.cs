using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Voice;

/// <summary>Renders one voice's chain up to the delay — velocity gain → pan → filter → distortion — as a stereo
/// buffer, including the filter's ring-out after the sample ends (a BiquadFilterNode keeps sounding too).</summary>
public static class VoiceRenderer
{
    internal const float TailFloor = 1e-6f;   // −120 dBFS: below anything a 24-bit render keeps
    private const double MaxFilterTail = 0.5; // seconds

    /// <summary>Longest ring-out a filtered voice keeps after its sample, in frames.</summary>
    public static int FilterTailFrames(int sampleRate) => (int)(MaxFilterTail * sampleRate);

    /// <summary>Bytes the rendered voice of a sample takes at most (stereo floats, with the longest ring-out).</summary>
    public static long MaxBytes(AudioBuffer sample, VoiceKey key) =>
        (sample.Length + (key.Filter is null ? 0L : FilterTailFrames(sample.SampleRate))) * 2 * sizeof(float);

    public static AudioBuffer Render(AudioBuffer sample, VoiceKey key)
    {
        var rate = sample.SampleRate;
        var tail = key.Filter is null ? 0 : FilterTailFrames(rate);
        var length = sample.Length + tail;
        var output = new AudioBuffer(2, length, rate);
        var left = output.Span(0);
        var right = output.Span(1);
        var gain = (float)key.Gain;
        if (sample.ChannelCount == 1)
            EqualPowerPan.Mono(sample.Span(0), gain, key.Pan, left, right);
        else
            EqualPowerPan.Stereo(sample.Span(0), sample.Span(1), gain, key.Pan, left, right);

        if (key.Filter is { } f)
        {
            new BiquadFilter(f.Type, f.Frequency, f.Q, rate).Process(left);
            new BiquadFilter(f.Type, f.Frequency, f.Q, rate).Process(right);
        }
        if (key.Distortion is { Amount: > 0 } d)
        {
            var shaper = new WaveShaper(DistortionCurve.Create(d.Amount));
            shaper.Process(left);
            shaper.Process(right);
        }
        return tail == 0 ? output : TrimTail(output, sample.Length);
    }

    private static AudioBuffer TrimTail(AudioBuffer buffer, int minLength)
    {
        var last = minLength - 1;
        for (var i = buffer.Length - 1; i >= minLength; i--)
        {
            if (MathF.Abs(buffer.Channel(0)[i]) > TailFloor || MathF.Abs(buffer.Channel(1)[i]) > TailFloor)
            {
                last = i;
                break;
            }
        }
        var length = last + 1;
        if (length == buffer.Length) return buffer;
        return new AudioBuffer([buffer.Channel(0)[..length], buffer.Channel(1)[..length]], buffer.SampleRate);
    }
}
