using Orbitr.Core.Songs;
using Orbitr.Dsp.Audio;

namespace Orbitr.Cli.Io;

/// <summary>A song file for a command: the song, each section's pattern (file: references beside the song file) and
/// the samples of each distinct pattern, every problem a one-line error with an exit code.</summary>
public static class SongFile
{
    /// <summary>Whether the file says it is a song (<c>"format": "orbitr.song"</c>) rather than a pattern.</summary>
    public static bool IsSong(FileInfo file)
    {
        if (!file.Exists || file.Length > SongJson.MaxBytes) return false;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(file.FullName));
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                   && doc.RootElement.TryGetProperty("format", out var f) && f.ValueKind == System.Text.Json.JsonValueKind.String
                   && f.GetString() == Song.Format;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    public sealed record Loaded(Song Song, IReadOnlyList<SongPart> Parts, IReadOnlyList<FileInfo> Files)
    {
        /// <summary>Each section's pattern reference (a bundle's patterns share the song's file, not its samples).</summary>
        public IReadOnlyList<string> References { get; init; } = [];
    }

    public static Loaded Load(FileInfo file)
    {
        if (!file.Exists) throw new CliException($"{file.FullName} does not exist", ExitCodes.Io);
        var read = SongJson.Read(File.ReadAllBytes(file.FullName));
        if (!read.Ok)
        {
            var more = read.Errors.Count > 1 ? $" (and {read.Errors.Count - 1} more)" : "";
            throw new CliException($"{file.Name} is not a valid song: {read.Errors[0]}{more}", ExitCodes.InvalidPattern);
        }
        var song = read.Song!;
        var folder = file.DirectoryName ?? ".";
        var patterns = new Dictionary<string, (Core.Model.Pattern Pattern, FileInfo File)>(StringComparer.Ordinal);
        var parts = new List<SongPart>();
        var files = new List<FileInfo>();
        var references = new List<string>();
        for (var i = 0; i < song.Sections.Count; i++)
        {
            var section = song.Sections[i];
            if (!patterns.TryGetValue(section.Pattern, out var loaded) && song.Bundled(section.Pattern) is { } bundled)
            {
                // A bundle's pattern: its samples are found beside the song file, as a pattern file's beside it.
                loaded = (bundled, file);
                patterns[section.Pattern] = loaded;
            }
            else if (loaded.Pattern is null)
            {
                if (!section.Pattern.StartsWith("file:", StringComparison.Ordinal))
                    throw new CliException($"{file.Name}: sections[{i}].pattern: {section.Pattern} is in a browser's library; the CLI reads file: references (export the song as a bundle, or point it at pattern files)", ExitCodes.InvalidPattern);
                var path = new FileInfo(Path.Combine(folder, section.Pattern["file:".Length..]));
                if (!path.Exists)
                    throw new CliException($"{file.Name}: sections[{i}].pattern: the pattern file {section.Pattern["file:".Length..]} does not exist ({path.FullName})", ExitCodes.Io);
                try
                {
                    loaded = (PatternFile.Load(path), path);
                }
                catch (CliException e)
                {
                    throw new CliException($"{file.Name}: sections[{i}].pattern: {e.Message}", e.ExitCode);
                }
                patterns[section.Pattern] = loaded;
            }
            parts.Add(new SongPart(loaded.Pattern, section.Repeat));
            files.Add(loaded.File);
            references.Add(section.Pattern);
        }
        return new Loaded(song, parts, files) { References = references };
    }

    /// <summary>Each section's samples: one table per distinct pattern file, shared by its sections.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, AudioBuffer>> Samples(Loaded song, int sampleRate)
    {
        var tables = new Dictionary<string, IReadOnlyDictionary<string, AudioBuffer>>(StringComparer.Ordinal);
        var result = new List<IReadOnlyDictionary<string, AudioBuffer>>();
        for (var i = 0; i < song.Parts.Count; i++)
        {
            var f = song.Files[i];
            var key = i < song.References.Count && song.References[i].StartsWith(Song.BundlePrefix, StringComparison.Ordinal) ? $"{f.FullName}\n{song.References[i]}" : f.FullName;
            if (!tables.TryGetValue(key, out var table))
                tables[key] = table = SampleLoader.Load(song.Parts[i].Pattern, f.DirectoryName ?? ".", sampleRate);
            result.Add(table);
        }
        return result;
    }
}
