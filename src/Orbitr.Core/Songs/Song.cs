using Orbitr.Core.Model;

namespace Orbitr.Core.Songs;

/// <summary>One section of a song: a pattern (by reference: <c>file:verse.json</c> beside the song file, or
/// <c>library:&lt;id&gt;</c> in the browser) played <see cref="Repeat"/> cycles.</summary>
public sealed record SongSection(string Pattern, int Repeat = 1)
{
    public const int MinRepeat = 1, MaxRepeat = 64;
}

/// <summary>A pattern inside a song bundle, under its key.</summary>
public sealed record SongPattern(string Key, Pattern Pattern);

/// <summary>A song (issue 25): patterns in order, each repeated. Section k starts at T_k = Σ_{j&lt;k} repeat_j ×
/// cycleSeconds_j (<see cref="SongTimeline"/>); cycles count from 0 in each section.</summary>
public sealed record Song(string Name, EquatableArray<SongSection> Sections)
{
    /// <summary>A bundle's patterns (issue 25: a song with its patterns inside, as the browser exports it), which
    /// sections name as <c>bundle:&lt;key&gt;</c>; null for a song whose patterns are elsewhere. Keys in order of first use.</summary>
    public EquatableArray<SongPattern> Patterns { get; init; } = EquatableArray<SongPattern>.Empty;

    /// <summary>The bundled pattern a reference names, if it is <c>bundle:&lt;key&gt;</c> and the bundle has it.</summary>
    public Pattern? Bundled(string reference)
    {
        if (!reference.StartsWith(BundlePrefix, StringComparison.Ordinal)) return null;
        var key = reference[BundlePrefix.Length..];
        foreach (var p in Patterns) if (p.Key == key) return p.Pattern;
        return null;
    }

    public const string BundlePrefix = "bundle:";

    public const string Format = "orbitr.song";
    public const int Version = 1;
    public const int MinSections = 1, MaxSections = 256;
    public const int MaxNameLength = 64;
    /// <summary>Longest pattern reference (a path or a library id).</summary>
    public const int MaxReferenceLength = 512;

    /// <summary>The distinct pattern references, in order of first use.</summary>
    public IReadOnlyList<string> References => Sections.Items.Select(s => s.Pattern).Distinct(StringComparer.Ordinal).ToList();
}
