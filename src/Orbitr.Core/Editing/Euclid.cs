namespace Orbitr.Core.Editing;

/// <summary>Euclidean rhythms (Toussaint): k onsets spread as evenly as possible over n steps, by Bjorklund's algorithm.</summary>
public static class Euclid
{
    /// <summary>The pattern E(k, n) rotated right by <paramref name="rotation"/> steps; E(3,8) = x..x..x.</summary>
    public static bool[] Rhythm(int hits, int steps, int rotation = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(hits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hits, steps);
        var result = new bool[steps];
        if (hits == 0) return result;

        // Bjorklund: repeatedly pair the remainder groups with the leading groups.
        var groups = new List<List<bool>>();
        for (var i = 0; i < hits; i++) groups.Add([true]);
        var remainders = new List<List<bool>>();
        for (var i = 0; i < steps - hits; i++) remainders.Add([false]);
        while (remainders.Count > 1)
        {
            var pairs = Math.Min(groups.Count, remainders.Count);
            var merged = new List<List<bool>>(pairs);
            for (var i = 0; i < pairs; i++) merged.Add([.. groups[i], .. remainders[i]]);
            var leftover = groups.Count > pairs ? groups.Skip(pairs).ToList() : remainders.Skip(pairs).ToList();
            groups = merged;
            remainders = leftover;
        }
        var flat = groups.SelectMany(g => g).Concat(remainders.SelectMany(g => g)).ToArray();
        var r = ((rotation % steps) + steps) % steps;
        for (var i = 0; i < steps; i++) result[(i + r) % steps] = flat[i];
        return result;
    }
}
