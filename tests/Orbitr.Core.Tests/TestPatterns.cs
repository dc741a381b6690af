using Orbitr.Core.Editing;
using Orbitr.Core.Model;

namespace Orbitr.Core.Tests;

/// <summary>Hand-made patterns shared by the Core tests.</summary>
internal static class TestPatterns
{
    /// <summary>Six rings with a few steps on each, swing and micro-timing, seeded.</summary>
    public static Pattern Busy(double swing = 30, uint seed = 7)
    {
        var p = PatternFactory.Create(6, seed) with { Swing = swing };
        p = PatternEditor.EuclideanFill(p, 0, 4);
        p = PatternEditor.EuclideanFill(p, 1, 2, 4);
        p = PatternEditor.EuclideanFill(p, 2, 11);
        p = PatternEditor.SetTrackLength(p, 3, 12);
        p = PatternEditor.EuclideanFill(p, 3, 5);
        p = PatternEditor.SetTrackLength(p, 4, 7);
        p = PatternEditor.EuclideanFill(p, 4, 3);
        p = PatternEditor.SetStepTiming(p, 0, 4, -20);
        p = PatternEditor.SetStepTiming(p, 2, 3, 35);
        p = PatternEditor.SetStepProbability(p, 2, 5, 0.5);
        p = PatternEditor.SetStepProbability(p, 3, 0, 0.25);
        return p;
    }
}
