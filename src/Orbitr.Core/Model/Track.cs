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
    public const int MinMidiChannel = 1, MaxMidiChannel = 16, DefaultMidiChannel = 10;
    public const int MinMidiNote = 0, MaxMidiNote = 127;

    /// <summary>Choke group: a voice starting on a ring of group g fades every voice of g still sounding (this ring's too) over 5 ms.</summary>
    public int? Choke { get; init; }

    /// <summary>This ring's swing (0–100); null uses the pattern's.</summary>
    public double? Swing { get; init; }

    /// <summary>Send to the master reverb, of the ring's signal after volume and pan.</summary>
    public double Reverb { get; init; }

    /// <summary>The MIDI channel (1–16) this ring's notes go out on and come in from (Web MIDI); null: 10, the GM drum channel.</summary>
    public int? MidiChannel { get; init; }

    /// <summary>The MIDI note this ring sends and answers to; null: its sound's General MIDI drum note (see
    /// <c>Midi.RingMidi</c>).</summary>
    public int? MidiNote { get; init; }

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
