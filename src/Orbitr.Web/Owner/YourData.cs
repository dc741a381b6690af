using Orbitr.Contracts;
using Orbitr.Web.Library;
using Orbitr.Web.Api;
using Orbitr.Web.State;

namespace Orbitr.Web.Owner;

/// <summary>"Your data": what this browser's owner stores on the server against the quota, deleting all of it, and
/// moving the library to another browser with its key (the owner token).</summary>
public sealed class YourData(OrbitrApiClient api, OwnerSession owner, SampleShelf shelf, Notices notices)
{
    public OwnerUsageDto? Usage { get; private set; }
    public ApiProblem? Problem { get; private set; }
    public bool Busy { get; private set; }

    public event Action? Changed;

    public async Task RefreshAsync()
    {
        Busy = true;
        Changed?.Invoke();
        var r = await api.OwnerUsageAsync();
        (Usage, Problem, Busy) = (r.Value, r.Problem, false);
        Changed?.Invoke();
    }

    /// <summary>Deletes every sample and pattern this browser stored on the server; the next server call starts a new owner.</summary>
    public async Task DeleteEverythingAsync()
    {
        Busy = true;
        Changed?.Invoke();
        var r = await api.DeleteOwnerAsync();
        Busy = false;
        if (!r.Ok)
        {
            Problem = r.Problem;
            notices.Error(r.Problem!.Code, "Nothing was deleted", [r.Problem.Detail]);
            Changed?.Invoke();
            return;
        }
        await owner.ForgetAsync();
        notices.Info("Everything this browser stored on the server was deleted");
        Usage = null;
        await shelf.RefreshAsync();
        await RefreshAsync();
    }

    /// <summary>This browser's library key (null when it has stored nothing on the server yet).</summary>
    public Task<string?> KeyAsync() => owner.TokenAsync();

    /// <summary>Uses a key copied from another browser: its library comes along. A key the server does not know is
    /// refused and the current one kept.</summary>
    public async Task<bool> UseKeyAsync(string key)
    {
        key = key.Trim();
        if (key.Length < 22 || key.Length > 200 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            Problem = new ApiProblem(ErrorCodes.StoragePermissionDenied, "Not a library key", "a library key is a long run of letters, digits, - and _ copied from \"Show my library key\"");
            Changed?.Invoke();
            return false;
        }
        var check = await api.OwnerUsageAsync(key);
        if (!check.Ok)
        {
            Problem = check.Problem!.Status == 401
                ? new ApiProblem(ErrorCodes.StoragePermissionDenied, "Unknown library key", "this server does not know that key (it may have been deleted); your own library is unchanged")
                : check.Problem;
            Changed?.Invoke();
            return false;
        }
        await owner.SaveAsync(key);
        Problem = null;
        Usage = check.Value;
        await shelf.RefreshAsync();
        Changed?.Invoke();
        return true;
    }
}
