using Quartz;

namespace Orbitr.Server.Generation;

/// <summary>Puts generations on the durable Quartz queue (ADO job store: SQLite by default) and takes them off.
/// A job is durable and asks for recovery, so one accepted is never lost and one running when the process died runs
/// again at the next start.</summary>
public sealed class GenerationQueue(ISchedulerFactory schedulers)
{
    public const string Group = "generations";

    public static JobKey KeyOf(string generationId) => new(generationId, Group);

    public async Task EnqueueAsync(string generationId, CancellationToken cancel)
    {
        var scheduler = await schedulers.GetScheduler(cancel);
        var job = JobBuilder.Create<GenerationJob>()
            .WithIdentity(KeyOf(generationId))
            .UsingJobData(GenerationJob.IdKey, generationId)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(generationId, Group)
            .StartNow()
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        // Replace: re-enqueueing a generation the queue already holds (start-up reconciliation) is harmless.
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancel);
    }

    /// <summary>Fires the job again after <paramref name="delay"/> (it is running now: a second trigger of its own, so
    /// the one firing is not replaced under it).</summary>
    public async Task RetryLaterAsync(string generationId, TimeSpan delay, CancellationToken cancel)
    {
        var scheduler = await schedulers.GetScheduler(cancel);
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"{generationId}-retry-{Guid.NewGuid():N}", Group)
            .ForJob(KeyOf(generationId))
            .StartAt(DateTimeOffset.UtcNow + delay)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        await scheduler.ScheduleJob(trigger, default, cancel);
    }

    public async Task<bool> ContainsAsync(string generationId, CancellationToken cancel) =>
        await (await schedulers.GetScheduler(cancel)).Exists(KeyOf(generationId), cancel);

    /// <summary>Removes a queued job, or interrupts a running one (its cancellation token fires).</summary>
    public async Task CancelAsync(string generationId, CancellationToken cancel)
    {
        var scheduler = await schedulers.GetScheduler(cancel);
        await scheduler.Interrupt(KeyOf(generationId), cancel);
        try
        {
            await scheduler.DeleteJob(KeyOf(generationId), cancel);
        }
        catch (SchedulerException)
        {
            // The clustered store will not remove a job while its trigger is firing (here or in another process). The
            // generation is already marked canceled: a running job sees that at its next progress write and stops, a
            // job that fires later cannot claim it — so the job may stay until it ends on its own.
        }
    }
}
