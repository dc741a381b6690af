namespace Orbitr.Web.Patterns;

/// <summary>The library's entries in memory, newest edit first, and the one entry whose deletion can still be undone
/// (for <see cref="UndoWindow"/>, or until the next deletion). Pure bookkeeping: storage and the editor are
/// <see cref="PatternLibrary"/>'s business.</summary>
public sealed class LibraryIndex
{
    public static readonly TimeSpan UndoWindow = TimeSpan.FromSeconds(10);

    private readonly List<LibraryEntry> _entries = [];
    private DateTimeOffset _lastStamp = DateTimeOffset.MinValue;

    public LibraryIndex(IEnumerable<LibraryEntry>? entries = null)
    {
        foreach (var e in entries ?? []) Put(e);
    }

    /// <summary>Newest edit first; equal times by name, then id, so the order never flickers.</summary>
    public IReadOnlyList<LibraryEntry> Entries => _entries;

    /// <summary>The last deleted entry, while it can be restored.</summary>
    public DeletedEntry? Deleted { get; private set; }

    public LibraryEntry? Find(string id) => _entries.Find(e => e.Id == id);

    /// <summary>Adds an entry or replaces the one with its id, keeping the order.</summary>
    public void Put(LibraryEntry entry)
    {
        _entries.RemoveAll(e => e.Id == entry.Id);
        var at = _entries.FindIndex(e => Compare(entry, e) < 0);
        _entries.Insert(at < 0 ? _entries.Count : at, entry);
        if (entry.Updated > _lastStamp) _lastStamp = entry.Updated;
    }

    /// <summary>Removes an entry and keeps it for <see cref="Restore"/>; an earlier deletion can no longer be undone.</summary>
    public LibraryEntry? Delete(string id, bool wasCurrent, DateTimeOffset at)
    {
        if (Find(id) is not { } entry) return null;
        _entries.Remove(entry);
        Deleted = new DeletedEntry(entry, wasCurrent, at);
        return entry;
    }

    /// <summary>Puts the deleted entry back (as it was, with its edit time) and forgets it.</summary>
    public DeletedEntry? Restore()
    {
        if (Deleted is not { } deleted) return null;
        Deleted = null;
        Put(deleted.Entry);
        return deleted;
    }

    /// <summary>Forgets the deleted entry once its undo window has passed; true when it did.</summary>
    public bool Expire(DateTimeOffset now)
    {
        if (Deleted is not { } d || now - d.At < UndoWindow) return false;
        Deleted = null;
        return true;
    }

    /// <summary>The most recently edited entry other than <paramref name="id"/>.</summary>
    public LibraryEntry? MostRecentExcept(string? id) => _entries.Find(e => e.Id != id);

    /// <summary>An edit time for a change made now: never equal to or before one already given, so the change just
    /// made sorts first even within one clock tick.</summary>
    public DateTimeOffset Stamp(DateTimeOffset now)
    {
        _lastStamp = now > _lastStamp ? now : _lastStamp.AddMilliseconds(1);
        return _lastStamp;
    }

    /// <summary>A name for a copy: "Beat copy", then "Beat copy 2", …</summary>
    public string CopyName(string name) => UniqueName(name, " copy");

    /// <summary><paramref name="stem"/> + <paramref name="suffix"/>, or with " 2", " 3"… when an entry has that name
    /// (the stem is shortened to keep within the name limit), so list items and their buttons ("Rename Untitled 2")
    /// can be told apart.</summary>
    public string UniqueName(string stem, string suffix = "")
    {
        var names = _entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 1; ; i++)
        {
            var end = suffix + (i == 1 ? "" : $" {i}");
            var max = Core.Model.Pattern.MaxNameLength - end.Length;
            var candidate = (stem.Length > max ? stem[..max] : stem) + end;
            if (!names.Contains(candidate)) return candidate;
        }
    }

    /// <summary>Takes an entry out for good (not undoable).</summary>
    public bool Remove(string id) => _entries.RemoveAll(e => e.Id == id) > 0;

    public static int Compare(LibraryEntry a, LibraryEntry b)
    {
        var byTime = b.Updated.CompareTo(a.Updated);
        if (byTime != 0) return byTime;
        var byName = string.Compare(a.Name, b.Name, StringComparison.CurrentCultureIgnoreCase);
        return byName != 0 ? byName : string.CompareOrdinal(a.Id, b.Id);
    }
}

/// <summary>A deleted entry kept for undo, and whether it was the pattern being edited (undo then opens it again).</summary>
public sealed record DeletedEntry(LibraryEntry Entry, bool WasCurrent, DateTimeOffset At);
