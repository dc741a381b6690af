using Microsoft.JSInterop;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Web.Patterns;
using Orbitr.Web.State;

namespace Orbitr.Web.Storage;

/// <summary>Keeps the pattern library in IndexedDB (wwwroot/js/storage.js): the working copy of the current pattern
/// (saved within <see cref="SaveDelay"/> of every change, together with its library entry) and every other entry.
/// Unreadable saved data is kept aside, never deleted (4002), pattern by pattern; a full disk (4001) or blocked
/// storage (4003) is shown and the app goes on in memory.</summary>
public sealed class PatternPersistence(IJSRuntime js, Notices notices) : IAsyncDisposable
{
    public static readonly TimeSpan SaveDelay = TimeSpan.FromMilliseconds(150);

    private IJSObjectReference? _module;
    private CancellationTokenSource? _pending;
    private LibraryEntry? _pendingEntry;
    private Task _writes = Task.CompletedTask;
    private bool _available;

    /// <summary>False when storage is blocked (or holds data we could not keep aside): the app works in memory.</summary>
    public bool Available => _available;

    /// <summary>Opens storage and reads the library. The working copy is null when nothing is saved, it is unreadable
    /// (kept aside) or there is no storage; unreadable entries are moved to the quarantine and left out.</summary>
    public async Task<RestoredLibrary> RestoreAsync()
    {
        _module = await js.InvokeAsync<IJSObjectReference>("import", "./js/storage.js");
        var opened = await _module.InvokeAsync<StorageResult?>("open");
        if (opened is not { Ok: true })
        {
            ReportFailure(opened?.Name, opened?.Message);
            return RestoredLibrary.Empty;
        }
        _available = true;
        var stored = await _module.InvokeAsync<StoredLibrary?>("restoreLibrary");
        if (stored is not { Ok: true })
        {
            ReportFailure(stored?.Name, stored?.Message);
            return RestoredLibrary.Empty;
        }

        var entries = new List<LibraryEntry>();
        var currentId = stored.CurrentId;
        foreach (var item in stored.Entries)
        {
            var read = PatternJson.Read(item.Text);
            if (read.Pattern is { } p)
            {
                entries.Add(new LibraryEntry(item.Id, p, DateTimeOffset.FromUnixTimeMilliseconds((long)item.Updated)));
                continue;
            }
            var kept = await QuarantineEntryAsync(item, read.Errors.Select(e => e.ToString()).ToList());
            // The working copy must not be saved over an entry we could not keep aside: give it a new id.
            if (!kept && item.Id == currentId) currentId = null;
        }

        Pattern? current = null;
        if (stored.Current is { } text)
        {
            var read = PatternJson.Read(text);
            if (read.Pattern is { } p) current = p;
            else await QuarantineWorkingCopyAsync(text, read.Errors.Select(e => e.ToString()).ToList());
        }
        return new RestoredLibrary(current, current is null ? null : currentId, entries, stored.Current is not null && current is null);
    }

    private async Task QuarantineWorkingCopyAsync(string text, List<string> reasons)
    {
        var kept = await _module!.InvokeAsync<StorageResult>("quarantine", text, string.Join("; ", reasons));
        notices.Error(ErrorCodes.StoredDataCorrupted, "The saved pattern could not be read, so a fresh pattern was started",
            [.. reasons.Take(5), kept.Ok ? "The saved data was kept aside in this browser's storage (Orbitr › quarantine), not deleted." :
                "The saved data could not be copied aside, so it has been left in place and will not be overwritten."]);
        if (!kept.Ok) _available = false; // never overwrite data we could not keep
    }

    private async Task<bool> QuarantineEntryAsync(StoredPattern item, List<string> reasons)
    {
        var kept = await _module!.InvokeAsync<StorageResult>("quarantineEntry", item.Id, string.Join("; ", reasons));
        var name = string.IsNullOrWhiteSpace(item.Name) ? "(no name)" : item.Name;
        notices.Error(ErrorCodes.StoredDataCorrupted, $"The saved pattern \"{name}\" could not be read and was taken out of the library",
            [.. reasons.Take(5), kept.Ok ? "Its data was kept aside in this browser's storage (Orbitr › quarantine), not deleted; the other patterns are fine." :
                "Its data could not be copied aside, so it has been left in place and will not be overwritten."]);
        return kept.Ok;
    }

    /// <summary>Saves the current pattern after a short quiet period, so a burst of edits (a slider drag) is one write.</summary>
    public void ScheduleSave(LibraryEntry current)
    {
        if (!_available) return;
        _pending?.Cancel();
        _pendingEntry = current;
        var cts = _pending = new CancellationTokenSource();
        _ = SaveLaterAsync(current, cts.Token);
    }

    private async Task SaveLaterAsync(LibraryEntry current, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(SaveDelay, cancel);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (_pendingEntry == current) _pendingEntry = null;
        await Enqueue("saveCurrent", StoredPattern.Of(current));
    }

    /// <summary>Saves the working copy, its library entry and which entry it is, in one transaction. A scheduled save
    /// of another pattern (the one being left) is written first, so switching never loses an edit; one of the same
    /// pattern is superseded.</summary>
    public Task SaveCurrentAsync(LibraryEntry current)
    {
        _pending?.Cancel();
        if (_pendingEntry is { } left && left.Id != current.Id) _ = Enqueue("saveCurrent", StoredPattern.Of(left));
        _pendingEntry = null;
        return Enqueue("saveCurrent", StoredPattern.Of(current));
    }

    /// <summary>Saves an entry that is not the one being edited (a copy, a rename, a deletion undone).</summary>
    public Task PutAsync(LibraryEntry entry) => Enqueue("putEntry", StoredPattern.Of(entry));

    /// <summary>Deletes an entry, dropping a scheduled save of it.</summary>
    public Task DeleteAsync(string id)
    {
        if (_pendingEntry?.Id == id)
        {
            _pending?.Cancel();
            _pendingEntry = null;
        }
        return Enqueue("deleteEntry", id);
    }

    // Writes run one after another in the order they were asked for (a switch, then an edit, then a delete…).
    private Task Enqueue(string function, object argument) => _writes = WriteAfterAsync(_writes, function, argument);

    private async Task WriteAfterAsync(Task before, string function, object argument)
    {
        await before.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!_available || _module is null) return;
        StorageResult saved;
        try
        {
            saved = await _module.InvokeAsync<StorageResult>(function, argument);
        }
        catch (JSException e)
        {
            saved = new StorageResult { Name = "Error", Message = e.Message };
        }
        if (saved.Ok) notices.DismissCode(ErrorCodes.StorageQuotaExceeded);
        else ReportFailure(saved.Name, saved.Message);
    }

    private void ReportFailure(string? name, string? message)
    {
        if (name == "QuotaExceededError")
            notices.Error(ErrorCodes.StorageQuotaExceeded, "Storage is full: your latest changes are not saved in this browser",
                "Free some space or export the pattern as JSON; Orbitr keeps working in memory and saves again on the next change.");
        else
        {
            _available = false;
            notices.Error(ErrorCodes.StoragePermissionDenied, "This browser does not let Orbitr save",
                $"{name}: {message}", "Orbitr keeps working in memory; export the pattern as JSON to keep it.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending?.Cancel();
        try
        {
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
    }
}

/// <summary>What storage held at start-up: the working copy (null when none could be read), the library entry it
/// is (null when unknown: saved before the library existed), every readable entry, and whether the working copy
/// was there but unreadable.</summary>
public sealed record RestoredLibrary(Pattern? Current, string? CurrentId, IReadOnlyList<LibraryEntry> Entries, bool CurrentWasCorrupted)
{
    public static readonly RestoredLibrary Empty = new(null, null, [], false);
}

/// <summary>storage.js's answer (a class, not a positional record: see <see cref="Audio.StartResult"/>).</summary>
public sealed class StorageResult
{
    public bool Ok { get; set; }
    public string? Name { get; set; }
    public string? Message { get; set; }
    public string? Text { get; set; }
}

/// <summary>A library record as stored: the pattern as JSON text, its name (to name it even when the text is
/// unreadable) and its edit time in milliseconds since 1970.</summary>
public sealed class StoredPattern
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Text { get; set; } = "";
    public double Updated { get; set; }

    public static StoredPattern Of(LibraryEntry e) =>
        new() { Id = e.Id, Name = e.Name, Text = PatternJson.Write(e.Pattern), Updated = e.Updated.ToUnixTimeMilliseconds() };

    /// <summary>A song's record: the same shape, its text the song's JSON.</summary>
    public static StoredPattern OfSong(Songs.SongEntry e) =>
        new() { Id = e.Id, Name = e.Name, Text = Core.Songs.SongJson.Write(e.Song), Updated = e.Updated.ToUnixTimeMilliseconds() };
}

/// <summary>storage.js's restoreLibrary answer.</summary>
public sealed class StoredLibrary
{
    public bool Ok { get; set; }
    public string? Name { get; set; }
    public string? Message { get; set; }
    public string? Current { get; set; }
    public string? CurrentId { get; set; }
    public List<StoredPattern> Entries { get; set; } = [];
}
