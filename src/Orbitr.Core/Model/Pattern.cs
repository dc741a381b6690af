namespace Orbitr.Core.Model;

/// <summary>A named sample of the pattern's sample table, keyed as steps and tracks refer to it.</summary>
public sealed record SampleEntry(string Key, SampleRef Ref);

/// <summary>The whole loop: tempo, feel, rings and the samples they play. Immutable; edit with <see cref="Editing.PatternEditor"/>.</summary>
public sealed record Pattern(
    string Name,
    double Bpm,
    double Swing,
    int Length,
    TimeSignature TimeSignature,
    uint Seed,
    MasterSettings Master,
    EquatableArray<SampleEntry> Samples,
    EquatableArray<Track> Tracks)
{
    public const string Format = "orbitr.pattern";
    public const int Version = 2;
    public const double DefaultBpm = 120, MinBpm = 40, MaxBpm = 200;
    public const double MinSwing = 0, MaxSwing = 100;
    public const int DefaultLength = 16, MinLength = 1, MaxLength = 64;
    public const int MinTracks = 1, MaxTracks = 8;
    public const int MaxSamples = 256;
    public const int MaxNameLength = 100;

    /// <summary>Seconds of one sixteenth step: 60 / bpm / 4.</summary>
    public double StepSeconds => 60.0 / Bpm / 4.0;

    /// <summary>The swing a ring plays with: its own, else the pattern's.</summary>
    public double SwingOf(Track track) => track.Swing ?? Swing;

    /// <summary>Whether any ring sends to the reverb while it is on: only then does a renderer build it.</summary>
    public bool UsesReverb
    {
        get
        {
            if (!Master.Reverb.Enabled || Master.Reverb.Return <= 0) return false;
            foreach (var t in Tracks) if (t.Reverb > 0) return true;
            return false;
        }
    }

    /// <summary>Seconds of one cycle of the pattern (its <see cref="Length"/> steps).</summary>
    public double CycleSeconds => Length * StepSeconds;

    /// <summary>The sample-table entries an active step can play (its own sample, or its track's when it has none):
    /// what a renderer has to load.</summary>
    public IEnumerable<SampleEntry> SamplesInUse()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in Tracks)
            foreach (var s in t.Steps)
                if (s.Active && (s.Sample ?? t.Sample) is { } key) used.Add(key);
        return Samples.Where(e => used.Contains(e.Key));
    }

    public SampleRef? FindSample(string key)
    {
        foreach (var entry in Samples)
            if (entry.Key == key) return entry.Ref;
        return null;
    }

    public bool AnySolo
    {
        get
        {
            foreach (var t in Tracks) if (t.Solo) return true;
            return false;
        }
    }

    /// <summary>A track sounds iff it is not muted and either no track is soloed or it is.</summary>
    public bool IsAudible(int trackIndex)
    {
        var t = Tracks[trackIndex];
        return !t.Mute && (t.Solo || !AnySolo);
    }
}
