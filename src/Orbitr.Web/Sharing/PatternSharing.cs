using Microsoft.JSInterop;
using Orbitr.Contracts;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Web.Api;
using Orbitr.Web.State;

namespace Orbitr.Web.Sharing;

/// <summary>The owner's copy of a saved pattern: its id, edit token and the version last saved (If-Match).</summary>
public sealed class OwnedPattern
{
    public string Token { get; set; } = "";
    public int Version { get; set; }
    public bool Encrypted { get; set; }
}

public sealed class EncryptedBody
{
    public byte[] Body { get; set; } = [];
    public string Key { get; set; } = "";
}

public sealed class ShareAddress
{
    public string Id { get; set; } = "";
    public string? Key { get; set; }
}

/// <summary>Save to the server and share: a plain link (/p/{id}: others open a copy, the owner's edit token stays in
/// the owner's browser) or an end-to-end encrypted one (/p/{id}#k=key: the server stores only AES-GCM ciphertext).</summary>
public sealed class PatternSharing(IJSRuntime js, OrbitrApiClient api, Notices notices)
{
    private IJSObjectReference? _module;
    private string? _secretId, _openedOwned;
    private string _pattern = "";
    // Per pattern of the local library: the server copy that Share updates.
    private readonly Dictionary<string, string> _plainIds = [];

    private string? _plainId
    {
        get => _plainIds.GetValueOrDefault(_pattern);
        set
        {
            if (value is null) _plainIds.Remove(_pattern);
            else _plainIds[_pattern] = value;
        }
    }

    /// <summary>The library switched to another pattern (its local id): Share now saves that one, and the share box
    /// no longer shows the previous pattern's link. A shared pattern this browser owns, just opened, keeps its copy.</summary>
    public void SwitchPattern(string? localId)
    {
        if ((localId ?? "") == _pattern) return;
        _pattern = localId ?? "";
        if (_openedOwned is not null)
        {
            _plainId = _openedOwned;
            _openedOwned = null;
        }
        Link = null;
        Changed?.Invoke();
    }

    /// <summary>The last link made, for the share box.</summary>
    public string? Link { get; private set; }
    public bool LinkIsEncrypted { get; private set; }
    public bool Busy { get; private set; }
    public event Action? Changed;

    private async ValueTask<IJSObjectReference> ModuleAsync() => _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/share.js");

    /// <summary>Saves the pattern (a new server copy the first time, then updates of the same one) and makes its link.</summary>
    public async Task<string?> ShareAsync(Pattern pattern, bool encrypted)
    {
        Busy = true;
        Changed?.Invoke();
        try
        {
            var module = await ModuleAsync();
            var json = PatternJson.WriteUtf8(pattern);
            byte[] body = json;
            string? key = null;
            if (encrypted)
            {
                // A fresh key for every encrypted share: an old link never opens a newer version.
                var sealedBody = await module.InvokeAsync<EncryptedBody>("encrypt", json);
                (body, key) = (sealedBody.Body, sealedBody.Key);
            }
            var contentType = encrypted ? "application/octet-stream" : "application/json";
            var knownId = encrypted ? null : _plainId;
            ApiResult<SavedPattern> saved;
            OwnedPattern? owned = knownId is null ? null : await module.InvokeAsync<OwnedPattern?>("owner", knownId);
            if (knownId is not null && owned is not null)
            {
                saved = await api.SavePatternAsync(body, contentType, knownId, owned.Token, owned.Version);
                if (saved.Status == System.Net.HttpStatusCode.PreconditionFailed || saved.Status == System.Net.HttpStatusCode.NotFound)
                    saved = await api.SavePatternAsync(body, contentType); // changed elsewhere or gone: keep both, save a new copy
            }
            else saved = await api.SavePatternAsync(body, contentType);
            if (saved.Problem is { } p)
            {
                notices.Error(p.Code == 0 ? ErrorCodes.Offline : p.Code, "The pattern was not saved to the server", p.Detail, "It is still saved in this browser.");
                return null;
            }
            var result = saved.Value!;
            var id = string.IsNullOrEmpty(result.Id) ? knownId! : result.Id;
            var token = string.IsNullOrEmpty(result.EditToken) ? owned!.Token : result.EditToken;
            await module.InvokeAsync<bool>("remember", id, token, result.Version, encrypted);
            if (encrypted) _secretId = id;
            else _plainId = id;
            var origin = await module.InvokeAsync<string>("origin");
            Link = encrypted ? $"{origin}/p/{id}#k={key}" : $"{origin}/p/{id}";
            LinkIsEncrypted = encrypted;
            notices.DismissCode(ErrorCodes.Offline);
            return Link;
        }
        finally
        {
            Busy = false;
            Changed?.Invoke();
        }
    }

    /// <summary>At start-up: the pattern a /p/{id} link points at, decrypted with the fragment's key when encrypted,
    /// or null (no link, or it could not be opened: a notice says why).</summary>
    public async Task<Pattern?> OpenLinkAsync()
    {
        var module = await ModuleAsync();
        var address = await module.InvokeAsync<ShareAddress?>("current");
        if (address is null) return null;
        await module.InvokeVoidAsync("leave");
        var loaded = await api.LoadPatternAsync(address.Id);
        if (loaded.Problem is { } p)
        {
            notices.Error(p.Status == 404 ? ErrorCodes.InvalidPattern : p.Code, "The shared pattern could not be opened",
                p.Status == 404 ? "the link points at a pattern this server does not have" : p.Detail, "Your own pattern is unchanged.");
            return null;
        }
        var (body, type, version) = loaded.Value;
        if (type == "application/octet-stream")
        {
            if (address.Key is null)
            {
                notices.Error(ErrorCodes.InvalidPattern, "The shared pattern could not be opened", "it is encrypted and the link has no key (#k=…)");
                return null;
            }
            var plain = await module.InvokeAsync<byte[]?>("decrypt", body, address.Key);
            if (plain is null)
            {
                notices.Error(ErrorCodes.InvalidPattern, "The shared pattern could not be opened", "the link's key does not open it (incomplete link?)");
                return null;
            }
            body = plain;
        }
        var read = PatternJson.Read(body);
        if (!read.Ok)
        {
            notices.Error(ErrorCodes.InvalidPattern, "The shared pattern could not be opened", [.. read.Errors.Take(5).Select(e => $"{e.Path}: {e.Message}")]);
            return null;
        }
        // The owner (this browser saved it) keeps editing the same server copy; anyone else works on a copy.
        var owned = await module.InvokeAsync<OwnedPattern?>("owner", address.Id);
        if (owned is not null && !owned.Encrypted)
        {
            _openedOwned = address.Id; // the library opens it as a pattern of its own next (SwitchPattern)
            await module.InvokeAsync<bool>("remember", address.Id, owned.Token, version, false);
        }
        notices.Info($"Opened the shared pattern \"{read.Pattern!.Name}\"",
            owned is null ? "This is your copy: edits stay in this browser until you share it again." : "You saved this one: Share updates the same link.");
        return read.Pattern;
    }
}
