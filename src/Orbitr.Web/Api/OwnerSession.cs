using Microsoft.JSInterop;
using Orbitr.Web.Storage;

namespace Orbitr.Web.Api;

/// <summary>The owner this browser acts for on the server: an anonymous token, kept in this origin's IndexedDB
/// (wwwroot/js/storage.js; never a cookie, so it goes to no other site and only with Orbitr's own API calls).</summary>
public sealed class OwnerSession(IJSRuntime js) : IAsyncDisposable
{
    public const string StorageKey = "owner-token";
    private IJSObjectReference? _module;
    private string? _token;
    private bool _loaded;

    private async ValueTask<IJSObjectReference?> ModuleAsync()
    {
        if (_module is not null) return _module;
        try
        {
            _module = await js.InvokeAsync<IJSObjectReference>("import", "./js/storage.js");
            await _module.InvokeAsync<StorageResult>("open");
        }
        catch (JSException)
        {
            _module = null;
        }
        return _module;
    }

    /// <summary>The saved token, or null when this browser has none yet.</summary>
    public async Task<string?> TokenAsync()
    {
        if (_loaded) return _token;
        if (await ModuleAsync() is { } module && await module.InvokeAsync<StorageResult?>("load", StorageKey) is { Ok: true, Text: { Length: > 0 } text })
            _token = text;
        _loaded = true;
        return _token;
    }

    /// <summary>Keeps a token (a new owner, or one pasted from another browser to bring its library along).</summary>
    public async Task SaveAsync(string token)
    {
        _token = token;
        _loaded = true;
        if (await ModuleAsync() is { } module) await module.InvokeAsync<StorageResult?>("save", StorageKey, token);
    }

    /// <summary>Forgets the token (after "delete everything", or when the server no longer knows it).</summary>
    public async Task ForgetAsync()
    {
        _token = null;
        _loaded = true;
        if (await ModuleAsync() is { } module) await module.InvokeAsync<StorageResult?>("save", StorageKey, "");
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
