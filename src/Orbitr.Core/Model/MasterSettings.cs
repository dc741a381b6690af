namespace Orbitr.Core.Model;

/// <summary>Web Audio DynamicsCompressorNode parameters (dB, ratio, seconds).</summary>
public sealed record CompressorSettings(
    bool Enabled = true,
    double Threshold = -24,
    double Knee = 30,
    double Ratio = 12,
    double Attack = 0.003,
    double Release = 0.25)
{
    public const double MinThreshold = -100, MaxThreshold = 0;
    public const double MinKnee = 0, MaxKnee = 40;
    public const double MinRatio = 1, MaxRatio = 20;
    public const double MinAttack = 0, MaxAttack = 1;
    public const double MinRelease = 0, MaxRelease = 1;
}

/// <summary>Brick-wall limiter: identity below <see cref="Ceiling"/> dBFS, never above it (in dBTP, the inter-sample
/// peaks of ITU-R BS.1770's 4× oversampling included, when <see cref="TruePeak"/>).</summary>
public sealed record LimiterSettings(bool Enabled = true, double Ceiling = -1.0)
{
    public const double MinCeiling = -60, MaxCeiling = 0;

    public bool TruePeak { get; init; }
}

public sealed record MasterSettings(double Volume, CompressorSettings Compressor, LimiterSettings Limiter)
{
    /// <summary>The master reverb that the rings' sends feed.</summary>
    public ReverbSettings Reverb { get; init; } = ReverbSettings.Default;

    public const double DefaultVolume = 0.8;
    public const double MinVolume = 0, MaxVolume = 1;

    public static readonly MasterSettings Default = new(DefaultVolume, new CompressorSettings(), new LimiterSettings());
}
