using System.Text;
using System.Text.Json;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Core.Validation;

namespace Orbitr.Core.Songs;

/// <summary>The outcome of reading a song file: a valid song, or every error found (with its JSON path).</summary>
public sealed record SongReadResult(Song? Song, IReadOnlyList<PatternError> Errors)
{
    public bool Ok => Song is not null;
}

/// <summary><c>orbitr.song</c> v1: <c>{ "format": "orbitr.song", "version": 1, "name": "…", "sections": [ { "pattern":
/// "file:verse.json", "repeat": 4 }, … ] }</c>. Read by hand like patterns, so every error comes with its path and
/// nothing throws; unknown fields are errors.</summary>
public static class SongJson
{
    /// <summary>A song, or a bundle with its patterns inside (each at most <see cref="PatternJson.MaxBytes"/>).</summary>
    public const int MaxBytes = 16 * 1024 * 1024;
    /// <summary>Most patterns a bundle holds (a section each at most).</summary>
    public const int MaxPatterns = Song.MaxSections;

    public static string Write(Song song)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Song.Format);
            w.WriteNumber("version", Song.Version);
            w.WriteString("name", song.Name);
            w.WriteStartArray("sections");
            foreach (var s in song.Sections)
            {
                w.WriteStartObject();
                w.WriteString("pattern", s.Pattern);
                w.WriteNumber("repeat", s.Repeat);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (song.Patterns.Count > 0)
            {
                w.WriteStartObject("patterns");
                foreach (var p in song.Patterns)
                {
                    w.WritePropertyName(p.Key);
                    w.WriteRawValue(PatternJson.WriteUtf8(p.Pattern));
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static SongReadResult Read(string json) =>
        json.Length > MaxBytes ? TooLarge(json.Length) : Read(Encoding.UTF8.GetBytes(json));

    /// <summary>Reads and validates; never throws on any input.</summary>
    public static SongReadResult Read(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes) return TooLarge(utf8.Length);
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        if (!System.Text.Unicode.Utf8.IsValid(utf8)) return Fail("the file is not UTF-8 text");
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 24 }); // a bundle's patterns nest
            doc = JsonDocument.ParseValue(ref reader);
            if (reader.Read()) return Fail($"unexpected content after the song at byte {reader.TokenStartIndex}");
        }
        catch (JsonException e)
        {
            return Fail(e.LineNumber is { } line ? $"not a song file: not valid JSON at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "not a song file: not valid JSON");
        }
        catch (ArgumentException)
        {
            return Fail("not a song file: not valid JSON");
        }
        using (doc) return ReadRoot(doc.RootElement);
    }

    private static SongReadResult TooLarge(long bytes) => Fail($"the file is {bytes:N0} bytes; a song may be at most {MaxBytes:N0} bytes");

    private static SongReadResult Fail(string message) => new(null, [new PatternError("", message)]);

    private static SongReadResult ReadRoot(JsonElement root)
    {
        var errors = new List<PatternError>();
        if (root.ValueKind != JsonValueKind.Object) return Fail("a song file is a JSON object");
        string? format = null, name = "Untitled song";
        int? version = null;
        var sections = new List<SongSection>();
        var patterns = new List<SongPattern>();
        var sawSections = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in Properties(root, "", errors))
        {
            if (!seen.Add(p.Name)) { errors.Add(new(p.Name, "appears twice")); continue; }
            switch (p.Name)
            {
                case "format": format = Text(p.Value, "format", errors); break;
                case "version": version = Int(p.Value, "version", errors); break;
                case "name": name = Text(p.Value, "name", errors) ?? name; break;
                case "sections": sawSections = true; ReadSections(p.Value, sections, errors); break;
                case "patterns": ReadPatterns(p.Value, patterns, errors); break;
                default: errors.Add(new(p.Name, "is not a field of a song")); break;
            }
        }
        if (format != Song.Format && !errors.Any(e => e.Path == "format"))
            errors.Add(new("format", format is null ? $"missing: a song file says \"format\": \"{Song.Format}\"" : $"\"{format}\" is not \"{Song.Format}\""));
        if (version is { } v && v > Song.Version) return Fail($"this song is format version {v}, made by a newer Orbitr; update Orbitr to open it");
        if (version is null && !errors.Any(e => e.Path == "version")) errors.Add(new("version", $"missing (expected {Song.Version})"));
        else if (version < 1) errors.Add(new("version", $"{version} is not a song format version (expected {Song.Version})"));
        if (!sawSections) errors.Add(new("sections", "missing: a song has at least one section"));
        if (name.Length > Song.MaxNameLength) errors.Add(new("name", $"is {name.Length} characters; at most {Song.MaxNameLength}"));
        var song = new Song(name, new EquatableArray<SongSection>(sections)) { Patterns = new EquatableArray<SongPattern>(patterns) };
        // The ranges of what was read; not again for what could not be read (it kept a placeholder).
        foreach (var e in Validate(song))
            if (!errors.Any(x => x.Path == e.Path || e.Path.StartsWith(x.Path + ".", StringComparison.Ordinal))) errors.Add(e);
        return errors.Count > 0 ? new(null, errors) : new(song, []);
    }

    // A bundle's patterns: { "<key>": { pattern JSON }, … }, each read as a pattern file is, its errors under patterns.<key>.
    private static void ReadPatterns(JsonElement value, List<SongPattern> patterns, List<PatternError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object) { errors.Add(new("patterns", "must be an object of patterns by key")); return; }
        foreach (var (key, item) in Properties(value, "patterns", errors))
        {
            var path = $"patterns.{key}";
            if (patterns.Count >= MaxPatterns) { errors.Add(new("patterns", $"holds more than {MaxPatterns} patterns")); return; }
            if (key.Length is 0 or > 64 || key.Any(char.IsControl)) { errors.Add(new(path, "a pattern key is 1–64 characters, no control characters")); continue; }
            var read = PatternJson.Read(Encoding.UTF8.GetBytes(item.GetRawText()));
            if (read.Pattern is { } pattern) patterns.Add(new(key, pattern));
            else foreach (var e in read.Errors) errors.Add(new(e.Path.Length == 0 ? path : $"{path}.{e.Path}", e.Message));
        }
    }

    private static void ReadSections(JsonElement value, List<SongSection> sections, List<PatternError> errors)
    {
        if (value.ValueKind != JsonValueKind.Array) { errors.Add(new("sections", "must be an array of sections")); return; }
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"sections[{i++}]";
            if (sections.Count >= Song.MaxSections + 1) break; // counted below; no need to read thousands more
            string? pattern = null;
            var repeat = 1;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (item.ValueKind != JsonValueKind.Object) { errors.Add(new(path, "must be an object { \"pattern\": …, \"repeat\": … }")); sections.Add(new("", 1)); continue; }
            foreach (var p in Properties(item, path, errors))
            {
                var at = $"{path}.{p.Name}";
                if (!seen.Add(p.Name)) { errors.Add(new(at, "appears twice")); continue; }
                switch (p.Name)
                {
                    case "pattern": pattern = Text(p.Value, at, errors); break;
                    case "repeat": repeat = Int(p.Value, at, errors) ?? repeat; break;
                    default: errors.Add(new(at, "is not a field of a section")); break;
                }
            }
            if (pattern is null && !errors.Any(e => e.Path == $"{path}.pattern")) errors.Add(new($"{path}.pattern", "missing: which pattern the section plays"));
            sections.Add(new(pattern ?? "", repeat));
        }
    }

    /// <summary>The ranges: 1–256 sections, repeats 1–64, each reference a <c>file:</c> path or a <c>library:</c> id.</summary>
    public static IReadOnlyList<PatternError> Validate(Song song)
    {
        var errors = new List<PatternError>();
        if (song.Sections.Count is < Song.MinSections or > Song.MaxSections)
            errors.Add(new("sections", $"has {song.Sections.Count} sections; a song has {Song.MinSections}–{Song.MaxSections}"));
        for (var i = 0; i < song.Sections.Count && i < Song.MaxSections; i++)
        {
            var s = song.Sections[i];
            if (s.Repeat is < SongSection.MinRepeat or > SongSection.MaxRepeat)
                errors.Add(new($"sections[{i}].repeat", $"{s.Repeat} is outside {SongSection.MinRepeat}–{SongSection.MaxRepeat}"));
            if (ReferenceProblem(s.Pattern) is { } problem) errors.Add(new($"sections[{i}].pattern", problem));
            else if (s.Pattern.StartsWith(Song.BundlePrefix, StringComparison.Ordinal) && song.Bundled(s.Pattern) is null)
                errors.Add(new($"sections[{i}].pattern", $"{s.Pattern} names no pattern of this bundle's \"patterns\""));
        }
        return errors;
    }

    /// <summary>Why a pattern reference is not one; null when it is.</summary>
    public static string? ReferenceProblem(string reference)
    {
        if (reference.Length > Song.MaxReferenceLength) return $"is {reference.Length} characters; at most {Song.MaxReferenceLength}";
        if (reference.StartsWith("file:", StringComparison.Ordinal) && reference.Length > 5) return null;
        if (reference.StartsWith("library:", StringComparison.Ordinal) && reference.Length > 8) return null;
        if (reference.StartsWith(Song.BundlePrefix, StringComparison.Ordinal) && reference.Length > Song.BundlePrefix.Length) return null;
        return reference.Length == 0 ? "is empty: a pattern reference is file:<path>, library:<id> or bundle:<key>"
            : $"\"{reference}\" is not a pattern reference (file:<path>, library:<id> or bundle:<key>)";
    }

    // Field names with lone surrogates cannot be decoded: they are errors, not exceptions.
    private static IEnumerable<(string Name, JsonElement Value)> Properties(JsonElement obj, string path, List<PatternError> errors)
    {
        var list = new List<(string, JsonElement)>();
        foreach (var p in obj.EnumerateObject())
        {
            string name;
            try { name = p.Name; }
            catch (InvalidOperationException) { errors.Add(new(path, "a field name is not valid Unicode")); continue; }
            list.Add((name, p.Value));
        }
        return list;
    }

    private static string? Text(JsonElement v, string path, List<PatternError> errors)
    {
        if (v.ValueKind != JsonValueKind.String) { errors.Add(new(path, "must be a string")); return null; }
        try { return v.GetString(); }
        catch (InvalidOperationException) { errors.Add(new(path, "is not valid Unicode")); return null; }
    }

    private static int? Int(JsonElement v, string path, List<PatternError> errors)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue) return (int)d;
        errors.Add(new(path, "must be a whole number"));
        return null;
    }
}
