using System.CommandLine;
using Orbitr.Cli.Io;
using Orbitr.Core.Midi;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr midi pattern.json|song.json -o out.mid [--cycles N] [--fill]</c>; a song's tempo changes are
/// tempo events.</summary>
public static class MidiCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("pattern") { Description = "Pattern JSON file, or an orbitr.song file" };
        var outputOption = CommonOptions.Output("MIDI file");
        var cycles = CommonOptions.Cycles();
        var fill = CommonOptions.Fill();
        var perRing = new Option<bool>("--per-ring") { Description = "One MIDI file per ring, into the folder -o names (made if missing)" };
        var command = new Command("midi", "Export a pattern or a song as a type-1 MIDI file (drums on channel 10)") { file, outputOption, cycles, fill, perRing };
        command.SetAction(parse =>
        {
            var info = parse.GetValue(file)!;
            if (parse.GetValue(perRing)) return PerRing(context, info, parse.GetValue(outputOption)!, parse.GetValue(cycles), parse.GetValue(fill));
            var target = OutputTarget.Resolve(parse.GetValue(outputOption)!, context, info);
            if (SongFile.IsSong(info))
            {
                var song = SongFile.Load(info);
                target.Write(s => MidiExport.WriteSong(song.Parts, song.Song.Name, s, parse.GetValue(fill)));
                Status(context, target).WriteLine($"exported the song {info.Name} ({song.Song.Sections.Count} section(s)) to {target.Name}");
                return ExitCodes.Ok;
            }
            var pattern = PatternFile.Load(info);
            target.Write(s => MidiExport.Write(pattern, parse.GetValue(cycles), s, parse.GetValue(fill)));
            Status(context, target).WriteLine($"exported {parse.GetValue(cycles)} cycle(s) of {info.Name} to {target.Name}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>--per-ring</c>: <c>NN Ring (sound).mid</c> for each ring into the folder -o names.</summary>
    private static int PerRing(CliContext context, FileInfo info, string folder, int cycles, bool fill)
    {
        if (folder == "-") throw new CliException("--per-ring writes several files: give -o a folder", ExitCodes.Usage);
        if (SongFile.IsSong(info)) throw new CliException($"{info.Name} is a song; --per-ring exports a pattern's rings", ExitCodes.Usage);
        var pattern = PatternFile.Load(info);
        var full = Path.GetFullPath(folder);
        if (File.Exists(full)) throw new CliException($"-o {folder}: that is a file; --per-ring needs a folder", ExitCodes.Io);
        var parent = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(full) && !Directory.Exists(parent)) throw new CliException($"-o {folder}: the folder {parent} does not exist", ExitCodes.Io);
        Directory.CreateDirectory(full);
        var names = new List<string>();
        for (var r = 0; r < pattern.Tracks.Count; r++)
        {
            var name = MidiExport.RingFileName(pattern, r);
            var bytes = MidiExport.RingToBytes(pattern, cycles, r, fill);
            AtomicFile.Write(Path.Combine(full, name), s => s.Write(bytes));
            names.Add(name);
        }
        context.Output.WriteLine($"exported {cycles} cycle(s) of {info.Name}, one file per ring, to {folder}: {string.Join(", ", names)}");
        return ExitCodes.Ok;
    }

    /// <summary>Where the one-line summary goes: the output, unless the file itself went there.</summary>
    internal static TextWriter Status(CliContext context, OutputTarget target) =>
        target.IsStandardOutput ? TextWriter.Null : context.Output;
}
