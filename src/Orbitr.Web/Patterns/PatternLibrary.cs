using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.State;
using Orbitr.Web.Storage;

namespace Orbitr.Web.Patterns;

/// <summary>Every pattern kept in this browser, newest edit first. One of them is the pattern being edited (in the
/// <see cref="PatternState"/>); every change to it is saved to its entry as before (<see cref="OnPatternChanged"/>), so
/// opening another never loses an edit. New, Save as, Open, Rename, Duplicate, Delete (undoable for
/// <see cref="LibraryIndex.UndoWindow"/>) and imports act here; <see cref="PatternPersistence"/> stores them.
/// Each operation changes the library and the editor at once, then returns the storage write to await (or not).</summary>
public sealed class PatternLibrary(PatternState store, PatternPersistence persistence, TimeProvider clock)
{
    private LibraryIndex _index = new();
    private CancellationTokenSource? _expiry;
    private LibraryEntry? _placeholder;

    /// <summary>Newest edit first.</summary>
    public IReadOnlyList<LibraryEntry> Entries => _index.Entries;

    /// <summary>The library id of the pattern being edited.</summary>
    public string? CurrentId { get; private set; }

    /// <summary>The last deleted pattern, while its deletion can be undone.</summary>
    public LibraryEntry? RecentlyDeleted => _index.Deleted?.Entry;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>A free name for a copy of <paramref name="name"/> ("Beat copy", "Beat copy 2"…).</summary>
    public string CopyName(string name) => _index.CopyName(name);

    /// <summary>The list changed other than by an edit of the current pattern (which raises <see cref="PatternState.Changed"/>).</summary>
    public event Action? Changed;

    /// <summary>Start-up: reads the library and opens the pattern that was being edited (a pattern saved before the
    /// library existed becomes its first entry; without storage the library lives in memory).</summary>
    public async Task RestoreAsync()
    {
        var restored = await persistence.RestoreAsync();
        _index = new LibraryIndex(restored.Entries);
        LibraryEntry current;
        if (restored.Current is { } pattern)
        {
            var known = restored.CurrentId is { } id ? _index.Find(id) : null;
            current = known is not null && known.Pattern.Equals(pattern) ? known
                : new LibraryEntry(restored.CurrentId ?? LibraryEntry.NewId(), pattern, _index.Stamp(Now));
        }
        else if (!restored.CurrentWasCorrupted && _index.Entries.Count > 0) current = _index.Entries[0];
        else current = new LibraryEntry(LibraryEntry.NewId(), store.Pattern, _index.Stamp(Now));
        _index.Put(current);
        CurrentId = current.Id;
        store.Load(current.Pattern);
        Changed?.Invoke();
        await persistence.SaveCurrentAsync(current);
    }

    /// <summary>Every change of the pattern being edited (edit, undo, redo) is a change of its entry, saved shortly after.</summary>
    public void OnPatternChanged(Pattern pattern)
    {
        if (CurrentId is null || _index.Find(CurrentId) is not { } entry || ReferenceEquals(entry.Pattern, pattern)) return;
        var next = entry.With(pattern, _index.Stamp(Now));
        _index.Put(next);
        persistence.ScheduleSave(next);
        if (ReferenceEquals(entry, _placeholder)) _placeholder = null;
    }

    /// <summary>Starts a new, empty pattern (six rings) as a new entry.</summary>
    public Task NewAsync() => OpenNewAsync(PatternFactory.Create(6, name: _index.UniqueName("Untitled")));

    /// <summary>Adds a pattern (an import, a shared link) as a new entry and opens it; the one being edited stays as it is.</summary>
    public async Task<string> AddAsync(Pattern pattern)
    {
        await OpenNewAsync(pattern);
        return CurrentId!;
    }

    /// <summary>The entry with this id (null: none).</summary>
    public LibraryEntry? Find(string id) => _index.Find(id);

    /// <summary>A genre starter: a new entry under a name no other pattern has ("Techno", "Techno 2" …).</summary>
    public Task StartNewAsync(Pattern pattern) => OpenNewAsync(PatternEditor.SetName(pattern, _index.UniqueName(pattern.Name)));

    /// <summary>Keeps the pattern being edited under a new name as a new entry and goes on editing that one (the
    /// original stays as it was last saved; Ctrl+Z goes back through the edits, as in any editor).</summary>
    public Task SaveAsAsync(string name)
    {
        name = name.Trim();
        if (name.Length == 0) return Task.CompletedTask;
        KeepEditorPattern();
        var copy = new LibraryEntry(LibraryEntry.NewId(), PatternEditor.SetName(store.Pattern, name), _index.Stamp(Now));
        _index.Put(copy);
        CurrentId = copy.Id;
        store.Dispatch(_ => copy.Pattern);
        Changed?.Invoke();
        return persistence.SaveCurrentAsync(copy);
    }

    /// <summary>Every sample source the library's patterns use (the one in the editor included, and one deleted a
    /// moment ago): the sounds kept for offline use that must stay longest.</summary>
    public IReadOnlySet<string> SampleSources()
    {
        var sources = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<Pattern> patterns = [store.Pattern, .. _index.Entries.Select(e => e.Pattern)];
        if (RecentlyDeleted is { } deleted) patterns = patterns.Append(deleted.Pattern);
        foreach (var p in patterns)
            foreach (var e in p.Samples) sources.Add(e.Ref.Source);
        return sources;
    }

    /// <summary>Applies a change that is not an edit to every pattern of the library (a sample moving to its server
    /// id): the editor's pattern and its undo history without an undo level, the others keep their edit times.</summary>
    public async Task RewriteAsync(Func<Pattern, Pattern> change)
    {
        store.Rewrite(change);
        foreach (var entry in _index.Entries.ToList())
        {
            if (entry.Id == CurrentId) continue;
            var next = change(entry.Pattern);
            if (ReferenceEquals(next, entry.Pattern) || next.Equals(entry.Pattern)) continue;
            var changed = entry.With(next, entry.Updated);
            _index.Put(changed);
            await persistence.PutAsync(changed);
        }
        Changed?.Invoke();
    }

    /// <summary>Opens an entry in the editor (with a fresh undo history).</summary>
    public Task OpenAsync(string id)
    {
        if (id == CurrentId || _index.Find(id) is not { } entry) return Task.CompletedTask;
        return SwitchTo(entry);
    }

    public Task RenameAsync(string id, string name)
    {
        name = name.Trim();
        if (name.Length == 0 || _index.Find(id) is not { } entry || entry.Name == name) return Task.CompletedTask;
        if (id == CurrentId)
        {
            store.Dispatch(p => PatternEditor.SetName(p, name)); // like the name box: an undoable edit, saved as any edit
            return Task.CompletedTask;
        }
        var renamed = entry.With(PatternEditor.SetName(entry.Pattern, name), _index.Stamp(Now));
        _index.Put(renamed);
        Changed?.Invoke();
        return persistence.PutAsync(renamed);
    }

    /// <summary>Copies an entry ("Beat copy") next to it; the editor stays on the pattern it was on.</summary>
    public Task DuplicateAsync(string id)
    {
        if (_index.Find(id) is not { } entry) return Task.CompletedTask;
        var copy = new LibraryEntry(LibraryEntry.NewId(), PatternEditor.SetName(entry.Pattern, _index.CopyName(entry.Name)), _index.Stamp(Now));
        _index.Put(copy);
        Changed?.Invoke();
        return persistence.PutAsync(copy);
    }

    /// <summary>Keeps a pattern (pasted from the clipboard) as a new entry, under its own name or, when another has it,
    /// as a copy ("Beat copy"); the editor stays on the pattern it was on. Returns the new entry's id.</summary>
    public async Task<string> AddCopyAsync(Pattern pattern)
    {
        KeepEditorPattern();
        var name = string.IsNullOrWhiteSpace(pattern.Name) ? "Pasted pattern" : pattern.Name.Trim();
        name = _index.UniqueName(name) == name ? name : _index.CopyName(name);
        var entry = new LibraryEntry(LibraryEntry.NewId(), PatternEditor.SetName(pattern, name), _index.Stamp(Now));
        _index.Put(entry);
        Changed?.Invoke();
        await persistence.PutAsync(entry);
        return entry.Id;
    }

    /// <summary>Deletes an entry (undoable with <see cref="UndoDeleteAsync"/> for a while). Deleting the pattern being
    /// edited opens the most recent other one, or a new pattern when none is left.</summary>
    public async Task DeleteAsync(string id)
    {
        var wasCurrent = id == CurrentId;
        if (_index.Delete(id, wasCurrent, Now) is null) return;
        var write = persistence.DeleteAsync(id);
        _ = ExpireLaterAsync(_index.Deleted!);
        if (wasCurrent)
        {
            if (_index.MostRecentExcept(null) is { } next) await Task.WhenAll(write, SwitchTo(next));
            else
            {
                var opened = OpenNewAsync(PatternFactory.Create(6, name: "Untitled"));
                _placeholder = _index.Find(CurrentId!);
                await Task.WhenAll(write, opened);
            }
            return;
        }
        Changed?.Invoke();
        await write;
    }

    /// <summary>Puts the last deleted entry back; if it was being edited, it is opened again (and a new empty pattern
    /// made only because the library had become empty goes away, untouched).</summary>
    public async Task UndoDeleteAsync()
    {
        if (_index.Restore() is not { } restored) return;
        _expiry?.Cancel();
        var write = persistence.PutAsync(restored.Entry);
        if (!restored.WasCurrent)
        {
            Changed?.Invoke();
            await write;
            return;
        }
        var placeholder = _placeholder is { } p && p.Id == CurrentId && _index.Remove(p.Id) ? p : null;
        _placeholder = null;
        var removed = placeholder is null ? Task.CompletedTask : persistence.DeleteAsync(placeholder.Id);
        await Task.WhenAll(write, removed, SwitchTo(restored.Entry));
    }

    private Task OpenNewAsync(Pattern pattern)
    {
        KeepEditorPattern();
        var entry = new LibraryEntry(LibraryEntry.NewId(), pattern, _index.Stamp(Now));
        _index.Put(entry);
        return SwitchTo(entry);
    }

    /// <summary>Before the library is restored (or in a test without storage) the editor's pattern is no entry yet:
    /// make it one, so switching away never drops it.</summary>
    private void KeepEditorPattern()
    {
        if (CurrentId is not null) return;
        var entry = new LibraryEntry(LibraryEntry.NewId(), store.Pattern, _index.Stamp(Now));
        _index.Put(entry);
        CurrentId = entry.Id;
    }

    private Task SwitchTo(LibraryEntry entry)
    {
        CurrentId = entry.Id;
        store.Load(entry.Pattern);
        Changed?.Invoke();
        return persistence.SaveCurrentAsync(entry);
    }

    private async Task ExpireLaterAsync(DeletedEntry deleted)
    {
        _expiry?.Cancel();
        var cts = _expiry = new CancellationTokenSource();
        try
        {
            await Task.Delay(LibraryIndex.UndoWindow, clock, cts.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (ReferenceEquals(_index.Deleted, deleted) && _index.Expire(Now)) Changed?.Invoke();
    }
}
