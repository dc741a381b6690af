using Orbitr.Web.State;

namespace Orbitr.Web.Editing;

/// <summary>What a press on a step switched on turns into (issue 26): a click (it toggles, as before), a paint across
/// steps (sideways, or into another step first) or a velocity drag (up louder, down softer, 1 px a velocity unit).
/// Nothing is decided until the pointer has moved <see cref="Threshold"/> px, so a click with a shaky hand stays a
/// click.</summary>
public sealed class VelocityDrag(StepAddress step, int velocity, double x, double y)
{
    /// <summary>Movement (CSS px) below which a press is still a click.</summary>
    public const double Threshold = 4;

    /// <summary>A step dragged to the bottom still sounds: 0 stays the step editor's to set.</summary>
    public const int MinVelocity = 1;

    public const int MaxVelocity = Orbitr.Core.Model.Step.MaxVelocity;

    public StepAddress Step { get; } = step;

    public int StartVelocity { get; } = Math.Clamp(velocity, MinVelocity, MaxVelocity);

    public VelocityDragKind Kind { get; private set; } = VelocityDragKind.Undecided;

    /// <summary>The velocity the drag sets (the one the step had until it moves).</summary>
    public int Velocity { get; private set; } = Math.Clamp(velocity, MinVelocity, MaxVelocity);

    /// <summary>The pointer at (<paramref name="px"/>, <paramref name="py"/>): decides the gesture once it has moved far
    /// enough (more up or down than sideways: velocity; else a paint), then follows it. Returns the kind.</summary>
    public VelocityDragKind Move(double px, double py)
    {
        var dx = px - x;
        var dy = py - y;
        if (Kind == VelocityDragKind.Undecided)
        {
            if (Math.Abs(dy) >= Threshold && Math.Abs(dy) >= Math.Abs(dx)) Kind = VelocityDragKind.Velocity;
            else if (Math.Abs(dx) >= Threshold) Kind = VelocityDragKind.Paint;
        }
        // Screen y grows downwards: up is louder.
        if (Kind == VelocityDragKind.Velocity)
            Velocity = Math.Clamp(StartVelocity - (int)Math.Round(dy), MinVelocity, MaxVelocity);
        return Kind;
    }

    /// <summary>The pointer went onto another step before the drag was decided: it paints, as a drag across the rings did.</summary>
    public VelocityDragKind Enter(StepAddress other)
    {
        if (Kind == VelocityDragKind.Undecided && other != Step) Kind = VelocityDragKind.Paint;
        return Kind;
    }
}

public enum VelocityDragKind
{
    /// <summary>Not yet moved far enough: letting go now is a click.</summary>
    Undecided,
    /// <summary>Up and down: the step's velocity.</summary>
    Velocity,
    /// <summary>Sideways or into another step: painting steps on and off.</summary>
    Paint,
}
