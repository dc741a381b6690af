namespace Orbitr.Web.Editing;

/// <summary>A lane's box on the page (CSS px), as controls.js measures it when a drag starts.</summary>
public sealed class LaneRect
{
    public double Left { get; set; }
    public double Top { get; set; }
    public double Width { get; set; }
    public double Height { get; set; }
}

/// <summary>A drag on a lane of bars (issue 26): the pointer's place picks the step (across the lane) and the value
/// (up the lane). A pointer that jumps several bars between two moves draws the line between: every bar it passed
/// gets the value on the way, as a pen would.</summary>
public sealed class LaneDrag(LaneRect lane, int steps)
{
    private int? _last;
    private double _lastPosition;

    public (int Step, double Position) Hit(double x, double y)
    {
        var step = lane.Width <= 0 || steps <= 0 ? 0 : (int)Math.Floor((x - lane.Left) / lane.Width * steps);
        var position = lane.Height <= 0 ? 0 : 1 - (y - lane.Top) / lane.Height;
        return (Math.Clamp(step, 0, Math.Max(0, steps - 1)), Math.Clamp(position, 0, 1));
    }

    /// <summary>The bars to set for the pointer at (<paramref name="x"/>, <paramref name="y"/>), each with its position.</summary>
    public IReadOnlyList<(int Step, double Position)> MoveTo(double x, double y)
    {
        var (step, position) = Hit(x, y);
        var from = _last;
        var fromPosition = _lastPosition;
        _last = step;
        _lastPosition = position;
        if (from is not { } f || f == step) return [(step, position)];
        var span = step - f;
        var dir = Math.Sign(span);
        var bars = new List<(int, double)>();
        for (var i = f + dir; i != step + dir; i += dir)
            bars.Add((i, fromPosition + (position - fromPosition) * (i - f) / span));
        return bars;
    }
}
