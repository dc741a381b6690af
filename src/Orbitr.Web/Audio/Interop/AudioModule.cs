using Microsoft.JSInterop;

namespace Orbitr.Web.Audio.Interop;

/// <summary>wwwroot/js/audio.js, imported once per page and shared by the audio pieces.</summary>
public sealed class AudioModule(IJSRuntime js) : IAsyncDisposable
{
    private IJSObjectReference? _module;

    /// <summary>The module once imported (null before).</summary>
    public IJSObjectReference? Loaded => _module;

    public async ValueTask<IJSObjectReference> GetAsync()
    {
        if (_module is not null) return _module;
        var module = await js.InvokeAsync<IJSObjectReference>("import", "./js/audio.js");
        if (_module is not null) return _module;
        await module.InvokeVoidAsync("configure", AudioConstants.Current);
        return _module = module;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null)
            {
                await _module.InvokeVoidAsync("dispose");
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException) { }
    }
}
