using System.Globalization;
using Orbitr.Core.Model;
using Orbitr.Web.State;

namespace Orbitr.Web.Components;

/// <summary>Geometry of the rings in an SVG whose view box is centred on 0,0 (−500…500): ring radii from the outside
/// in, each step's position clockwise from twelve o'clock, and the size of its dot.</summary>
public static class RingLayout
{
    public const double OuterRadius = 460, InnerRadius = 150, MaxSpacing = 64;

    public static double Radius(int track, int trackCount) =>
        OuterRadius - track * Spacing(trackCount);

    public static double Spacing(int trackCount) =>
        trackCount <= 1 ? MaxSpacing : Math.Min(MaxSpacing, (OuterRadius - InnerRadius) / (trackCount - 1));

    /// <summary>Centre of a step: angle 0 at the top, clockwise.</summary>
    public static (double X, double Y) Position(int track, int trackCount, int step, int length)
    {
        var r = Radius(track, trackCount);
        var a = 2 * Math.PI * step / length;
        return (r * Math.Sin(a), -r * Math.Cos(a));
    }

    /// <summary>Dot radius: fits the ring spacing and the gap to the neighbouring step, 3–22 units.</summary>
    public static double DotRadius(int track, int trackCount, int length)
    {
        var r = Radius(track, trackCount);
        var along = Math.PI * r / length * 0.8;
        return Math.Clamp(Math.Min(Spacing(trackCount) * 0.4, along), 3, 22);
    }

    /// <summary>Font size of the centre's title so that it fits inside the innermost ring (8 rings leave the least).</summary>
    public static double CentreFontSize(string title, int trackCount, int innermostLength)
    {
        var inner = Radius(trackCount - 1, trackCount) - DotRadius(trackCount - 1, trackCount, Math.Max(1, innermostLength)) - 14;
        var width = 2 * inner * 0.86; // the title's line sits a little above the centre, where the circle is narrower
        return Math.Clamp(width / (0.62 * Math.Max(1, title.Length)), 14, 56);
    }

    public static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Dot scale and fill opacity for a velocity 0–127: louder steps are bigger and brighter.</summary>
    public static (double Scale, double Opacity) Velocity(int velocity) =>
        (0.7 + 0.3 * velocity / 127.0, 0.35 + 0.65 * velocity / 127.0);

    public static bool HasProbabilityMark(Step step) => step.Probability < 1;

    /// <summary>The dash pattern that cuts a circle of radius <paramref name="r"/> into one dash per ratchet hit.</summary>
    public static string RatchetDashes(double r, int hits)
    {
        var segment = 2 * Math.PI * r / Math.Max(1, hits);
        return $"{F(segment * 0.6)} {F(segment * 0.4)}";
    }

    /// <summary>A small diamond at (x, y): the mark of a step with a trig condition.</summary>
    public static string ConditionMark(double x, double y, double size = 3.5) =>
        $"M{F(x)} {F(y - size)}L{F(x + size)} {F(y)}L{F(x)} {F(y + size)}L{F(x - size)} {F(y)}Z";

    /// <summary>What the rings show (steps, colours, names, audibility, selection): a volume or tempo drag leaves it
    /// alone, so components drawing every step can skip re-rendering then (step arrays are shared by reference
    /// between edits, so comparing them is cheap).</summary>
    public static object[] RenderKey(Pattern pattern, StepSelection selection)
    {
        var key = new List<object> { selection.Version, pattern.Tracks.Count };
        foreach (var t in pattern.Tracks) key.AddRange([t.Steps, t.Color, t.Name, t.Sample ?? "", t.Mute, t.Solo]);
        key.Add(pattern.Samples);
        return key.ToArray();
    }

    /// <summary>True (and <paramref name="shown"/> updated) when <paramref name="next"/> differs from the key last rendered.</summary>
    public static bool KeyChanged(ref object?[]? shown, object?[] next)
    {
        if (shown is not null && next.Length == shown.Length && next.Zip(shown).All(x => Equals(x.First, x.Second)))
            return false;
        shown = next;
        return true;
    }
}
