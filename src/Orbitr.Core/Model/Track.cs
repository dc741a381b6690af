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
