using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Orbitr.Server.Storage;

/// <summary>Recognises "the disk is full" in whatever layer says it — a file write (ENOSPC), SQLite (SQLITE_FULL),
/// PostgreSQL (53100 disk_full) — wrapped or not.</summary>
public static class StorageFull
{
    private const int Enospc = 28, SqliteFull = 13;

    public static bool Is(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when sqlite.SqliteErrorCode == SqliteFull:
                case PostgresException postgres when postgres.SqlState == PostgresErrorCodes.DiskFull:
                    return true;
                case IOException io when (io.HResult & 0xFFFF) == Enospc || io.Message.Contains("No space left on device", StringComparison.Ordinal):
                    return true;
            }
            if (e is AggregateException { InnerExceptions.Count: > 0 } all && all.InnerExceptions.Any(Is)) return true;
        }
        return false;
    }
}

/// <summary>Any request that fails because the server's disk is full answers 507 with code 4001 and says so (instead
/// of a 500), whichever endpoint it was; what was saved before stays as it was (every write is a transaction or
/// a temporary file and a rename).</summary>
public sealed class StorageFullExceptionHandler(IProblemDetailsService problems, ILogger<StorageFullExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancel)
    {
        if (!StorageFull.Is(exception)) return false;
        log.LogError(exception, "storage is full: {Method} {Path} refused", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = StatusCodes.Status507InsufficientStorage;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status507InsufficientStorage,
                Title = "Server storage is full",
                Detail = "the server has no disk space left, so nothing new can be stored; what is already saved is unchanged. " +
                         "Deleting samples or patterns still works and frees space.",
                Extensions = { ["code"] = Orbitr.Core.Errors.ErrorCode.StorageQuotaExceeded },
            },
        });
    }
}

/// <summary>A few megabytes kept free under the data folder ({DataPath}/.reserve), so that deleting works on a full
/// disk: SQLite needs room for its journal even to delete. A deletion that fails for want of space gives the reserve
/// up and tries again; the reserve is made again once there is room.</summary>
public sealed class DiskReserve(OrbitrOptions options, ILogger<DiskReserve> log)
{
    public const long Bytes = 8L << 20;
    private readonly string _path = Path.Combine(options.FullDataPath, ".reserve");
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Makes the reserve file when it is missing and the disk has room for it twice over.</summary>
    public void TryRestore()
    {
        try
        {
            if (File.Exists(_path) && new FileInfo(_path).Length == Bytes) return;
            var free = new DriveInfo(options.FullDataPath).AvailableFreeSpace;
            if (free < 2 * Bytes) return;
            using var file = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.None);
            // Written, not just sized: a sparse file would free nothing.
            var zeros = new byte[1 << 20];
            for (long n = 0; n < Bytes; n += zeros.Length) file.Write(zeros);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete();
            log.LogWarning(e, "could not make the disk reserve {Path}", _path);
        }
    }

    /// <summary>Runs a deletion; when it fails because the disk is full, frees the reserve and runs it once more.</summary>
    public async Task<T> FreeingAsync<T>(Func<Task<T>> delete)
    {
        try
        {
            return await delete();
        }
        catch (Exception e) when (StorageFull.Is(e))
        {
            await _lock.WaitAsync();
            try
            {
                log.LogWarning("disk full while deleting: giving up the reserve and trying again");
                TryDelete();
            }
            finally
            {
                _lock.Release();
            }
            var result = await delete();
            TryRestore();
            return result;
        }
    }

    private void TryDelete()
    {
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
    }
}
