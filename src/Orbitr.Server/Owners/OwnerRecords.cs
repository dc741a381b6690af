namespace Orbitr.Server.Owners;

/// <summary>An anonymous owner: who stored something. Only the SHA-256 of its bearer token is kept.</summary>
public sealed class OwnerRecord
{
    public required string Id { get; set; }
    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A sample in an owner's library. A library is a set of references: one stored copy of the audio can be in
/// many libraries (a cache hit adds the earlier sample to the caller's library).</summary>
public sealed class LibraryEntry
{
    public required string OwnerId { get; set; }
    public required string SampleId { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>An owner waiting for a generation: when it succeeds, its sample goes into every waiting owner's library
/// (an identical request from another owner shares the job rather than making the sound twice).</summary>
public sealed class GenerationClaim
{
    public required string GenerationId { get; set; }
    public required string OwnerId { get; set; }
}

/// <summary>A saved pattern plays this sample (<c>generated:&lt;id&gt;</c>): the audio stays while any saved pattern refers to it.</summary>
public sealed class PatternSampleRef
{
    public required string PatternId { get; set; }
    public required string SampleId { get; set; }
}
