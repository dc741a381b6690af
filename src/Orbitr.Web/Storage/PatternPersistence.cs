using Microsoft.JSInterop;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Web.State;

namespace Orbitr.Web.Storage;

/// <summary>Keeps the current pattern in IndexedDB (wwwroot/js/storage.js): restores it at start-up and saves every
/// change within <see cref="SaveDelay"/>. Unreadable saved data is kept aside, never deleted (4002); a full disk
/// (4001) or blocked storage (4003) is shown and the app goes on in memory.</summary>
public sealed class PatternPersistence(IJSRuntime js, Notices notices) : IAsyncDisposable
{
    public const string CurrentKey = "current";
    public static readonly TimeSpan SaveDelay = TimeSpan.FromMilliseconds(150);

    private IJSObjectReference? _module;
    private CancellationTokenSource? _pending;
    private bool _available;

    /// <summary>Opens storage and returns the saved pattern, or null (nothing saved, unreadable, or no storage).</summary>
    public async Task<Pattern?> RestoreAsync()
    {
        _module = await js.InvokeAsync<IJSObjectReference>("import", "./js/storage.js");
        var opened = await _module.InvokeAsync<StorageResult>("open");
        if (!opened.Ok)
        {
            ReportFailure(opened);
            return null;
        }
        _available = true;
        var loaded = await _module.InvokeAsync<StorageResult>("load", CurrentKey);
        if (!loaded.Ok)
        {
            ReportFailure(loaded);
            return null;
        }
        if (loaded.Text is null) return null;
        var result = PatternJson.Read(loaded.Text);
        if (result.Pattern is { } pattern) return pattern;

        var reasons = result.Errors.Select(e => e.ToString()).ToList();
        var kept = await _module.InvokeAsync<StorageResult>("quarantine", loaded.Text, string.Join("; ", reasons));
        notices.Error(ErrorCodes.StoredDataCorrupted, "The saved pattern could not be read, so a fresh pattern was started",
            [.. reasons.Take(5), kept.Ok ? "The saved data was kept aside in this browser's storage (Orbitr › quarantine), not deleted." :
                "The saved data could not be copied aside, so it has been left in place and will not be overwritten."]);
        if (!kept.Ok) _available = false; // never overwrite data we could not keep
        return null;
    }

    /// <summary>Saves after a short quiet period, so a burst of edits (a slider drag) is one write.</summary>
    public void ScheduleSave(Pattern pattern)
    {
        if (!_available) return;
        _pending?.Cancel();
        var cts = _pending = new CancellationTokenSource();
        _ = SaveLaterAsync(pattern, cts.Token);
    }

    private async Task SaveLaterAsync(Pattern pattern, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(SaveDelay, cancel);
            await SaveNowAsync(pattern);
        }
        catch (OperationCanceledException) { }
    }

    public async Task SaveNowAsync(Pattern pattern)
    {
        if (!_available || _module is null) return;
        var saved = await _module.InvokeAsync<StorageResult>("save", CurrentKey, PatternJson.Write(pattern));
        if (saved.Ok) notices.DismissCode(ErrorCodes.StorageQuotaExceeded);
        else ReportFailure(saved);
    }

    private void ReportFailure(StorageResult r)
    {
        if (r.Name == "QuotaExceededError")
            notices.Error(ErrorCodes.StorageQuotaExceeded, "Storage is full: your latest changes are not saved in this browser",
                "Free some space or export the pattern as JSON; Orbitr keeps working in memory and saves again on the next change.");
        else
        {
            _available = false;
            notices.Error(ErrorCodes.StoragePermissionDenied, "This browser does not let Orbitr save",
                $"{r.Name}: {r.Message}", "Orbitr keeps working in memory; export the pattern as JSON to keep it.");
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

/// <summary>storage.js's answer (a class, not a positional record: see <see cref="Audio.StartResult"/>).</summary>
public sealed class StorageResult
{
    public bool Ok { get; set; }
    public string? Name { get; set; }
    public string? Message { get; set; }
    public string? Text { get; set; }
}
