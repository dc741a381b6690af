namespace Orbitr.Core.Model;

/// <summary>One step of a ring: whether it plays, what, how loud, how likely, how early or late, through which effects.</summary>
public sealed record Step(
    bool Active = false,
    string? Sample = null,
    int Velocity = Step.DefaultVelocity,
    double Probability = 1,
    double Timing = 0,
    StepEffects? Effects = null)
{
    public const int DefaultVelocity = 100;
    public const int MinVelocity = 0, MaxVelocity = 127;
    public const double MinProbability = 0, MaxProbability = 1;
    /// <summary>Micro-timing range in milliseconds.</summary>
    public const double MinTiming = -50, MaxTiming = 50;

    public static readonly Step Off = new();

    public static readonly Step On = new(Active: true);

    /// <summary>Linear voice gain of the step: velocity/127.</summary>
    public double Gain => Velocity / 127.0;
}
