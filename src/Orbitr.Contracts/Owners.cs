namespace Orbitr.Contracts;

/// <summary>POST /api/owners → 201: the new owner's token (send it as <c>Authorization: Bearer</c>).</summary>
public sealed record CreatedOwner(string Token);

/// <summary>GET /api/owners/me: what the owner stores against its quota.</summary>
public sealed record OwnerUsageDto(int Samples, int Patterns, long Bytes, long QuotaBytes);
