using Microsoft.AspNetCore.Diagnostics;
using Orbitr.Server.Apis;

namespace Orbitr.Server.Storage;

public static class BlobStoreServiceCollectionExtensions
{
    /// <summary>Problem code of a request that failed because the blob store could not be used.</summary>
    public const int StorageUnavailableCode = Orbitr.Core.Errors.ErrorCode.Offline;

    /// <summary>The blob store configuration asks for ("Orbitr:Blobs:Provider"): files under the data folder by default,
    /// or "s3" for S3-compatible storage ("Orbitr:Blobs:S3", <see cref="S3BlobOptions"/>).</summary>
    public static IServiceCollection AddOrbitrBlobs(this IServiceCollection services, IConfiguration configuration, OrbitrOptions options)
    {
        var provider = configuration["Orbitr:Blobs:Provider"] ?? "files";
        switch (provider.ToLowerInvariant())
        {
            case "files":
                services.AddSingleton<IBlobStore>(new FileBlobStore(Path.Combine(options.FullDataPath, "blobs")));
                break;
            case "s3":
                var s3 = configuration.GetSection(S3BlobOptions.Section).Get<S3BlobOptions>() ?? new S3BlobOptions();
                s3.Validate();
                services.AddSingleton(s3);
                services.AddSingleton(sp => new S3BlobStore(sp.GetRequiredService<S3BlobOptions>()));
                services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<S3BlobStore>());
                services.AddHostedService<S3BucketInitializer>();
                break;
            default:
                throw new InvalidOperationException($"Orbitr:Blobs:Provider \"{provider}\" is not supported (files or s3)");
        }
        // Whatever endpoint hit it, an unusable blob store answers 503 with code 3001 rather than an unhandled 500.
        services.AddExceptionHandler<BlobStoreUnavailableHandler>();
        return services;
    }
}

/// <summary>Creates the bucket at start-up when missing. An unreachable store does not stop the server: it is logged,
/// requests that need blobs fail with 503 meanwhile, and the bucket is made before the first write that gets through.</summary>
public sealed class S3BucketInitializer(S3BlobStore store, ILogger<S3BucketInitializer> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.EnsureBucketAsync(cancellationToken);
            log.LogInformation("blob store: S3 bucket {Bucket} ready", store.Bucket);
        }
        catch (BlobStoreUnavailableException e)
        {
            log.LogWarning(e, "blob store: S3 bucket {Bucket} could not be checked or created at start-up; trying again at the first write", store.Bucket);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Turns <see cref="BlobStoreUnavailableException"/> into problem details: 503, code 3001, Retry-After.</summary>
public sealed class BlobStoreUnavailableHandler(ILogger<BlobStoreUnavailableHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BlobStoreUnavailableException e || httpContext.Response.HasStarted) return false;
        log.LogWarning(e, "{Method} {Path}: blob store unavailable", httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.Headers.RetryAfter = "30";
        await Problems.Of(StatusCodes.Status503ServiceUnavailable, BlobStoreServiceCollectionExtensions.StorageUnavailableCode, "Storage unavailable",
            "the audio storage cannot be reached right now; try again later").ExecuteAsync(httpContext);
        return true;
    }
}
