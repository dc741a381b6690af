namespace Orbitr.Cli.Io;

/// <summary>Writes a regular file through a temporary sibling and a rename, so a failed or cancelled command never
/// leaves a half-written output. An existing file keeps its permissions. Errors name the path the user gave, never
/// the temporary name.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write) => Write(path, path, write, CancellationToken.None);

    /// <param name="path">The file to replace or create (a symbolic link's target, so the link stays).</param>
    /// <param name="given">The path as the user wrote it, for messages.</param>
    /// <param name="cancel">Checked before the rename: a cancelled write leaves the old file as it was.</param>
    public static void Write(string path, string given, Action<Stream> write, CancellationToken cancel)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir)) throw new CliException($"cannot write {given}: the folder {dir} does not exist", ExitCodes.Io);
        // Hidden, unique, and short enough that a long name still leaves room for the suffix (255 bytes a name).
        var name = Path.GetFileName(full);
        var temp = Path.Combine(dir, $".{name[..Math.Min(name.Length, 120)]}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        UnixFileMode? mode = !OperatingSystem.IsWindows() && File.Exists(full) ? File.GetUnixFileMode(full) : null;
        FileStream stream;
        try
        {
            stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {given}: permission denied in the folder {dir}", ExitCodes.Io);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot write {given}: {e.Message.Replace(temp, full).ReplaceLineEndings(" ")}", ExitCodes.Io);
        }
        try
        {
            using (stream)
            {
                write(stream);
                if (mode is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(stream.SafeFileHandle, m);
            }
            cancel.ThrowIfCancellationRequested();
            try
            {
                File.Move(temp, full, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot write {given}: {e.Message.Replace(temp, full).ReplaceLineEndings(" ")}", ExitCodes.Io);
            }
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
