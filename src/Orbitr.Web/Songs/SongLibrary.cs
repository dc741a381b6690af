using Orbitr.Core.Model;
using Orbitr.Core.Songs;
using Orbitr.Web.Patterns;
using Orbitr.Web.Storage;

namespace Orbitr.Web.Songs;

/// <summary>The songs kept in this browser (issue 25), newest edit first, beside the pattern library whose patterns
/// their sections name (<c>library:&lt;id&gt;</c>). One is open in the song view; every edit of it is saved at once.</summary>
public sealed class SongLibrary(PatternLibrary patterns, SongPersistence persistence, TimeProvider clock)
{
    private readonly List<SongEntry> _songs = [];

    /// <summary>Newest edit first.</summary>
    public IReadOnlyList<SongEntry> Songs => _songs;

    public string? CurrentId { get; private set; }

    public SongEntry? Current => CurrentId is { } id ? _songs.Find(s => s.Id == id) : null;

    public event Action? Changed;

    public async Task RestoreAsync()
    {
        var restored = await persistence.RestoreAsync();
        _songs.Clear();
        _songs.AddRange(restored.OrderByDescending(s => s.Updated));
        CurrentId = _songs.FirstOrDefault()?.Id;
        Changed?.Invoke();
    }

    /// <summary>A new song ("Song", "Song 2" …) of one section: the pattern being edited, played twice.</summary>
    public Task NewAsync()
    {
        var first = patterns.CurrentId is { } id ? SongEntry.Reference(id) : null;
        if (first is null) return Task.CompletedTask;
        return PutAsync(new SongEntry(LibraryEntry.NewId(), SongEditor.Create(UniqueName("Song"), first, 2), clock.GetUtcNow()));
    }

    /// <summary>Keeps an imported song (its sections already naming library patterns) and opens it.</summary>
    public Task AddAsync(Song song) =>
        PutAsync(new SongEntry(LibraryEntry.NewId(), SongEditor.Rename(song, UniqueName(song.Name)), clock.GetUtcNow()));

    public void Open(string id)
    {
        if (id == CurrentId || _songs.All(s => s.Id != id)) return;
        CurrentId = id;
        Changed?.Invoke();
    }

    /// <summary>Applies an edit to the open song (<see cref="SongEditor"/>); nothing is written when it changed nothing.</summary>
    public Task EditAsync(Func<Song, Song> edit)
    {
        if (Current is not { } entry) return Task.CompletedTask;
        var next = edit(entry.Song);
        if (next.Equals(entry.Song)) return Task.CompletedTask;
        return PutAsync(entry with { Song = next, Updated = clock.GetUtcNow() });
    }

    public Task DeleteAsync(string id)
    {
        if (_songs.RemoveAll(s => s.Id == id) == 0) return Task.CompletedTask;
        if (CurrentId == id) CurrentId = _songs.FirstOrDefault()?.Id;
        Changed?.Invoke();
        return persistence.DeleteAsync(id);
    }

    /// <summary>The library pattern a section names (null: deleted since, or not a library reference).</summary>
    public Pattern? Resolve(string reference) =>
        SongEntry.PatternId(reference) is { } id ? patterns.Find(id)?.Pattern : null;

    /// <summary>The library entry a section names.</summary>
    public LibraryEntry? Entry(string reference) => SongEntry.PatternId(reference) is { } id ? patterns.Find(id) : null;

    /// <summary>The song with its patterns inside (for export), or null with the sections whose pattern is gone.</summary>
    public Song? Bundle(Song song, out IReadOnlyList<string> missing) => SongBundle.Pack(song, Resolve, out missing);

    /// <summary>The sections as parts to render (null while a section's pattern is missing).</summary>
    public IReadOnlyList<SongPart>? Parts(Song song)
    {
        var parts = new List<SongPart>(song.Sections.Count);
        foreach (var s in song.Sections)
        {
            if (Resolve(s.Pattern) is not { } p) return null;
            parts.Add(new SongPart(p, s.Repeat));
        }
        return parts;
    }

    private Task PutAsync(SongEntry entry)
    {
        _songs.RemoveAll(s => s.Id == entry.Id);
        _songs.Insert(0, entry);
        CurrentId = entry.Id;
        Changed?.Invoke();
        return persistence.PutAsync(entry);
    }

    private string UniqueName(string name)
    {
        name = name.Trim();
        if (name.Length == 0) name = "Song";
        if (_songs.All(s => s.Name != name)) return name;
        for (var n = 2; ; n++)
            if (_songs.All(s => s.Name != $"{name} {n}")) return $"{name} {n}";
    }
}
