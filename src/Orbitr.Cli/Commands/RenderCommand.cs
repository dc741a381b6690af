using System.CommandLine;
using System.Globalization;
using Orbitr.Cli.Io;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Wav;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr render pattern.json -o out.wav [--cycles N] [--sample-rate R] [--format 16|24|32f]; -o - writes to standard output [--tail auto|SECONDS]</c>.</summary>
public static class RenderCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("pattern") { Description = "Pattern JSON file" };
        var outputOption = CommonOptions.Output("WAV file");
        var cycles = CommonOptions.Cycles();
        var rate = CommonOptions.Int(new Option<int>("--sample-rate", "-r") { Description = "Sample rate in Hz (8000–192000)", DefaultValueFactory = _ => 44100 }, 8000, 192000);
        // No -f: that is --force (new); one short option, one meaning.
        var format = new Option<string>("--format") { Description = "Sample format: 16, 24 or 32f", DefaultValueFactory = _ => "16" };
        format.AcceptOnlyFromAmong("16", "24", "32f");
        var tail = new Option<string>("--tail") { Description = "Tail after the last cycle: auto (until silent, at most 4 s) or seconds", DefaultValueFactory = _ => "auto" };
        tail.Validators.Add(r =>
        {
            if (r.Tokens.Count == 0) return;
            var v = r.Tokens[^1].Value;
            if (v != "auto" && !(double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 0 and <= 60))
                r.AddError($"--tail must be auto or a number of seconds 0–60, not {v}");
        });
        var command = new Command("render", "Render a pattern to a WAV file") { file, outputOption, cycles, rate, format, tail };
        command.SetAction(parse =>
        {
            var info = parse.GetValue(file)!;
            var target = OutputTarget.Resolve(parse.GetValue(outputOption)!, context, info);
            var pattern = PatternFile.Load(info);
            var sampleRate = parse.GetValue(rate);
            var tailText = parse.GetValue(tail)!;
            double? tailSeconds = tailText == "auto" ? null : double.Parse(tailText, CultureInfo.InvariantCulture);
            var wavFormat = parse.GetValue(format) switch
            {
                "24" => WavSampleFormat.Pcm24,
                "32f" => WavSampleFormat.Float32,
                _ => WavSampleFormat.Pcm16,
            };
            var options = new RenderOptions(sampleRate, parse.GetValue(cycles), tailSeconds);
            var maxFrames = OfflineRenderer.SpanFrames(pattern, options) + (long)Math.Round((tailSeconds ?? RenderOptions.MaxAutoTail) * sampleRate);
            if (maxFrames * 2 * WavWriter.BytesPerSample(wavFormat) > WavWriter.MaxDataBytes(wavFormat))
                throw new CliException($"{parse.GetValue(cycles)} cycles at {sampleRate} Hz would make a WAV file over 4 GB; render fewer cycles, a lower rate or a smaller format", ExitCodes.Usage);
            var samples = SampleLoader.Load(pattern, info.DirectoryName ?? ".", sampleRate);
            context.Cancel.ThrowIfCancellationRequested();
            // Streamed block by block into the file (through a temporary file, renamed at the end): memory stays
            // the same however long the render. A signal stops it between blocks and the temporary file goes.
            var result = default(RenderResult);
            target.Write(s =>
            {
                var wav = new WavStreamWriter(s, sampleRate, wavFormat);
                result = OfflineRenderer.Render(pattern, samples, options, wav, context.Cancel);
                wav.Complete();
            });
            MidiCommand.Status(context, target).WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rendered {parse.GetValue(cycles)} cycle(s) of {info.Name} to {target.Name}: {result.Duration:0.000} s, {sampleRate} Hz, {parse.GetValue(format)}, peak {20 * Math.Log10(Math.Max(result.Peak, 1e-10)):0.0} dBFS"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
