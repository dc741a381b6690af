using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Errors;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;

namespace Orbitr.Server.Tests;

/// <summary>Every problem the server answers is problem details with an integer code from <see cref="ErrorCode"/>:
/// the APIs' own, the framework's (unknown routes, wrong methods, exceptions) and those of unreadable bodies.</summary>
public class ProblemCodesTests(ProblemCodesTests.Server factory) : IClassFixture<ProblemCodesTests.Server>
{
    public const string Secret = "secret-exception-text-0xC0FFEE";

    /// <summary>The default server plus one route that throws (with text that must never reach the client).</summary>
    public sealed class Server() : ConfiguredOrbitrFactory(null)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, ThrowingRoute>());
        }

        private sealed class ThrowingRoute : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                app.Use((HttpContext context, RequestDelegate inner) =>
                    context.Request.Path == "/api/test/throw" ? throw new InvalidOperationException(Secret) : inner(context));
            };
        }
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent RawJson(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>The problem's code, checking that the body is problem details.</summary>
    internal static async Task<int> ProblemCode(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{(int)response.StatusCode} {response.Content.Headers.ContentType}: {text}");
        using var doc = JsonDocument.Parse(text);
        var code = doc.RootElement.GetProperty("code");
        Assert.Equal(JsonValueKind.Number, code.ValueKind);
        Assert.Equal((int)response.StatusCode, doc.RootElement.GetProperty("status").GetInt32());
        Assert.NotNull(ErrorCode.TitleOf(code.GetInt32()));
        return code.GetInt32();
    }

    private static byte[] Beat() => PatternJson.WriteUtf8(PatternFactory.Create(4, 1));

    [Fact]
    public void The_table_keeps_the_designs_codes_and_has_no_duplicates()
    {
        Assert.Equal(ErrorCode.All.Count, ErrorCode.All.Select(c => c.Code).Distinct().Count());
        int[] design = [1001, 1002, 1003, 2001, 2002, 2003, 3001, 3002, 3003, 4001, 4002, 4003];
        Assert.All(design, c => Assert.NotNull(ErrorCode.TitleOf(c)));
        Assert.All(ErrorCode.All, c => Assert.InRange(c.Code / 1000, 1, 4));
    }

    [Theory]
    [InlineData("/api/nothing-here", "GET", 404, ErrorCode.NotFound)]
    [InlineData("/api/samples/x/y/z", "GET", 404, ErrorCode.NotFound)]
    [InlineData("/api/engines", "DELETE", 405, ErrorCode.InvalidRequest)]
    [InlineData("/api/health", "POST", 405, ErrorCode.InvalidRequest)]
    [InlineData("/api/generations/nope", "GET", 404, ErrorCode.NotFound)]
    [InlineData("/api/patterns/nope", "GET", 404, ErrorCode.NotFound)]
    [InlineData("/api/samples/nope", "GET", 404, ErrorCode.NotFound)]
    [InlineData("/api/samples?page=0", "GET", 400, ErrorCode.InvalidRequest)]
    [InlineData("/api/patterns/nope/render?format=flac", "GET", 400, ErrorCode.InvalidRequest)]
    [InlineData("/api/patterns/nope/render?cycles=99", "GET", 400, ErrorCode.InvalidRequest)]
    public async Task Framework_and_api_problems_carry_a_code(string url, string method, int status, int code)
    {
        var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, await ProblemCode(response));
    }

    [Fact]
    public async Task An_exception_is_a_500_with_code_3007_and_no_exception_text()
    {
        var response = await factory.CreateClient().GetAsync("/api/test/throw");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(ErrorCode.ServerError, await ProblemCode(response));
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, text);
        Assert.DoesNotContain("InvalidOperationException", text);
        Assert.DoesNotContain("at Orbitr", text);
    }

    [Fact]
    public async Task Pattern_problems_carry_their_codes()
    {
        var client = factory.CreateClient();
        var saved = await client.PostAsync("/api/patterns", RawJson(Beat()));
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var id = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        HttpRequestMessage Put(string? token, string? ifMatch, HttpContent body)
        {
            var r = new HttpRequestMessage(HttpMethod.Put, $"/api/patterns/{id}") { Content = body };
            if (token is not null) r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (ifMatch is not null) r.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return r;
        }

        var anonymous = factory.CreateAnonymousClient();
        Assert.Equal(ErrorCode.Unauthenticated, await ProblemCode(await anonymous.SendAsync(Put(null, "\"v1\"", RawJson(Beat())))));
        Assert.Equal(ErrorCode.Unauthenticated, await ProblemCode(await anonymous.PostAsync("/api/patterns", RawJson(Beat()))));
        Assert.Equal(ErrorCode.Forbidden, await ProblemCode(await anonymous.SendAsync(Put("not-the-token", "\"v1\"", RawJson(Beat())))));
        var owner = client.DefaultRequestHeaders.Authorization!.Parameter;
        var missing = await client.SendAsync(Put(owner, null, RawJson(Beat())));
        Assert.Equal(428, (int)missing.StatusCode);
        Assert.Equal(ErrorCode.PreconditionFailed, await ProblemCode(missing));
        var stale = await client.SendAsync(Put(owner, "\"v9\"", RawJson(Beat())));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(ErrorCode.PreconditionFailed, await ProblemCode(stale));
        var malformed = await client.SendAsync(Put(owner, "v1", RawJson(Beat())));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(ErrorCode.PreconditionFailed, await ProblemCode(malformed));
        var invalid = await client.PostAsync("/api/patterns", JsonBody("""{"version":1,"bpm":900}"""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(ErrorCode.InvalidPattern, await ProblemCode(invalid));
        var text = await client.PostAsync("/api/patterns", new StringContent("{}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(ErrorCode.UnsupportedMediaType, await ProblemCode(text));
        var huge = await client.PostAsync("/api/patterns", RawJson(new byte[PatternJson.MaxBytes + 1]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(ErrorCode.RequestTooLarge, await ProblemCode(huge));
        var shortCipher = new ByteArrayContent(new byte[10]);
        shortCipher.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Assert.Equal(ErrorCode.InvalidPattern, await ProblemCode(await client.PostAsync("/api/patterns", shortCipher)));
        var cipher = new ByteArrayContent(new byte[64]);
        cipher.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var encrypted = await client.PostAsync("/api/patterns", cipher);
        var encryptedId = (await encrypted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var render = await client.GetAsync($"/api/patterns/{encryptedId}/render");
        Assert.Equal(HttpStatusCode.Conflict, render.StatusCode);
        Assert.Equal(ErrorCode.EncryptedPattern, await ProblemCode(render));
    }

    [Fact]
    public async Task Generation_problems_have_codes_of_their_own()
    {
        var client = factory.CreateClient();
        var form = await client.PostAsync("/api/generations", new StringContent("prompt=kick", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(ErrorCode.UnsupportedMediaType, await ProblemCode(form));
        var huge = await client.PostAsync("/api/generations", JsonBody("{\"prompt\":\"" + new string('a', 20_000) + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(ErrorCode.RequestTooLarge, await ProblemCode(huge));
        var engine = await client.PostAsync("/api/generations", JsonBody("""{"prompt":"kick","engine":"musicgen"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, engine.StatusCode);
        Assert.Equal(ErrorCode.EngineUnavailable, await ProblemCode(engine));
        var notJson = await client.PostAsync("/api/generations", JsonBody("""{"prompt":"kick" """));
        Assert.Equal(ErrorCode.InvalidRequest, await ProblemCode(notJson));
        Assert.Equal(ErrorCode.InvalidPrompt, await ProblemCode(await client.PostAsync("/api/generations", JsonBody("""{"prompt":""}"""))));
    }

    [Theory]
    [InlineData("""{"prompt":"\ud800kick"}""")]
    [InlineData("""{"prompt":"kick\udc00"}""")]
    [InlineData("""{"prompt":"kick\udc00\ud800"}""")]
    [InlineData("""{"\ud800":"kick"}""")]
    [InlineData("""{"prompt":"kick","\udfff":1}""")]
    [InlineData("""{"prompt":"kick","engine":"\ud800"}""")]
    [InlineData("""{"prompt":"kick","quality":"\ud83d"}""")]
    public async Task A_lone_surrogate_escape_anywhere_is_a_400_with_a_code(string json)
    {
        var client = factory.CreateClient();
        var generation = await client.PostAsync("/api/generations", JsonBody(json));
        Assert.Equal(HttpStatusCode.BadRequest, generation.StatusCode);
        Assert.Equal(ErrorCode.InvalidRequest, await ProblemCode(generation));
        Assert.Contains("surrogate", await generation.Content.ReadAsStringAsync());

        // The same escapes inside a pattern (a name, a sample key, a field name).
        var pattern = Encoding.UTF8.GetString(Beat());
        foreach (var bad in new[]
                 {
                     Regex.Replace(pattern, "\"format\":", "\"\\ud800\":1,\"format\":"),
                     Regex.Replace(pattern, "\"name\":\\s*\"", "\"name\":\"\\udc00"),
                 })
        {
            var saved = await client.PostAsync("/api/patterns", JsonBody(bad));
            Assert.Equal(HttpStatusCode.BadRequest, saved.StatusCode);
            Assert.Equal(ErrorCode.InvalidPattern, await ProblemCode(saved));
        }
        // POST /api/owners reads no body: whatever it is, it never fails on it.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/owners", JsonBody(json))).StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a surrogate encoded in UTF-8 (CESU)
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // past U+10FFFF
    public async Task Invalid_utf8_in_a_body_is_a_400_with_a_code(byte[] bad)
    {
        var client = factory.CreateClient();
        byte[] Embed(string before, string after) => [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];
        foreach (var body in new[] { Embed("{\"prompt\":\"kick", "\"}"), Embed("{\"", "\":1}") })
        {
            var response = await client.PostAsync("/api/generations", RawJson(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(ErrorCode.InvalidRequest, await ProblemCode(response));
        }
        var pattern = Encoding.UTF8.GetString(Beat());
        var name = Regex.Match(pattern, "\"name\":\\s*\"");
        Assert.True(name.Success);
        var at = name.Index + name.Length;
        var patternBody = Embed(pattern[..at], pattern[at..]);
        var saved = await client.PostAsync("/api/patterns", RawJson(patternBody));
        Assert.Equal(HttpStatusCode.BadRequest, saved.StatusCode);
        Assert.Equal(ErrorCode.InvalidPattern, await ProblemCode(saved));
    }

    [Fact]
    public async Task A_library_decoders_own_words_never_reach_the_client()
    {
        var client = factory.CreateClient();
        foreach (var (bytes, name) in new[]
                 {
                     ((byte[])[.. "OggS"u8, .. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))], "x.ogg"),
                     ((byte[])[.. "ID3"u8, .. Enumerable.Range(0, 200).Select(i => (byte)(i * 53))], "x.mp3"),
                 })
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", name);
            var response = await client.PostAsync("/api/samples", form);
            Assert.True((int)response.StatusCode is 415 or 400, response.StatusCode.ToString());
            var code = await ProblemCode(response);
            Assert.Contains(code, new[] { ErrorCode.AudioDecodeFailed, ErrorCode.UnsupportedAudio });
            var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
            Assert.DoesNotContain("Exception", detail);
            // Our own one-line reasons only (the decoders' exceptions go to the log).
            Assert.Matches("^the OGG file is not Vorbis audio or its headers are damaged$|^the (OGG|MP3) file could not be decoded|^the file holds no audio$|^unsupported format", detail);
        }
    }

    [Fact]
    public async Task Head_of_sample_audio_answers_like_get_without_a_body_and_other_range_units_are_ignored()
    {
        var client = factory.CreateClient();
        var wav = WavWriter.ToBytes(new AudioBuffer([Enumerable.Range(0, 4410).Select(i => (float)Math.Sin(i / 7.0) * 0.5f).ToArray()], 44100), WavSampleFormat.Pcm16);
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(wav);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "head.wav");
        var upload = await client.PostAsync("/api/samples", form);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var url = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("audioUrl").GetString()!;

        var get = await client.GetAsync(url);
        var body = await get.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.NotNull(head.Headers.ETag);
        Assert.Equal(["bytes"], head.Headers.AcceptRanges);
        Assert.Equal("audio/wav", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Headers.CacheControl, head.Headers.CacheControl);

        // A HEAD with a byte range answers 206 with the range's length.
        var headRange = new HttpRequestMessage(HttpMethod.Head, url);
        headRange.Headers.Range = new RangeHeaderValue(0, 99);
        var partial = await client.SendAsync(headRange);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, partial.Content.Headers.ContentLength);
        Assert.Empty(await partial.Content.ReadAsByteArrayAsync());

        // Units other than bytes are ignored (RFC 9110 §14.2): 200 with the whole body, for GET and HEAD.
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            var items = new HttpRequestMessage(method, url);
            items.Headers.TryAddWithoutValidation("Range", "items=0-10");
            var whole = await client.SendAsync(items);
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(body.Length, whole.Content.Headers.ContentLength);
            Assert.Null(whole.Content.Headers.ContentRange);
            if (method == HttpMethod.Get) Assert.Equal(body, await whole.Content.ReadAsByteArrayAsync());
        }

        var unknown = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/samples/nope/audio"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>~2,000 mutated bodies (random bytes, lone surrogates, deep nesting, huge numbers, wrong types) to
    /// POST /api/generations and POST /api/patterns: never a 5xx, and every refusal is problem details with a code.</summary>
    [Fact]
    public async Task Fuzzed_generation_and_pattern_bodies_never_cause_a_server_error()
    {
        var client = factory.CreateClient();
        var random = new Random(7807);
        var generationSeeds = new[]
        {
            """{"prompt":"glass bell, long tail","engine":"auto","durationSeconds":2,"quality":"draft","seed":1}""",
            """{"prompt":"808 sub C minor","durationSeconds":0.5,"engine":"synth","quality":"hq"}""",
        };
        var patternSeed = Encoding.UTF8.GetString(Beat());
        string[] fragments =
        [
            "\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u0000", "\\", "\"", "{", "}", "[", "]", ":", ",", "null", "true", "false",
            "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-0", "0.0000000001", "NaN", "Infinity", "\"x\"",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{}}}}}}}}}}",
            "\u00e9", "\ud83d\ude00", "楽しい", "\u0007", "\n", " ", "{\"prompt\":1}", "[]", "{}", "\"\"", "99999999999",
        ];
        var failures = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var toPattern = i % 2 == 1;
            var seed = toPattern ? patternSeed : generationSeeds[i % 4 / 2];
            var bytes = Mutate(random, Encoding.UTF8.GetBytes(seed), fragments);
            var response = await client.PostAsync(toPattern ? "/api/patterns" : "/api/generations", RawJson(bytes));
            var status = (int)response.StatusCode;
            if (status >= 500) failures.Add($"{status} for {Convert.ToBase64String(bytes)}");
            else if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync();
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") failures.Add($"{status} not a problem: {text}");
                else
                {
                    using var doc = JsonDocument.Parse(text);
                    if (!doc.RootElement.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number || ErrorCode.TitleOf(code.GetInt32()) is null)
                        failures.Add($"{status} without a known code: {text}");
                }
            }
            if (failures.Count > 5) break;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static byte[] Mutate(Random random, byte[] seed, string[] fragments)
    {
        var bytes = seed.ToList();
        switch (random.Next(10))
        {
            case 0: return [.. Enumerable.Range(0, random.Next(1, 200)).Select(_ => (byte)random.Next(256))]; // noise
            case 1: // deep nesting
                var depth = random.Next(5, 3000);
                return Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', random.Next(2) == 0 ? depth : 0));
            case 2: // a field of the wrong type or a huge number
                var names = new[] { "prompt", "engine", "durationSeconds", "quality", "seed", "bpm", "swing", "length", "tracks", "name", "version" };
                var values = new[] { "1e308", "-1e308", "1e400", "18446744073709551616", "[]", "{}", "true", "null", "\"\"", "\"\\ud800\"", "[1,[2,[3]]]", "-0.0" };
                return Encoding.UTF8.GetBytes($"{{\"{names[random.Next(names.Length)]}\":{values[random.Next(values.Length)]}," +
                    $"\"prompt\":{values[random.Next(values.Length)]}}}");
        }
        for (var m = 0; m < 1 + random.Next(6); m++)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(5))
            {
                case 0 when at < bytes.Count: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8))); break;
                case 1: bytes.InsertRange(at, Encoding.UTF8.GetBytes(fragments[random.Next(fragments.Length)])); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3 when at < bytes.Count: bytes[at] = (byte)random.Next(256); break;
                default: bytes.InsertRange(at, Encoding.UTF8.GetBytes(fragments[random.Next(fragments.Length)])); break;
            }
        }
        return [.. bytes];
    }
}
