using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Voice;

/// <summary>Renders one voice's chain up to the delay — sample read (start, reverse, pitch: <see cref="SampleReader"/>)
/// → velocity gain → pan → filter → distortion → gate — as a stereo buffer, including the filter's ring-out after the
/// sample ends (a BiquadFilterNode keeps sounding too) unless the gate has closed first.</summary>
public static class VoiceRenderer
{
    internal const float TailFloor = 1e-6f;   // −120 dBFS: below anything a 24-bit render keeps
    private const double MaxFilterTail = 0.5; // seconds

    /// <summary>Longest ring-out a filtered voice keeps after its sample, in frames.</summary>
    public static int FilterTailFrames(int sampleRate) => (int)(MaxFilterTail * sampleRate);

    /// <summary>Bytes the rendered voice of a sample takes at most (stereo floats, with the longest ring-out).</summary>
    public static long MaxBytes(AudioBuffer sample, VoiceKey key)
    {
        var frames = SourceFrames(sample, key.Shape) + (key.Filter is null ? 0L : FilterTailFrames(sample.SampleRate));
        if (key.Shape.Gate is { } gate) frames = Math.Min(frames, GateEnd(gate, sample.SampleRate));
        return frames * 2 * sizeof(float);
    }

    /// <summary>Frames the voice reads from its sample.</summary>
    public static int SourceFrames(AudioBuffer sample, VoiceShape shape) =>
        shape.ReadsWholeSample ? sample.Length : SampleReader.FramesFrom(Math.Clamp(shape.StartFrame, 0, sample.Length), shape.Rate, sample.Length);

    /// <summary>The voice frame from which a gate of <paramref name="gate"/> seconds has closed.</summary>
    public static long GateEnd(double gate, int sampleRate) => Envelopes.SilentFrom(gate * sampleRate, sampleRate);

    public static AudioBuffer Render(AudioBuffer sample, VoiceKey key)
    {
        var shape = key.Shape;
        var source = shape.ReadsWholeSample ? sample : new SampleReader(sample, shape).ReadAll();
        var voice = RenderChain(source, key);
        return shape.Gate is { } gate ? Gate(voice, gate) : voice;
    }

    private static AudioBuffer Gate(AudioBuffer voice, double gate)
    {
        var rate = voice.SampleRate;
        var length = (int)Math.Min(voice.Length, GateEnd(gate, rate));
        Envelopes.Apply(voice.Span(0)[..length], voice.Span(1)[..length], 0, gate * rate, rate);
        if (length == voice.Length) return voice;
        return new AudioBuffer([voice.Channel(0)[..length], voice.Channel(1)[..length]], rate);
    }

    private static AudioBuffer RenderChain(AudioBuffer sample, VoiceKey key)
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
