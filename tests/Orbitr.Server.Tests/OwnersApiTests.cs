using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;
using Orbitr.Tests.Waiting;

namespace Orbitr.Server.Tests;

/// <summary>Owners: each person's samples and patterns are theirs. Two owners against every endpoint that stores or
/// lists something.</summary>
public class OwnersApiTests(OrbitrFactory factory) : IClassFixture<OrbitrFactory>
{
    private static MultipartFormDataContent Upload(int frames = 4410, string name = "hit.wav")
    {
        var data = new float[frames];
        for (var i = 0; i < frames; i++) data[i] = (float)Math.Sin(i * 0.05) * 0.5f;
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(WavWriter.ToBytes(new AudioBuffer([data], 44100), WavSampleFormat.Pcm16));
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", name);
        return form;
    }

    private static async Task<string> UploadAsync(HttpClient client, int frames = 4410)
    {
        var response = await client.PostAsync("/api/samples", Upload(frames));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> LibraryAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/samples?pageSize=100")).GetProperty("items").EnumerateArray()
        .Select(s => s.GetProperty("id").GetString()!).ToList();

    private static async Task<int> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32();

    [Fact]
    public async Task An_owner_is_a_long_random_url_safe_token_and_only_its_hash_is_stored()
    {
        var anonymous = factory.CreateAnonymousClient();
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await anonymous.PostAsync("/api/owners", null);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            tokens.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
        }
        Assert.Equal(3, tokens.Distinct().Count());
        Assert.All(tokens, t =>
        {
            Assert.Matches("^[A-Za-z0-9_-]+$", t);
            Assert.True(t.Length * 6 >= 128, $"{t.Length} characters");
        });
        // Look in the database itself: no token in the clear, only hashes (the SQLite file's bytes; with PostgreSQL,
        // every stored owner row).
        string text;
        if (File.Exists(Path.Combine(factory.DataPath, "orbitr.db")))
        {
            SqliteConnection.ClearAllPools();
            text = Encoding.ASCII.GetString(await File.ReadAllBytesAsync(Path.Combine(factory.DataPath, "orbitr.db")));
            var wal = Path.Combine(factory.DataPath, "orbitr.db-wal");
            if (File.Exists(wal)) text += Encoding.ASCII.GetString(await File.ReadAllBytesAsync(wal));
        }
        else
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var owners = await scope.ServiceProvider.GetRequiredService<Orbitr.Server.Storage.OrbitrDbContext>().Owners.AsNoTracking().ToListAsync();
            Assert.NotEmpty(owners);
            text = string.Join("\n", owners.Select(o => System.Text.Json.JsonSerializer.Serialize(o)));
        }
        Assert.All(tokens, t => Assert.DoesNotContain(t, text));
    }

    [Fact]
    public async Task Writes_without_an_owner_get_401_saying_how_to_get_one()
    {
        var anonymous = factory.CreateAnonymousClient();
        var json = new StringContent("""{"prompt":"kick"}""", Encoding.UTF8, "application/json");
        var pattern = new ByteArrayContent(PatternJson.WriteUtf8(PatternFactory.Create(4, 1)));
        pattern.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var response in new[]
        {
            await anonymous.PostAsync("/api/generations", json),
            await anonymous.PostAsync("/api/samples", Upload()),
            await anonymous.PostAsync("/api/patterns", pattern),
            await anonymous.DeleteAsync("/api/samples/whatever"),
            await anonymous.DeleteAsync("/api/generations/whatever"),
            await anonymous.GetAsync("/api/samples"),
            await anonymous.GetAsync("/api/owners/me"),
            await anonymous.DeleteAsync("/api/owners/me"),
        })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("POST /api/owners", problem.GetProperty("detail").GetString());
            Assert.Equal(4006, problem.GetProperty("code").GetInt32());
        }
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer \u00e9\u00e9")]
    [InlineData("bearer x y z")]
    public async Task Unknown_or_malformed_authorization_gets_401_never_500(string header)
    {
        var client = factory.CreateAnonymousClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/samples");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Fuzzed_authorization_headers_never_cause_a_server_error()
    {
        var client = factory.CreateAnonymousClient();
        var rng = new Random(12);
        for (var i = 0; i < 200; i++)
        {
            var chars = new char[rng.Next(0, 300)];
            for (var c = 0; c < chars.Length; c++) chars[c] = (char)rng.Next(0x20, 0x7f);
            var value = (rng.Next(2) == 0 ? "Bearer " : "") + new string(chars);
            var request = new HttpRequestMessage(rng.Next(2) == 0 ? HttpMethod.Get : HttpMethod.Delete, rng.Next(2) == 0 ? "/api/samples" : "/api/owners/me");
            request.Headers.TryAddWithoutValidation("Authorization", value);
            var response = await client.SendAsync(request);
            Assert.True((int)response.StatusCode < 500, $"{value}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Each_owner_lists_and_deletes_only_its_own_samples()
    {
        var alice = factory.CreateClient();
        var bob = factory.CreateClient();
        var a = await UploadAsync(alice);
        var b = await UploadAsync(bob);
        Assert.Equal([a], await LibraryAsync(alice));
        Assert.Equal([b], await LibraryAsync(bob));
        // Bob cannot delete Alice's sample, nor learn that it exists: the same 404 as for nothing at all.
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/api/samples/{a}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync("/api/samples/no-such-sample")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/samples/{a}/audio")).StatusCode);
        // Anyone who knows an id can read it (shared patterns need that).
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync($"/api/samples/{a}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/samples/{a}")).StatusCode);
        Assert.Empty(await LibraryAsync(alice));
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/samples/{a}")).StatusCode); // nobody kept it: gone
    }

    [Fact]
    public async Task A_cache_hit_puts_the_earlier_sample_in_the_callers_library_and_the_audio_stays_until_the_last_owner_lets_go()
    {
        var alice = factory.CreateClient();
        var bob = factory.CreateClient();
        var body = """{"prompt":"shared glass bell","durationSeconds":0.5,"seed":77}""";
        var first = await alice.PostAsync("/api/generations", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var sample = (await GenerationsApiTests.WaitForAsync(alice, id, g => g.GetProperty("status").GetString() == "succeeded", 10))
            .GetProperty("sampleId").GetString();
        Assert.NotNull(sample);
        var hit = await bob.PostAsync("/api/generations", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal(sample, (await hit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sampleId").GetString());
        Assert.Equal([sample], await LibraryAsync(alice));
        Assert.Equal([sample], await LibraryAsync(bob));

        // Both delete at once: the audio survives until the last one lets go, then it is gone.
        var deletes = await Task.WhenAll(alice.DeleteAsync($"/api/samples/{sample}"), bob.DeleteAsync($"/api/samples/{sample}"));
        Assert.All(deletes, d => Assert.Equal(HttpStatusCode.NoContent, d.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/samples/{sample}/audio")).StatusCode);
    }

    [Fact]
    public async Task A_saved_pattern_keeps_the_audio_it_plays_after_its_owner_deletes_the_sample()
    {
        var alice = factory.CreateClient();
        var sample = await UploadAsync(alice);
        var p = PatternFactory.Create(4, 1);
        p = p with { Samples = p.Samples.Add(new SampleEntry("mine", SampleRef.Generated(sample))) };
        p = PatternEditor.SetTrackSample(PatternEditor.ToggleStep(p, 0, 0), 0, "mine");
        var content = new ByteArrayContent(PatternJson.WriteUtf8(p));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync("/api/patterns", content)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/samples/{sample}")).StatusCode);
        Assert.Empty(await LibraryAsync(alice));
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/samples/{sample}/audio")).StatusCode);
    }

    [Fact]
    public async Task Patterns_are_updated_by_their_owner_or_edit_token_and_refused_to_another_owner()
    {
        var alice = factory.CreateClient();
        var bob = factory.CreateClient();
        var content = new ByteArrayContent(PatternJson.WriteUtf8(PatternFactory.Create(4, 1)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var saved = await (await alice.PostAsync("/api/patterns", content)).Content.ReadFromJsonAsync<JsonElement>();
        var id = saved.GetProperty("id").GetString()!;
        var editToken = saved.GetProperty("editToken").GetString()!;

        HttpRequestMessage Put(string version, string? token = null)
        {
            var body = new ByteArrayContent(PatternJson.WriteUtf8(PatternEditor.SetBpm(PatternFactory.Create(4, 1), 90)));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var request = new HttpRequestMessage(HttpMethod.Put, $"/api/patterns/{id}") { Content = body };
            request.Headers.TryAddWithoutValidation("If-Match", version);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.SendAsync(Put("\"v1\""))).StatusCode);       // another owner
        Assert.Equal(HttpStatusCode.OK, (await alice.SendAsync(Put("\"v1\""))).StatusCode);           // its owner
        Assert.Equal(HttpStatusCode.OK, (await bob.SendAsync(Put("\"v2\"", editToken))).StatusCode);  // the edit token
    }

    [Fact]
    public async Task Usage_counts_samples_patterns_and_bytes_against_the_quota()
    {
        var alice = factory.CreateClient();
        await UploadAsync(alice, 44100);
        var json = PatternJson.WriteUtf8(PatternFactory.Create(4, 1));
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await alice.PostAsync("/api/patterns", content);
        var usage = await alice.GetFromJsonAsync<JsonElement>("/api/owners/me");
        Assert.Equal(1, usage.GetProperty("samples").GetInt32());
        Assert.Equal(1, usage.GetProperty("patterns").GetInt32());
        // The audio and the saved pattern (stored in canonical form: what Core writes).
        Assert.Equal(44 + 44100 * 2 + json.Length, usage.GetProperty("bytes").GetInt64());
        Assert.Equal(200_000_000, usage.GetProperty("quotaBytes").GetInt64());
    }

    [Fact]
    public async Task Deleting_an_owner_removes_what_it_stored_keeps_what_others_keep_and_ends_its_token()
    {
        var alice = factory.CreateClient();
        var bob = factory.CreateClient();
        var own = await UploadAsync(alice);
        var body = """{"prompt":"owner deletion shared kick","durationSeconds":0.3,"seed":5}""";
        var first = await alice.PostAsync("/api/generations", new StringContent(body, Encoding.UTF8, "application/json"));
        var gid = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var shared = (await GenerationsApiTests.WaitForAsync(alice, gid, g => g.GetProperty("status").GetString() == "succeeded", 10))
            .GetProperty("sampleId").GetString();
        Assert.NotNull(shared);
        await bob.PostAsync("/api/generations", new StringContent(body, Encoding.UTF8, "application/json")); // cache hit → Bob's too
        var content = new ByteArrayContent(PatternJson.WriteUtf8(PatternFactory.Create(4, 1)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var pattern = (await (await alice.PostAsync("/api/patterns", content)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/api/owners/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/samples")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/owners/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/samples/{own}")).StatusCode);    // nobody else kept it
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/patterns/{pattern}")).StatusCode);
        Assert.Equal([shared], await LibraryAsync(bob));                                                  // Bob keeps his
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync($"/api/samples/{shared}/audio")).StatusCode);
    }

    [Fact]
    public async Task A_job_whose_owner_is_deleted_while_it_runs_stores_nothing_and_nothing_breaks()
    {
        var engine = new GatedEngine();
        await using var server = new ConfiguredOrbitrFactory(null, engine);
        var client = server.CreateClient();
        var post = await client.PostAsync("/api/generations", new StringContent("""{"prompt":"orphan pad"}""", Encoding.UTF8, "application/json"));
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var reader = server.CreateClient();
        await Eventually.TrueAsync(() => engine.Started > 0, TimeSpan.FromSeconds(10), "the engine to start the job");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/owners/me")).StatusCode);
        engine.Open();
        var g = await GenerationsApiTests.WaitFinishedAsync(reader, id);
        Assert.Equal("canceled", g.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, g.GetProperty("sampleId").ValueKind);
        SqliteConnection.ClearAllPools();
        Assert.Empty(Directory.Exists(Path.Combine(server.DataPath, "blobs", "samples"))
            ? Directory.GetFiles(Path.Combine(server.DataPath, "blobs", "samples"), "*", SearchOption.AllDirectories) : []);
        // The server goes on: another owner generates as usual.
        var other = server.CreateClient();
        var next = await other.PostAsync("/api/generations", new StringContent("""{"prompt":"after the orphan"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
    }

    [Fact]
    public async Task Uploads_and_generations_past_the_storage_quota_get_413_with_code_4001()
    {
        // 0.2 MB: two 1 s uploads (88,244 bytes each) fit, a third does not.
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Limits:StorageMegabytesPerOwner"] = "0.2" });
        var client = server.CreateClient();
        await UploadAsync(client, 44100);
        await UploadAsync(client, 44100);
        var third = await client.PostAsync("/api/samples", Upload(44100));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, third.StatusCode);
        Assert.Equal(4001, await CodeOf(third));
        var generation = await client.PostAsync("/api/generations", new StringContent("""{"prompt":"quota kick","durationSeconds":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, generation.StatusCode);
        Assert.Equal(4001, await CodeOf(generation));
        Assert.Equal(2, (await LibraryAsync(client)).Count);
        // Another owner has a quota of its own.
        await UploadAsync(server.CreateClient(), 44100);
    }

    private static ByteArrayContent PatternPlaying(string sampleId)
    {
        var p = PatternEditor.WithSample(PatternFactory.Create(4, 1), SampleRef.Generated(sampleId, "kept"), out var key);
        p = PatternEditor.SetStepSample(PatternEditor.SetStepActive(p, 0, 0, true), 0, 0, key);
        var content = new ByteArrayContent(PatternJson.WriteUtf8(p));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<long> BytesAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/owners/me")).GetProperty("bytes").GetInt64();

    [Fact]
    public async Task A_sound_kept_alive_by_a_saved_pattern_counts_against_its_owner_after_it_leaves_the_library()
    {
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Limits:StorageMegabytesPerOwner"] = "0.2" });
        var client = server.CreateClient();
        var id = await UploadAsync(client, 44100);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/patterns", PatternPlaying(id))).StatusCode);
        var withPattern = await BytesAsync(client);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/samples/{id}")).StatusCode);
        // The audio stays (the pattern plays it), and so does its weight in this owner's usage.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/samples/{id}/audio")).StatusCode);
        Assert.Equal(withPattern, await BytesAsync(client));
        Assert.True(withPattern > 44 + 44100 * 2);
        // So one more 1 s upload fits in 0.2 MB, a second does not.
        await UploadAsync(client, 44100);
        var over = await client.PostAsync("/api/samples", Upload(44100));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Equal(4001, await CodeOf(over));
        // A pattern save that would keep more alive than fits is refused too.
        var other = await UploadAsync(server.CreateClient(), 44100);
        var tooMuch = await client.PostAsync("/api/patterns", PatternPlaying(other));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMuch.StatusCode);
        Assert.Equal(4001, await CodeOf(tooMuch));
    }

    [Fact]
    public async Task Concurrent_uploads_never_store_past_the_quota()
    {
        // 0.2 MB holds two 1 s uploads (88,244 bytes each); eight sent at once must store exactly two. Jobs are held at
        // the engine's gate, so each accepted generation keeps counting its expected size (a finished one would count
        // its real, shorter sound and let a later request in).
        var engine = new GatedEngine();
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?> { ["Orbitr:Limits:StorageMegabytesPerOwner"] = "0.2" }, engine);
        var client = server.CreateClient();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsync("/api/samples", Upload(44100))));
        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(6, answers.Count(a => a.StatusCode == HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(2, (await LibraryAsync(client)).Count);
        Assert.True(await BytesAsync(client) <= 200_000);
        // Generations are counted from the moment they are accepted: concurrent ones cannot pass the quota either.
        var fresh = server.CreateClient();
        var jobs = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            fresh.PostAsync("/api/generations", new StringContent($$"""{"prompt":"quota race {{i}}","durationSeconds":1}""", Encoding.UTF8, "application/json"))));
        Assert.Equal(2, jobs.Count(j => j.StatusCode == HttpStatusCode.Accepted));
        Assert.True(await BytesAsync(fresh) <= 200_000);
        engine.Open();
    }

    [Fact]
    public async Task Creating_owners_uploads_and_pattern_saves_are_rate_limited_with_code_3003()
    {
        await using var server = new ConfiguredOrbitrFactory(new Dictionary<string, string?>
        {
            ["Orbitr:Limits:OwnersPerHour"] = "3",
            ["Orbitr:Limits:UploadsPerMinute"] = "2",
            ["Orbitr:Limits:PatternSavesPerMinute"] = "2",
        });
        var anonymous = server.CreateAnonymousClient();
        var token = ConfiguredOrbitrFactory.NewOwnerToken(anonymous);
        ConfiguredOrbitrFactory.NewOwnerToken(anonymous);
        ConfiguredOrbitrFactory.NewOwnerToken(anonymous);
        var fourth = await anonymous.PostAsync("/api/owners", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        var ownersProblem = await fourth.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3003, ownersProblem.GetProperty("code").GetInt32());
        Assert.Contains("at most 3 new owners per hour", ownersProblem.GetProperty("detail").GetString());
        Assert.True(fourth.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await UploadAsync(anonymous);
        await UploadAsync(anonymous);
        var upload = await anonymous.PostAsync("/api/samples", Upload());
        Assert.Equal(HttpStatusCode.TooManyRequests, upload.StatusCode);
        var uploadProblem = await upload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3003, uploadProblem.GetProperty("code").GetInt32());
        Assert.Contains("at most 2 uploads per minute", uploadProblem.GetProperty("detail").GetString());
        for (var i = 0; i < 2; i++)
        {
            var c = new ByteArrayContent(PatternJson.WriteUtf8(PatternFactory.Create(4, 1)));
            c.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsync("/api/patterns", c)).StatusCode);
        }
        var last = new ByteArrayContent(PatternJson.WriteUtf8(PatternFactory.Create(4, 1)));
        last.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var save = await anonymous.PostAsync("/api/patterns", last);
        Assert.Equal(HttpStatusCode.TooManyRequests, save.StatusCode);
        Assert.Equal(3003, await CodeOf(save));
    }

    [Fact]
    public async Task No_owner_token_appears_in_the_logs()
    {
        await using var server = new ConfiguredOrbitrFactory(null);
        var anonymous = server.CreateAnonymousClient();
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var token = ConfiguredOrbitrFactory.NewOwnerToken(anonymous);
            tokens.Add(token);
            var client = server.CreateAnonymousClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            await UploadAsync(client);
            await client.GetAsync("/api/samples");
            await client.PostAsync("/api/generations", new StringContent("""{"prompt":"log check"}""", Encoding.UTF8, "application/json"));
            await client.DeleteAsync("/api/samples/nope");
            await client.DeleteAsync("/api/owners/me");
            await client.GetAsync("/api/owners/me"); // 401 for a deleted token
        }
        Assert.NotEmpty(server.Logs.Lines);
        Assert.All(server.Logs.Lines, line => Assert.All(tokens, t => Assert.DoesNotContain(t, line)));
    }
}
