namespace Orbitr.Web.Pads;

/// <summary>An on-screen pad's velocity from the pointer that struck it.</summary>
public static class PadTouch
{
    /// <summary>A pen's or touch screen's pressure (0–1) where the device reports one; full for a mouse, and for the
    /// 0.5 (or 0) that devices without pressure report while pressed.</summary>
    public static double Velocity(string? pointerType, double pressure) =>
        pointerType == "mouse" || !double.IsFinite(pressure) || pressure <= 0 || pressure == 0.5 ? 1 : Math.Clamp(pressure, 0.05, 1);
}
