namespace Orbitr.Web.Settings;

/// <summary>What a musician sets once, kept in this browser (<see cref="SettingsStore"/>). Ranges live here;
/// <see cref="Clamped"/> brings any value a control hands over into them.</summary>
public sealed record AppSettings
{
    public const double MinMetronomeLevel = 0, MaxMetronomeLevel = 1, DefaultMetronomeLevel = 0.7;
    public const int MinSoundStorageMegabytes = 50, MaxSoundStorageMegabytes = 2000, DefaultSoundStorageMegabytes = 200;

    public static AppSettings Default { get; } = new();

    /// <summary>Gain of the metronome's clicks (linear, 0 silent to 1 full scale).</summary>
    public double MetronomeLevel { get; init; } = DefaultMetronomeLevel;

    /// <summary>Applies when the AudioContext is created: the next time audio starts after a page load.</summary>
    public LatencyHint LatencyHint { get; init; } = LatencyHint.Interactive;

    public Theme Theme { get; init; } = Theme.Dark;

    /// <summary>Disk budget for the sounds kept in this browser for offline use.</summary>
    public int SoundStorageMegabytes { get; init; } = DefaultSoundStorageMegabytes;

    /// <summary>Sync: sounds added while offline are uploaded to the server when it can be reached again.</summary>
    public bool UploadOfflineSounds { get; init; } = true;

    /// <summary>A step plays once when it is clicked on or selected (as Alt+click always does).</summary>
    public bool AuditionOnSelect { get; init; }

    /// <summary>While playing, a pattern chosen from the library starts where the current cycle ends (off: at once).</summary>
    public bool QueuePatterns { get; init; } = true;

    /// <summary>Recording puts each hit exactly on its step (off: the hit's offset from the step is kept as its
    /// micro-timing, within ±50 ms).</summary>
    public bool QuantizeRecording { get; init; } = true;

    /// <summary>Play with Record on first counts in one bar of metronome clicks; the pattern and recording start after it.</summary>
    public bool CountIn { get; init; }

    /// <summary>These settings with every number in its range (a non-number takes the default).</summary>
    public AppSettings Clamped() => this with
    {
        MetronomeLevel = double.IsFinite(MetronomeLevel) ? Math.Clamp(MetronomeLevel, MinMetronomeLevel, MaxMetronomeLevel) : DefaultMetronomeLevel,
        LatencyHint = Enum.IsDefined(LatencyHint) ? LatencyHint : Default.LatencyHint,
        Theme = Enum.IsDefined(Theme) ? Theme : Default.Theme,
        SoundStorageMegabytes = Math.Clamp(SoundStorageMegabytes, MinSoundStorageMegabytes, MaxSoundStorageMegabytes),
    };
}
