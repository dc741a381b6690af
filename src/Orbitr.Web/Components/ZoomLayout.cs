namespace Orbitr.Web.Components;

/// <summary>Geometry of the zoomed ring on phones (<see cref="RingZoom"/>): one track's steps as touch-sized buttons,
/// around a ring while neighbours stay apart, otherwise in rows of <see cref="GridColumns"/>. On a 390 px phone the
/// concentric rings give a step about 14 px; WCAG 2.2 2.5.8 asks for targets of at least 24 × 24 CSS px.</summary>
public static class ZoomLayout
{
    /// <summary>The ring's square box and its step buttons, in CSS px; neighbouring buttons keep at least
    /// <see cref="MinGap"/> between them, so the ring still does not overlap in a box shrunk to
    /// Box · Button / (Button + MinGap) ≈ 278 px (a 320 px phone leaves 288).</summary>
    public const double Box = 320, Button = 40, MinGap = 6;

    /// <summary>Grid rows of eight sixteenths: two beats a row, so a bar reads as two rows.</summary>
    public const int GridColumns = 8;

    /// <summary>Radius of the circle the button centres sit on: the outermost buttons touch the box's edges.</summary>
    public const double RingRadius = (Box - Button) / 2;

    /// <summary>Distance between the centres of neighbouring steps on the ring.</summary>
    public static double Spacing(int length) => length <= 1 ? double.PositiveInfinity : 2 * RingRadius * Math.Sin(Math.PI / length);

    /// <summary>True when <paramref name="length"/> steps fit around the ring with <see cref="MinGap"/> between buttons
    /// (up to 19 steps); longer tracks are shown as a grid.</summary>
    public static bool FitsRing(int length) => length >= 1 && Spacing(length) >= Button + MinGap;

    /// <summary>Centre of a step's button in percent of the box (left, top): angle 0 at the top, clockwise, like
    /// <see cref="RingLayout.Position"/>. Percentages let the ring shrink with a narrower box.</summary>
    public static (double Left, double Top) RingPosition(int step, int length)
    {
        var a = 2 * Math.PI * step / length;
        return (50 + 50 * RingRadius / (Box / 2) * Math.Sin(a), 50 - 50 * RingRadius / (Box / 2) * Math.Cos(a));
    }

    /// <summary>A beat starts every four sixteenths: marked so the eye can count along a long track.</summary>
    public static bool StartsBeat(int step) => step % 4 == 0;
}
