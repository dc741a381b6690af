namespace Orbitr.Dsp.Rendering;

/// <summary>How to render: sample rate, cycles of the pattern, and the tail after the last cycle
/// (null = until the output is silent below −90 dBFS, at most <see cref="MaxAutoTail"/> seconds).</summary>
public sealed record RenderOptions(int SampleRate = 44100, int Cycles = 1, double? TailSeconds = null)
{
    public const double MaxAutoTail = 4.0;
    public const double SilenceDb = -90;
}
