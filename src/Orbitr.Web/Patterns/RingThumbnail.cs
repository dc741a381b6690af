using Orbitr.Core.Model;
using Orbitr.Web.Components;

namespace Orbitr.Web.Patterns;

/// <summary>A pattern drawn small, for the library list: its rings as concentric circles and its active steps as
/// dots, in an SVG view box centred on 0,0 (−50…50). The same layout as the big rings (<see cref="RingLayout"/>,
/// scaled by a tenth), with dots sized to stay visible at ~56 px.</summary>
public sealed record RingThumbnail(IReadOnlyList<ThumbnailRing> Rings, IReadOnlyList<ThumbnailDot> Dots)
{
    public const string ViewBox = "-50 -50 100 100";
    private const double Scale = 0.1;
    public const double MinDot = 1, MaxDot = 4.5;

    public static RingThumbnail Of(Pattern pattern)
    {
        var n = pattern.Tracks.Count;
        var rings = new List<ThumbnailRing>(n);
        var dots = new List<ThumbnailDot>();
        for (var t = 0; t < n; t++)
        {
            var track = pattern.Tracks[t];
            var radius = RingLayout.Radius(t, n) * Scale;
            rings.Add(new ThumbnailRing(radius, track.Color, pattern.IsAudible(t)));
            var length = track.Steps.Count;
            var dot = DotRadius(radius, RingLayout.Spacing(n) * Scale, length);
            for (var s = 0; s < length; s++)
            {
                if (!track.Steps[s].Active) continue;
                var (x, y) = RingLayout.Position(t, n, s, length);
                dots.Add(new ThumbnailDot(x * Scale, y * Scale, dot, track.Color));
            }
        }
        return new RingThumbnail(rings, dots);
    }

    /// <summary>About as big as the gap to the next ring and to the neighbouring step allow (a little overlap of the
    /// thin ring lines is fine at this size; dots of one ring never touch).</summary>
    public static double DotRadius(double ringRadius, double ringSpacing, int length) =>
        Math.Clamp(Math.Min(ringSpacing * 0.6, Math.PI * ringRadius / Math.Max(1, length) * 0.9), MinDot, MaxDot);
}

public readonly record struct ThumbnailRing(double Radius, string Color, bool Audible);

public readonly record struct ThumbnailDot(double X, double Y, double Radius, string Color);
