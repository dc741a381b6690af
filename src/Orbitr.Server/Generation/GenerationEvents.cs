using System.Collections.Concurrent;

namespace Orbitr.Server.Generation;

/// <summary>Wakes Server-Sent Event streams when a generation changes, in this process and (through Redis pub/sub)
/// in the others. Streams also re-read the database on a short timer, so without Redis changes made by another
/// process (a worker) are still seen, within half a second.</summary>
public sealed class GenerationEvents(Caching.RedisConnection? redis = null)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiters = new();

    /// <summary>A generation changed here: wake this process's streams and, with Redis, every other process's.</summary>
    public void Changed(string id)
    {
        ChangedHere(id);
        redis?.Announce(Caching.SharedEventsSubscriber.GenerationChannel, id);
    }

    /// <summary>Wakes this process's streams only (a change announced by another process).</summary>
    public void ChangedHere(string id)
    {
        if (waiters.TryRemove(id, out var tcs)) tcs.TrySetResult();
    }

    public Task WaitAsync(string id, TimeSpan timeout, CancellationToken cancel)
    {
        var tcs = waiters.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return tcs.Task.WaitAsync(timeout, cancel).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
