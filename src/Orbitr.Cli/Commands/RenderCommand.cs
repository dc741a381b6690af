using System.CommandLine;
using System.Globalization;
using Orbitr.Cli.Io;
using Orbitr.Core.Songs;
using Orbitr.Dsp.Master;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Wav;

namespace Orbitr.Cli.Commands;

/// <summary><c>orbitr render pattern.json|song.json -o out.wav [--stems DIR] [--cycles N] [--sample-rate R] [--format 16|24|32f] [--tail auto|SECONDS] [--fill]</c>;
/// -o - writes to standard output. A song (<c>"format": "orbitr.song"</c>) plays its sections (--cycles does not apply).</summary>
public static class RenderCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("pattern") { Description = "Pattern JSON file, or an orbitr.song file" };
        var outputOption = CommonOptions.Output("WAV file");
        outputOption.Required = false; // --stems alone is enough
        var stems = new Option<string>("--stems") { Description = "Also write one WAV per ring (and the reverb's return) into this folder" };
        var truePeakOption = new Option<bool>("--true-peak") { Description = "Limit in dBTP (inter-sample peaks, ITU-R BS.1770's 4x oversampling) instead of sample peaks" };
        var loop = new Option<bool>("--loop") { Description = "A seamless loop: exactly N cycles, the tail folded onto the start, marked in a smpl chunk" };
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
        var fill = CommonOptions.Fill();
        var command = new Command("render", "Render a pattern or a song to a WAV file") { file, outputOption, cycles, rate, format, tail, fill, stems, loop, truePeakOption };
        command.SetAction(parse =>
        {
            var info = parse.GetValue(file)!;
            var stemDir = parse.GetValue(stems);
            if (parse.GetValue(outputOption) is null && stemDir is null)
                throw new CliException("give -o FILE (- for standard output) or --stems DIR, or both", ExitCodes.Usage);
            var target = parse.GetValue(outputOption) is { } given ? OutputTarget.Resolve(given, context, info) : null;
            if (stemDir is not null) stemDir = StemFolder(stemDir);
            var sampleRate = parse.GetValue(rate);
            var tailText = parse.GetValue(tail)!;
            double? tailSeconds = tailText == "auto" ? null : double.Parse(tailText, CultureInfo.InvariantCulture);
            var wavFormat = parse.GetValue(format) switch
            {
                "24" => WavSampleFormat.Pcm24,
                "32f" => WavSampleFormat.Float32,
                _ => WavSampleFormat.Pcm16,
            };
            var options = new RenderOptions(sampleRate, parse.GetValue(cycles), tailSeconds) { Fill = parse.GetValue(fill) };
            var truePeak = parse.GetValue(truePeakOption);
            if (parse.GetValue(loop))
            {
                if (stemDir is not null) throw new CliException("--loop and --stems don't go together yet: render the loop and the stems apart", ExitCodes.Usage);
                if (parse.GetResult(tail) is { Implicit: false }) throw new CliException("--loop folds the tail into the loop: --tail does not apply", ExitCodes.Usage);
                if (SongFile.IsSong(info)) throw new CliException($"{info.Name} is a song; --loop makes a loop of a pattern", ExitCodes.Usage);
                return RenderLoop(context, info, target!, options, wavFormat, parse.GetValue(format)!, truePeak);
            }
            if (SongFile.IsSong(info)) return RenderSong(context, info, target, stemDir, options, wavFormat, parse.GetValue(format)!, truePeak);
            var pattern = TruePeakMode(PatternFile.Load(info), truePeak, info);
            var maxFrames = OfflineRenderer.SpanFrames(pattern, options) + (long)Math.Round((tailSeconds ?? RenderOptions.MaxAutoTail) * sampleRate);
            if (maxFrames * 2 * WavWriter.BytesPerSample(wavFormat) > WavWriter.MaxDataBytes(wavFormat))
                throw new CliException($"{parse.GetValue(cycles)} cycles at {sampleRate} Hz would make a WAV file over 4 GB; render fewer cycles, a lower rate or a smaller format", ExitCodes.Usage);
            var samples = SampleLoader.Load(pattern, info.DirectoryName ?? ".", sampleRate);
            context.Cancel.ThrowIfCancellationRequested();
            // Streamed block by block into the file (through a temporary file, renamed at the end): memory stays
            // the same however long the render. A signal stops it between blocks and the temporary file goes.
            var (result, dbtp) = Write(context, target, stemDir, [new SongPart(pattern, options.Cycles)], options, wavFormat,
                (sink, o) => OfflineRenderer.Render(pattern, samples, o, sink, context.Cancel));
            Report(context, target, string.Create(CultureInfo.InvariantCulture,
                $"rendered {parse.GetValue(cycles)} cycle(s) of {info.Name} to {Where(target, stemDir)}: {result.Duration:0.000} s, {sampleRate} Hz, {parse.GetValue(format)}, {Peaks(result.Peak, dbtp)}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The limiter in true-peak mode for <c>--true-peak</c>; a pattern whose limiter is off is refused.</summary>
    private static Core.Model.Pattern TruePeakMode(Core.Model.Pattern pattern, bool truePeak, FileInfo file)
    {
        if (!truePeak) return pattern;
        if (!pattern.Master.Limiter.Enabled)
            throw new CliException($"{file.Name}: the master limiter is off, so --true-peak has nothing to limit; turn the limiter on in the pattern", ExitCodes.Usage);
        return pattern with { Master = pattern.Master with { Limiter = pattern.Master.Limiter with { TruePeak = true } } };
    }

    private static string Peaks(float samplePeak, float truePeak) => string.Create(CultureInfo.InvariantCulture,
        $"peak {20 * Math.Log10(Math.Max(samplePeak, 1e-10)):0.0} dBFS, {20 * Math.Log10(Math.Max(truePeak, 1e-10)):0.0} dBTP");

    private static int RenderLoop(CliContext context, FileInfo info, OutputTarget target, RenderOptions options, WavSampleFormat format, string formatName, bool truePeak)
    {
        var pattern = TruePeakMode(PatternFile.Load(info), truePeak, info);
        var rate = options.SampleRate;
        var period = OfflineRenderer.SpanFrames(pattern, options);
        if (period > LoopRenderer.MaxLoopSeconds * rate)
            throw new CliException($"{options.Cycles} cycles make a loop of {period / (double)rate:0} s; a loop is at most {LoopRenderer.MaxLoopSeconds / 60:0} minutes", ExitCodes.Usage);
        var samples = SampleLoader.Load(pattern, info.DirectoryName ?? ".", rate);
        context.Cancel.ThrowIfCancellationRequested();
        var result = default(RenderResult);
        var dbtp = 0f;
        target.Write(s =>
        {
            var wav = new WavStreamWriter(s, rate, format) { Loop = (0, period - 1) };
            var meter = new TruePeakMeter(wav);
            result = LoopRenderer.Render(pattern, samples, options, meter, context.Cancel);
            wav.Complete();
            dbtp = meter.Peak;
        });
        Report(context, target, string.Create(CultureInfo.InvariantCulture,
            $"rendered a loop of {options.Cycles} cycle(s) of {info.Name} to {target.Name}: {period} frames ({result.Duration:0.000} s at {pattern.Bpm:0.##} BPM), {rate} Hz, {formatName}, {Peaks(result.Peak, dbtp)}"));
        return ExitCodes.Ok;
    }

    /// <summary>The stems' folder, made if it is missing (its parent must exist); a file there is refused.</summary>
    private static string StemFolder(string given)
    {
        var full = Path.GetFullPath(given);
        if (File.Exists(full)) throw new CliException($"--stems {given}: that is a file; give a folder", ExitCodes.Io);
        if (Directory.Exists(full)) return full;
        var parent = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(parent)) throw new CliException($"--stems {given}: the folder {parent} does not exist", ExitCodes.Io);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--stems {given}: {e.Message.ReplaceLineEndings(" ")}", ExitCodes.Io);
        }
        return full;
    }

    /// <summary>Renders into the -o file (or nowhere) and, with --stems, into one file per stem, all written atomically.</summary>
    private static (RenderResult Result, float TruePeak) Write(CliContext context, OutputTarget? target, string? stemDir, IReadOnlyList<SongPart> parts, RenderOptions options,
        WavSampleFormat format, Func<IAudioSink, RenderOptions, RenderResult> render)
    {
        var result = default(RenderResult);
        TruePeakMeter? meter = null;
        var rate = options.SampleRate;
        void Stems(IAudioSink mix)
        {
            if (stemDir is null)
            {
                result = render(mix, options);
                return;
            }
            var names = StemFiles.Names(parts, out var reverb);
            StemFiles.WriteAll([.. names.Select(n => Path.Combine(stemDir, n))], context.Cancel, streams =>
            {
                var writers = streams.Select(s => new WavStreamWriter(s, rate, format)).ToList();
                var rings = reverb ? writers.Take(writers.Count - 1).ToList() : writers;
                result = render(mix, options with { Stems = new StemSinks([.. rings], reverb ? writers[^1] : null) });
                foreach (var w in writers) w.Complete();
            });
        }
        if (target is null) Stems(meter = new TruePeakMeter(new NullSink()));
        else
            target.Write(s =>
            {
                var wav = new WavStreamWriter(s, rate, format);
                Stems(meter = new TruePeakMeter(wav));
                wav.Complete();
            });
        return (result, meter!.Peak);
    }

    private sealed class NullSink : IAudioSink
    {
        public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right) { }
    }

    private static string Where(OutputTarget? target, string? stemDir) =>
        (target, stemDir) switch
        {
            ({ } t, { } d) => $"{t.Name} and stems in {d}",
            ({ } t, null) => t.Name,
            _ => $"stems in {stemDir}",
        };

    private static void Report(CliContext context, OutputTarget? target, string line)
    {
        // On standard output the WAV is all there is; stems alone still say where they went.
        if (target is { IsStandardOutput: true }) return;
        context.Output.WriteLine(line);
    }

    private static int RenderSong(CliContext context, FileInfo info, OutputTarget? target, string? stemDir, RenderOptions options, WavSampleFormat wavFormat, string formatName, bool truePeak)
    {
        var song = SongFile.Load(info);
        // The song's limiter is its first section's.
        if (truePeak) song = song with { Parts = [new SongPart(TruePeakMode(song.Parts[0].Pattern, true, song.Files[0]), song.Parts[0].Repeat), .. song.Parts.Skip(1)] };
        var rate = options.SampleRate;
        var maxFrames = OfflineRenderer.SongSpanFrames(song.Parts, rate) + (long)Math.Round((options.TailSeconds ?? RenderOptions.MaxAutoTail) * rate);
        if (maxFrames * 2 * WavWriter.BytesPerSample(wavFormat) > WavWriter.MaxDataBytes(wavFormat))
            throw new CliException($"the song at {rate} Hz would make a WAV file over 4 GB; use a lower rate or a smaller format", ExitCodes.Usage);
        var samples = SongFile.Samples(song, rate);
        context.Cancel.ThrowIfCancellationRequested();
        var (result, dbtp) = Write(context, target, stemDir, song.Parts, options, wavFormat,
            (sink, o) => OfflineRenderer.Render(song.Parts, samples, o, sink, context.Cancel));
        Report(context, target, string.Create(CultureInfo.InvariantCulture,
            $"rendered the song {info.Name} ({song.Song.Sections.Count} section(s)) to {Where(target, stemDir)}: {result.Duration:0.000} s, {rate} Hz, {formatName}, {Peaks(result.Peak, dbtp)}"));
        return ExitCodes.Ok;
    }
}
