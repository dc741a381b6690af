using Orbitr.Core.Model;

namespace Orbitr.Web.Patterns;

/// <summary>One pattern of the library: its local id (never sent anywhere), the pattern itself (whose
/// <see cref="Pattern.Name"/> is the entry's name) and when it was last edited. Immutable: a change is a new entry,
/// so the thumbnail is drawn once per version.</summary>
public sealed class LibraryEntry(string id, Pattern pattern, DateTimeOffset updated)
{
    private RingThumbnail? _thumbnail;

    public string Id { get; } = id;
    public Pattern Pattern { get; } = pattern;
    public DateTimeOffset Updated { get; } = updated;
    public string Name => Pattern.Name;
    public RingThumbnail Thumbnail => _thumbnail ??= RingThumbnail.Of(Pattern);

    public LibraryEntry With(Pattern pattern, DateTimeOffset updated) => new(Id, pattern, updated);

    /// <summary>A new library id (local only: ids are never compared across browsers).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>"Edited just now / 5 min ago / 3 h ago / 2 days ago", else the date. Relative, because the browser
    /// app runs without time zone data (UTC only).</summary>
    public static string EditedLabel(DateTimeOffset updated, DateTimeOffset now)
    {
        var age = now - updated;
        if (age < TimeSpan.FromMinutes(1)) return "Edited just now";
        if (age < TimeSpan.FromHours(1)) return $"Edited {(int)age.TotalMinutes} min ago";
        if (age < TimeSpan.FromDays(1)) return $"Edited {(int)age.TotalHours} h ago";
        if (age < TimeSpan.FromDays(7)) return (int)age.TotalDays == 1 ? "Edited yesterday" : $"Edited {(int)age.TotalDays} days ago";
        return $"Edited {updated.UtcDateTime.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
