using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Orbitr.Cli.Io;
using Orbitr.Dsp.Wav;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr generate "dusty lo-fi kick" -o kick.wav [--duration 2] [--quality draft|hq] [--seed N] [--server URL]</c>:
/// makes a sample from a prompt with the built-in synth engine, or asks an Orbitr server (which may run MusicGen).</summary>
public static class GenerateCommand
{
    public static Command Create(TextWriter output)
    {
        var prompt = new Argument<string>("prompt") { Description = "What the sound should be, e.g. \"glass bell, long tail\"" };
        var outputOption = new Option<FileInfo>("--output", "-o") { Description = "WAV file to write", Required = true };
        var duration = new Option<double>("--duration", "-d") { Description = "Length in seconds (0.1–10)", DefaultValueFactory = _ => PromptSynthesizer.DefaultDuration };
        duration.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double>();
            if (!(v >= PromptSynthesizer.MinDuration && v <= PromptSynthesizer.MaxDuration))
                r.AddError($"--duration must be {PromptSynthesizer.MinDuration}–{PromptSynthesizer.MaxDuration} seconds, not {v.ToString(CultureInfo.InvariantCulture)}");
        });
        var quality = new Option<string>("--quality", "-q") { Description = "draft or hq", DefaultValueFactory = _ => "draft" };
        quality.AcceptOnlyFromAmong("draft", "hq");
        var seed = new Option<uint>("--seed", "-s") { Description = "Variation number (0–4294967295); the same seed gives the same sound", DefaultValueFactory = _ => 0 };
        var server = new Option<string?>("--server") { Description = "Generate on an Orbitr server instead (e.g. http://localhost:5080)" };
        server.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string?>();
            if (v is not null && !(Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
                r.AddError($"--server must be an http(s) address such as http://localhost:5080, not {v}");
        });
        var command = new Command("generate", "Make a sample from a text prompt") { prompt, outputOption, duration, quality, seed, server };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(prompt)!;
            if (PromptReader.Problem(text) is { } problem) throw new CliException($"invalid prompt (code 2002): {problem}", ExitCodes.Usage);
            var target = parse.GetValue(outputOption)!;
            var seconds = parse.GetValue(duration);
            var hq = parse.GetValue(quality) == "hq";
            byte[] wav;
            string engine;
            if (parse.GetValue(server) is { } url)
                (wav, engine) = FromServer(new Uri(url), text, seconds, parse.GetValue(quality)!, parse.GetValue(seed));
            else
            {
                var audio = PromptSynthesizer.Generate(text, parse.GetValue(seed), seconds, 44100, hq);
                wav = WavWriter.ToBytes(audio, WavSampleFormat.Pcm16);
                engine = PromptSynthesizer.EngineName;
            }
            AtomicFile.Write(target.FullName, s => s.Write(wav));
            var decoded = WavReader.Read(wav);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generated \"{text}\" with {engine} to {target.Name}: {decoded.Duration:0.000} s, {decoded.SampleRate} Hz, peak {20 * Math.Log10(Math.Max(decoded.Peak(), 1e-10)):0.0} dBFS"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (byte[] Wav, string Engine) FromServer(Uri server, string prompt, double seconds, string quality, uint seed)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OwnerTokenFile.Get(http));
            var post = http.PostAsync("/api/generations", RequestBody(prompt, seconds, quality, seed)).GetAwaiter().GetResult();
            if (post.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                // The saved owner is unknown to this server (deleted, or another server's): act as a new one.
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OwnerTokenFile.Get(http, renew: true));
                post.Dispose();
                post = http.PostAsync("/api/generations", RequestBody(prompt, seconds, quality, seed)).GetAwaiter().GetResult();
            }
            var body = ReadJson(post);
            if (!post.IsSuccessStatusCode)
                throw new CliException($"the server refused the request (code {Code(body)}): {Detail(body)}", ExitCodes.Generation);
            var id = body.GetProperty("id").GetString()!;
            var until = DateTime.UtcNow.AddMinutes(5);
            while (body.GetProperty("status").GetString() is "queued" or "running")
            {
                if (DateTime.UtcNow > until) throw new CliException($"generation {id} did not finish within 5 minutes (code 3002)", ExitCodes.Generation);
                Thread.Sleep(200);
                using var poll = http.GetAsync($"/api/generations/{id}").GetAwaiter().GetResult();
                body = ReadJson(poll.EnsureSuccessStatusCode());
            }
            if (body.GetProperty("status").GetString() != "succeeded")
                throw new CliException($"generation {body.GetProperty("status").GetString()} (code {Code(body, "errorCode")}): {body.GetProperty("error").GetString()}", ExitCodes.Generation);
            var sampleId = body.GetProperty("sampleId").GetString()!;
            return (http.GetByteArrayAsync($"/api/samples/{sampleId}/audio").GetAwaiter().GetResult(), body.GetProperty("engine").GetString()!);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach {server} (code 3001): {e.Message}", ExitCodes.Generation);
        }
        catch (TaskCanceledException)
        {
            throw new CliException($"{server} did not answer in time (code 3002)", ExitCodes.Generation);
        }
        catch (JsonException)
        {
            throw new CliException($"{server} did not answer like an Orbitr server", ExitCodes.Generation);
        }
    }

    // Written and read with the DOM types, not reflection-based serialization, so the CLI publishes as Native AOT.
    private static ByteArrayContent RequestBody(string prompt, double seconds, string quality, uint seed)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("prompt", prompt);
            json.WriteNumber("durationSeconds", seconds);
            json.WriteString("quality", quality);
            json.WriteNumber("seed", seed);
            json.WriteEndObject();
        }
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static JsonElement ReadJson(HttpResponseMessage response)
    {
        using var stream = response.Content.ReadAsStream();
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    private static string Code(JsonElement body, string name = "code") =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var c) ? c.ToString() : "?";

    private static string Detail(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
}
