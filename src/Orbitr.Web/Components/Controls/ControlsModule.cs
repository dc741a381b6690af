using Microsoft.JSInterop;

namespace Orbitr.Web.Components.Controls;

/// <summary>wwwroot/js/controls.js (knob drags, tap times), imported once per page and shared by every control.</summary>
public sealed class ControlsModule(IJSRuntime js) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;

    public async ValueTask<IJSObjectReference> GetAsync() =>
        await (_module ??= js.InvokeAsync<IJSObjectReference>("import", "./js/controls.js").AsTask());

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is { IsCompletedSuccessfully: true }) await (await _module).DisposeAsync();
        }
        catch (JSDisconnectedException) { }
    }
}
