namespace Orbitr.Core.Model;

/// <summary>The master reverb (ARCHITECTURE §2): a convolution with an impulse response computed from these values
/// (Orbitr.Dsp's ReverbImpulse), fed by each ring's <see cref="Track.Reverb"/> send; its return joins the master bus
/// before the compressor.</summary>
public sealed record ReverbSettings(
    bool Enabled = true,
    double Decay = ReverbSettings.DefaultDecay,
    double Damping = 0.5,
    double PreDelay = 0.01,
    double Return = 0.3)
{
    public const double DefaultDecay = 1.5;
    /// <summary>Seconds to −60 dB.</summary>
    public const double MinDecay = 0.1, MaxDecay = 10;
    public const double MinDamping = 0, MaxDamping = 1;
    public const double MinPreDelay = 0, MaxPreDelay = 0.2;
    public const double MinReturn = 0, MaxReturn = 1;

    public static readonly ReverbSettings Default = new();
}
