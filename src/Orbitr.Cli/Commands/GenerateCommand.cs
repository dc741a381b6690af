using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orbitr.Contracts;
using Orbitr.Core.Errors;
using Orbitr.Cli.Io;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Finishing;
using Orbitr.Dsp.Wav;
using Orbitr.MusicGen.Generation;
using Orbitr.MusicGen.Model;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr generate "dusty lo-fi kick" -o kick.wav [--engine synth|musicgen] [--model DIR] [--duration 2]
/// [--quality draft|hq] [--seed N] [--top-k K] [--guidance G] [--raw] [--server URL]</c>: makes a sample from a prompt
/// with the built-in synth or MusicGen (ONNX Runtime, on this machine), or asks an Orbitr server. The sound is finished
/// as the server finishes it (trimmed, faded, loudness-normalized, 16-bit); --raw writes the engine's own audio instead
/// (32-bit float at the model's rate), so a model's output can be checked exactly.</summary>
public static class GenerateCommand
{
    /// <summary>Where `orbitr model pull` puts the model and the server looks for it (under the default data path).</summary>
    public static string DefaultModelFolder => Path.Combine("data", "models", "musicgen-small");

    public static Command Create(CliContext context)
    {
        var output = context.Output;
        var prompt = new Argument<string>("prompt") { Description = "What the sound should be, e.g. \"glass bell, long tail\"" };
        var outputOption = CommonOptions.Output("WAV file");
        var duration = CommonOptions.Double(new Option<double>("--duration", "-d") { Description = "Length in seconds (0.1–10)", DefaultValueFactory = _ => PromptSynthesizer.DefaultDuration },
            PromptSynthesizer.MinDuration, PromptSynthesizer.MaxDuration, " seconds");
        var quality = new Option<string>("--quality", "-q") { Description = "draft or hq (MusicGen: hq uses classifier-free guidance, draft does not)", DefaultValueFactory = _ => "draft" };
        quality.AcceptOnlyFromAmong("draft", "hq");
        var seed = CommonOptions.UInt(new Option<uint>("--seed", "-s") { Description = "Variation number (0–4294967295); the same seed gives the same sound", DefaultValueFactory = _ => 0 });
        var engine = new Option<string?>("--engine", "-e") { Description = "synth (built in; the default here) or musicgen (needs a model folder: orbitr model pull); with --server the server's choice (auto) unless given" };
        engine.AcceptOnlyFromAmong("synth", "musicgen");
        var model = new Option<DirectoryInfo?>("--model", "-m") { Description = $"MusicGen model folder (default: $Orbitr__MusicGen__ModelPath, else {DefaultModelFolder})" };
        var topK = CommonOptions.Int(new Option<int?>("--top-k") { Description = "MusicGen: sample among the K most likely tokens (default: the model's, 250)" }, 1, 4096);
        var guidance = CommonOptions.Float(new Option<float?>("--guidance") { Description = "MusicGen: classifier-free guidance scale (1 = none; default: 1 for draft, the model's 3 for hq)" }, 1, 20);
        var raw = new Option<bool>("--raw") { Description = "Write the engine's audio as it came out (32-bit float, the engine's rate), without trimming, fade or loudness" };
        var server = new Option<string?>("--server") { Description = "Generate on an Orbitr server instead (e.g. http://localhost:5080)" };
        server.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string?>();
            if (v is not null && !(Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
                r.AddError($"--server must be an http(s) address such as http://localhost:5080, not {v}");
        });
        var command = new Command("generate", "Make a sample from a text prompt")
            { prompt, outputOption, duration, quality, seed, engine, model, topK, guidance, raw, server };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(prompt)!;
            if (PromptReader.Problem(text) is { } problem) throw new CliException($"invalid prompt (code {ErrorCode.InvalidPrompt}): {problem}", ExitCodes.Usage);
            var target = OutputTarget.Resolve(parse.GetValue(outputOption)!, context);
            var seconds = parse.GetValue(duration);
            var hq = parse.GetValue(quality) == "hq";
            var engineName = parse.GetValue(engine) ?? (parse.GetValue(server) is null ? "synth" : "auto");
            var musicGenOnly = new[] { ("--top-k", parse.GetValue(topK) is not null), ("--guidance", parse.GetValue(guidance) is not null), ("--model", parse.GetValue(model) is not null) };
            if (engineName == "synth" && musicGenOnly.FirstOrDefault(o => o.Item2) is { Item1: { } only })
                throw new CliException($"{only} applies to --engine musicgen", ExitCodes.Usage);
            byte[] wav;
            PromptReadingDto? reading = null;
            if (parse.GetValue(server) is { } url)
            {
                if (parse.GetValue(raw)) throw new CliException("--raw works on this machine only, not with --server", ExitCodes.Usage);
                (wav, engineName, reading) = FromServer(new Uri(url), text, seconds, parse.GetValue(quality)!, parse.GetValue(seed), engineName, context.Cancel);
            }
            else
            {
                var audio = engineName == "musicgen"
                    ? MusicGen(parse.GetValue(model)?.FullName, text, seconds, hq, parse.GetValue(seed), parse.GetValue(topK), parse.GetValue(guidance), output, context.Cancel)
                    : PromptSynthesizer.Generate(text, parse.GetValue(seed), seconds, 44100, hq);
                if (engineName == "synth")
                {
                    // The same reading the server reports for its synth jobs.
                    var read = PromptReader.Interpret(text);
                    reading = new PromptReadingDto(read.Understood, read.Ignored, read.NamedSound);
                }
                wav = parse.GetValue(raw)
                    ? WavWriter.ToBytes(audio, WavSampleFormat.Float32)
                    : WavWriter.ToBytes(SampleFinisher.Default.Finish(audio), WavSampleFormat.Pcm16);
            }
            target.Write(s => s.Write(wav));
            var decoded = WavReader.Read(wav);
            MidiCommand.Status(context, target).WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generated \"{text}\" with {engineName} to {target.Name}: {decoded.Duration:0.000} s, {decoded.SampleRate} Hz, peak {20 * Math.Log10(Math.Max(decoded.Peak(), 1e-10)):0.0} dBFS"));
            // A prompt the synth has no sound for still makes a sound: say so, but it is not a failure (exit 0).
            if (reading?.Lacking is { } lacking)
                parse.InvocationConfiguration.Error.WriteLine(
                    $"orbitr: warning: the synth {lacking}; {reading.Outcome} (MusicGen is the engine for such prompts: --engine musicgen)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static AudioBuffer MusicGen(string? folder, string prompt, double seconds, bool hq, uint seed, int? topK, float? guidance, TextWriter output,
        CancellationToken cancel)
    {
        folder ??= Environment.GetEnvironmentVariable("Orbitr__MusicGen__ModelPath") is { Length: > 0 } configured ? configured : DefaultModelFolder;
        MusicGenModel model;
        try
        {
            model = MusicGenModel.Load(folder);
        }
        catch (MusicGenModelException e)
        {
            throw new CliException($"MusicGen is not available (code {ErrorCode.EngineUnavailable}): {e.Message}", ExitCodes.Generation);
        }
        using (model)
        {
            var frames = Math.Max(1, (int)Math.Round(seconds * model.Config.FrameRate));
            var settings = new MusicGenSettings(frames, seed, topK, guidance ?? (hq ? null : 1f));
            try
            {
                var result = new MusicGenGenerator(model).Generate(prompt, settings, new ProgressLine(output, frames + model.Config.Codebooks), cancel);
                return new AudioBuffer([result.Audio], result.SampleRate);
            }
            catch (InvalidModelOutputException e)
            {
                throw new CliException($"the model could not make this sound (code {ErrorCode.GenerationFailed}): {e.Message}", ExitCodes.Generation);
            }
        }
    }

    /// <summary>"frame 120/504" on one line when the output is a terminal; nothing in a pipe or a file.</summary>
    private sealed class ProgressLine(TextWriter output, int positions) : IProgress<double>
    {
        private readonly bool _terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        private int _shown = -1;

        public void Report(double value)
        {
            if (!_terminal) return;
            var percent = (int)(value * 100);
            if (percent == _shown) return;
            _shown = percent;
            output.Write($"\rgenerating: {percent,3} % ({(int)(value * positions)}/{positions} positions)");
            if (value >= 1) output.Write("\r" + new string(' ', 60) + "\r");
        }
    }

    private static (byte[] Wav, string Engine, PromptReadingDto? Reading) FromServer(Uri server, string prompt, double seconds, string quality, uint seed, string engine,
        CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        var request = new GenerationRequest(prompt, engine, seconds, quality, seed);
        try
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OwnerTokenFile.Get(http));
            var post = http.PostAsync("/api/generations", RequestBody(request)).GetAwaiter().GetResult();
            if (post.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                // The saved owner is unknown to this server (deleted, or another server's): act as a new one.
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OwnerTokenFile.Get(http, renew: true));
                post.Dispose();
                post = http.PostAsync("/api/generations", RequestBody(request)).GetAwaiter().GetResult();
            }
            using (post)
            {
                if (!post.IsSuccessStatusCode)
                {
                    var problem = ReadProblem(post);
                    throw new CliException($"the server refused the request (code {problem?.Code?.ToString(CultureInfo.InvariantCulture) ?? "?"}): {problem?.Detail}", ExitCodes.Generation);
                }
                var job = Read(post, OrbitrJsonContext.Default.GenerationDto);
                var until = DateTime.UtcNow.AddMinutes(5);
                while (job.Status is "queued" or "running")
                {
                    if (DateTime.UtcNow > until) throw new CliException($"generation {job.Id} did not finish within 5 minutes (code {ErrorCode.NetworkTimeout})", ExitCodes.Generation);
                    cancel.WaitHandle.WaitOne(200);
                    cancel.ThrowIfCancellationRequested();
                    using var poll = http.GetAsync($"/api/generations/{job.Id}").GetAwaiter().GetResult();
                    job = Read(poll.EnsureSuccessStatusCode(), OrbitrJsonContext.Default.GenerationDto);
                }
                if (job.Status != "succeeded")
                    throw new CliException($"generation {job.Status} (code {job.ErrorCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}): {job.Error}", ExitCodes.Generation);
                return (http.GetByteArrayAsync($"/api/samples/{job.SampleId}/audio").GetAwaiter().GetResult(), job.Engine, job.Reading);
            }
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach {server} (code {ErrorCode.Offline}): {e.Message}", ExitCodes.Generation);
        }
        catch (TaskCanceledException)
        {
            throw new CliException($"{server} did not answer in time (code {ErrorCode.NetworkTimeout})", ExitCodes.Generation);
        }
        catch (JsonException)
        {
            throw new CliException($"{server} did not answer like an Orbitr server", ExitCodes.Generation);
        }
    }

    // Written and read with the API's source-generated context (Orbitr.Contracts), so the CLI publishes as Native AOT.
    private static ByteArrayContent RequestBody(GenerationRequest request)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, OrbitrJsonContext.Default.GenerationRequest));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static T Read<T>(HttpResponseMessage response, JsonTypeInfo<T> type)
    {
        using var stream = response.Content.ReadAsStream();
        return JsonSerializer.Deserialize(stream, type) ?? throw new JsonException("null");
    }

    private static ProblemBody? ReadProblem(HttpResponseMessage response)
    {
        try
        {
            using var stream = response.Content.ReadAsStream();
            return JsonSerializer.Deserialize(stream, OrbitrJsonContext.Default.ProblemBody);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
