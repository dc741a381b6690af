using Orbitr.Core.Model;

namespace Orbitr.Web.State;

/// <summary>Arrow-key movement between steps: ←/→ go round the ring, ↑/↓ to the next ring out/in at the same angle.</summary>
public static class StepNavigation
{
    public static StepAddress Move(Pattern pattern, StepAddress origin, string key)
    {
        var length = pattern.Tracks[origin.Track].Steps.Count;
        switch (key)
        {
            case "ArrowRight": return origin with { Step = (origin.Step + 1) % length };
            case "ArrowLeft": return origin with { Step = (origin.Step - 1 + length) % length };
            case "ArrowUp" or "ArrowDown":
                var track = origin.Track + (key == "ArrowUp" ? -1 : 1);
                if (track < 0 || track >= pattern.Tracks.Count) return origin;
                var target = pattern.Tracks[track].Steps.Count;
                var step = (int)Math.Round((double)origin.Step * target / length, MidpointRounding.AwayFromZero) % target;
                return new StepAddress(track, step);
            default: return origin;
        }
    }
}
