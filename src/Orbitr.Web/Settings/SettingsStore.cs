using Microsoft.JSInterop;
using Orbitr.Web.State;
using Orbitr.Web.Storage;

namespace Orbitr.Web.Settings;

/// <summary>Holds the <see cref="AppSettings"/>: loads them from this browser's localStorage at start-up
/// (wwwroot/js/settings.js), saves every change at once, and sets the theme on the page. Bad stored data gives
/// defaults field by field (<see cref="SettingsJson.Read"/>); storage that refuses a write is shown, and the
/// settings still apply until the page is reloaded.</summary>
public sealed class SettingsStore(IJSRuntime js, Notices notices) : IAsyncDisposable
{
    public const string StorageKey = "orbitr.settings";

    private IJSObjectReference? _module;

    public AppSettings Current { get; private set; } = AppSettings.Default;

    public event Action? Changed;

    private async ValueTask<IJSObjectReference> ModuleAsync() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/settings.js");

    public async Task LoadAsync()
    {
        var module = await ModuleAsync();
        var loaded = await module.InvokeAsync<StorageResult?>("load", StorageKey);
        Current = SettingsJson.Read(loaded is { Ok: true } ? loaded.Text : null);
        await module.InvokeVoidAsync("applyTheme", SettingsJson.Name(Current.Theme));
        Changed?.Invoke();
    }

    /// <summary>Applies a change (values brought into range) and saves it.</summary>
    public async Task UpdateAsync(Func<AppSettings, AppSettings> change)
    {
        var previous = Current;
        var next = change(previous).Clamped();
        if (next == previous) return;
        Current = next;
        Changed?.Invoke();
        var module = await ModuleAsync();
        if (next.Theme != previous.Theme) await module.InvokeVoidAsync("applyTheme", SettingsJson.Name(next.Theme));
        var saved = await module.InvokeAsync<StorageResult?>("save", StorageKey, SettingsJson.Write(next));
        if (saved is null || saved.Ok) return;
        notices.Error(saved.Name == "QuotaExceededError" ? ErrorCodes.StorageQuotaExceeded : ErrorCodes.StoragePermissionDenied,
            "Settings could not be saved in this browser", $"{saved.Name}: {saved.Message}", "They apply until the page is reloaded.");
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
