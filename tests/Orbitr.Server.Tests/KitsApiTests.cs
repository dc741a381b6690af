using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orbitr.Dsp.Wav;
using Orbitr.Tests.Waiting;
using static Orbitr.Server.Tests.GenerationsApiTests;

namespace Orbitr.Server.Tests;

/// <summary>POST /api/kits: one prompt makes seven sounds (kick … bass) with one seed, through the generation queue,
/// followed as one kit; bad input is refused with the generation API's codes; a kit is its owner's alone.</summary>
public class KitsApiTests(OrbitrFactory factory) : IClassFixture<OrbitrFactory>
{
    private static readonly string[] Roles = ["kick", "snare", "closed-hat", "open-hat", "clap", "perc", "bass"];

    [Fact]
    public async Task A_kit_prompt_makes_seven_matched_sounds_in_the_owners_library()
    {
        var client = factory.CreateClient();
        var post = await client.PostAsync("/api/kits", Body("""{"prompt":"dusty boom bap","seed":42}"""));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var kit = await post.Content.ReadFromJsonAsync<JsonElement>();
        var id = kit.GetProperty("id").GetString()!;
        Assert.Equal($"/api/kits/{id}", post.Headers.Location?.OriginalString);
        Assert.Equal(Roles, kit.GetProperty("sounds").EnumerateArray().Select(s => s.GetProperty("role").GetString()!).ToArray());
        Assert.All(kit.GetProperty("sounds").EnumerateArray(), s =>
        {
            Assert.StartsWith("dusty boom bap ", s.GetProperty("prompt").GetString());
            Assert.Equal(42u, s.GetProperty("generation").GetProperty("seed").GetUInt32());
        });

        var done = await Eventually.ValueAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/kits/{id}"),
            k => k.GetProperty("status").GetString() is "succeeded" or "failed", TimeSpan.FromSeconds(60), $"kit {id} to finish");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(1.0, done.GetProperty("progress").GetDouble());
        var library = await client.GetFromJsonAsync<JsonElement>("/api/samples");
        var ids = library.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToHashSet();
        var peaks = new List<float>();
        foreach (var sound in done.GetProperty("sounds").EnumerateArray())
        {
            var sampleId = sound.GetProperty("generation").GetProperty("sampleId").GetString()!;
            Assert.Contains(sampleId, ids);
            var audio = WavReader.Read(await client.GetByteArrayAsync($"/api/samples/{sampleId}/audio"));
            peaks.Add(audio.Peak());
            Assert.True(audio.Peak() > 0.05, $"{sound.GetProperty("role")} is silent");
        }
        // Seven different sounds, not one sound seven times.
        Assert.Equal(7, done.GetProperty("sounds").EnumerateArray().Select(s => s.GetProperty("generation").GetProperty("sampleId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task A_kit_without_a_seed_still_has_one_seed_for_all_its_sounds()
    {
        var client = factory.CreateClient();
        var post = await client.PostAsync("/api/kits", Body("""{"prompt":"seedless kit"}"""));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var kit = await post.Content.ReadFromJsonAsync<JsonElement>();
        var seeds = kit.GetProperty("sounds").EnumerateArray().Select(s => s.GetProperty("generation").GetProperty("seed").GetUInt32()).Distinct().ToList();
        Assert.Equal([kit.GetProperty("seed").GetUInt32()], seeds);
    }

    [Theory]
    [InlineData("""{"prompt":""}""", 2002)]
    [InlineData("""{"prompt":"kit","engine":"theremin"}""", 2002)]
    [InlineData("""{"prompt":"kit","seed":-1}""", 2002)]
    [InlineData("""{"prompt":"kit","whatever":1}""", 2002)]
    public async Task Bad_kit_requests_are_refused_with_the_generation_codes(string body, int code)
    {
        var response = await factory.CreateClient().PostAsync("/api/kits", Body(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await CodeOf(response));
    }

    [Fact]
    public async Task A_prompt_too_long_once_a_roles_words_are_added_is_refused_before_anything_is_queued()
    {
        var response = await factory.CreateClient().PostAsync("/api/kits", Body($$"""{"prompt":"{{new string('a', Orbitr.Synthesis.Prompting.PromptReader.MaxLength - 3)}}"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(GenerationsApiCodes.InvalidPrompt, await CodeOf(response));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("words added", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Another_owner_cannot_see_a_kit_and_unknown_ids_are_not_found()
    {
        var mine = factory.CreateClient();
        var post = await mine.PostAsync("/api/kits", Body("""{"prompt":"industrial techno","seed":3}"""));
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync($"/api/kits/{id}")).StatusCode);
        var theirs = factory.CreateClient();
        var other = await theirs.GetAsync($"/api/kits/{id}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(404, (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        foreach (var bad in new[] { "k000", "../../etc/passwd", "kZZZZZZZZZZZZZZZZZZZZZZZZ", "g" + new string('0', 24) })
            Assert.Equal(HttpStatusCode.NotFound, (await mine.GetAsync($"/api/kits/{Uri.EscapeDataString(bad)}")).StatusCode);
    }
}

internal static class GenerationsApiCodes
{
    public const int InvalidPrompt = Orbitr.Core.Errors.ErrorCode.InvalidPrompt;
}
