namespace Orbitr.Dsp.Rendering;

/// <summary>How to render: sample rate, cycles of the pattern, and the tail after the last cycle
/// (null = until the output is silent below −90 dBFS, at most <see cref="MaxAutoTail"/> seconds).</summary>
public sealed record RenderOptions(int SampleRate = 44100, int Cycles = 1, double? TailSeconds = null)
{
    public const double MaxAutoTail = 4.0;
    public const double SilenceDb = -90;

    /// <summary>Default budget of pre-rendered voices kept for reuse.</summary>
    public const long DefaultVoiceCacheBytes = 64L << 20;

    /// <summary>Most voices that may sound at once; a render that needs more stops with a
    /// <see cref="RenderLimitException"/>. Null: no limit (a render on the user's own machine).</summary>
    public int? MaxVoices { get; init; }

    /// <summary>Memory for voices rendered once and reused by every note with the same <see cref="Voice.VoiceKey"/> (fast);
    /// voices beyond it are rendered as they play, from the shared sample (no copy per voice). Either way the audio is the same.</summary>
    public long VoiceCacheBytes { get; init; } = DefaultVoiceCacheBytes;
}

/// <summary>A render would cost more than a limit of its <see cref="RenderOptions"/> allows; the message names the limit.</summary>
public sealed class RenderLimitException(string limit, string message) : Exception(message)
{
    /// <summary>The limit's name, e.g. "voices".</summary>
    public string Limit { get; } = limit;
}
