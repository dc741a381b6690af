using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Wav;
using Orbitr.Synthesis.Kit;

namespace Orbitr.Server.Tests;

/// <summary>/api/songs (issue 25): a saved song bundle renders on the server exactly as Orbitr.Dsp renders the song
/// (and as MIDI); bad songs get problem details with their paths; songs and patterns never answer for each other.</summary>
public class SongsApiTests(OrbitrFactory factory) : IClassFixture<OrbitrFactory>
{
    private static Song Bundle(double secondBpm = 93)
    {
        var a = PatternFactory.Create(4, seed: 3, name: "Verse");
        foreach (var s in new[] { 0, 4, 8, 12 }) a = PatternEditor.ToggleStep(a, 0, s);
        var b = PatternEditor.SetLength(PatternFactory.Create(4, seed: 4, name: "Fill") with { Bpm = secondBpm }, 12);
        foreach (var s in new[] { 0, 3, 6, 9, 11 }) b = PatternEditor.ToggleStep(b, 1, s);
        return SongBundle.Pack(new Song("Server song", new EquatableArray<SongSection>([new("a", 2), new("b", 1), new("a", 1)])), r => r == "a" ? a : b, out _)!;
    }

    private static ByteArrayContent Json(string text, string type = "application/json")
    {
        var c = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        c.Headers.ContentType = new MediaTypeHeaderValue(type);
        return c;
    }

    private static async Task<string> SaveAsync(HttpClient client, Song song)
    {
        var response = await client.PostAsync("/api/songs", Json(SongJson.Write(song)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task A_saved_song_reads_back_and_renders_as_the_offline_renderer_renders_it()
    {
        var client = factory.CreateClient();
        var song = Bundle();
        var id = await SaveAsync(client, song);
        Assert.Equal(song, SongJson.Read(await client.GetByteArrayAsync($"/api/songs/{id}")).Song);

        var wav = await client.GetAsync($"/api/songs/{id}/render?format=wav");
        Assert.Equal(HttpStatusCode.OK, wav.StatusCode);
        Assert.Equal("audio/wav", wav.Content.Headers.ContentType?.MediaType);
        var parts = SongBundle.Parts(song)!;
        var samples = parts.Select(p => (IReadOnlyDictionary<string, AudioBuffer>)p.Pattern.Samples.ToDictionary(e => e.Key, e => KitSynthesizer.Render(e.Ref.Value, 44100))).ToList();
        using var local = new MemoryStream();
        var writer = new WavStreamWriter(local, 44100, WavSampleFormat.Pcm16);
        OfflineRenderer.Render(parts, samples, new RenderOptions(44100, 1), writer, CancellationToken.None);
        writer.Complete();
        var expected = local.ToArray();
        Assert.Equal(expected, await wav.Content.ReadAsByteArrayAsync());
        Assert.True(WavReader.Read(expected).Duration >= SongTimeline.TotalSeconds(parts));

        var mid = await client.GetByteArrayAsync($"/api/songs/{id}/render?format=mid");
        using var ms = new MemoryStream();
        Core.Midi.MidiExport.WriteSong(parts, song.Name, ms);
        Assert.Equal(ms.ToArray(), mid);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/songs/{id}/render?format=mp3")).StatusCode);
    }

    [Fact]
    public async Task Songs_and_patterns_never_answer_for_each_other()
    {
        var client = factory.CreateClient();
        var songId = await SaveAsync(client, Bundle());
        var post = await client.PostAsync("/api/patterns", Json(PatternJson.Write(PatternFactory.Create(4, seed: 1))));
        var patternId = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (var url in new[] { $"/api/patterns/{songId}", $"/api/patterns/{songId}/render", $"/api/songs/{patternId}", $"/api/songs/{patternId}/render", "/api/songs/nope" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        // Nor does a pattern's PUT overwrite a song.
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/patterns/{songId}") { Content = Json(PatternJson.Write(PatternFactory.Create(4, seed: 2))) };
        put.Headers.TryAddWithoutValidation("If-Match", "*");
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(put)).StatusCode);
        Assert.NotNull(SongJson.Read(await client.GetByteArrayAsync($"/api/songs/{songId}")).Song);
    }

    [Fact]
    public async Task Bad_songs_are_refused_with_their_paths_and_nothing_is_kept()
    {
        var client = factory.CreateClient();
        async Task<JsonElement> Refused(HttpContent body, HttpStatusCode status)
        {
            var response = await client.PostAsync("/api/songs", body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        var invalid = await Refused(Json("""{ "format": "orbitr.song", "version": 1, "sections": [ { "pattern": "bundle:x", "repeat": 99 } ] }"""), HttpStatusCode.BadRequest);
        Assert.Equal(Orbitr.Core.Errors.ErrorCode.InvalidPattern, invalid.GetProperty("code").GetInt32());
        var paths = invalid.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        Assert.Contains("sections[0].repeat", paths);
        Assert.Contains("sections[0].pattern", paths);
        // A song naming files can't be rendered here: its patterns must be inside.
        var files = await Refused(Json(SongJson.Write(SongEditor.Create("Files", "file:verse.json"))), HttpStatusCode.BadRequest);
        Assert.Equal("sections[0].pattern", files.GetProperty("errors")[0].GetProperty("path").GetString());
        await Refused(Json("not json"), HttpStatusCode.BadRequest);
        await Refused(Json(SongJson.Write(Bundle()), "text/plain"), HttpStatusCode.UnsupportedMediaType);
        await Refused(Json(new string(' ', Orbitr.Server.Apis.SongsApi.MaxBytes + 1)), HttpStatusCode.RequestEntityTooLarge);
        using var anonymous = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/songs", Json(SongJson.Write(Bundle())))).StatusCode);
    }

    [Fact]
    public async Task A_song_longer_than_a_server_render_is_refused_before_rendering()
    {
        var client = factory.CreateClient();
        var slow = Bundle(secondBpm: 40); // 12 steps at 40 BPM: 4.5 s a cycle, 576 s in all
        slow = slow with { Sections = new EquatableArray<SongSection>(Enumerable.Repeat(new SongSection(slow.Sections[1].Pattern, 64), 2)) };
        var id = await SaveAsync(client, slow);
        var response = await client.GetAsync($"/api/songs/{id}/render");
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("seconds", problem.GetProperty("limit").GetString());
    }
}
