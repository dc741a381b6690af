namespace Orbitr.Cli.Io;

/// <summary>Where a command's <c>-o</c> goes, checked before any work: <c>-</c> is standard output; a regular file or
/// a new path is written atomically (a symbolic link's target, keeping the link); a FIFO, device or anything under
/// /dev or /proc is written as it is, never replaced. Folders, missing folders and the command's own input are
/// refused up front.</summary>
public sealed class OutputTarget
{
    private enum Mode { Atomic, Direct, StandardOutput }

    private readonly Mode _mode;
    private readonly string _path;
    private readonly CliContext _context;

    private OutputTarget(Mode mode, string path, string given, CliContext context) => (_mode, _path, Given, _context) = (mode, path, given, context);

    /// <summary>The path as the user wrote it.</summary>
    public string Given { get; }

    public bool IsStandardOutput => _mode == Mode.StandardOutput;

    /// <summary>A name for messages: the file name, or "standard output".</summary>
    public string Name => IsStandardOutput ? "standard output" : Path.GetFileName(Given);

    /// <param name="inputs">The files the command reads; writing over one of them is refused.</param>
    public static OutputTarget Resolve(string given, CliContext context, params FileInfo[] inputs)
    {
        if (given == "-") return new OutputTarget(Mode.StandardOutput, "-", given, context);
        if (given.Length == 0) throw new CliException("the output path is empty", ExitCodes.Usage);
        var full = Path.GetFullPath(given);
        var stat = FileStat.Of(full);
        if (stat.Kind == FileKind.Directory) throw new CliException($"cannot write {given}: it is a folder", ExitCodes.Io);
        foreach (var input in inputs)
            if (FileStat.Same(input.FullName, full))
                throw new CliException($"the output {given} is the input {input.Name}; writing it would destroy the input, choose another output", ExitCodes.Usage);
        // The kernel's own files (/dev/stdout → /proc/self/fd/1 → a pipe, a terminal or a file) are never renamed over.
        var special = full.StartsWith("/dev/", StringComparison.Ordinal) || full.StartsWith("/proc/", StringComparison.Ordinal);
        if (stat.Kind == FileKind.Other || (special && stat.Kind == FileKind.Regular))
            return new OutputTarget(Mode.Direct, full, given, context);
        var target = FileStat.RealPath(full);
        var dir = Path.GetDirectoryName(target) ?? ".";
        if (!Directory.Exists(dir)) throw new CliException($"cannot write {given}: the folder {dir} does not exist", ExitCodes.Io);
        return new OutputTarget(Mode.Atomic, target, given, context);
    }

    /// <summary>Hands <paramref name="write"/> a writable, seekable stream and puts what it wrote in place: by a
    /// rename for a file, else copied from a temporary file once complete (a WAV's header is finished last), so a
    /// failure or a cancel writes nothing.</summary>
    public void Write(Action<Stream> write)
    {
        var cancel = _context.Cancel;
        if (_mode == Mode.Atomic)
        {
            AtomicFile.Write(_path, Given, write, cancel);
            return;
        }
        var temp = Path.Combine(Path.GetTempPath(), $"orbitr.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        using var buffer = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        write(buffer);
        cancel.ThrowIfCancellationRequested();
        buffer.Position = 0;
        if (_mode == Mode.StandardOutput)
        {
            _context.Output.Flush();
            var stdout = _context.StandardOutput();
            buffer.CopyTo(stdout);
            stdout.Flush();
            return;
        }
        FileStream destination;
        try
        {
            destination = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {Given}: {e.Message.ReplaceLineEndings(" ")}", ExitCodes.Io);
        }
        using (destination)
        {
            if (FileStat.Of(_path).Kind == FileKind.Regular) destination.SetLength(0); // /dev/stdout redirected to a file
            buffer.CopyTo(destination);
        }
    }
}
