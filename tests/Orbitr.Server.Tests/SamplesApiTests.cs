using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;

namespace Orbitr.Server.Tests;

public class SamplesApiTests(OrbitrFactory factory) : IClassFixture<OrbitrFactory>
{
    private static byte[] Wav(double seconds, int rate = 44100, int channels = 1, double frequency = 440)
    {
        var n = (int)(seconds * rate);
        var data = Enumerable.Range(0, channels).Select(_ => Enumerable.Range(0, n).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray()).ToArray();
        return WavWriter.ToBytes(new AudioBuffer(data, rate), WavSampleFormat.Pcm16);
    }

    private static MultipartFormDataContent Form(byte[] bytes, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return form;
    }

    private static async Task<int> CodeOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("code").GetInt32();
    }

    [Fact]
    public async Task An_uploaded_wav_is_stored_listed_served_with_etag_and_range_and_deleted()
    {
        var client = factory.CreateClient();
        var upload = await client.PostAsync("/api/samples", Form(Wav(0.5, channels: 2), "my clap.wav"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var sample = await upload.Content.ReadFromJsonAsync<JsonElement>();
        var id = sample.GetProperty("id").GetString()!;
        Assert.Equal("my clap", sample.GetProperty("name").GetString());
        Assert.Equal(2, sample.GetProperty("channels").GetInt32());
        Assert.Equal(0.5, sample.GetProperty("durationSeconds").GetDouble(), 3);
        Assert.Equal(200, sample.GetProperty("peaks").GetArrayLength());
        Assert.Equal($"generated:{id}", sample.GetProperty("source").GetString());

        var list = await client.GetFromJsonAsync<JsonElement>("/api/samples?q=CLAP");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("id").GetString() == id);
        var none = await client.GetFromJsonAsync<JsonElement>("/api/samples?q=nothing-like-this");
        Assert.Equal(0, none.GetProperty("total").GetInt32());

        var audio = await client.GetAsync($"/api/samples/{id}/audio");
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        Assert.Equal("audio/wav", audio.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", audio.Headers.CacheControl?.ToString());
        var bytes = await audio.Content.ReadAsByteArrayAsync();
        var decoded = WavReader.Read(bytes);
        Assert.Equal(22050, decoded.Length);
        var etag = audio.Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/samples/{id}/audio");
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/samples/{id}/audio");
        range.Headers.Range = new RangeHeaderValue(0, 11);
        var partial = await client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[..12], await partial.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/samples/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/samples/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/samples/{id}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/samples/{id}")).StatusCode);
    }

    [Fact]
    public async Task Files_are_checked_by_content_not_by_name()
    {
        var client = factory.CreateClient();
        var renamed = await client.PostAsync("/api/samples", Form("this is a text file, not audio at all"u8.ToArray(), "kick.wav"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, renamed.StatusCode);
        Assert.Equal(1002, await CodeOf(renamed));

        var corrupt = Wav(0.2);
        corrupt[40] = 0xFF; corrupt[41] = 0xFF; corrupt[42] = 0xFF; corrupt[43] = 0x7F; // data chunk claims 2 GB
        var bad = await client.PostAsync("/api/samples", Form(corrupt, "broken.wav"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, bad.StatusCode);
        Assert.Equal(1002, await CodeOf(bad));

        var flac = await client.PostAsync("/api/samples", Form([.. "fLaC"u8, .. new byte[100]], "x.flac"));
        Assert.Equal(1002, await CodeOf(flac));
        Assert.Contains("FLAC", await flac.Content.ReadAsStringAsync());

        var notForm = await client.PostAsync("/api/samples", new ByteArrayContent(Wav(0.1)));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notForm.StatusCode);
        Assert.Equal(1004, await CodeOf(notForm));
    }

    [Fact]
    public async Task Sounds_longer_than_30_seconds_are_refused_and_nothing_is_stored()
    {
        var client = factory.CreateClient();
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/samples")).GetProperty("total").GetInt32();
        var response = await client.PostAsync("/api/samples", Form(Wav(31, rate: 8000), "long.wav"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("at most 30 s", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonElement>("/api/samples")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Files_over_10_MB_are_refused()
    {
        var client = factory.CreateClient();
        var response = await client.PostAsync("/api/samples", Form(new byte[11 * 1024 * 1024], "huge.wav"));
        Assert.True(response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, response.StatusCode.ToString());
    }

    [Theory]
    [InlineData("/api/samples?page=0")]
    [InlineData("/api/samples?pageSize=1000")]
    public async Task Bad_paging_is_a_validation_problem(string url)
    {
        var response = await factory.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_list_is_paged_newest_first()
    {
        var client = factory.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var r = await client.PostAsync("/api/samples", Form(Wav(0.05, frequency: 200 + i), $"paging-{i}.wav"));
            ids.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }
        var page1 = await client.GetFromJsonAsync<JsonElement>("/api/samples?q=paging-&pageSize=2");
        var page2 = await client.GetFromJsonAsync<JsonElement>("/api/samples?q=paging-&pageSize=2&page=2");
        Assert.Equal(3, page1.GetProperty("total").GetInt32());
        var seen = page1.GetProperty("items").EnumerateArray().Concat(page2.GetProperty("items").EnumerateArray()).Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Theory]
    [InlineData("ogg")]
    [InlineData("mp3")]
    [InlineData("flac")]
    public async Task Ogg_vorbis_mp3_and_flac_uploads_are_decoded_and_stored_as_wav(string format)
    {
        // Encoded by sox (test.sh installs sox and libsox-fmt-all): 0.5 s of a 440 Hz sine.
        var dir = Directory.CreateTempSubdirectory("orbitr-codec-");
        var wav = Path.Combine(dir.FullName, "tone.wav");
        await File.WriteAllBytesAsync(wav, Wav(0.5));
        var encoded = Path.Combine(dir.FullName, $"tone.{format}");
        using (var sox = System.Diagnostics.Process.Start("sox", [wav, encoded]))
        {
            await sox.WaitForExitAsync();
            Assert.Equal(0, sox.ExitCode);
        }
        // Named .wav on purpose: the content decides.
        var response = await factory.CreateClient().PostAsync("/api/samples", Form(await File.ReadAllBytesAsync(encoded), $"tone-{format}.wav"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sample = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.InRange(sample.GetProperty("durationSeconds").GetDouble(), 0.49, 0.56); // MP3 adds encoder padding
        var audio = WavReader.Read(await factory.CreateClient().GetByteArrayAsync(sample.GetProperty("audioUrl").GetString()));
        // Still a 440 Hz tone: count zero crossings over 0.1 s in the middle.
        var x = audio.Channel(0);
        var from = audio.SampleRate / 5;
        var crossings = Enumerable.Range(from, audio.SampleRate / 10).Count(i => x[i] < 0 != x[i + 1] < 0);
        Assert.InRange(crossings, 86, 90);
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Mutated_and_random_uploads_never_cause_a_server_error()
    {
        var client = factory.CreateClient();
        var rng = new Random(12345);
        var valid = Wav(0.05);
        for (var i = 0; i < 150; i++)
        {
            byte[] body;
            if (i % 3 == 0)
            {
                body = new byte[rng.Next(0, 400)];
                rng.NextBytes(body);
            }
            else
            {
                body = (byte[])valid.Clone();
                for (var k = 0; k < 1 + rng.Next(6); k++) body[rng.Next(i % 2 == 0 ? 44 : body.Length)] = (byte)rng.Next(256);
                if (rng.Next(4) == 0) body = body[..rng.Next(body.Length)];
            }
            var response = await client.PostAsync("/api/samples", Form(body, $"fuzz-{i}.wav"));
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.BadRequest,
                $"upload {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode != HttpStatusCode.Created) Assert.Equal(1002, await CodeOf(response));
        }
    }
}
