namespace Orbitr.Contracts;

/// <summary>One dependency in GET /api/health: up, degraded, down or unavailable, and what it is.</summary>
public sealed record DependencyState(string Name, string Status, string? Detail = null);

/// <summary>GET /api/health: ok or degraded, and each dependency's state.</summary>
public sealed record HealthReport(string Status, IReadOnlyList<DependencyState> Dependencies);
