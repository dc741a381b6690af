using Orbitr.Core.Model;

namespace Orbitr.Core.Scheduling;

/// <summary>A metronome click: its time (seconds after the pattern start) and whether it opens a bar.</summary>
public readonly record struct Click(double Time, long Beat, bool Accent);

/// <summary>Clicks on every beat of the pattern's time signature (a beat is one 1/denominator note), accented
/// on the first beat of each bar. Swing does not move the clicks: the metronome shows the straight grid.</summary>
public static class Metronome
{
    /// <summary>Every click whose time lies in [<paramref name="fromSeconds"/>, <paramref name="toSeconds"/>), in order.</summary>
    public static void AddClicksBetween(Pattern pattern, double fromSeconds, double toSeconds, List<Click> clicks)
    {
        if (!(toSeconds > fromSeconds) || !double.IsFinite(fromSeconds) || !double.IsFinite(toSeconds)) return;
        var signature = pattern.TimeSignature;
        var beatSeconds = pattern.StepSeconds * 16.0 / signature.Denominator;
        if (!(beatSeconds > 0)) return;
        var first = (long)Math.Ceiling(Math.Max(0, fromSeconds) / beatSeconds);
        for (var beat = first; ; beat++)
        {
            var t = beat * beatSeconds;
            if (t < fromSeconds) continue; // rounding at the window's start
            if (t >= toSeconds) break;
            clicks.Add(new Click(t, beat, beat % Math.Max(1, signature.Numerator) == 0));
        }
    }

    public static List<Click> ClicksBetween(Pattern pattern, double fromSeconds, double toSeconds)
    {
        var clicks = new List<Click>();
        AddClicksBetween(pattern, fromSeconds, toSeconds, clicks);
        return clicks;
    }
}
