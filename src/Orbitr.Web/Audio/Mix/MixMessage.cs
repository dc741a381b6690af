using Orbitr.Core.Model;
using Orbitr.Web.Audio.Interop;

namespace Orbitr.Web.Audio.Mix;

/// <summary>The pattern's mix as audio.js applies it: track volumes, master volume, compressor, limiter and the
/// reverb (its impulse response registered as buffer <paramref name="reverbBuffer"/>).</summary>
public static class MixMessage
{
    public static MixState From(Pattern pattern, int? reverbBuffer = null)
    {
        var c = pattern.Master.Compressor;
        var l = pattern.Master.Limiter;
        return new MixState
        {
            Tracks = pattern.Tracks.Select(t => t.Volume).ToArray(),
            Master = pattern.Master.Volume,
            Compressor = new CompressorState
            {
                Enabled = c.Enabled, Threshold = c.Threshold, Knee = c.Knee, Ratio = c.Ratio, Attack = c.Attack, Release = c.Release,
            },
            Limiter = l.Enabled ? l.Ceiling : null,
            TruePeak = l.Enabled && l.TruePeak,
            Reverb = pattern.UsesReverb && reverbBuffer is { } ir
                ? new ReverbState { Buffer = ir, Return = pattern.Master.Reverb.Return, Sends = pattern.Tracks.Select(t => t.Reverb).ToArray() }
                : null,
        };
    }
}
