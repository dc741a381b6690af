using Orbitr.Core.Model;

namespace Orbitr.Core.Scheduling;

/// <summary>Where a played hit lands on a ring (issue 26, recording): the grid sixteenth whose swung time is nearest
/// the hit, that ring's step there (its own length: a 12-step ring wraps every 12 sixteenths) and the hit's offset from
/// it. The inverse of <see cref="Timing.NoteTime(double, double, long, double)"/>: a step written with
/// <see cref="PlacedHit.TimingMs"/> is scheduled where the hit was (when the offset is within the step's range).</summary>
public static class HitPlacement
{
    /// <summary>Places a hit at <paramref name="seconds"/> of pattern time (0: the pattern's start) on ring
    /// <paramref name="track"/>. With <paramref name="quantize"/> the step keeps timing 0, otherwise the offset clamped to
    /// ±50 ms. Null when the ring has no steps or the time is not a number.</summary>
    public static PlacedHit? Place(Pattern pattern, int track, double seconds, bool quantize)
    {
        var ring = pattern.Tracks[track];
        var stepSeconds = pattern.StepSeconds;
        if (ring.Steps.Count == 0 || !double.IsFinite(seconds) || !(stepSeconds > 0)) return null;
        var swing = pattern.SwingOf(ring);
        // Swing only delays odd sixteenths, by at most half a step: the nearest lies within a step of floor(t / step).
        var guess = (long)Math.Floor(seconds / stepSeconds);
        long best = -1;
        var bestDistance = double.PositiveInfinity;
        for (var n = Math.Max(0, guess - 1); n <= Math.Max(0, guess + 2); n++)
        {
            var distance = Math.Abs(seconds - GridTime(stepSeconds, swing, n));
            if (distance < bestDistance) (best, bestDistance) = (n, distance); // a tie goes to the earlier step
        }
        var offsetMs = (seconds - GridTime(stepSeconds, swing, best)) * 1000.0;
        var timing = quantize ? 0 : Math.Clamp(offsetMs, Step.MinTiming, Step.MaxTiming);
        return new PlacedHit(best, (int)(best % ring.Steps.Count), timing, offsetMs);
    }

    /// <summary>A hit's velocity (0–1: MIDI velocity / 127, a touch's pressure) as a step's velocity: 1–127, so that a
    /// recorded hit is never silent.</summary>
    public static int StepVelocity(double velocity) =>
        double.IsFinite(velocity) ? Math.Max(1, (int)Math.Round(Math.Clamp(velocity, 0, 1) * Step.MaxVelocity)) : Step.MaxVelocity;

    /// <summary>The time of sixteenth <paramref name="n"/> with swing and no micro-timing.</summary>
    public static double GridTime(double stepSeconds, double swing, long n) => n * stepSeconds + Timing.SwingDelay(swing, stepSeconds, n);
}

/// <summary>A hit placed on a ring: the grid sixteenth (from the pattern's start), the ring's step there, the
/// micro-timing to write (0 when quantized) and the hit's offset from the step's time in ms (unclamped).</summary>
public readonly record struct PlacedHit(long Sixteenth, int Step, double TimingMs, double OffsetMs);
