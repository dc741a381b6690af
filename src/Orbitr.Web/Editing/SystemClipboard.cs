using Microsoft.JSInterop;

namespace Orbitr.Web.Editing;

/// <summary>The system clipboard as text (wwwroot/js/clipboard.js, imported once): copied steps, rings and patterns
/// travel through it, so another tab pastes them. Access the browser refuses is no error: a write says false and a
/// read gives null, and the caller falls back on its own copy or says so.</summary>
public sealed class SystemClipboard(IJSRuntime js) : IAsyncDisposable
{
    private IJSObjectReference? _module;

    public async Task<bool> WriteAsync(string text)
    {
        try
        {
            _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/clipboard.js");
            return await _module.InvokeAsync<bool>("writeText", text);
        }
        catch (JSException)
        {
            return false;
        }
    }

    public async Task<string?> ReadAsync()
    {
        try
        {
            _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/clipboard.js");
            return await _module.InvokeAsync<string?>("readText");
        }
        catch (JSException)
        {
            return null;
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
