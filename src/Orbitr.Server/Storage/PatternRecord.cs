namespace Orbitr.Server.Storage;

/// <summary>A saved pattern: its JSON (or, for an end-to-end encrypted share, opaque ciphertext the server cannot
/// read), a version that is its ETag, and the hash of the edit token that only the owner's browser holds.</summary>
public sealed class PatternRecord
{
    public required string Id { get; set; }
    /// <summary>application/json, or application/octet-stream for ciphertext.</summary>
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
    public int Version { get; set; } = 1;
    public required string EditTokenHash { get; set; }
    /// <summary>The owner who saved it (null for patterns saved before owners existed: only their edit token opens them).</summary>
    public string? OwnerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
