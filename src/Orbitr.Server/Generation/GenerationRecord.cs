namespace Orbitr.Server.Generation;

/// <summary>One generation request and its progress. The row is the job's source of truth: the queue only says when
/// to run it, so a job retried after a crash finds its state here and never produces a second sample.</summary>
public sealed class GenerationRecord
{
    public required string Id { get; set; }
    /// <summary>Hash of (engine, model version, normalized prompt, duration, quality, seed): identical requests share it.</summary>
    public required string CacheKey { get; set; }
    public required string Prompt { get; set; }
    public required string Engine { get; set; }
    public required string ModelVersion { get; set; }
    public double DurationSeconds { get; set; }
    public required string Quality { get; set; }
    public long Seed { get; set; }
    /// <summary>Who asked (client address): the daily quota counts per client.</summary>
    public required string ClientId { get; set; }
    public string Status { get; set; } = GenerationStatus.Queued;
    public double Progress { get; set; }
    public string? SampleId { get; set; }
    public int? ErrorCode { get; set; }
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

public static class GenerationStatus
{
    public const string Queued = "queued", Running = "running", Succeeded = "succeeded", Failed = "failed", Canceled = "canceled";

    public static bool IsFinished(string status) => status is Succeeded or Failed or Canceled;
}
