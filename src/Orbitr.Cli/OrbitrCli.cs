using System.CommandLine;
using Orbitr.Cli.Commands;

namespace Orbitr.Cli;

/// <summary>The <c>orbitr</c> command line: new, validate, render, midi, generate. Every failure is one line on stderr and a non-zero exit code.</summary>
public static class OrbitrCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Orbitr — validate, render and export circular step-sequencer patterns.")
        {
            NewCommand.Create(output),
            ValidateCommand.Create(output),
            RenderCommand.Create(output),
            MidiCommand.Create(output),
            GenerateCommand.Create(output),
            ModelCommand.Create(output),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, not a page of help: the user asked for something specific.
            var message = string.Join(" ", parse.Errors[0].Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            error.WriteLine($"orbitr: error: {message} (see 'orbitr --help')");
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CliException ex)
        {
            error.WriteLine($"orbitr: error: {ex.Message}");
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"orbitr: error: {ex.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Io;
        }
        catch (Exception ex)
        {
            error.WriteLine($"orbitr: internal error: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Internal;
        }
    }
}
