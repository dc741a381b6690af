namespace Orbitr.Cli;

/// <summary>Exit codes, documented in README.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 1;
    public const int InvalidPattern = 2;
    public const int Io = 3;
    public const int Sample = 4;
    public const int Generation = 5;
    public const int Internal = 70;
}

/// <summary>A failure the user can act on; its message is printed as the single error line.</summary>
public sealed class CliException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
