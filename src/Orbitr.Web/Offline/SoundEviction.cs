namespace Orbitr.Web.Offline;

/// <summary>Which kept sounds to drop so the rest fit the disk budget: sounds no local pattern uses go first, then
/// those in use; the oldest first within each. Uploads still waiting for the server are never dropped (they are the
/// only copy), even past the budget.</summary>
public static class SoundEviction
{
    public static List<string> Choose(IReadOnlyList<StoredSound> sounds, IReadOnlySet<string> used, long budgetBytes)
    {
        var total = sounds.Sum(s => s.Bytes);
        var drop = new List<string>();
        if (total <= budgetBytes) return drop;
        var candidates = sounds.Where(s => !s.Pending)
            .OrderBy(s => used.Contains(s.Source))
            .ThenBy(s => s.Stored)
            .ThenBy(s => s.Source, StringComparer.Ordinal);
        foreach (var s in candidates)
        {
            if (total <= budgetBytes) break;
            drop.Add(s.Source);
            total -= s.Bytes;
        }
        return drop;
    }
}
