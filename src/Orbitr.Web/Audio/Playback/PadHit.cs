using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Web.Audio.Playback;

/// <summary>A pad hit (issue 26): ring <c>track</c>'s sound played once, as a plain step of that ring would play it
/// (its pan, bus volume, reverb send and choke group), its gain the hit's velocity (0–1, as a step's velocity / 127).</summary>
public static class PadHit
{
    /// <summary>The hit's note (time 0: audio.js starts it at once), or null when the ring has no sound.</summary>
    public static NoteEvent? Note(Pattern pattern, int track, double velocity)
    {
        if ((uint)track >= (uint)pattern.Tracks.Count) return null;
        var t = pattern.Tracks[track];
        if (t.Sample is not { } key || pattern.FindSample(key) is null) return null;
        var gain = double.IsFinite(velocity) ? Math.Clamp(velocity, 0, 1) : 1;
        return new NoteEvent(0, track, 0, 0, key, gain, t.Pan, null, null, 0, t.Choke);
    }
}
