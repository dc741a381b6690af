using System.Collections.Concurrent;

namespace Orbitr.Server.Generation;

/// <summary>Wakes Server-Sent Event streams when a generation changes in this process. Streams also re-read the
/// database on a short timer, so changes made by another process (a worker) are seen too.</summary>
public sealed class GenerationEvents
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiters = new();

    public void Changed(string id)
    {
        if (waiters.TryRemove(id, out var tcs)) tcs.TrySetResult();
    }

    public Task WaitAsync(string id, TimeSpan timeout, CancellationToken cancel)
    {
        var tcs = waiters.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return tcs.Task.WaitAsync(timeout, cancel).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
