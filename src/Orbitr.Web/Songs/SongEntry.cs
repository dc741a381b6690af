using Orbitr.Core.Songs;

namespace Orbitr.Web.Songs;

/// <summary>One song kept in this browser: its local id, the song (sections naming <c>library:&lt;id&gt;</c>) and when
/// it was last edited. Immutable: an edit is a new entry.</summary>
public sealed record SongEntry(string Id, Song Song, DateTimeOffset Updated)
{
    public const string LibraryPrefix = "library:";

    public string Name => Song.Name;

    /// <summary>The reference of a library pattern in a song.</summary>
    public static string Reference(string patternId) => LibraryPrefix + patternId;

    /// <summary>The library id a reference names (null for another kind of reference).</summary>
    public static string? PatternId(string reference) =>
        reference.StartsWith(LibraryPrefix, StringComparison.Ordinal) ? reference[LibraryPrefix.Length..] : null;
}
