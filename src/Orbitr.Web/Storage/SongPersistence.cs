using Microsoft.JSInterop;
using Orbitr.Core.Songs;
using Orbitr.Web.Songs;
using Orbitr.Web.State;

namespace Orbitr.Web.Storage;

/// <summary>Keeps the songs in IndexedDB beside the patterns (storage.js's "songs" store, issue 25). Writes run in the
/// order they were asked for; an unreadable song is moved to the quarantine (4002), never deleted; a full disk (4001)
/// or blocked storage (4003) is shown and songs live in memory.</summary>
public sealed class SongPersistence(IJSRuntime js, Notices notices) : IAsyncDisposable
{
    private IJSObjectReference? _module;
    private Task _writes = Task.CompletedTask;
    private bool _available;

    public async Task<IReadOnlyList<SongEntry>> RestoreAsync()
    {
        try
        {
            _module = await js.InvokeAsync<IJSObjectReference>("import", "./js/storage.js");
            var opened = await _module.InvokeAsync<StorageResult?>("open");
            if (opened is not { Ok: true }) return []; // the pattern library has said why
            var stored = await _module.InvokeAsync<StoredSongs?>("restoreSongs");
            if (stored is not { Ok: true })
            {
                Report(stored?.Name, stored?.Message);
                return [];
            }
            _available = true;
            var songs = new List<SongEntry>();
            foreach (var item in stored.Entries)
            {
                var read = SongJson.Read(item.Text);
                if (read.Song is { } song)
                {
                    songs.Add(new SongEntry(item.Id, song, DateTimeOffset.FromUnixTimeMilliseconds((long)item.Updated)));
                    continue;
                }
                var reasons = read.Errors.Take(5).Select(e => e.ToString()).ToList();
                var kept = await _module.InvokeAsync<StorageResult>("quarantineSong", item.Id, string.Join("; ", reasons));
                notices.Error(ErrorCodes.StoredDataCorrupted, $"The saved song \"{(string.IsNullOrWhiteSpace(item.Name) ? "(no name)" : item.Name)}\" could not be read and was taken out of your songs",
                    [.. reasons, kept.Ok ? "Its data was kept aside in this browser's storage (Orbitr › quarantine), not deleted." : "Its data was left in place."]);
            }
            return songs;
        }
        catch (JSException e)
        {
            Report("Error", e.Message);
            return [];
        }
    }

    public Task PutAsync(SongEntry entry) => Enqueue("putSong", StoredPattern.OfSong(entry));

    public Task DeleteAsync(string id) => Enqueue("deleteSong", id);

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
        if (!saved.Ok) Report(saved.Name, saved.Message);
    }

    private void Report(string? name, string? message)
    {
        if (name == "QuotaExceededError")
            notices.Error(ErrorCodes.StorageQuotaExceeded, "Storage is full: your latest song changes are not saved in this browser",
                "Free some space or export the song as a bundle; Orbitr keeps working in memory.");
        else
        {
            _available = false;
            notices.Error(ErrorCodes.StoragePermissionDenied, "This browser does not let Orbitr save songs", $"{name}: {message}",
                "Orbitr keeps working in memory; export the song as a bundle to keep it.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
    }
}

/// <summary>storage.js's restoreSongs answer.</summary>
public sealed class StoredSongs
{
    public bool Ok { get; set; }
    public string? Name { get; set; }
    public string? Message { get; set; }
    public List<StoredPattern> Entries { get; set; } = [];
}
