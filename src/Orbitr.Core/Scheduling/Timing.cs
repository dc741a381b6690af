using Orbitr.Core.Model;

namespace Orbitr.Core.Scheduling;

/// <summary>Swing and micro-timing maths of ARCHITECTURE §2 ("Event time"), in one place.</summary>
public static class Timing
{
    /// <summary>Delay of sixteenth <paramref name="n"/> of the grid: odd sixteenths are late by swing/100 × stepSeconds/2.</summary>
    public static double SwingDelay(double swing, double stepSeconds, long n) =>
        (n & 1) == 1 ? swing / 100.0 * stepSeconds / 2.0 : 0.0;

    /// <summary>Start of a note on sixteenth <paramref name="n"/> with a micro-timing offset in ms; never before 0.</summary>
    public static double NoteTime(Pattern pattern, long n, double timingMs) => NoteTime(pattern.StepSeconds, pattern.Swing, n, timingMs);

    /// <summary>As above with a ring's own swing (<see cref="Pattern.SwingOf"/>).</summary>
    public static double NoteTime(double stepSeconds, double swing, long n, double timingMs)
    {
        var t = n * stepSeconds + SwingDelay(swing, stepSeconds, n) + timingMs / 1000.0;
        return t < 0 ? 0 : t;
    }

    /// <summary>Start of ratchet hit <paramref name="hit"/> of <paramref name="ratchet"/>: t + hit × stepSeconds / ratchet.</summary>
    public static double HitTime(double stepTime, double stepSeconds, int hit, int ratchet) =>
        hit == 0 ? stepTime : stepTime + hit * stepSeconds / ratchet;

    /// <summary>The one place seconds become a sample index.</summary>
    public static long ToSampleIndex(double seconds, int sampleRate) => (long)Math.Round(seconds * sampleRate, MidpointRounding.AwayFromZero);
}
