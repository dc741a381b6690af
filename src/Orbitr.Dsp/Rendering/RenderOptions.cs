namespace Orbitr.Dsp.Rendering;

/// <summary>How to render: sample rate, cycles of the pattern, and the tail after the last cycle
/// (null = until the output is silent below −90 dBFS, at most <see cref="MaxAutoTail"/> seconds).</summary>
public sealed record RenderOptions(int SampleRate = 44100, int Cycles = 1, double? TailSeconds = null)
{
    public const double MaxAutoTail = 4.0;

    /// <summary>Longest auto tail (a loop's render lets tails ring on longer, to fold them in).</summary>
    public double AutoTailLimit { get; init; } = MaxAutoTail;

    /// <summary>Whether the fill switch is held for the whole render (steps with a "fill" condition play).</summary>
    public bool Fill { get; init; }
    public const double SilenceDb = -90;

    /// <summary>Default budget of pre-rendered voices kept for reuse.</summary>
    public const long DefaultVoiceCacheBytes = 64L << 20;

    /// <summary>Most voices that may sound at once; a render that needs more stops with a
    /// <see cref="RenderLimitException"/>. Null: no limit (a render on the user's own machine).</summary>
    public int? MaxVoices { get; init; }

    /// <summary>Memory for voices rendered once and reused by every note with the same <see cref="Voice.VoiceKey"/> (fast);
    /// voices beyond it are rendered as they play, from the shared sample (no copy per voice). Either way the audio is the same.</summary>
    public long VoiceCacheBytes { get; init; } = DefaultVoiceCacheBytes;

    /// <summary>Where each ring's signal also goes (issue 25's stems): null renders the mix only.</summary>
    public StemSinks? Stems { get; init; }
}

/// <summary>Stems: ring r's signal after its volume, pan and delay and the master volume (before the master bus's
/// compressor, DC blocker and limiter) into <see cref="Rings"/>[r] (ring r of every section of a song), the reverb's
/// return into <see cref="Reverb"/>. Every sink gets every frame the render makes, so all are one length (the
/// master's untrimmed length: its tail may end a block sooner), and they sum to the render with the compressor and
/// limiter off.</summary>
public sealed record StemSinks(IReadOnlyList<IAudioSink> Rings, IAudioSink? Reverb);

/// <summary>A render would cost more than a limit of its <see cref="RenderOptions"/> allows; the message names the limit.</summary>
public sealed class RenderLimitException(string limit, string message) : Exception(message)
{
    /// <summary>The limit's name, e.g. "voices".</summary>
    public string Limit { get; } = limit;
}
