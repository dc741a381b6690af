using System.CommandLine;
using Orbitr.Cli.Io;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr new -o pattern.json [--tracks 4-8]</c>: writes the default pattern.</summary>
public static class NewCommand
{
    public static Command Create(TextWriter output)
    {
        var outputOption = new Option<FileInfo>("--output", "-o") { Description = "Pattern file to write", Required = true };
        var tracks = new Option<int>("--tracks", "-t") { Description = "Number of rings, 4–8", DefaultValueFactory = _ => 6 };
        CommonOptions.InRange(tracks, 4, 8);
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite an existing file" };
        var command = new Command("new", "Write a new default pattern (six rings O R B I T R)") { outputOption, tracks, force };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(outputOption)!;
            if (file.Exists && !parse.GetValue(force))
                throw new CliException($"{file.FullName} already exists; pass --force to overwrite it", ExitCodes.Io);
            var pattern = PatternFactory.Create(parse.GetValue(tracks));
            AtomicFile.Write(file.FullName, s => s.Write(PatternJson.WriteUtf8(pattern)));
            output.WriteLine($"wrote {file.Name}: {pattern.Tracks.Count} tracks × {pattern.Length} steps at {pattern.Bpm} BPM");
            return ExitCodes.Ok;
        });
        return command;
    }
}
