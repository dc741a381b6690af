using System.CommandLine;
using Orbitr.Cli.Io;
using Orbitr.Core.Midi;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr midi pattern.json -o out.mid [--cycles N]</c>.</summary>
public static class MidiCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("pattern") { Description = "Pattern JSON file" };
        var outputOption = CommonOptions.Output("MIDI file");
        var cycles = CommonOptions.Cycles();
        var command = new Command("midi", "Export a pattern as a type-1 MIDI file (drums on channel 10)") { file, outputOption, cycles };
        command.SetAction(parse =>
        {
            var info = parse.GetValue(file)!;
            var target = OutputTarget.Resolve(parse.GetValue(outputOption)!, context, info);
            var pattern = PatternFile.Load(info);
            target.Write(s => MidiExport.Write(pattern, parse.GetValue(cycles), s));
            Status(context, target).WriteLine($"exported {parse.GetValue(cycles)} cycle(s) of {info.Name} to {target.Name}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Where the one-line summary goes: the output, unless the file itself went there.</summary>
    internal static TextWriter Status(CliContext context, OutputTarget target) =>
        target.IsStandardOutput ? TextWriter.Null : context.Output;
}
