using System.CommandLine;
using Orbitr.Cli.Commands;

namespace Orbitr.Cli;

/// <summary>The <c>orbitr</c> command line: new, validate, render, midi, generate. Every failure is one line on stderr and a non-zero exit code.</summary>
public static class OrbitrCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, null);

    /// <param name="standardOutput">The byte stream behind <paramref name="output"/> for <c>-o -</c>; null: the
    /// writer's own (a <see cref="StreamWriter"/>'s base stream, the process's stdout for <see cref="Console.Out"/>).</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<Stream>? standardOutput)
    {
        using var signals = new CancelSignals();
        var context = new CliContext(output, standardOutput ?? (() => StreamOf(output)), signals.Token);
        var root = new RootCommand("Orbitr — validate, render and export circular step-sequencer patterns.")
        {
            NewCommand.Create(context),
            ValidateCommand.Create(output),
            RenderCommand.Create(context),
            MidiCommand.Create(context),
            ImportMidiCommand.Create(context),
            GenerateCommand.Create(context),
            ModelCommand.Create(context),
        };
        // Nothing asked: show what can be asked.
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            // One line, not a page of help: the user asked for something specific.
            var message = string.Join(" ", parse.Errors[0].Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            error.WriteLine($"orbitr: error: {message} (see 'orbitr --help')");
            return ExitCodes.Usage;
        }
        try
        {
            var code = parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
            if (signals.ExitCode is { } cancelled)
            {
                // The command ran to its end before it looked at the signal; its output is complete, but it was interrupted.
                error.WriteLine("orbitr: cancelled");
                return cancelled;
            }
            return code;
        }
        catch (OperationCanceledException) when (signals.ExitCode is not null)
        {
            error.WriteLine("orbitr: cancelled");
            return signals.ExitCode.Value;
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

    private static Stream StreamOf(TextWriter output) => output switch
    {
        StreamWriter writer => writer.BaseStream,
        _ when ReferenceEquals(output, Console.Out) => Console.OpenStandardOutput(),
        _ => throw new CliException("-o - needs a standard output stream; this host gave the CLI a text writer only", ExitCodes.Usage),
    };
}
