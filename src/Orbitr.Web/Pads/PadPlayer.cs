using Orbitr.Web.Audio;
using Orbitr.Web.Recording;

namespace Orbitr.Web.Pads;

/// <summary>Plays a ring from a pad (a key in pad mode, an on-screen pad, MIDI input) and, with Record on, writes the
/// hit into the ring (<see cref="Recorder"/>). The sound comes first: recording does not delay it.</summary>
public sealed class PadPlayer(AudioEngine audio, Recorder recorder)
{
    /// <summary>Plays ring <paramref name="track"/> at once and records the hit when recording.</summary>
    /// <param name="velocity">0–1 (1 full): MIDI velocity / 127 or a touch's pressure.</param>
    /// <param name="audioTime">The AudioContext time at which the hit happened (what was being heard then); null: now.</param>
    public async Task HitAsync(int track, double velocity, double? audioTime = null)
    {
        var heard = await audio.PlayHitAsync(track, velocity);
        recorder.Record(track, velocity, audioTime ?? heard);
    }
}
