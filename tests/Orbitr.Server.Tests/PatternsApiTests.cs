using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Wav;
using Orbitr.Synthesis.Kit;

namespace Orbitr.Server.Tests;

public class PatternsApiTests(OrbitrFactory factory) : IClassFixture<OrbitrFactory>
{
    private static Pattern Beat()
    {
        var p = PatternFactory.Create(seed: 42, name: "Server beat");
        foreach (var s in new[] { 0, 4, 8, 12 }) p = PatternEditor.ToggleStep(p, 0, s);
        foreach (var s in new[] { 4, 12 }) p = PatternEditor.ToggleStep(p, 1, s);
        return p;
    }

    private static ByteArrayContent Json(byte[] bytes)
    {
        var c = new ByteArrayContent(bytes);
        c.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return c;
    }

    private static HttpRequestMessage Put(string id, string? token, string? ifMatch, HttpContent body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/patterns/{id}") { Content = body };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private async Task<(string Id, string Token)> SaveAsync(HttpClient client, Pattern pattern)
    {
        var response = await client.PostAsync("/api/patterns", Json(PatternJson.WriteUtf8(pattern)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var saved = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (saved.GetProperty("id").GetString()!, saved.GetProperty("editToken").GetString()!);
    }

    [Fact]
    public async Task A_pattern_is_saved_loaded_and_updated_with_its_token_and_etag()
    {
        var client = factory.CreateClient();
        var pattern = Beat();
        var post = await client.PostAsync("/api/patterns", Json(PatternJson.WriteUtf8(pattern)));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal("\"v1\"", post.Headers.ETag?.ToString());
        var saved = await post.Content.ReadFromJsonAsync<JsonElement>();
        var id = saved.GetProperty("id").GetString()!;
        var token = saved.GetProperty("editToken").GetString()!;
        Assert.True(token.Length >= 32);
        Assert.Equal($"/api/patterns/{id}", post.Headers.Location?.OriginalString);

        var get = await client.GetAsync($"/api/patterns/{id}");
        Assert.Equal("\"v1\"", get.Headers.ETag?.ToString());
        var loaded = PatternJson.Read(await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(pattern, loaded.Pattern);

        var changed = PatternEditor.SetBpm(pattern, 133);
        var put = await client.SendAsync(Put(id, token, "\"v1\"", Json(PatternJson.WriteUtf8(changed))));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("\"v2\"", put.Headers.ETag?.ToString());
        Assert.Equal(133, PatternJson.Read(await client.GetByteArrayAsync($"/api/patterns/{id}")).Pattern!.Bpm);
    }

    [Fact]
    public async Task Updates_without_the_right_token_or_a_current_etag_change_nothing()
    {
        var client = factory.CreateClient();
        var (id, token) = await SaveAsync(client, Beat());
        var other = PatternJson.WriteUtf8(PatternEditor.SetBpm(Beat(), 99));
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateAnonymousClient().SendAsync(Put(id, null, "\"v1\"", Json(other)))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Put(id, "not-the-token", "\"v1\"", Json(other)))).StatusCode);
        Assert.Equal((HttpStatusCode)428, (await client.SendAsync(Put(id, token, null, Json(other)))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(Put(id, token, "\"v7\"", Json(other)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Put("missing", token, "\"v1\"", Json(other)))).StatusCode);
        var bad = await client.SendAsync(Put(id, token, "\"v1\"", Json("{\"version\":1,\"bpm\":900}"u8.ToArray())));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(120, PatternJson.Read(await client.GetByteArrayAsync($"/api/patterns/{id}")).Pattern!.Bpm);
        // A token belongs to one pattern only.
        var (second, _) = await SaveAsync(client, Beat());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Put(second, token, "\"v1\"", Json(other)))).StatusCode);
    }

    [Fact]
    public async Task Of_two_concurrent_updates_one_wins_and_the_other_gets_412()
    {
        var client = factory.CreateClient();
        for (var round = 0; round < 10; round++)
        {
            var (id, token) = await SaveAsync(client, Beat());
            var a = client.SendAsync(Put(id, token, "\"v1\"", Json(PatternJson.WriteUtf8(PatternEditor.SetBpm(Beat(), 101)))));
            var b = client.SendAsync(Put(id, token, "\"v1\"", Json(PatternJson.WriteUtf8(PatternEditor.SetBpm(Beat(), 102)))));
            var results = await Task.WhenAll(a, b);
            var codes = results.Select(r => r.StatusCode).Order().ToArray();
            Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed }, codes);
            var winner = results[0].StatusCode == HttpStatusCode.OK ? 101 : 102;
            var get = await client.GetAsync($"/api/patterns/{id}");
            Assert.Equal("\"v2\"", get.Headers.ETag?.ToString());
            Assert.Equal(winner, PatternJson.Read(await get.Content.ReadAsByteArrayAsync()).Pattern!.Bpm);
        }
    }

    [Theory]
    [InlineData("{\"version\":1,\"tracks\":[{\"steps\":[{\"velocity\":140}]}]}", "tracks[0].steps[0].velocity")]
    [InlineData("{\"version\":9}", "version")]
    [InlineData("not json", "")]
    [InlineData("", "")]
    public async Task Invalid_patterns_are_refused_with_errors_by_path(string body, string path)
    {
        var response = await factory.CreateClient().PostAsync("/api/patterns", Json(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("path").GetString()!.StartsWith(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_content_types_and_oversized_bodies_are_refused()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync("/api/patterns", new StringContent("{}", Encoding.UTF8, "text/plain"))).StatusCode);
        var big = await client.PostAsync("/api/patterns", Json(new byte[PatternJson.MaxBytes + 1]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/patterns/none")).StatusCode);
    }

    [Fact]
    public async Task An_encrypted_share_is_stored_as_opaque_bytes_and_cannot_be_rendered()
    {
        var client = factory.CreateClient();
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = PatternJson.WriteUtf8(Beat());
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(key, 16)) aes.Encrypt(nonce, plain, cipher, tag);
        var body = new ByteArrayContent([.. nonce, .. cipher, .. tag]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var post = await client.PostAsync("/api/patterns", body);
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var get = await client.GetAsync($"/api/patterns/{id}");
        Assert.Equal("application/octet-stream", get.Content.Headers.ContentType?.MediaType);
        var stored = await get.Content.ReadAsByteArrayAsync();
        Assert.Equal([.. nonce, .. cipher, .. tag], stored);
        var decrypted = new byte[cipher.Length];
        using (var aes = new AesGcm(key, 16)) aes.Decrypt(stored[..12], stored[12..^16], stored[^16..], decrypted);
        Assert.Equal(Beat(), PatternJson.Read(decrypted).Pattern);
        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/patterns/{id}/render?format=wav")).StatusCode);
        var tooShort = new ByteArrayContent(new byte[10]);
        tooShort.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/patterns", tooShort)).StatusCode);
    }

    [Fact]
    public async Task The_server_renders_the_same_wav_as_the_offline_renderer_and_exports_midi()
    {
        var client = factory.CreateClient();
        var pattern = Beat();
        var (id, _) = await SaveAsync(client, pattern);
        var wav = await client.GetAsync($"/api/patterns/{id}/render?format=wav&cycles=2");
        Assert.Equal(HttpStatusCode.OK, wav.StatusCode);
        Assert.Equal("audio/wav", wav.Content.Headers.ContentType?.MediaType);
        var served = await wav.Content.ReadAsByteArrayAsync();
        var samples = pattern.Samples.ToDictionary(e => e.Key, e => KitSynthesizer.Render(e.Ref.Value, 44100));
        var expected = WavWriter.ToBytes(OfflineRenderer.Render(pattern, samples, new RenderOptions(44100, 2)), WavSampleFormat.Pcm16);
        Assert.Equal(expected, served);
        Assert.True(WavReader.Read(served).Duration >= 2 * pattern.CycleSeconds);

        var mid = await client.GetByteArrayAsync($"/api/patterns/{id}/render?format=mid&cycles=2");
        Assert.Equal("MThd"u8.ToArray(), mid[..4]);
        foreach (var bad in new[] { "format=mp3", "format=wav&cycles=0", "format=wav&cycles=17" })
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/patterns/{id}/render?{bad}")).StatusCode);
    }

    [Fact]
    public async Task Rendering_uses_library_samples_and_reports_a_missing_one_with_code_1002()
    {
        var client = factory.CreateClient();
        var gen = await client.PostAsync("/api/generations", GenerationsApiTests.Body("""{"prompt":"metallic cowbell","durationSeconds":0.5}"""));
        var g = await GenerationsApiTests.WaitFinishedAsync(client, (await gen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        var sampleId = g.GetProperty("sampleId").GetString()!;
        var beat = Beat();
        beat = beat with { Master = beat.Master with { Compressor = beat.Master.Compressor with { Enabled = false } } };
        var pattern = PatternEditor.WithSample(beat, SampleRef.Generated(sampleId, "cowbell"), out var key);
        pattern = PatternEditor.SetStepSample(pattern, 0, 0, key);
        var (id, _) = await SaveAsync(client, pattern);
        var wav = await client.GetAsync($"/api/patterns/{id}/render");
        Assert.Equal(HttpStatusCode.OK, wav.StatusCode);
        var audio = WavReader.Read(await wav.Content.ReadAsByteArrayAsync());
        var sample = WavReader.Read(await client.GetByteArrayAsync($"/api/samples/{sampleId}/audio"));
        // Step 0 plays the generated sample alone at the start (velocity, volume and pan applied): same shape.
        var r = Correlation(audio.Channel(0)[..2000], sample.Channel(0)[..2000]);
        Assert.True(r > 0.99, $"correlation {r}");

        var missing = PatternEditor.WithSample(Beat(), SampleRef.Generated("deadbeef", "gone"), out var k2);
        var (id2, _) = await SaveAsync(client, PatternEditor.SetStepSample(missing, 0, 0, k2));
        var response = await client.GetAsync($"/api/patterns/{id2}/render");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(1002, await GenerationsApiTests.CodeOf(response));
    }

    private static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return ab / Math.Sqrt(aa * bb);
    }

    [Fact]
    public async Task Mutated_pattern_bodies_never_cause_a_server_error()
    {
        var client = factory.CreateClient();
        var seed = PatternJson.WriteUtf8(Beat());
        var random = new Random(11);
        for (var i = 0; i < 200; i++)
        {
            var bytes = seed.ToArray();
            for (var m = 0; m < 1 + random.Next(6); m++) bytes[random.Next(bytes.Length)] = (byte)"{}[]\":,0-9.aez \u00ff"[random.Next(16)];
            var response = await client.PostAsync("/api/patterns", Json(bytes));
            Assert.True((int)response.StatusCode < 500, $"{response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                Assert.True((int)(await client.GetAsync($"/api/patterns/{id}/render?format=mid")).StatusCode < 500);
            }
        }
    }
}
