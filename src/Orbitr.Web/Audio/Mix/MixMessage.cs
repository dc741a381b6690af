using Orbitr.Core.Model;
using Orbitr.Web.Audio.Interop;

namespace Orbitr.Web.Audio.Mix;

/// <summary>The pattern's mix as audio.js applies it: track volumes, master volume, compressor and limiter.</summary>
public static class MixMessage
{
    public static MixState From(Pattern pattern)
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
        };
    }
}
