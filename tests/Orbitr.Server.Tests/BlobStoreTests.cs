using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Orbitr.Server.Storage;

namespace Orbitr.Server.Tests;

/// <summary>The S3-compatible server (s3rver) the S3 tests run against: its address comes from ORBITR_TEST_S3.</summary>
public static class TestS3
{
    public const string Variable = "ORBITR_TEST_S3";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    /// <summary>The server's address; a missing variable fails the test (never a silent skip).</summary>
    public static string Address =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } address
            ? address
            : throw new InvalidOperationException(
                $"{Variable} is not set: the S3 blob store tests need an S3-compatible server (s3rver, credentials {AccessKey}/{SecretKey}, " +
                $"path-style), e.g. {Variable}=http://127.0.0.1:PORT");

    /// <summary>A bucket name of its own for a test class, so runs never collide.</summary>
    public static string NewBucketName() => $"orbitr-test-{Guid.NewGuid():N}";

    public static S3BlobOptions Options(string bucket, string? serviceUrl = null) => new()
    {
        ServiceUrl = serviceUrl ?? Address,
        Bucket = bucket,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        ForcePathStyle = true,
    };

    /// <summary>The server settings that put its blobs in <paramref name="bucket"/>.</summary>
    public static Dictionary<string, string?> Settings(string bucket, string? serviceUrl = null) => new()
    {
        ["Orbitr:Blobs:Provider"] = "s3",
        ["Orbitr:Blobs:S3:ServiceUrl"] = serviceUrl ?? Address,
        ["Orbitr:Blobs:S3:Bucket"] = bucket,
        ["Orbitr:Blobs:S3:AccessKey"] = AccessKey,
        ["Orbitr:Blobs:S3:SecretKey"] = SecretKey,
        ["Orbitr:Blobs:S3:ForcePathStyle"] = "true",
    };

    /// <summary>A plain S3 client, to look at the bucket behind the store's back.</summary>
    public static AmazonS3Client Client() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = Address,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public static async Task<List<string>> KeysAsync(IAmazonS3 client, string bucket)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket };
        ListObjectsV2Response page;
        do
        {
            page = await client.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return keys;
    }

    /// <summary>Empties and removes a test bucket (best effort: a test run must not fail in its clean-up).</summary>
    public static async Task DeleteBucketAsync(string bucket)
    {
        try
        {
            using var client = Client();
            foreach (var key in await KeysAsync(client, bucket))
                await client.DeleteObjectAsync(bucket, key);
            await client.DeleteBucketAsync(bucket);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or InvalidOperationException)
        {
        }
    }

    /// <summary>A loopback port nothing listens on.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>What every blob store does, run against each store (ARCHITECTURE §5).</summary>
public abstract class BlobStoreContract
{
    protected abstract IBlobStore Store { get; }

    protected static string NewKey()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return $"samples/{id[..2]}/{id}.wav";
    }

    protected static async Task<byte[]?> ReadAllAsync(IBlobStore store, string key)
    {
        await using var stream = await store.OpenAsync(key, CancellationToken.None);
        if (stream is null) return null;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_blob_is_put_opened_and_deleted()
    {
        var key = NewKey();
        var bytes = RandomNumberGenerator.GetBytes(1000);
        await Store.PutAsync(key, bytes, CancellationToken.None);
        Assert.Equal(bytes, await ReadAllAsync(Store, key));
        await Store.DeleteAsync(key, CancellationToken.None);
        Assert.Null(await ReadAllAsync(Store, key));
    }

    [Fact]
    public async Task Opening_a_missing_key_answers_null()
    {
        Assert.Null(await Store.OpenAsync(NewKey(), CancellationToken.None));
        Assert.Null(await Store.OpenAsync("zz/never-stored", CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_a_missing_key_is_fine()
    {
        var key = NewKey();
        await Store.PutAsync(key, [1, 2, 3], CancellationToken.None);
        await Store.DeleteAsync(key + ".never-stored", CancellationToken.None);
        Assert.Equal([1, 2, 3], await ReadAllAsync(Store, key));
        await Store.DeleteAsync(key, CancellationToken.None);
        await Store.DeleteAsync(key, CancellationToken.None);     // twice
        Assert.Null(await ReadAllAsync(Store, key));
    }

    [Fact]
    public async Task Putting_again_replaces_the_blob_whole()
    {
        var key = NewKey();
        await Store.PutAsync(key, RandomNumberGenerator.GetBytes(5000), CancellationToken.None);
        var shorter = RandomNumberGenerator.GetBytes(300);
        await Store.PutAsync(key, shorter, CancellationToken.None);
        Assert.Equal(shorter, await ReadAllAsync(Store, key));   // no tail of the longer one left
        await Store.DeleteAsync(key, CancellationToken.None);
    }

    [Fact]
    public async Task An_empty_blob_round_trips()
    {
        var key = NewKey();
        await Store.PutAsync(key, [], CancellationToken.None);
        var back = await ReadAllAsync(Store, key);
        Assert.NotNull(back);
        Assert.Empty(back);
        await Store.DeleteAsync(key, CancellationToken.None);
    }

    [Fact]
    public async Task A_5_MB_blob_round_trips_byte_exact()
    {
        var key = NewKey();
        var bytes = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 17);
        await Store.PutAsync(key, bytes, CancellationToken.None);
        var back = await ReadAllAsync(Store, key);
        Assert.NotNull(back);
        Assert.Equal(bytes.Length, back.Length);
        Assert.True(bytes.AsSpan().SequenceEqual(back), "the bytes read back differ");
        await Store.DeleteAsync(key, CancellationToken.None);
    }

    /// <summary>What Range requests on the audio endpoint rely on: a seekable stream with a length.</summary>
    [Fact]
    public async Task An_opened_blob_seeks_and_knows_its_length()
    {
        var key = NewKey();
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        await Store.PutAsync(key, bytes, CancellationToken.None);
        await using (var stream = await Store.OpenAsync(key, CancellationToken.None))
        {
            Assert.NotNull(stream);
            Assert.True(stream.CanSeek);
            Assert.Equal(bytes.Length, stream.Length);
            var part = new byte[100];
            stream.Seek(150_000, SeekOrigin.Begin);
            await stream.ReadExactlyAsync(part);
            Assert.Equal(bytes[150_000..150_100], part);
            stream.Position = 10;                                   // backwards
            await stream.ReadExactlyAsync(part);
            Assert.Equal(bytes[10..110], part);
            stream.ReadExactly(part);                               // synchronous readers too (the pattern renderer's WavReader)
            Assert.Equal(bytes[110..210], part);
            stream.Seek(-5, SeekOrigin.End);
            Assert.Equal(5, await stream.ReadAsync(part));
            Assert.Equal(bytes[^5..], part[..5]);
            Assert.Equal(0, await stream.ReadAsync(part));          // at the end
        }
        await Store.DeleteAsync(key, CancellationToken.None);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../outside")]
    [InlineData("samples/../../etc/passwd")]
    [InlineData("/absolute/key")]
    [InlineData("back\\slash")]
    public async Task Bad_keys_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, [1], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key, CancellationToken.None));
    }
}

public sealed class FileBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("orbitr-blobs-");

    public FileBlobStoreTests() => Store = new FileBlobStore(root.FullName);

    protected override IBlobStore Store { get; }

    public void Dispose() => root.Delete(recursive: true);
}

/// <summary>A bucket of its own for a test class, removed with everything in it afterwards.</summary>
public sealed class S3BucketFixture : IAsyncLifetime
{
    public S3BucketFixture()
    {
        Bucket = TestS3.NewBucketName();
        Store = new S3BlobStore(TestS3.Options(Bucket));
    }

    public string Bucket { get; }
    public S3BlobStore Store { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Store.Dispose();
        await TestS3.DeleteBucketAsync(Bucket);
    }
}

public sealed class S3BlobStoreTests(S3BucketFixture bucket) : BlobStoreContract, IClassFixture<S3BucketFixture>
{
    protected override IBlobStore Store => bucket.Store;

    [Fact]
    public async Task Blobs_are_objects_of_the_bucket_under_their_key()
    {
        var key = NewKey();
        var bytes = RandomNumberGenerator.GetBytes(777);
        await Store.PutAsync(key, bytes, CancellationToken.None);
        using var client = TestS3.Client();
        using (var got = await client.GetObjectAsync(bucket.Bucket, key))
        using (var copy = new MemoryStream())
        {
            await got.ResponseStream.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }
        await Store.DeleteAsync(key, CancellationToken.None);
        Assert.DoesNotContain(key, await TestS3.KeysAsync(client, bucket.Bucket));
    }

    [Fact]
    public async Task The_bucket_is_created_when_missing_and_an_existing_one_is_kept()
    {
        var name = TestS3.NewBucketName();
        try
        {
            using var client = TestS3.Client();
            using (var first = new S3BlobStore(TestS3.Options(name)))
            {
                await first.EnsureBucketAsync(CancellationToken.None);
                await first.EnsureBucketAsync(CancellationToken.None);
                await first.PutAsync("ab/kept", [42], CancellationToken.None);
            }
            Assert.Contains((await client.ListBucketsAsync()).Buckets ?? [], b => b.BucketName == name);
            // A second process finds the bucket there (already owned by it): fine, and nothing in it is lost.
            using var second = new S3BlobStore(TestS3.Options(name));
            await second.EnsureBucketAsync(CancellationToken.None);
            Assert.Equal([42], await ReadAllAsync(second, "ab/kept"));
        }
        finally
        {
            await TestS3.DeleteBucketAsync(name);
        }
    }

    [Fact]
    public async Task The_first_write_makes_the_bucket_and_a_bucket_deleted_later_is_made_again()
    {
        var name = TestS3.NewBucketName();
        try
        {
            using var store = new S3BlobStore(TestS3.Options(name));
            Assert.Null(await store.OpenAsync("ab/none", CancellationToken.None));   // no bucket yet: nothing there
            await store.PutAsync("ab/one", [1], CancellationToken.None);
            await TestS3.DeleteBucketAsync(name);
            await store.PutAsync("ab/two", [2], CancellationToken.None);
            Assert.Equal([2], await ReadAllAsync(store, "ab/two"));
        }
        finally
        {
            await TestS3.DeleteBucketAsync(name);
        }
    }

    [Fact]
    public async Task An_object_replaced_while_open_is_not_read_as_a_mix_of_both()
    {
        var key = NewKey();
        await Store.PutAsync(key, Enumerable.Repeat((byte)1, 1000).ToArray(), CancellationToken.None);
        await using (var stream = await Store.OpenAsync(key, CancellationToken.None))
        {
            Assert.NotNull(stream);
            await Store.PutAsync(key, Enumerable.Repeat((byte)2, 1000).ToArray(), CancellationToken.None);
            await Assert.ThrowsAnyAsync<IOException>(async () => await stream.ReadExactlyAsync(new byte[10]));
        }
        await Store.DeleteAsync(key, CancellationToken.None);
    }

    [Fact]
    public async Task The_probe_says_whether_the_bucket_can_be_used()
    {
        await bucket.Store.EnsureBucketAsync(CancellationToken.None);
        Assert.Contains(bucket.Bucket, await bucket.Store.ProbeAsync(CancellationToken.None));
        using var unreachable = new S3BlobStore(TestS3.Options("orbitr-unreachable", $"http://127.0.0.1:{TestS3.ClosedPort()}"));
        await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => unreachable.ProbeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_unreachable_store_fails_fast_with_BlobStoreUnavailableException()
    {
        using var store = new S3BlobStore(TestS3.Options("orbitr-unreachable", $"http://127.0.0.1:{TestS3.ClosedPort()}"));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => store.PutAsync("ab/x", [1], CancellationToken.None));
        await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => store.OpenAsync("ab/x", CancellationToken.None));
        await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => store.DeleteAsync("ab/x", CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_store_that_never_answers_times_out_instead_of_hanging()
    {
        // Connections are accepted (by the kernel's backlog) and then nothing is ever said.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var options = TestS3.Options("orbitr-silent", $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
            options.TimeoutSeconds = 1;
            using var store = new S3BlobStore(options);
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => store.OpenAsync("ab/x", CancellationToken.None));
            Assert.Contains("timed out", e.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_at_start()
    {
        Assert.Throws<InvalidOperationException>(() => new S3BlobStore(new S3BlobOptions { ServiceUrl = "http://127.0.0.1:1" }));
        Assert.Throws<InvalidOperationException>(() => new S3BlobStore(new S3BlobOptions { Bucket = "b", AccessKey = "only-one" }));
        Assert.Throws<InvalidOperationException>(() => new S3BlobStore(new S3BlobOptions { Bucket = "b", ServiceUrl = "not a url" }));
    }
}
