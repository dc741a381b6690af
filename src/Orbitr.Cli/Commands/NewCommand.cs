using System.CommandLine;
using Orbitr.Cli.Io;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr new -o pattern.json [--tracks 4-8]</c>: writes the default pattern.</summary>
public static class NewCommand
{
    public static Command Create(CliContext context)
    {
        var outputOption = CommonOptions.Output("Pattern file");
        var tracks = CommonOptions.Int(new Option<int>("--tracks", "-t") { Description = "Number of rings, 4–8", DefaultValueFactory = _ => 6 }, 4, 8);
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite an existing file" };
        var command = new Command("new", "Write a new default pattern (six rings O R B I T R)") { outputOption, tracks, force };
        command.SetAction(parse =>
        {
            var target = OutputTarget.Resolve(parse.GetValue(outputOption)!, context);
            // Only a file holds something to lose: a pipe or a device takes the pattern without --force.
            if (FileStat.Of(target.Given).Kind == FileKind.Regular && !target.IsStandardOutput && !parse.GetValue(force))
                throw new CliException($"{Path.GetFullPath(target.Given)} already exists; pass --force (-f) to overwrite it", ExitCodes.Io);
            var pattern = PatternFactory.Create(parse.GetValue(tracks));
            target.Write(s => s.Write(PatternJson.WriteUtf8(pattern)));
            MidiCommand.Status(context, target).WriteLine($"wrote {target.Name}: {pattern.Tracks.Count} tracks × {pattern.Length} steps at {pattern.Bpm} BPM");
            return ExitCodes.Ok;
        });
        return command;
    }
}
