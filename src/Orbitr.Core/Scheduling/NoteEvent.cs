using Orbitr.Core.Model;

namespace Orbitr.Core.Scheduling;

/// <summary>One note to play: when (seconds after the pattern start), which ring and step, which sample,
/// its voice gain (velocity/127), the track's pan and the step's effects; the step itself (pitch, start, reverse,
/// gate), which ratchet hit of the step it is (0 for the first) and the ring's choke group.</summary>
public readonly record struct NoteEvent(
    double Time,
    int TrackIndex,
    int StepIndex,
    long Cycle,
    string SampleKey,
    double Gain,
    double Pan,
    StepEffects? Effects,
    Step? Step = null,
    int Hit = 0,
    int? Choke = null)
{
    /// <summary>Playback rate of the voice: 2^(pitch/12), rounded to single precision as an AudioBufferSourceNode's
    /// playbackRate is (its AudioParam holds a float), so the C# renderer reads the sample where the browser does.</summary>
    public double Rate => Step is { Pitch: not 0 } s ? PitchRate(s.Pitch) : 1.0;

    public static double PitchRate(double semitones) => (float)Math.Pow(2, semitones / 12.0);
}
