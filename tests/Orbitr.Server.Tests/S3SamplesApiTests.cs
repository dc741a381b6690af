using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;

namespace Orbitr.Server.Tests;

/// <summary>The server with its audio in S3 (a bucket of its own on the test s3rver).</summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    public S3ServerFixture()
    {
        Bucket = TestS3.NewBucketName();
        Factory = new ConfiguredOrbitrFactory(TestS3.Settings(Bucket));
    }

    public string Bucket { get; }
    public ConfiguredOrbitrFactory Factory { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await TestS3.DeleteBucketAsync(Bucket);
    }
}

internal static class SampleUploads
{
    public static byte[] Wav(double seconds, int rate = 44100, int channels = 1, double frequency = 440)
    {
        var n = (int)(seconds * rate);
        var data = Enumerable.Range(0, channels).Select(_ => Enumerable.Range(0, n).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray()).ToArray();
        return WavWriter.ToBytes(new AudioBuffer(data, rate), WavSampleFormat.Pcm16);
    }

    public static MultipartFormDataContent Form(byte[] bytes, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return form;
    }

    public static async Task<string> UploadAsync(HttpClient client, byte[] wav, string name)
    {
        var upload = await client.PostAsync("/api/samples", Form(wav, name));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        return (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}

public sealed class S3SamplesApiTests(S3ServerFixture server) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task Audio_kept_in_S3_is_served_like_from_files_with_etag_range_and_304_and_deleted_from_the_bucket()
    {
        var wav = SampleUploads.Wav(0.5, channels: 2);
        var client = server.Factory.CreateClient();
        var id = await SampleUploads.UploadAsync(client, wav, "s3 clap.wav");

        // The same upload on a server with the file store, for comparison.
        HttpResponseMessage fromFiles;
        byte[] fileBytes;
        await using (var files = new ConfiguredOrbitrFactory(null))
        {
            var fileClient = files.CreateClient();
            var fileId = await SampleUploads.UploadAsync(fileClient, wav, "s3 clap.wav");
            fromFiles = await fileClient.GetAsync($"/api/samples/{fileId}/audio");
            fileBytes = await fromFiles.Content.ReadAsByteArrayAsync();
        }

        var audio = await client.GetAsync($"/api/samples/{id}/audio");
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        var bytes = await audio.Content.ReadAsByteArrayAsync();
        Assert.Equal(fileBytes, bytes);
        Assert.Equal(44 + 22050 * 2 * 2, bytes.Length);
        Assert.NotNull(audio.Headers.ETag);
        Assert.Equal(fromFiles.Headers.ETag, audio.Headers.ETag);   // the content hash, whichever store
        Assert.Equal("audio/wav", audio.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes.Length, audio.Content.Headers.ContentLength);
        Assert.NotNull(audio.Content.Headers.LastModified);
        Assert.Equal(fromFiles.Headers.CacheControl, audio.Headers.CacheControl);
        Assert.Contains("immutable", audio.Headers.CacheControl?.ToString());
        Assert.Equal(fromFiles.Headers.AcceptRanges, audio.Headers.AcceptRanges);
        Assert.Contains("bytes", audio.Headers.AcceptRanges);

        using (var range = new HttpRequestMessage(HttpMethod.Get, $"/api/samples/{id}/audio"))
        {
            range.Headers.Range = new RangeHeaderValue(100, 199);
            var partial = await client.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(bytes[100..200], await partial.Content.ReadAsByteArrayAsync());
            Assert.Equal($"bytes 100-199/{bytes.Length}", partial.Content.Headers.ContentRange?.ToString());
            Assert.Equal(audio.Headers.ETag, partial.Headers.ETag);
        }
        using (var suffix = new HttpRequestMessage(HttpMethod.Get, $"/api/samples/{id}/audio"))
        {
            suffix.Headers.Range = new RangeHeaderValue(null, 64);
            var tail = await client.SendAsync(suffix);
            Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
            Assert.Equal(bytes[^64..], await tail.Content.ReadAsByteArrayAsync());
        }
        using (var beyond = new HttpRequestMessage(HttpMethod.Get, $"/api/samples/{id}/audio"))
        {
            beyond.Headers.Range = new RangeHeaderValue(bytes.Length + 10, bytes.Length + 20);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await client.SendAsync(beyond)).StatusCode);
        }
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/samples/{id}/audio"))
        {
            conditional.Headers.IfNoneMatch.Add(audio.Headers.ETag!);
            var notModified = await client.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }

        // The object is in the bucket, byte for byte.
        using var s3 = TestS3.Client();
        var key = Assert.Single(await TestS3.KeysAsync(s3, server.Bucket), k => k.EndsWith($"/{id}.wav", StringComparison.Ordinal));
        using (var stored = await s3.GetObjectAsync(server.Bucket, key))
        using (var copy = new MemoryStream())
        {
            await stored.ResponseStream.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/samples/{id}")).StatusCode);
        Assert.DoesNotContain(key, await TestS3.KeysAsync(s3, server.Bucket));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/samples/{id}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/samples/{id}")).StatusCode);

        // Nothing went to the data folder's blob files.
        var blobs = Path.Combine(server.Factory.DataPath, "blobs");
        Assert.False(Directory.Exists(blobs) && Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Any(),
            $"files were written under {blobs}");
    }

    [Fact]
    public async Task Audio_whose_object_went_away_behind_the_server_is_404()
    {
        var client = server.Factory.CreateClient();
        var id = await SampleUploads.UploadAsync(client, SampleUploads.Wav(0.1), "gone.wav");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/samples/{id}/audio")).StatusCode);
        using var s3 = TestS3.Client();
        var key = Assert.Single(await TestS3.KeysAsync(s3, server.Bucket), k => k.EndsWith($"/{id}.wav", StringComparison.Ordinal));
        await s3.DeleteObjectAsync(server.Bucket, key);
        var audio = await client.GetAsync($"/api/samples/{id}/audio");
        Assert.Equal(HttpStatusCode.NotFound, audio.StatusCode);
    }

    [Fact]
    public async Task The_bucket_is_made_at_start_up()
    {
        _ = server.Factory.Server;   // started
        using var s3 = TestS3.Client();
        Assert.Contains((await s3.ListBucketsAsync()).Buckets ?? [], b => b.BucketName == server.Bucket);
    }
}

/// <summary>The server configured for S3 that cannot be used: requests fail fast with a clear 503, nothing is recorded.</summary>
public sealed class S3UnavailableTests
{
    // "Quickly" means bounded well below the 30 s a hung S3 call would take by default (generous: CI machines are busy),
    // not a speed figure.
    private static async Task AssertUploadFailsCleanlyAsync(ConfiguredOrbitrFactory factory, TimeSpan within)
    {
        var client = factory.CreateClient();   // the server starts even though its storage cannot be reached
        var clock = Stopwatch.StartNew();
        var response = await client.PostAsync("/api/samples", SampleUploads.Form(SampleUploads.Wav(0.2), "lost.wav"));
        clock.Stop();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(clock.Elapsed < within, $"the upload took {clock.Elapsed} to fail");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Equal(3001, problem.RootElement.GetProperty("code").GetInt32());
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        }
        Assert.NotNull(response.Headers.RetryAfter);

        var list = await client.GetFromJsonAsync<JsonElement>("/api/samples");
        Assert.Equal(0, list.GetProperty("total").GetInt32());
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        // Health says where the trouble is: the blob store is down (503, so a load balancer stops sending uploads here).
        var health = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var blobs = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dependencies").EnumerateArray()
            .Single(d => d.GetProperty("name").GetString() == "blobs");
        Assert.Equal("down", blobs.GetProperty("status").GetString());
    }

    [Fact]
    public async Task With_S3_on_a_closed_port_an_upload_answers_503_quickly_and_stores_nothing()
    {
        var settings = TestS3.Settings(TestS3.NewBucketName(), $"http://127.0.0.1:{TestS3.ClosedPort()}");
        await using var factory = new ConfiguredOrbitrFactory(settings);
        await AssertUploadFailsCleanlyAsync(factory, TimeSpan.FromSeconds(20));
        Assert.Contains(factory.Logs.Lines, l => l.Contains("could not be checked or created at start-up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audio_of_a_stored_sample_answers_503_while_S3_is_unreachable_and_again_when_it_is_back()
    {
        var bucket = TestS3.NewBucketName();
        var data = Directory.CreateTempSubdirectory("orbitr-s3-").FullName;
        try
        {
            string id;
            await using (var up = new ConfiguredOrbitrFactory(TestS3.Settings(bucket), dataPath: data))
                id = await SampleUploads.UploadAsync(up.CreateClient(), SampleUploads.Wav(0.2), "kept.wav");

            // The same data folder, with S3 gone.
            await using (var down = new ConfiguredOrbitrFactory(TestS3.Settings(bucket, $"http://127.0.0.1:{TestS3.ClosedPort()}"), dataPath: data))
            {
                var clock = Stopwatch.StartNew();
                var audio = await down.CreateAnonymousClient().GetAsync($"/api/samples/{id}/audio");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, audio.StatusCode);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
                using var problem = JsonDocument.Parse(await audio.Content.ReadAsStringAsync());
                Assert.Equal(3001, problem.RootElement.GetProperty("code").GetInt32());
                Assert.Null(audio.Headers.ETag);   // an error is not cached as the audio
            }

            await using (var back = new ConfiguredOrbitrFactory(TestS3.Settings(bucket), dataPath: data))
                Assert.Equal(HttpStatusCode.OK, (await back.CreateAnonymousClient().GetAsync($"/api/samples/{id}/audio")).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
            await TestS3.DeleteBucketAsync(bucket);
        }
    }

    [Fact]
    public async Task With_S3_that_never_answers_an_upload_times_out_into_503()
    {
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var settings = TestS3.Settings(TestS3.NewBucketName(), $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
            settings["Orbitr:Blobs:S3:TimeoutSeconds"] = "2";
            await using var factory = new ConfiguredOrbitrFactory(settings);
            await AssertUploadFailsCleanlyAsync(factory, TimeSpan.FromSeconds(20));
        }
        finally
        {
            silent.Stop();
        }
    }
}
