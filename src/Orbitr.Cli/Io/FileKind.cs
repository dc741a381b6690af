using System.Runtime.InteropServices;

namespace Orbitr.Cli.Io;

/// <summary>What a path is: .NET has no API for a file's type (regular, FIFO, device…), so on Linux this asks
/// statx(2), whose struct layout is the same on every architecture. Elsewhere an existing non-folder counts as a
/// regular file unless it is under /dev.</summary>
public enum FileKind { Missing, Regular, Directory, Other }

/// <summary>A file's kind and identity (device and inode), following symbolic links.</summary>
public readonly record struct FileStat(FileKind Kind, ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1, StatxIno = 0x100;
    private const ushort TypeMask = 0xF000, TypeRegular = 0x8000, TypeDirectory = 0x4000;

    /// <summary>The kind of <paramref name="path"/> (links followed) and, on Linux, its identity.</summary>
    public static FileStat Of(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[256];
            try
            {
                if (Statx(AtFdCwd, path, 0, StatxType | StatxIno, buffer) != 0) return new FileStat(FileKind.Missing, 0, 0);
                var mode = BitConverter.ToUInt16(buffer, 28) & TypeMask;
                var kind = mode switch { TypeRegular => FileKind.Regular, TypeDirectory => FileKind.Directory, _ => FileKind.Other };
                var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
                return new FileStat(kind, device, BitConverter.ToUInt64(buffer, 32));
            }
            catch (EntryPointNotFoundException)
            {
                // glibc before 2.28 or another libc: fall through to the portable guess.
            }
        }
        if (Directory.Exists(path)) return new FileStat(FileKind.Directory, 0, 0);
        if (!File.Exists(path)) return new FileStat(FileKind.Missing, 0, 0);
        return new FileStat(Path.GetFullPath(path).StartsWith("/dev/", StringComparison.Ordinal) ? FileKind.Other : FileKind.Regular, 0, 0);
    }

    /// <summary>True when both name the same existing file: the same inode where known, else the same path once
    /// symbolic links are resolved.</summary>
    public static bool Same(string a, string b)
    {
        var (x, y) = (Of(a), Of(b));
        if (x.Kind == FileKind.Missing || y.Kind == FileKind.Missing) return false;
        if (x.Inode != 0 && y.Inode != 0) return x.Device == y.Device && x.Inode == y.Inode;
        return string.Equals(RealPath(a), RealPath(b), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The full path with the file's own symbolic links resolved (to the last one's target).</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full; // a link loop: the kernel refuses it at open, with its own message
        }
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
