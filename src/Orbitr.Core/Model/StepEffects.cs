namespace Orbitr.Core.Model;

public enum FilterType { Lowpass, Highpass, Bandpass }

/// <summary>Biquad filter settings (Web Audio BiquadFilterNode semantics).</summary>
public sealed record FilterEffect(FilterType Type = FilterType.Lowpass, double Frequency = 1000, double Q = 1)
{
    public const double MinFrequency = 20, MaxFrequency = 20000;
    public const double MinQ = 0.0001, MaxQ = 30;
}

/// <summary>Waveshaper drive: 0 is the identity, 1 the hardest curve.</summary>
public sealed record DistortionEffect(double Amount = 0)
{
    public const double MinAmount = 0, MaxAmount = 1;
}

/// <summary>Feedback delay: output = dry + mix·wet.</summary>
public sealed record DelayEffect(double Time = 0.25, double Feedback = 0.3, double Mix = 0.3)
{
    public const double MinTime = 0.01, MaxTime = 2;
    public const double MinFeedback = 0, MaxFeedback = 0.95;
    public const double MinMix = 0, MaxMix = 1;
}

/// <summary>Per-step effects; each is optional.</summary>
public sealed record StepEffects(FilterEffect? Filter = null, DistortionEffect? Distortion = null, DelayEffect? Delay = null)
{
    public bool IsEmpty => Filter is null && Distortion is null && Delay is null;
}
