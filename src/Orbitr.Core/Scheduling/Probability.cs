namespace Orbitr.Core.Scheduling;

/// <summary>Seeded, stateless dice: whether a step fires in a cycle is a pure function of
/// (seed, track, step, cycle), so preview, render and export agree note for note.</summary>
public static class Probability
{
    /// <summary>A uniform number in [0, 1) for this step in this cycle.</summary>
    public static double Roll(uint seed, int trackIndex, int stepIndex, long cycle)
    {
        var x = Mix(seed ^ 0x9E3779B97F4A7C15UL);
        x = Mix(x ^ (ulong)(uint)trackIndex);
        x = Mix(x ^ (ulong)(uint)stepIndex);
        x = Mix(x ^ (ulong)cycle);
        return (x >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>p ≥ 1 always fires, p ≤ 0 never does.</summary>
    public static bool Fires(double probability, uint seed, int trackIndex, int stepIndex, long cycle) =>
        probability >= 1 || (probability > 0 && Roll(seed, trackIndex, stepIndex, cycle) < probability);

    // SplitMix64 finalizer: every input bit affects every output bit.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
