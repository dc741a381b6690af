using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;

namespace Orbitr.Server.Tests;

/// <summary>The server on a real full disk (a 40 MB tmpfs as its data folder, SQLite and files): every write answers
/// 507 with code 4001 instead of a 500, no partial blob is left, deleting still works and frees space (issue 20).</summary>
[Trait("Configuration", "embedded")]
public sealed class FullDiskTests : IAsyncLifetime
{
    private readonly string mount = Directory.CreateTempSubdirectory("orbitr-full-").FullName;
    private ConfiguredOrbitrFactory? factory;

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {error} (this test needs root to mount a tmpfs)");
    }

    public Task InitializeAsync()
    {
        Run("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", mount);
        factory = new ConfiguredOrbitrFactory(new Dictionary<string, string?>
        {
            ["Orbitr:Limits:StorageMegabytesPerOwner"] = "1000",
            // This test is about the disk, not a remote store.
            ["Orbitr:Database:Provider"] = "sqlite",
            ["Orbitr:Blobs:Provider"] = "files",
        }, dataPath: mount);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (factory is not null) await factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Run("umount", "-l", mount);
        Directory.Delete(mount, recursive: true);
    }

    private static MultipartFormDataContent Upload(double seconds)
    {
        var frames = (int)(seconds * 48000);
        var rng = new Random(frames);
        var data = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, frames).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray()).ToArray();
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(WavWriter.ToBytes(new AudioBuffer(data, 48000), WavSampleFormat.Pcm16));
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", "noise.wav");
        return form;
    }

    private static async Task AssertStorageFull(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.InsufficientStorage, $"{what}: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(4001, doc.RootElement.GetProperty("code").GetInt32());
        Assert.Contains("full", doc.RootElement.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task AssertEventuallyFull(Func<Task<HttpResponseMessage>> write, string what)
    {
        for (var i = 0; i < 500; i++)
        {
            var response = await write();
            if (response.StatusCode == HttpStatusCode.Created) continue; // it fitted in free pages
            await AssertStorageFull(response, what);
            return;
        }
        Assert.Fail($"{what}: 500 writes fitted on a full disk");
    }

    private static StringContent PatternBody() =>
        new(Encoding.UTF8.GetString(PatternJson.WriteUtf8(PatternFactory.Create(4, 1))), Encoding.UTF8, "application/json");

    [Fact]
    public async Task Writes_on_a_full_disk_answer_507_with_code_4001_and_deletions_still_work()
    {
        var client = factory!.CreateClient();
        var stored = new List<string>();
        // 10 s of 48 kHz stereo is 1.9 MB stored: fill the 40 MB volume with uploads until the disk says no.
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 40 && refused is null; i++)
        {
            var r = await client.PostAsync("/api/samples", Upload(10));
            if (r.StatusCode == HttpStatusCode.Created) stored.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            else refused = r;
        }
        Assert.NotNull(refused);
        await AssertStorageFull(refused!, "upload");
        Assert.True(stored.Count >= 5, $"{stored.Count} uploads before the disk was full");
        // Fill what is left to the last byte, so the database cannot grow either.
        var filler = Path.Combine(mount, "filler");
        using (var f = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            var chunk = new byte[64 * 1024];
            try
            {
                while (true) f.Write(chunk);
            }
            catch (IOException)
            {
            }
            try
            {
                while (true) f.Write(chunk, 0, 512);
            }
            catch (IOException)
            {
            }
        }

        await AssertStorageFull(await client.PostAsync("/api/samples", Upload(1)), "upload on a full disk");
        // A small row may still fit in a page the database already has (CI once saw a new owner stored on the full
        // disk): what matters is that every write either fits or answers 507, never a 500. Write until one does not.
        await AssertEventuallyFull(() => client.PostAsync("/api/patterns", PatternBody()), "pattern save");
        await AssertEventuallyFull(() => factory.CreateAnonymousClient().PostAsync("/api/owners", null), "new owner");
        await AssertStorageFull(await client.PostAsync("/api/generations",
            new StringContent("""{"prompt":"full disk kick","durationSeconds":0.5}""", Encoding.UTF8, "application/json")), "generation");
        // No partial blob is left behind by the failed writes.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(mount, "blobs"), "*.tmp-*", SearchOption.AllDirectories));
        // What was stored is still there, whole.
        var first = await client.GetByteArrayAsync($"/api/samples/{stored[0]}/audio");
        Assert.Equal(10 * 48000, WavReader.Read(first).Length);

        // Deleting works on the full disk and frees space.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/samples/{stored[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/samples/{stored[1]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/samples/{stored[0]}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/owners/me")).StatusCode);
        File.Delete(filler);
        // With the space back, the server stores again.
        var again = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await again.PostAsync("/api/samples", Upload(1))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await again.PostAsync("/api/patterns", PatternBody())).StatusCode);
    }
}
