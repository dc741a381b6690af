namespace Orbitr.Core.Model;

/// <summary>One ring of the sequencer. <see cref="Steps"/> always holds exactly <see cref="Length"/> steps in a valid pattern.</summary>
public sealed record Track(
    string Name,
    string Color,
    string? Sample,
    double Volume,
    double Pan,
    bool Mute,
    bool Solo,
    int Length,
    EquatableArray<Step> Steps)
{
    public const double DefaultVolume = 0.8;
    public const double MinVolume = 0, MaxVolume = 1;
    public const double MinPan = -1, MaxPan = 1;
    public const int MaxNameLength = 32;
    public const int MinChoke = 1, MaxChoke = 8;
    public const double MinReverb = 0, MaxReverb = 1;

    /// <summary>Choke group: a voice starting on a ring of group g fades every voice of g still sounding (this ring's too) over 5 ms.</summary>
    public int? Choke { get; init; }

    /// <summary>This ring's swing (0–100); null uses the pattern's.</summary>
    public double? Swing { get; init; }

    /// <summary>Send to the master reverb, of the ring's signal after volume and pan.</summary>
    public double Reverb { get; init; }

    public static Track Create(string name, string color, string? sample, int length) =>
        new(name, color, sample, DefaultVolume, 0, false, false, length, new EquatableArray<Step>(Enumerable.Repeat(Step.Off, length)));

    public int ActiveSteps
    {
        get
        {
            var n = 0;
            foreach (var s in Steps) if (s.Active) n++;
            return n;
        }
    }
}
