using System.Globalization;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;

namespace Orbitr.Web.Editing;

/// <summary>One lane of the lanes view (issue 26): a step field drawn as a bar per step. A bar's height is the value's
/// position (0 bottom, 1 top; logarithmic for the gate), dragging sets it from the pointer's height and the arrow keys
/// step it; the aria value is the field in its own units.</summary>
public sealed class StepLane
{
    private StepLane(string name, double min, double max, double keyStep, double pageStep, Func<Step, double> value, Func<Step, double, Step> withValue, Func<Step, string> text)
    {
        Name = name;
        Min = min;
        Max = max;
        KeyStep = keyStep;
        PageStep = pageStep;
        _value = value;
        _withValue = withValue;
        _text = text;
    }

    private readonly Func<Step, double> _value;
    private readonly Func<Step, double, Step> _withValue;
    private readonly Func<Step, string> _text;

    public string Name { get; }

    /// <summary>The field's range in its own units (aria-valuemin/max).</summary>
    public double Min { get; }
    public double Max { get; }

    /// <summary>What an arrow key (a Page key) moves: in the field's units, or for a logarithmic lane in position.</summary>
    public double KeyStep { get; }
    public double PageStep { get; }

    /// <summary>A logarithmic lane (the gate: 5 ms to 10 s, whose top is the whole sample).</summary>
    public bool Log { get; private init; }

    /// <summary>Where a bar starts from: the bottom, or the middle for a field with a sign (pitch).</summary>
    public double Origin { get; private init; }

    public double Value(Step s) => _value(s);

    public string Text(Step s) => _text(s);

    public double Position(Step s)
    {
        var v = Math.Clamp(_value(s), Min, Max);
        return Log ? Math.Log(v / Min) / Math.Log(Max / Min) : (v - Min) / (Max - Min);
    }

    /// <summary>The step with the value at <paramref name="position"/> (0–1) of the lane's height.</summary>
    public Step AtPosition(Step s, double position)
    {
        position = Math.Clamp(double.IsFinite(position) ? position : 0, 0, 1);
        var v = Log ? Min * Math.Pow(Max / Min, position) : Min + (Max - Min) * position;
        // A drag lands on whole units (whole velocities, percents, semitones); the gate on milliseconds.
        v = Log ? Math.Round(v, 3) : Math.Round(v / KeyStep) * KeyStep;
        return _withValue(s, Math.Clamp(v, Min, Max));
    }

    /// <summary>The step moved <paramref name="keys"/> arrow keys (or Page keys) up (negative: down).</summary>
    public Step Nudge(Step s, int keys, bool page = false)
    {
        var by = keys * (page ? PageStep : KeyStep);
        if (Log) return AtPosition(s, Position(s) + by);
        return _withValue(s, Math.Clamp(Math.Round((_value(s) + by) * 1000) / 1000, Min, Max));
    }

    public Step ToMin(Step s) => _withValue(s, Min);

    public Step ToMax(Step s) => _withValue(s, Max);

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    public static readonly StepLane Velocity = new("Velocity", VelocityDrag.MinVelocity, Step.MaxVelocity, 1, 10,
        s => s.Velocity, (s, v) => s with { Velocity = (int)Math.Clamp(Math.Round(v), VelocityDrag.MinVelocity, Step.MaxVelocity) },
        s => F(s.Velocity, "0"));

    public static readonly StepLane Probability = new("Probability", 0, 100, 1, 10,
        s => Math.Round(s.Probability * 100, 1), (s, v) => s with { Probability = Math.Clamp(Math.Round(v, 1) / 100, Step.MinProbability, Step.MaxProbability) },
        s => $"{F(s.Probability * 100, "0")} %");

    public static readonly StepLane Pitch = new("Pitch", Step.MinPitch, Step.MaxPitch, 1, 12,
        s => s.Pitch, (s, v) => PatternEditor.WithPitch(s, Math.Round(v, 2)),
        s => s.Pitch == 0 ? "0 st" : $"{(s.Pitch > 0 ? "+" : "−")}{F(Math.Abs(s.Pitch), "0.##")} st")
    { Origin = 0.5 };

    /// <summary>The top of the gate lane is no gate: the whole sample sounds (a gate as long as the longest is the same).</summary>
    public static readonly StepLane Gate = new("Gate", Step.MinGate, Step.MaxGate, 0.02, 0.2,
        s => s.Gate ?? Step.MaxGate, (s, v) => PatternEditor.WithGate(s, v >= Step.MaxGate ? null : Math.Round(v, 3)),
        s => s.Gate is not { } g ? "whole sample" : g < 1 ? $"{F(g * 1000, "0")} ms" : $"{F(g, "0.##")} s")
    { Log = true };

    public static readonly IReadOnlyList<StepLane> All = [Velocity, Probability, Pitch, Gate];
}
