namespace Orbitr.Core.Model;

/// <summary>One step of a ring: whether it plays, what, how loud, how likely, how early or late, through which effects,
/// and how its sound is shaped (pitch, start, reverse, gate), how often it fires (ratchet) and when (condition).</summary>
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

    public const double MinPitch = -24, MaxPitch = 24;
    public const double MinStart = 0, MaxStart = 0.99;
    public const double MinGate = 0.005, MaxGate = 10;
    public const int MinRatchet = 1, MaxRatchet = 8;

    /// <summary>Semitones: the voice plays at rate 2^(pitch/12).</summary>
    public double Pitch { get; init; }

    /// <summary>Where in the sample playback begins, as a fraction of its frames (of the reversed sample when <see cref="Reverse"/>).</summary>
    public double Start { get; init; }

    public bool Reverse { get; init; }

    /// <summary>Seconds at full gain from the onset, then a 5 ms linear fall to silence; null plays the whole sample.</summary>
    public double? Gate { get; init; }

    /// <summary>How many times the step fires within its step's time (evenly spaced).</summary>
    public int Ratchet { get; init; } = 1;

    /// <summary>When the step plays; null: every cycle.</summary>
    public TrigCondition? Condition { get; init; }

    /// <summary>Whether the voice is played as-is (no pitch, start, reverse or gate).</summary>
    public bool PlaysWholeSample => Pitch == 0 && Start == 0 && !Reverse && Gate is null;

    public static readonly Step Off = new();

    public static readonly Step On = new(Active: true);

    /// <summary>Linear voice gain of the step: velocity/127.</summary>
    public double Gain => Velocity / 127.0;
}
