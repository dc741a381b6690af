namespace Orbitr.Server.Rendering;

/// <summary>The "Orbitr:Render" configuration section: what one server render (GET /api/patterns/{id}/render) may
/// cost. Anyone with a pattern's link may ask for a render, so each bound is a guard against a crafted pattern.</summary>
public sealed class RenderLimits
{
    public const string Section = "Orbitr:Render";

    /// <summary>Most cycles one render may ask for.</summary>
    public int MaxCycles { get; set; } = 16;

    /// <summary>Longest render, in seconds of the pattern's cycles (the frames are this × 44.1 kHz).</summary>
    public double MaxSeconds { get; set; } = 300;

    /// <summary>Seconds of distinct sample audio a render may hold in memory (each source is loaded once, however many keys name it).</summary>
    public double MaxSampleSeconds { get; set; } = 300;

    /// <summary>Most voices sounding at once.</summary>
    public int MaxVoices { get; set; } = 256;

    /// <summary>Renders running (or still being sent) at once in one process, and per client address.</summary>
    public int MaxConcurrent { get; set; } = 2;

    public int MaxConcurrentPerClient { get; set; } = 1;

    /// <summary>Slowest a client may read a render before the server drops it (bytes per second, after 10 s).</summary>
    public int MinReadBytesPerSecond { get; set; } = 16 * 1024;
}
