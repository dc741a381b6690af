using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orbitr.Web.Offline;

namespace Orbitr.Web.Tests;

/// <summary>The offline sound store's budget: unused sounds go first, oldest first; uploads waiting for the server
/// never go; it drops no more than it must.</summary>
public class SoundEvictionTests
{
    private static readonly Gen<(List<StoredSound> Sounds, HashSet<string> Used, long Budget)> Cases =
        from count in Gen.Choose(0, 12)
        from sizes in Gen.ArrayOf(Gen.Choose(1, 50), count)
        from stored in Gen.ArrayOf(Gen.Choose(0, 1000), count)
        from flags in Gen.ArrayOf(Gen.Choose(0, 5), count)
        from budget in Gen.Choose(0, 300)
        select (
            Enumerable.Range(0, count).Select(i => new StoredSound { Source = $"generated:s{i}", Bytes = sizes[i], Stored = stored[i], Pending = flags[i] == 0 }).ToList(),
            Enumerable.Range(0, count).Where(i => flags[i] >= 3).Select(i => $"generated:s{i}").ToHashSet(),
            (long)budget);

    [Property(MaxTest = 500)]
    public Property Drops_unused_before_used_never_pending_and_no_more_than_needed() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var (sounds, used, budget) = c;
        var drop = SoundEviction.Choose(sounds, used, budget);
        var dropped = sounds.Where(s => drop.Contains(s.Source)).ToList();
        var kept = sounds.Except(dropped).ToList();
        var total = kept.Sum(s => s.Bytes);
        var keptDroppable = kept.Where(s => !s.Pending).ToList();
        // Within budget, unless only waiting uploads are left.
        var fits = total <= budget || keptDroppable.Count == 0;
        var neverPending = dropped.All(s => !s.Pending);
        // A used sound is dropped only when no unused one is kept.
        var unusedFirst = !dropped.Any(s => used.Contains(s.Source)) || !keptDroppable.Any(s => !used.Contains(s.Source));
        // Minimal: without the last one dropped, the store would still have been over budget.
        var minimal = drop.Count == 0 || total + sounds.First(s => s.Source == drop[^1]).Bytes > budget;
        // Within the unused (and within the used), oldest first.
        var oldestFirst = dropped.Where(s => !used.Contains(s.Source)).All(d => keptDroppable.Where(k => !used.Contains(k.Source)).All(k => k.Stored >= d.Stored))
            && dropped.Where(s => used.Contains(s.Source)).All(d => keptDroppable.Where(k => used.Contains(k.Source)).All(k => k.Stored >= d.Stored));
        return fits && neverPending && unusedFirst && minimal && oldestFirst;
    });

    [Fact]
    public void Nothing_goes_while_the_store_fits()
    {
        var sounds = new List<StoredSound> { new() { Source = "generated:a", Bytes = 10 }, new() { Source = "generated:b", Bytes = 10 } };
        Assert.Empty(SoundEviction.Choose(sounds, new HashSet<string>(), 20));
        Assert.Equal(["generated:a"], SoundEviction.Choose(sounds, new HashSet<string>(), 19));
    }
}
