using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Web.Audio.Playback;

/// <summary>One step played once (Alt+click, or "play step on select"): its voice with every field of the step (pitch,
/// start, reverse, gate, effects, all its ratchet hits) through its ring's bus, as <see cref="VoiceMessage"/> numbers
/// with times from 0 (audio.js adds the clock). Whether the step is active does not matter: it is being auditioned.</summary>
public static class StepAudition
{
    /// <summary>The step's notes (its ratchet hits), or none when it has no sound.</summary>
    public static List<NoteEvent> Notes(Pattern pattern, int track, int step)
    {
        var t = pattern.Tracks[track];
        var s = t.Steps[step];
        if ((s.Sample ?? t.Sample) is not { } key || pattern.FindSample(key) is null) return [];
        var ratchet = Math.Max(1, s.Ratchet);
        var notes = new List<NoteEvent>(ratchet);
        for (var hit = 0; hit < ratchet; hit++)
            notes.Add(new NoteEvent(Timing.HitTime(0, pattern.StepSeconds, hit, ratchet), track, step, 0, key, s.Gain, t.Pan, s.Effects, s, hit, t.Choke));
        return notes;
    }
}
