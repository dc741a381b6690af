using Microsoft.JSInterop;

namespace Orbitr.Web.Offline;

/// <summary>The installed (offline) copy of the app: tells when a new version has been downloaded and is waiting
/// (wwwroot/js/pwa.js registers the service worker), and switches to it when the user asks.</summary>
public sealed class AppUpdates(IJSRuntime js) : IAsyncDisposable
{
    private IJSObjectReference? _module;
    private IJSObjectReference? _listener;
    private DotNetObjectReference<AppUpdates>? _self;

    public bool UpdateReady { get; private set; }

    public event Action? Changed;

    public async Task StartAsync()
    {
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/pwa.js");
        _self ??= DotNetObjectReference.Create(this);
        _listener ??= await _module.InvokeAsync<IJSObjectReference>("listen", _self);
    }

    [JSInvokable]
    public void OnUpdateReady()
    {
        UpdateReady = true;
        Changed?.Invoke();
    }

    /// <summary>Lets the waiting version take over; the page reloads onto it.</summary>
    public async Task ApplyAsync()
    {
        if (_module is not null) await _module.InvokeVoidAsync("applyUpdate");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_listener is not null) await _listener.InvokeVoidAsync("stop");
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
        _self?.Dispose();
    }
}
