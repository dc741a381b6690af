using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Server.Http;

namespace Orbitr.Server.Tests;

/// <summary>If-Match as RFC 9110 §13.1.1 says: <c>*</c>, a list, strong comparison, 412 on no match, 400 when
/// malformed, 428 when absent.</summary>
public class IfMatchTests(OrbitrFactory factory) : IClassFixture<OrbitrFactory>
{
    [Theory]
    [InlineData("*", "\"v3\"", true)]
    [InlineData(" * ", "\"v3\"", true)]
    [InlineData("\"v3\"", "\"v3\"", true)]
    [InlineData("\"v1\", \"v3\"", "\"v3\"", true)]
    [InlineData("\"v1\",\"v2\" ,\t\"v3\"", "\"v3\"", true)]
    [InlineData(", \"v3\",,", "\"v3\"", true)]
    [InlineData("\"a,b\", \"v3\"", "\"v3\"", true)]           // a comma may sit inside an opaque tag
    [InlineData("\"stale\"", "\"v3\"", false)]
    [InlineData("W/\"v3\"", "\"v3\"", false)]                  // weak tags never match strongly
    [InlineData("W/\"v3\", \"v4\"", "\"v3\"", false)]
    [InlineData("\"V3\"", "\"v3\"", false)]                    // octet-by-octet
    [InlineData("\"\"", "\"v3\"", false)]
    public void Well_formed_values_match_by_strong_comparison(string header, string current, bool matches)
    {
        Assert.Equal(IfMatch.Parse.Ok, IfMatch.TryParse(new StringValues(header), out var condition, out _));
        Assert.Equal(matches, condition!.Matches(current));
    }

    [Fact]
    public void Several_field_lines_are_one_list()
    {
        Assert.Equal(IfMatch.Parse.Ok, IfMatch.TryParse(new StringValues(["\"x\"", "\"v3\""]), out var condition, out _));
        Assert.True(condition!.Matches("\"v3\""));
    }

    [Theory]
    [InlineData("v3")]
    [InlineData("\"v3")]
    [InlineData("\"v3\" \"v4\"")]
    [InlineData("*, \"v3\"")]
    [InlineData("\"v3\", *")]
    [InlineData("W/v3")]
    [InlineData("\"v 3\"")]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("w/\"v3\"")]
    public void Malformed_values_are_refused(string header)
    {
        Assert.Equal(IfMatch.Parse.Malformed, IfMatch.TryParse(new StringValues(header), out _, out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Fact]
    public void No_field_is_absent() => Assert.Equal(IfMatch.Parse.Absent, IfMatch.TryParse(StringValues.Empty, out _, out _));

    private static ByteArrayContent Json(Pattern p)
    {
        var c = new ByteArrayContent(PatternJson.WriteUtf8(p));
        c.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return c;
    }

    private async Task<(HttpClient Client, string Id, string Token)> SavedAsync()
    {
        var client = factory.CreateClient();
        var post = await client.PostAsync("/api/patterns", Json(PatternFactory.Create(4, 1)));
        var saved = await post.Content.ReadFromJsonAsync<JsonElement>();
        return (client, saved.GetProperty("id").GetString()!, saved.GetProperty("editToken").GetString()!);
    }

    private static HttpRequestMessage Put(string id, string token, Pattern body, params string[] ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/patterns/{id}") { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var v in ifMatch) request.Headers.TryAddWithoutValidation("If-Match", v);
        return request;
    }

    [Theory]
    [InlineData("*")]
    [InlineData("\"v0\", \"v1\"")]
    [InlineData("\"v1\"")]
    public async Task A_matching_precondition_updates(string ifMatch)
    {
        var (client, id, token) = await SavedAsync();
        var response = await client.SendAsync(Put(id, token, PatternEditor.SetBpm(PatternFactory.Create(4, 1), 97), ifMatch));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"v2\"", response.Headers.ETag?.ToString());
        Assert.Equal(97, PatternJson.Read(await client.GetByteArrayAsync($"/api/patterns/{id}")).Pattern!.Bpm);
    }

    [Theory]
    [InlineData("\"stale\"")]
    [InlineData("W/\"v1\"")]
    [InlineData("\"v2\", \"v3\"")]
    public async Task A_well_formed_tag_that_is_not_current_gets_412_with_the_current_version(string ifMatch)
    {
        // Reported from outside: If-Match: "stale" was answered 428 "If-Match required".
        var (client, id, token) = await SavedAsync();
        var response = await client.SendAsync(Put(id, token, PatternEditor.SetBpm(PatternFactory.Create(4, 1), 97), ifMatch));
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("\"v1\"", response.Headers.ETag?.ToString());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, problem.GetProperty("version").GetInt32());
        Assert.Equal(120, PatternJson.Read(await client.GetByteArrayAsync($"/api/patterns/{id}")).Pattern!.Bpm);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("\"v1")]
    [InlineData("*, \"v1\"")]
    [InlineData("W/v1")]
    public async Task A_malformed_if_match_gets_400_and_changes_nothing(string ifMatch)
    {
        var (client, id, token) = await SavedAsync();
        var response = await client.SendAsync(Put(id, token, PatternEditor.SetBpm(PatternFactory.Create(4, 1), 97), ifMatch));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("If-Match", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(120, PatternJson.Read(await client.GetByteArrayAsync($"/api/patterns/{id}")).Pattern!.Bpm);
    }

    [Fact]
    public async Task Two_if_match_lines_are_read_as_one_list()
    {
        var (client, id, token) = await SavedAsync();
        var response = await client.SendAsync(Put(id, token, PatternFactory.Create(4, 1), "\"old\"", "\"v1\""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_absent_if_match_gets_428()
    {
        var (client, id, token) = await SavedAsync();
        var response = await client.SendAsync(Put(id, token, PatternFactory.Create(4, 1)));
        Assert.Equal((HttpStatusCode)428, response.StatusCode);
    }

    [Fact]
    public async Task Every_error_of_an_invalid_pattern_comes_back_in_one_400()
    {
        var json = """
            {"tempoo": 120, "bpm": 250, "length": 4, "samples": {"k": {"source": "builtin:kick"}},
             "tracks": [{"sample": "k", "length": 4, "steps": [{}, {}, {"velocity": 140}, {}]}, {"sample": "k", "length": 4, "pan": -3}]}
            """;
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await factory.CreateClient().PostAsync("/api/patterns", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["bpm", "tempoo", "tracks[0].steps[2].velocity", "tracks[1].pan"],
            problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!).Order());
    }
}
