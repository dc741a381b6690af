using Orbitr.Core.Model;

namespace Orbitr.Dsp.Voice;

/// <summary>How a voice reads its sample and how long it sounds (ARCHITECTURE §2, pattern v2): playback rate (the
/// float-rounded 2^(pitch/12)), the first frame read (of the reversed sample when <see cref="Reverse"/>), and the gate
/// in seconds (null: the whole sample). The default plays the sample as it is.</summary>
public readonly record struct VoiceShape(double Rate = 1, int StartFrame = 0, bool Reverse = false, double? Gate = null)
{
    // Not new(): for a struct that is the zeroed value (rate 0), not the primary constructor's defaults.
    public static readonly VoiceShape Whole = new(Rate: 1);

    public bool ReadsWholeSample => Rate == 1 && StartFrame == 0 && !Reverse;

    /// <summary>A step's shape for a sample of <paramref name="frames"/> frames: start frame ⌊start × frames⌋.</summary>
    public static VoiceShape Of(Step? step, double rate, int frames) => step is null || step.PlaysWholeSample
        ? Whole
        : new VoiceShape(rate, (int)Math.Floor(step.Start * frames), step.Reverse, step.Gate);
}

/// <summary>Everything a voice's sound depends on before the delay: two notes with equal keys sound identical,
/// so the renderer renders each key once.</summary>
public readonly record struct VoiceKey(string SampleKey, double Gain, double Pan, FilterEffect? Filter, DistortionEffect? Distortion,
    VoiceShape Shape = default)
{
    // default(VoiceShape) has Rate 0: normalise to the whole sample.
    public VoiceShape Shape { get; init; } = Shape.Rate == 0 ? VoiceShape.Whole : Shape;
}
