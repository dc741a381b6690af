using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Orbitr.Server.Storage;

/// <summary>The "Orbitr:Blobs:S3" settings: an S3-compatible store (AWS S3, MinIO, s3rver…).</summary>
public sealed class S3BlobOptions
{
    public const string Section = "Orbitr:Blobs:S3";

    /// <summary>The endpoint, e.g. http://minio:9000; empty for AWS itself (then <see cref="Region"/> picks the endpoint).</summary>
    public string? ServiceUrl { get; set; }
    public string Bucket { get; set; } = "";
    /// <summary>With <see cref="SecretKey"/>; both empty: the SDK's usual credential chain (environment, profile, instance role).</summary>
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    /// <summary>http://host/bucket/key rather than http://bucket.host/key: true for MinIO and s3rver.</summary>
    public bool ForcePathStyle { get; set; }
    public string Region { get; set; } = "us-east-1";
    /// <summary>The longest one operation (with its retries), or one read of an object's body, may take.</summary>
    public double TimeoutSeconds { get; set; } = 30;
    public double ConnectTimeoutSeconds { get; set; } = 5;
    public int MaxRetries { get; set; } = 2;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket))
            throw new InvalidOperationException("Orbitr:Blobs:Provider is s3 but Orbitr:Blobs:S3:Bucket is empty");
        if (string.IsNullOrWhiteSpace(AccessKey) != string.IsNullOrWhiteSpace(SecretKey))
            throw new InvalidOperationException("Orbitr:Blobs:S3:AccessKey and Orbitr:Blobs:S3:SecretKey go together: set both or neither");
        if (!string.IsNullOrWhiteSpace(ServiceUrl) && !Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _))
            throw new InvalidOperationException($"Orbitr:Blobs:S3:ServiceUrl \"{ServiceUrl}\" is not an absolute URL");
        if (TimeoutSeconds <= 0 || ConnectTimeoutSeconds <= 0 || MaxRetries < 0)
            throw new InvalidOperationException("Orbitr:Blobs:S3: TimeoutSeconds and ConnectTimeoutSeconds must be positive, MaxRetries at least 0");
    }
}

/// <summary>The blob store could not be reached or refused the operation (network, timeout, credentials, S3 error).
/// Nothing was changed by a failed write: S3 puts are atomic.</summary>
public sealed class BlobStoreUnavailableException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>Blobs as objects of one bucket in S3-compatible storage. The bucket is created when missing (at start-up
/// by <see cref="S3BucketInitializer"/>, else before the first write). Every call is bounded by
/// <see cref="S3BlobOptions.TimeoutSeconds"/>; failures surface as <see cref="BlobStoreUnavailableException"/>.
/// <see cref="OpenAsync"/> answers a seekable stream that fetches bytes with ranged GETs only when read, so Range and
/// conditional requests on the audio endpoint work as with files (a 304 downloads nothing).</summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    private readonly IAmazonS3 client;
    private readonly S3BlobOptions options;
    private readonly SemaphoreSlim bucketLock = new(1, 1);
    private volatile bool bucketReady;

    public S3BlobStore(S3BlobOptions options)
    {
        options.Validate();
        this.options = options;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            Timeout = Timeout,
            ConnectTimeout = TimeSpan.FromSeconds(options.ConnectTimeoutSeconds),
            MaxErrorRetry = options.MaxRetries,
            // S3-compatible servers do not all understand the SDK's default trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        client = string.IsNullOrWhiteSpace(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public string Bucket => options.Bucket;

    internal TimeSpan Timeout => TimeSpan.FromSeconds(options.TimeoutSeconds);

    /// <summary>Creates the bucket unless it exists already (once per process; again after a write found it gone).</summary>
    public async Task EnsureBucketAsync(CancellationToken cancel)
    {
        if (bucketReady) return;
        await bucketLock.WaitAsync(cancel);
        try
        {
            if (bucketReady) return;
            await CallAsync($"create bucket {Bucket}", async t =>
            {
                // A bucket that is there already (made by another process of the deployment) is just used: create
                // only when listing it says it does not exist.
                try
                {
                    await client.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket }, t);
                    return true;
                }
                catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket" || e.StatusCode == HttpStatusCode.NotFound)
                {
                }
                var request = new PutBucketRequest { BucketName = Bucket };
                if (!string.Equals(options.Region, "us-east-1", StringComparison.OrdinalIgnoreCase)) request.BucketRegionName = options.Region;
                try
                {
                    await client.PutBucketAsync(request, t);
                }
                catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists" || e.StatusCode == HttpStatusCode.InternalServerError)
                {
                    // Several processes creating it at once: AWS answers "already owned", some compatible servers an
                    // error of their own. Usable if it can be listed now.
                    await client.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket }, t);
                }
                return true;
            }, cancel);
            bucketReady = true;
        }
        finally
        {
            bucketLock.Release();
        }
    }

    /// <summary>For a health check: HEAD of the bucket (not a listing: s3rver fails to list nested keys one at a time); says what it checked, or throws
    /// <see cref="BlobStoreUnavailableException"/>.</summary>
    public async Task<string> ProbeAsync(CancellationToken cancel)
    {
        await CallAsync($"check bucket {Bucket}", t => client.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket }, t), cancel);
        return $"s3 bucket {Bucket}";
    }

    public async Task PutAsync(string key, byte[] bytes, CancellationToken cancel)
    {
        CheckKey(key);
        await EnsureBucketAsync(cancel);
        try
        {
            await PutObjectAsync(key, bytes, cancel);
        }
        catch (BlobStoreUnavailableException e) when (e.InnerException is AmazonS3Exception { ErrorCode: "NoSuchBucket" })
        {
            // Deleted behind our back since start-up: make it again, once.
            bucketReady = false;
            await EnsureBucketAsync(cancel);
            await PutObjectAsync(key, bytes, cancel);
        }
    }

    private Task PutObjectAsync(string key, byte[] bytes, CancellationToken cancel) =>
        CallAsync($"write {key}", async t =>
        {
            // A put is atomic: a failed or cut one leaves the previous object (or none), never a partial one.
            using var body = new MemoryStream(bytes, writable: false);
            return await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                InputStream = body,
                AutoCloseStream = false,
                ContentType = "application/octet-stream",
                UseChunkEncoding = false,
            }, t);
        }, cancel);

    public async Task<Stream?> OpenAsync(string key, CancellationToken cancel)
    {
        CheckKey(key);
        var head = await CallAsync($"read {key}", async t =>
        {
            try
            {
                return await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, t);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancel);
        return head is null ? null : new S3ObjectStream(this, key, head.ContentLength, head.ETag);
    }

    public Task DeleteAsync(string key, CancellationToken cancel)
    {
        CheckKey(key);
        return CallAsync($"delete {key}", async t =>
        {
            try
            {
                await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, t);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket" || e.StatusCode == HttpStatusCode.NotFound)
            {
                // Nothing there: nothing to delete.
            }
            return true;
        }, cancel);
    }

    /// <summary>A GET of bytes <paramref name="from"/>–<paramref name="to"/> (inclusive) of the object as it was opened.</summary>
    internal Task<GetObjectResponse> GetRangeAsync(string key, long from, long to, string? etag, CancellationToken cancel) =>
        CallAsync($"read {key}", async t =>
        {
            GetObjectResponse response;
            try
            {
                response = await client.GetObjectAsync(new GetObjectRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    ByteRange = new ByteRange(from, to),
                    EtagToMatch = etag,
                }, t);
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                // Never mix the bytes of two versions: a reader sees the object it opened or an error.
                throw new IOException($"blob {key} was replaced or deleted while being read", e);
            }
            // Not every S3-compatible server honours If-Match (s3rver ignores it): check the ETag that came back too.
            if (etag is not null && response.ETag is { } got && got != etag)
            {
                response.Dispose();
                throw new IOException($"blob {key} was replaced while being read");
            }
            return response;
        }, cancel);

    /// <summary>Runs one S3 operation within the timeout, turning every way it can fail (but the caller's own
    /// cancellation) into <see cref="BlobStoreUnavailableException"/>.</summary>
    internal async Task<T> CallAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(Timeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new BlobStoreUnavailableException($"blob store: {what} timed out after {options.TimeoutSeconds:0.#} s", e);
        }
        catch (Exception e) when (e is not BlobStoreUnavailableException && IsStorageFailure(e))
        {
            throw new BlobStoreUnavailableException($"blob store: {what} failed: {e.Message}", e);
        }
    }

    internal static bool IsStorageFailure(Exception e) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException or TimeoutException;

    // Keys are made by the server; refuse the same as FileBlobStore, so a key works in either store.
    private static void CheckKey(string key)
    {
        if (key.Length == 0 || key.Length > 1024 || key.Contains("..", StringComparison.Ordinal) || key.StartsWith('/') || key.Contains('\\')
            || key.Any(char.IsControl))
            throw new ArgumentException($"invalid blob key \"{key}\"", nameof(key));
    }

    public void Dispose()
    {
        client.Dispose();
        bucketLock.Dispose();
    }
}

/// <summary>An object read on demand: seeking is free, reading GETs the bytes from the position to the end and goes
/// on with that body while reads follow each other. Each GET requires the ETag seen when the object was opened.</summary>
internal sealed class S3ObjectStream(S3BlobStore store, string key, long length, string? etag) : Stream
{
    private GetObjectResponse? body;
    private long bodyPosition;
    private long position;
    private bool disposed;

    public override bool CanRead => !disposed;
    public override bool CanSeek => !disposed;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            position = value;
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return position;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (buffer.Length == 0 || position >= length) return 0;
        if (body is null || bodyPosition != position)
        {
            CloseBody();
            body = await store.GetRangeAsync(key, position, length - 1, etag, cancellationToken);
            bodyPosition = position;
        }
        var responseStream = body.ResponseStream;
        int read;
        try
        {
            read = await store.CallAsync($"read {key}", async t => await responseStream.ReadAsync(buffer, t), cancellationToken);
        }
        catch
        {
            CloseBody(); // the next read starts a fresh GET at the position
            throw;
        }
        if (read == 0)
        {
            CloseBody();
            throw new BlobStoreUnavailableException($"blob store: {key} ended after {position:N0} of {length:N0} bytes");
        }
        position += read;
        bodyPosition += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // For synchronous readers (WavReader in the pattern renderer); the web paths read asynchronously.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override int Read(Span<byte> buffer)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var n = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void CloseBody()
    {
        body?.Dispose();
        body = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
            disposed = true;
        }
        base.Dispose(disposing);
    }
}
