using Orbitr.Core.Model;

namespace Orbitr.Core.Scheduling;

/// <summary>One note to play: when (seconds after the pattern start), which ring and step, which sample,
/// its voice gain (velocity/127), the track's pan and the step's effects.</summary>
public readonly record struct NoteEvent(
    double Time,
    int TrackIndex,
    int StepIndex,
    long Cycle,
    string SampleKey,
    double Gain,
    double Pan,
    StepEffects? Effects);
