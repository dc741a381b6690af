using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Web.Audio.Playback;

/// <summary>The flat form in which notes cross to audio.js: <see cref="Stride"/> numbers per voice, so a tick's
/// notes are one small number array rather than a tree of objects.</summary>
public static class VoiceMessage
{
    public const int Stride = 20;

    /// <summary>Track index of a metronome click: it goes straight to the master bus.</summary>
    public const int MetronomeTrack = -1;

    /// <summary>Appends one voice: [time, track, step, cycle, buffer, gain, pan, filterType (−1 none, 0 low, 1 high,
    /// 2 band), frequency, q, curve (−1 none), delayTime (0 none), feedback, mix, rate (the float-rounded playbackRate),
    /// start (fraction of the sample: audio.js starts at frame ⌊start × frames⌋ of the buffer it plays), reverse (0/1),
    /// gate (seconds; 0 none), choke group (0 none), velocity (the step's 1–127: MIDI out sends it)].</summary>
    public static void Append(List<double> into, double time, int track, int step, long cycle, int buffer, double gain, double pan,
        StepEffects? effects, int curve, Step? shape = null, double rate = 1, int choke = 0)
    {
        into.Add(time);
        into.Add(track);
        into.Add(step);
        into.Add(cycle);
        into.Add(buffer);
        into.Add(gain);
        into.Add(pan);
        if (effects?.Filter is { } f)
        {
            into.Add(f.Type switch { FilterType.Lowpass => 0, FilterType.Highpass => 1, _ => 2 });
            into.Add(f.Frequency);
            into.Add(f.Q);
        }
        else
        {
            into.Add(-1);
            into.Add(0);
            into.Add(0);
        }
        into.Add(curve);
        if (effects?.Delay is { } d)
        {
            into.Add(d.Time);
            into.Add(d.Feedback);
            into.Add(d.Mix);
        }
        else
        {
            into.Add(0);
            into.Add(0);
            into.Add(0);
        }
        into.Add(rate);
        into.Add(shape?.Start ?? 0);
        into.Add(shape?.Reverse == true ? 1 : 0);
        into.Add(shape?.Gate ?? 0);
        into.Add(choke);
        into.Add(shape?.Velocity ?? Step.DefaultVelocity);
    }

    public static void Append(List<double> into, double origin, NoteEvent e, int buffer, int curve) =>
        Append(into, origin + e.Time, e.TrackIndex, e.StepIndex, e.Cycle, buffer, e.Gain, e.Pan, e.Effects, curve, e.Step, e.Rate, e.Choke ?? 0);
}
