namespace Orbitr.Contracts;

/// <summary>What clients read of an RFC 7807 problem the server answers: its title, detail, the design's integer
/// <c>code</c> and, for 429, <c>retryAfterSeconds</c>.</summary>
public sealed record ProblemBody(string? Title, string? Detail, int? Code, int? RetryAfterSeconds, int? Status = null);
