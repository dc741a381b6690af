using System.Globalization;
using Orbitr.Core.Kit;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;
using Orbitr.Core.Stems;

namespace Orbitr.Cli.Io;

/// <summary><c>--stems DIR</c> (issue 25): the names of a render's stem files, <c>NN Ring name (sound) BPMbpm.wav</c>
/// (and <c>NN Reverb return BPMbpm.wav</c>), and writing them all at once, each through its own temporary file.</summary>
public static class StemFiles
{
    /// <summary>One name per ring, then the reverb's return when used (<see cref="StemNames.Of"/>).</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<SongPart> parts, out bool reverb) => StemNames.Of(parts, out reverb);

    /// <summary>Opens every file (atomically: a failure or a cancel leaves none of them new) and hands the streams to
    /// <paramref name="write"/>.</summary>
    public static void WriteAll(IReadOnlyList<string> paths, CancellationToken cancel, Action<IReadOnlyList<Stream>> write)
    {
        var open = new List<Stream>();
        void Next()
        {
            if (open.Count == paths.Count)
            {
                write(open);
                return;
            }
            var path = paths[open.Count];
            AtomicFile.Write(path, path, s =>
            {
                open.Add(s);
                Next();
            }, cancel);
        }
        Next();
    }
}
