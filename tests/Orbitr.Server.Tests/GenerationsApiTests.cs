using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orbitr.Dsp.Wav;
using Orbitr.Tests.Waiting;

namespace Orbitr.Server.Tests;

public class GenerationsApiTests(OrbitrFactory factory) : IClassFixture<OrbitrFactory>
{
    internal static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    internal static async Task<int> CodeOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("code").GetInt32();
    }

    internal static Task<JsonElement> WaitForAsync(HttpClient client, string id, Func<JsonElement, bool> done, double seconds = 30) =>
        Eventually.ValueAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/generations/{id}"), done,
            TimeSpan.FromSeconds(seconds), $"generation {id} to reach the awaited state");

    internal static Task<JsonElement> WaitFinishedAsync(HttpClient client, string id) =>
        WaitForAsync(client, id, g => g.GetProperty("status").GetString() is "succeeded" or "failed" or "canceled");

    [Fact]
    public async Task A_prompt_is_queued_generated_stored_as_a_sample_and_then_answered_from_the_cache()
    {
        var client = factory.CreateClient();
        var post = await client.PostAsync("/api/generations", Body("""{"prompt":"dusty lo-fi kick","durationSeconds":1.5,"quality":"hq","seed":7}"""));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var queued = await post.Content.ReadFromJsonAsync<JsonElement>();
        var id = queued.GetProperty("id").GetString()!;
        Assert.Equal($"/api/generations/{id}", post.Headers.Location?.OriginalString);
        Assert.Contains(queued.GetProperty("status").GetString(), new[] { "queued", "running", "succeeded" });
        Assert.False(queued.GetProperty("cached").GetBoolean());

        var done = await WaitFinishedAsync(client, id);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(1.0, done.GetProperty("progress").GetDouble());
        var sampleId = done.GetProperty("sampleId").GetString()!;
        var sample = await client.GetFromJsonAsync<JsonElement>($"/api/samples/{sampleId}");
        Assert.Equal("dusty lo-fi kick", sample.GetProperty("prompt").GetString());
        Assert.Equal("synth", sample.GetProperty("engine").GetString());
        Assert.Equal(1.5, sample.GetProperty("durationSeconds").GetDouble(), 2);
        Assert.Equal(200, sample.GetProperty("peaks").GetArrayLength());
        var audio = WavReader.Read(await client.GetByteArrayAsync($"/api/samples/{sampleId}/audio"));
        Assert.Equal(44100, audio.SampleRate);
        Assert.True(audio.Peak() > 0.1);

        // Identical request (case and spacing do not matter): 200 at once, same sample, no new job.
        var again = await client.PostAsync("/api/generations", Body("""{"prompt":"  Dusty   LO-FI kick ","durationSeconds":1.5,"quality":"hq","seed":7}"""));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var hit = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(hit.GetProperty("cached").GetBoolean());
        Assert.Equal(sampleId, hit.GetProperty("sampleId").GetString());

        // Anything in the key changes it: seed, duration, quality.
        foreach (var variant in new[]
                 {
                     """{"prompt":"dusty lo-fi kick","durationSeconds":1.5,"quality":"hq","seed":8}""",
                     """{"prompt":"dusty lo-fi kick","durationSeconds":1.0,"quality":"hq","seed":7}""",
                     """{"prompt":"dusty lo-fi kick","durationSeconds":1.5,"quality":"draft","seed":7}""",
                 })
        {
            var other = await client.PostAsync("/api/generations", Body(variant));
            Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
            var o = await WaitFinishedAsync(client, (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            Assert.NotEqual(sampleId, o.GetProperty("sampleId").GetString());
        }

        // A deleted sample is no longer a cache hit: the request generates again.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/samples/{sampleId}")).StatusCode);
        var regenerated = await client.PostAsync("/api/generations", Body("""{"prompt":"dusty lo-fi kick","durationSeconds":1.5,"quality":"hq","seed":7}"""));
        Assert.Equal(HttpStatusCode.Accepted, regenerated.StatusCode);
    }

    [Fact]
    public async Task A_synth_job_says_which_words_it_understood_and_which_it_has_no_sound_for()
    {
        var client = factory.CreateClient();
        var post = await client.PostAsync("/api/generations", Body("""{"prompt":"Dusty kick with a cat meowing","durationSeconds":0.5,"seed":11}"""));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var queued = await post.Content.ReadFromJsonAsync<JsonElement>();
        var reading = queued.GetProperty("reading");
        Assert.Equal(["dusty", "kick"], reading.GetProperty("understood").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(["cat", "meowing"], reading.GetProperty("ignored").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal("kick", reading.GetProperty("sound").GetString());

        // The finished job (and a cache hit for it) says the same, through the shared contract.
        var done = await WaitFinishedAsync(client, queued.GetProperty("id").GetString()!);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var again = await client.PostAsync("/api/generations", Body("""{"prompt":"Dusty kick with a cat meowing","durationSeconds":0.5,"seed":11}"""));
        var hit = await again.Content.ReadFromJsonAsync(Orbitr.Contracts.OrbitrJsonContext.Default.GenerationDto);
        Assert.True(hit!.Cached);
        Assert.Equal(new Orbitr.Contracts.PromptReadingDto(["dusty", "kick"], ["cat", "meowing"], "kick"), hit.Reading);
        Assert.Equal("has no sound for \"cat\", \"meowing\"", hit.Reading!.Lacking);

        // Nothing it has a sound for: a generic tone, and no kind named.
        var generic = await (await client.PostAsync("/api/generations", Body("""{"prompt":"a cat meowing","engine":"synth","durationSeconds":0.5}""")))
            .Content.ReadFromJsonAsync(Orbitr.Contracts.OrbitrJsonContext.Default.GenerationDto);
        Assert.Equal(new Orbitr.Contracts.PromptReadingDto([], ["cat", "meowing"], null), generic!.Reading);
        Assert.Equal("it made a generic tone", generic.Reading!.Outcome);
    }

    [Fact]
    public void Only_synth_jobs_carry_a_reading()
    {
        var record = new Orbitr.Server.Generation.GenerationRecord
        {
            Id = "g1", CacheKey = "k", Prompt = "glass bell, long rain", Engine = "synth", ModelVersion = "synth-1", Quality = "draft", ClientId = "c",
        };
        var synth = Orbitr.Server.Generation.GenerationService.ToDto(record, 0);
        Assert.Equal(["glass", "bell", "long"], synth.Reading!.Understood);
        Assert.Equal(["rain"], synth.Reading.Ignored);
        // Read afresh each time yet equal: the event stream sends a job only when it changed.
        Assert.Equal(synth, Orbitr.Server.Generation.GenerationService.ToDto(record, 0));
        record.Engine = "musicgen";
        var musicGen = Orbitr.Server.Generation.GenerationService.ToDto(record, 0);
        Assert.Null(musicGen.Reading);
        Assert.DoesNotContain("reading", JsonSerializer.Serialize(musicGen, Orbitr.Contracts.OrbitrJsonContext.Default.GenerationDto));
    }

    [Fact]
    public async Task Server_sent_events_of_a_waiting_synth_job_are_not_repeated()
    {
        var engine = new GatedEngine();
        await using var server = new ConfiguredOrbitrFactory(null, engine);
        var client = server.CreateClient();
        var post = await client.PostAsync("/api/generations", Body("""{"prompt":"rain on a tin roof"}"""));
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var response = await client.GetAsync($"/api/generations/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        Task? opening = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            events.Add(line[6..]);
            // Held for several of the stream's 500 ms re-reads: an unchanged job must not be sent again.
            if (opening is null && line.Contains("\"running\"", StringComparison.Ordinal))
                opening = Task.Delay(1600).ContinueWith(_ => engine.Open(), TaskScheduler.Default);
        }
        await opening!;
        Assert.Equal(events.Distinct(), events);
        var last = JsonDocument.Parse(events[^1]).RootElement;
        Assert.Equal("succeeded", last.GetProperty("status").GetString());
        Assert.Equal(["tin"], last.GetProperty("reading").GetProperty("understood").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(["rain", "roof"], last.GetProperty("reading").GetProperty("ignored").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task Engines_lists_the_synth_with_its_limits()
    {
        var engines = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/engines");
        var synth = Assert.Single(engines.EnumerateArray());
        Assert.Equal("synth", synth.GetProperty("name").GetString());
        Assert.Equal(10, synth.GetProperty("maxDurationSeconds").GetDouble());
    }

    [Theory]
    [InlineData("""{"prompt":""}""", "empty")]
    [InlineData("""{"prompt":"   "}""", "empty")]
    [InlineData("""{}""", "empty")]
    [InlineData("""{"prompt":"kick\u0007"}""", "control character")]
    [InlineData("""{"prompt":"a\nb"}""", "control character")]
    [InlineData("""{"prompt":42}""", "string")]
    [InlineData("""{"prompt":"kick","durationSeconds":0}""", "durationSeconds")]
    [InlineData("""{"prompt":"kick","durationSeconds":10.5}""", "durationSeconds")]
    [InlineData("""{"prompt":"kick","durationSeconds":"2"}""", "durationSeconds")]
    [InlineData("""{"prompt":"kick","quality":"ultra"}""", "quality")]
    [InlineData("""{"prompt":"kick","seed":-1}""", "seed")]
    [InlineData("""{"prompt":"kick","seed":4294967296}""", "seed")]
    [InlineData("""{"prompt":"kick","seed":1.5}""", "seed")]
    [InlineData("""{"prompt":"kick","engine":"magic"}""", "engine")]
    [InlineData("""{"prompt":"kick","colour":"red"}""", "unknown field")]
    [InlineData("""[1,2]""", "object")]
    public async Task Invalid_requests_get_code_2002_with_the_reason(string json, string reason)
    {
        var response = await factory.CreateClient().PostAsync("/api/generations", Body(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2002, await CodeOf(response));
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_prompt_over_200_characters_and_a_non_json_body_are_refused()
    {
        var client = factory.CreateClient();
        var tooLong = await client.PostAsync("/api/generations", Body(JsonSerializer.Serialize(new { prompt = new string('k', 201) })));
        Assert.Equal(2002, await CodeOf(tooLong));
        Assert.Contains("201 characters", await tooLong.Content.ReadAsStringAsync());
        var exactly200 = await client.PostAsync("/api/generations", Body(JsonSerializer.Serialize(new { prompt = "kick " + new string('x', 195) })));
        Assert.True(exactly200.IsSuccessStatusCode);
        var form = await client.PostAsync("/api/generations", new StringContent("prompt=kick", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(3006, await CodeOf(form));
        var huge = await client.PostAsync("/api/generations", Body("{\"prompt\":\"" + new string('a', 20_000) + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(3004, await CodeOf(huge));
    }

    [Fact]
    public async Task Unknown_generations_are_404_problems()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/generations/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/generations/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/generations/nope/events")).StatusCode);
    }

    [Fact]
    public async Task Mutated_request_bodies_never_cause_a_server_error()
    {
        var client = factory.CreateClient();
        var seeds = new[]
        {
            """{"prompt":"glass bell, long tail","engine":"auto","durationSeconds":2,"quality":"draft","seed":1}""",
            """{"prompt":"808 sub C minor","durationSeconds":0.5}""",
        };
        var random = new Random(6);
        const string alphabet = "{}[]\":,0123456789.-eE \\u\u0000\u00e9\ud83d\ude00abcnulltruefalse";
        for (var i = 0; i < 300; i++)
        {
            var chars = seeds[i % seeds.Length].ToCharArray().ToList();
            for (var m = 0; m < 1 + random.Next(4); m++)
            {
                var at = random.Next(chars.Count + 1);
                switch (random.Next(3))
                {
                    case 0 when chars.Count > 0 && at < chars.Count: chars.RemoveAt(at); break;
                    case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: if (at < chars.Count) chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }
            var response = await client.PostAsync("/api/generations", Body(new string(chars.ToArray())));
            Assert.True((int)response.StatusCode < 500, $"{response.StatusCode} for {new string(chars.ToArray())}");
            if (!response.IsSuccessStatusCode) Assert.Contains(await CodeOf(response), new[] { 2002, 3005 }); // a wrong field, or not JSON
        }
    }
}
