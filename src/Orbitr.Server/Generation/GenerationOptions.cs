namespace Orbitr.Server.Generation;

/// <summary>"Orbitr:Generation" settings.</summary>
public sealed class GenerationOptions
{
    public const string Section = "Orbitr:Generation";

    /// <summary>Jobs run at once in this process.</summary>
    public int MaxConcurrentJobs { get; set; } = 2;
    /// <summary>A job still running after this fails with code 2001.</summary>
    public double TimeoutSeconds { get; set; } = 60;
    /// <summary>New generations a client may start per UTC day (cache hits are free); code 2003 beyond it.</summary>
    public int DailyQuota { get; set; } = 200;
    /// <summary>POST /api/generations requests per client per window; code 3003 beyond it.</summary>
    public int RateLimitPermits { get; set; } = 10;
    public double RateLimitWindowSeconds { get; set; } = 60;
    /// <summary>With PostgreSQL: how often each process checks in with the shared queue; one silent for twice this has
    /// its running jobs handed to another process.</summary>
    public double ClusterCheckinSeconds { get; set; } = 7.5;
    /// <summary>With PostgreSQL: how often an idle worker looks for jobs other processes queued.</summary>
    public double QueuePollSeconds { get; set; } = 1;
}
