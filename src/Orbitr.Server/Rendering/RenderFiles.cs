using Orbitr.Server.Storage;

namespace Orbitr.Server.Rendering;

/// <summary>Temporary WAV files of server renders, in {DataPath}/tmp/renders: each is deleted when its response is
/// done (or fails); files a killed process left behind are removed at start-up.</summary>
public sealed class RenderFiles
{
    private readonly string _folder;

    public RenderFiles(OrbitrOptions options, ILogger<RenderFiles> log)
    {
        _folder = Path.Combine(options.FullDataPath, "tmp", "renders");
        Directory.CreateDirectory(_folder);
        foreach (var stale in Directory.EnumerateFiles(_folder, "render-*.wav"))
        {
            try
            {
                File.Delete(stale);
            }
            catch (IOException e)
            {
                log.LogWarning(e, "could not delete the stale render file {File}", stale);
            }
        }
    }

    public string Folder => _folder;

    public FileStream Create() =>
        new(Path.Combine(_folder, $"render-{Guid.NewGuid():N}.wav"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose);
}
