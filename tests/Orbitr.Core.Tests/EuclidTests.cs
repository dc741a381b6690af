using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orbitr.Core.Editing;

namespace Orbitr.Core.Tests;

public class EuclidTests
{
    private static string Show(bool[] r) => string.Concat(r.Select(b => b ? 'x' : '.'));

    [Theory]
    [InlineData(3, 8, 0, "x..x..x.")]
    [InlineData(5, 8, 0, "x.xx.xx.")]
    [InlineData(2, 5, 0, "x.x..")]
    [InlineData(4, 16, 0, "x...x...x...x...")]
    [InlineData(7, 16, 0, "x..x.x.x..x.x.x.")]
    [InlineData(3, 8, 1, ".x..x..x")]
    [InlineData(0, 4, 0, "....")]
    [InlineData(4, 4, 0, "xxxx")]
    public void Bjorklund_gives_the_known_rhythms(int k, int n, int rotation, string expected) =>
        Assert.Equal(expected, Show(Euclid.Rhythm(k, n, rotation)));

    [Property]
    public Property Rhythm_has_k_hits_spaced_as_evenly_as_possible()
    {
        var gen = from n in Gen.Choose(1, 64) from k in Gen.Choose(0, n) from r in Gen.Choose(-100, 100) select (n, k, r);
        return Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var rhythm = Euclid.Rhythm(x.k, x.n, x.r);
            var hits = Enumerable.Range(0, x.n).Where(i => rhythm[i]).ToArray();
            if (hits.Length != x.k) return false;
            if (x.k < 2) return true;
            var gaps = hits.Zip(hits.Skip(1).Append(hits[0] + x.n), (a, b) => b - a).ToArray();
            return gaps.Max() - gaps.Min() <= 1;
        });
    }
}
