namespace Orbitr.Server.Storage;

/// <summary>Where audio bytes live: files under the data folder by default, S3-compatible storage by configuration.</summary>
public interface IBlobStore
{
    Task PutAsync(string key, byte[] bytes, CancellationToken cancel);
    /// <summary>The blob's bytes as a stream, or null when it does not exist.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken cancel);
    Task DeleteAsync(string key, CancellationToken cancel);
    /// <summary>A file path for the blob when the store keeps it on local disk (served with sendfile), else null.</summary>
    string? LocalPath(string key) => null;
}

/// <summary>Blobs as files under <c>{DataPath}/blobs</c>, written through a temporary file and a rename so a
/// crash never leaves a half-written blob behind a key.</summary>
public sealed class FileBlobStore(string root) : IBlobStore
{
    public async Task PutAsync(string key, byte[] bytes, CancellationToken cancel)
    {
        var path = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await File.WriteAllBytesAsync(temp, bytes, cancel);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A failed write (a full disk, a cancelled request) leaves no partial file behind.
            File.Delete(temp);
            throw;
        }
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken cancel)
    {
        var path = PathFor(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true) : null);
    }

    public string? LocalPath(string key)
    {
        var path = PathFor(key);
        return File.Exists(path) ? path : null;
    }

    public Task DeleteAsync(string key, CancellationToken cancel)
    {
        // File.Delete throws when the key's folder does not exist: a missing blob is already deleted.
        var path = PathFor(key);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }

    // Keys are made by the server (ids, not user input); still, refuse anything that could leave the root.
    private string PathFor(string key)
    {
        if (key.Length == 0 || key.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(key) || key.Contains('\\'))
            throw new ArgumentException($"invalid blob key \"{key}\"", nameof(key));
        return Path.Combine(root, key);
    }
}
