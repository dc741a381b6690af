using Microsoft.JSInterop;
using Orbitr.Web.State;

namespace Orbitr.Web.Offline;

/// <summary>Generated and uploaded sounds kept in the browser (wwwroot/js/sounds.js) as the bytes the server served,
/// so local patterns play and export offline. Kept sounds stay under <see cref="BudgetBytes"/> on disk
/// (<see cref="SoundEviction"/> decides what goes); decoded audio in memory has its own 100 MB limit (SampleCache).</summary>
public sealed class SoundStore(IJSRuntime js, Notices notices) : IAsyncDisposable
{
    public const long DefaultBudgetBytes = 200L * 1024 * 1024;
    private static readonly IReadOnlySet<string> s_none = new HashSet<string>();
    private IJSObjectReference? _module;

    /// <summary>Disk budget for kept sounds (Settings).</summary>
    public long BudgetBytes { get; set; } = DefaultBudgetBytes;

    /// <summary>The sample sources the browser's patterns use (the library's, the current one's): evicted last.</summary>
    public Func<Task<IReadOnlySet<string>>> UsedSources { get; set; } = () => Task.FromResult(s_none);

    private async ValueTask<IJSObjectReference> ModuleAsync() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/sounds.js");

    public async Task<byte[]?> GetAsync(string source) => await (await ModuleAsync()).InvokeAsync<byte[]?>("get", source);

    public async Task<IReadOnlyList<StoredSound>> ListAsync() => await (await ModuleAsync()).InvokeAsync<List<StoredSound>?>("list") ?? [];

    public async Task RemoveAsync(string source) => await (await ModuleAsync()).InvokeVoidAsync("remove", source);

    /// <summary>Keeps a sound (replacing what was kept under its source), then trims the store to the budget.
    /// False when the browser refused to store it (a full disk is reported as 4001; the sound still plays now).</summary>
    public async Task<bool> KeepAsync(string source, byte[] bytes, string? name, bool pending = false)
    {
        var result = await (await ModuleAsync()).InvokeAsync<StorageResultMessage?>("put", source, bytes, name, pending);
        if (result is not { Ok: true })
        {
            if (result?.Name == "QuotaExceededError")
                notices.Error(ErrorCodes.StorageQuotaExceeded, $"Storage is full: \"{name ?? source}\" is not kept for offline use",
                    "It plays while the server is reachable. Free some space, or lower what other sites store.");
            return false;
        }
        await TrimAsync();
        return true;
    }

    /// <summary>Drops kept sounds past the budget (unused first); returns how many bytes stay.</summary>
    public async Task<long> TrimAsync()
    {
        var sounds = await ListAsync();
        var drop = SoundEviction.Choose(sounds, await UsedSources(), BudgetBytes);
        foreach (var source in drop) await RemoveAsync(source);
        return sounds.Where(s => !drop.Contains(s.Source)).Sum(s => s.Bytes);
    }

    public async Task<IJSObjectReference> OnOnlineAsync(DotNetObjectReference<OfflineUploads> target) =>
        await (await ModuleAsync()).InvokeAsync<IJSObjectReference>("onOnline", target);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
    }
}

/// <summary>sounds.js's answer to a write.</summary>
public sealed class StorageResultMessage
{
    public bool Ok { get; set; }
    public string? Name { get; set; }
    public string? Message { get; set; }
}
