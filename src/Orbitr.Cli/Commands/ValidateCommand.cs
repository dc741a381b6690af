using System.CommandLine;
using Orbitr.Cli.Io;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr validate pattern.json</c>: exit 0 when valid, otherwise exit 2 and every error with its path.</summary>
public static class ValidateCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Argument<FileInfo>("pattern") { Description = "Pattern JSON file" };
        var command = new Command("validate", "Check a pattern file and list every error with its JSON path") { file };
        command.SetAction(parse =>
        {
            var info = parse.GetValue(file)!;
            var result = PatternFile.Read(info);
            if (result.Ok)
            {
                var p = result.Pattern!;
                output.WriteLine($"{info.Name}: valid ({p.Tracks.Count} tracks, {p.Length} steps, {p.Bpm} BPM, {p.Tracks.Sum(t => t.ActiveSteps)} active steps)");
                return ExitCodes.Ok;
            }
            var error = parse.InvocationConfiguration.Error;
            error.WriteLine($"{info.Name}: {result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")}");
            foreach (var e in result.Errors) error.WriteLine($"  {e}");
            return ExitCodes.InvalidPattern;
        });
        return command;
    }
}
