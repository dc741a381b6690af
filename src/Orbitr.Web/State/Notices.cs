namespace Orbitr.Web.State;

/// <summary>Error codes of ARCHITECTURE §6 that the browser app raises: names for the one table in
/// <see cref="Orbitr.Core.Errors.ErrorCode"/>.</summary>
public static class ErrorCodes
{
    public const int AudioContextFailed = Orbitr.Core.Errors.ErrorCode.AudioContextFailed;
    public const int AudioDecodeFailed = Orbitr.Core.Errors.ErrorCode.AudioDecodeFailed;
    public const int GenerationTimeout = Orbitr.Core.Errors.ErrorCode.GenerationTimeout;
    public const int GenerationFailed = Orbitr.Core.Errors.ErrorCode.GenerationFailed;
    public const int InvalidPrompt = Orbitr.Core.Errors.ErrorCode.InvalidPrompt;
    public const int GenerationQuota = Orbitr.Core.Errors.ErrorCode.GenerationQuotaExceeded;
    public const int Offline = Orbitr.Core.Errors.ErrorCode.Offline;
    public const int NetworkTimeout = Orbitr.Core.Errors.ErrorCode.NetworkTimeout;
    public const int RateLimited = Orbitr.Core.Errors.ErrorCode.RateLimited;
    public const int StorageQuotaExceeded = Orbitr.Core.Errors.ErrorCode.StorageQuotaExceeded;
    public const int StoredDataCorrupted = Orbitr.Core.Errors.ErrorCode.StoredDataCorrupted;
    public const int StoragePermissionDenied = Orbitr.Core.Errors.ErrorCode.StoragePermissionDenied;
    /// <summary>Not in the design's table: an imported file that is not a valid pattern (its errors are listed by path).</summary>
    public const int InvalidPattern = 0;
}

/// <summary>A message for the user: an error with its code, or plain information (code 0).</summary>
public sealed record Notice(int Id, int Code, string Title, IReadOnlyList<string> Details, bool IsError);

/// <summary>The messages shown as toasts. Errors stay until dismissed (the same code is shown once); information goes
/// by itself after <see cref="InfoSeconds"/>.</summary>
public sealed class Notices(TimeProvider time)
{
    public const double InfoSeconds = 5;
    private readonly List<Notice> _items = [];
    private readonly Dictionary<int, ITimer> _expiry = [];
    private int _nextId = 1;

    public Notices() : this(TimeProvider.System) { }

    public IReadOnlyList<Notice> Items => _items;

    public event Action? Changed;

    public Notice Error(int code, string title, params IReadOnlyList<string> details) => Add(code, title, details, true);

    public Notice Info(string title, params IReadOnlyList<string> details) => Add(0, title, details, false);

    /// <summary>Starts work nobody awaits (a re-mix, a sample load, a save): a failure becomes an error notice with
    /// <paramref name="code"/>, never an unobserved task. A cancelled task is no failure.</summary>
    public void Run(Func<Task> work, int code, string title)
    {
        Task task;
        try
        {
            task = work();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Error(code, title, e.Message);
            return;
        }
        if (!task.IsCompletedSuccessfully) _ = ObserveAsync(task, code, title);
    }

    private async Task ObserveAsync(Task task, int code, string title)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            Error(code, title, e.Message);
        }
    }

    public void Dismiss(int id)
    {
        StopExpiry(id);
        if (_items.RemoveAll(n => n.Id == id) > 0) Changed?.Invoke();
    }

    private void StopExpiry(int id)
    {
        if (_expiry.Remove(id, out var timer)) timer.Dispose();
    }

    public void DismissCode(int code)
    {
        foreach (var n in _items.Where(n => n.Code == code && code != 0)) StopExpiry(n.Id);
        if (_items.RemoveAll(n => n.Code == code && code != 0) > 0) Changed?.Invoke();
    }

    private Notice Add(int code, string title, IReadOnlyList<string> details, bool isError)
    {
        if (code != 0 && _items.FirstOrDefault(n => n.Code == code && n.Title == title) is { } existing) return existing;
        var notice = new Notice(_nextId++, code, title, details, isError);
        _items.Add(notice);
        if (_items.Count > 8)
        {
            StopExpiry(_items[0].Id);
            _items.RemoveAt(0);
        }
        if (!isError) _expiry[notice.Id] = time.CreateTimer(_ => Dismiss(notice.Id), null, TimeSpan.FromSeconds(InfoSeconds), Timeout.InfiniteTimeSpan);
        Changed?.Invoke();
        return notice;
    }
}
