using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.Cli.Io;

/// <summary>Loads a pattern file for a command, turning every problem into a one-line error with an exit code.</summary>
public static class PatternFile
{
    public static Pattern Load(FileInfo file)
    {
        var result = Read(file);
        if (result.Ok) return result.Pattern!;
        var first = result.Errors[0];
        var more = result.Errors.Count > 1 ? $" (and {result.Errors.Count - 1} more; run 'orbitr validate' to see all)" : "";
        throw new CliException($"{file.Name} is not a valid pattern: {first}{more}", ExitCodes.InvalidPattern);
    }

    public static PatternReadResult Read(FileInfo file)
    {
        if (Directory.Exists(file.FullName)) throw new CliException($"{file.FullName} is a folder, not a pattern file", ExitCodes.Io);
        if (!file.Exists) throw new CliException($"{file.FullName} does not exist", ExitCodes.Io);
        if (file.Length > PatternJson.MaxBytes)
            return new PatternReadResult(null, [new Core.Validation.PatternError("", $"the file is {file.Length:N0} bytes; a pattern may be at most {PatternJson.MaxBytes:N0} bytes (1 MB)")]);
        return PatternJson.Read(File.ReadAllBytes(file.FullName));
    }
}
