using System.Runtime.InteropServices;

namespace Orbitr.Cli;

/// <summary>What commands get from their host besides arguments: the text output, the raw standard output for
/// <c>-o -</c> (a provider, so tests hand in a stream and the executable its real stdout), and the cancel token.</summary>
public sealed class CliContext(TextWriter output, Func<Stream> standardOutput, CancellationToken cancel)
{
    public TextWriter Output { get; } = output;
    public Func<Stream> StandardOutput { get; } = standardOutput;
    public CancellationToken Cancel { get; } = cancel;
}

/// <summary>SIGINT and SIGTERM while a command runs: the first one cancels it (the command deletes its temporary file
/// and the CLI exits 130 or 143, as a shell reports a process killed by the signal); a second one ends the process.</summary>
internal sealed class CancelSignals : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signal;

    public CancelSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, On), PosixSignalRegistration.Create(PosixSignal.SIGTERM, On)];
    }

    public CancellationToken Token => _source.Token;

    /// <summary>128 + the signal's number once one arrived: 130 for SIGINT, 143 for SIGTERM; else null.</summary>
    public int? ExitCode => Volatile.Read(ref _signal) switch { 0 => null, 2 => 130, _ => 143 };

    private void On(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _signal, context.Signal == PosixSignal.SIGINT ? 2 : 15, 0) != 0) return; // the second: default action
        context.Cancel = true;
        _source.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _source.Dispose();
    }
}
