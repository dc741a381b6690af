using System.CommandLine;
using System.Globalization;
using Orbitr.Cli.Io;
using Orbitr.Core.Json;
using Orbitr.Core.Midi;
using Orbitr.Core.Songs;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr import-midi drums.mid -o pattern.json [--cycles-from-bars] [--quantize Q] [--force]</c>: a
/// MIDI drum part as a pattern; a longer one (or one whose tempo changes) as an orbitr.song at <c>-o</c> with its
/// patterns beside it (<c>name-01.json</c>, …). What the import changed is listed after the summary.</summary>
public static class ImportMidiCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("midi") { Description = "Standard MIDI File (type 0 or 1)" };
        var outputOption = CommonOptions.Output("Pattern file (a song file when the MIDI file makes several patterns)");
        var bars = new Option<bool>("--cycles-from-bars") { Description = "Every bar a cycle: a one-bar pattern, or a song of one-bar sections" };
        var quantize = CommonOptions.Int(new Option<int?>("--quantize", "-q") { Description = "Snap every note to 1/Q notes (1, 2, 4, 8 or 16), no micro-timing" }, 1, 16);
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite existing files" };
        var command = new Command("import-midi", "Make a pattern (or a song) from a MIDI drum part") { file, outputOption, bars, quantize, force };
        command.SetAction(parse =>
        {
            var info = parse.GetValue(file)!;
            var target = OutputTarget.Resolve(parse.GetValue(outputOption)!, context, info);
            if (!info.Exists) throw new CliException($"{info.FullName} does not exist", ExitCodes.Io);
            if (info.Length > MidiImport.MaxBytes)
                throw new CliException($"{info.Name} is {info.Length:N0} bytes; at most {MidiImport.MaxBytes:N0} are read", ExitCodes.InvalidPattern);
            MidiImportResult result;
            try
            {
                result = MidiImport.Import(File.ReadAllBytes(info.FullName),
                    new MidiImportOptions(Path.GetFileNameWithoutExtension(info.Name), parse.GetValue(bars), parse.GetValue(quantize)));
            }
            catch (MidiImportException e)
            {
                throw new CliException($"{info.Name}: {e.Message}", ExitCodes.InvalidPattern);
            }
            var overwrite = parse.GetValue(force);
            var status = MidiCommand.Status(context, target);
            if (!result.IsSong)
            {
                Refuse(target.Given, target, overwrite);
                var pattern = result.Pattern;
                target.Write(s => s.Write(PatternJson.WriteUtf8(pattern)));
                status.WriteLine(result.Exact
                    ? $"imported {info.Name} (exported by Orbitr: its pattern exactly) to {target.Name}"
                    : $"imported {info.Name} to {target.Name}: {pattern.Tracks.Count} ring(s) × {pattern.Length} steps at {pattern.Bpm.ToString(CultureInfo.InvariantCulture)} BPM");
            }
            else
            {
                if (target.IsStandardOutput)
                    throw new CliException($"{info.Name} makes a song of {result.Patterns.Count} patterns, which are several files: give -o a file name", ExitCodes.Usage);
                var folder = Path.GetDirectoryName(Path.GetFullPath(target.Given)) ?? ".";
                var stem = Path.GetFileNameWithoutExtension(target.Given);
                var names = result.Patterns.Select((_, i) => $"{stem}-{(i + 1).ToString("00", CultureInfo.InvariantCulture)}.json").ToList();
                Refuse(target.Given, target, overwrite);
                foreach (var name in names) Refuse(Path.Combine(folder, name), target, overwrite);
                for (var i = 0; i < names.Count; i++)
                {
                    var bytes = PatternJson.WriteUtf8(result.Patterns[i]);
                    OutputTarget.Resolve(Path.Combine(folder, names[i]), context, info).Write(s => s.Write(bytes));
                }
                var songName = MidiImport.CleanName(stem);
                var song = new Song(songName[..Math.Min(songName.Length, Song.MaxNameLength)],
                    new(result.Sections.Select(s => new SongSection($"file:{names[s.Pattern]}", s.Repeat))));
                target.Write(s => s.Write(System.Text.Encoding.UTF8.GetBytes(SongJson.Write(song))));
                status.WriteLine($"imported {info.Name} as a song of {result.Sections.Count} section(s): {target.Name} and its patterns {string.Join(", ", names)}");
            }
            foreach (var report in result.Reports) status.WriteLine($"  note: {report}");
            return ExitCodes.Ok;
        });
        return command;
    }

    // As `orbitr new`: only a regular file holds something to lose.
    private static void Refuse(string path, OutputTarget target, bool overwrite)
    {
        if (overwrite || target.IsStandardOutput || FileStat.Of(Path.GetFullPath(path)).Kind != FileKind.Regular) return;
        throw new CliException($"{Path.GetFullPath(path)} already exists; pass --force (-f) to overwrite it", ExitCodes.Io);
    }
}
