using System.CommandLine;
using Orbitr.Cli.Io;
using Orbitr.Core.Midi;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr midi pattern.json -o out.mid [--cycles N]</c>.</summary>
public static class MidiCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Argument<FileInfo>("pattern") { Description = "Pattern JSON file" };
        var outputOption = new Option<FileInfo>("--output", "-o") { Description = "MIDI file to write", Required = true };
        var cycles = CommonOptions.Cycles();
        var command = new Command("midi", "Export a pattern as a type-1 MIDI file (drums on channel 10)") { file, outputOption, cycles };
        command.SetAction(parse =>
        {
            var info = parse.GetValue(file)!;
            var target = parse.GetValue(outputOption)!;
            var pattern = PatternFile.Load(info);
            AtomicFile.Write(target.FullName, s => MidiExport.Write(pattern, parse.GetValue(cycles), s));
            output.WriteLine($"exported {parse.GetValue(cycles)} cycle(s) of {info.Name} to {target.Name}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public const int MaxCycles = 100_000;

    public static Option<int> Cycles()
    {
        var cycles = new Option<int>("--cycles", "-c") { Description = $"Cycles of the pattern (1–{MaxCycles})", DefaultValueFactory = _ => 1 };
        return InRange(cycles, 1, MaxCycles);
    }

    /// <summary>Adds a range check; a value that isn't a number is left to the parser's own error.</summary>
    public static Option<int> InRange(Option<int> option, int min, int max)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 0) return;
            if (!int.TryParse(r.Tokens[^1].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v)) return;
            if (v < min || v > max) r.AddError($"{option.Name} must be {min}–{max}, not {v}");
        });
        return option;
    }
}
