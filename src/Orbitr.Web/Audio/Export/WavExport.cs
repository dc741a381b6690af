using Microsoft.JSInterop;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Wav;
using Orbitr.Web.Audio.Interop;
using Orbitr.Web.Audio.Mix;
using Orbitr.Web.Audio.Playback;
using Orbitr.Web.Audio.Samples;

namespace Orbitr.Web.Audio.Export;

/// <summary>The browser's WAV export: audio.js renders the notes in an OfflineAudioContext on the playback graph
/// (compressor and limiter worklet included, as Orbitr.Dsp's OfflineRenderer ends a render), trims the tail and
/// encodes in a worker, and downloads the file. No sample comes back here.</summary>
public sealed class WavExport(AudioModule module, SampleRegistry samples)
{
    private readonly List<double> _message = [];

    /// <summary>Reports an export's progress (0–1) while it renders.</summary>
    public event Action<double>? Progress;

    /// <remarks>With <paramref name="stems"/> (their file names: <see cref="Core.Stems.StemNames"/>) audio.js renders
    /// each ring's bus (after volume and pan) and the reverb's return apart, at the master volume, before the master's
    /// dynamics, as <c>orbitr render --stems</c> does, and downloads them as one zip, all of one length.</remarks>
    public async Task<ExportResult> RunAsync(Pattern pattern, int cycles, WavSampleFormat format, string fileName, DotNetObjectReference<AudioEngine> progressRef,
        bool loop = false, IReadOnlyList<string>? stems = null)
    {
        var js = await module.GetAsync();
        await samples.PrepareAsync(pattern);
        var rate = SampleResolver.SampleRate;
        _message.Clear();
        // Start every voice on a whole sample frame, where OfflineRenderer puts it (Timing.ToSampleIndex): Chromium
        // starts buffers sub-sample accurately, and half a sample of a hi-hat is a loud difference.
        foreach (var e in Scheduler.EventsForCycles(pattern, cycles))
        {
            if (pattern.FindSample(e.SampleKey) is not { } sample || !samples.TryGetBuffer(sample.Source, out var buffer)) continue;
            var curve = e.Effects?.Distortion is { Amount: > 0 } d ? samples.Curve(d.Amount) : -1;
            VoiceMessage.Append(_message, 0, e with { Time = Timing.ToSampleIndex(e.Time, rate) / (double)rate }, buffer, curve);
        }
        int? reverb = pattern.UsesReverb ? await samples.ReverbAsync(pattern.Master.Reverb) : null;
        var spanFrames = (int)OfflineRenderer.SpanFrames(pattern, new RenderOptions(rate, cycles));
        // A loop folds its tails in: they may ring on longer than an export's auto tail.
        var frames = spanFrames + (int)Math.Round((loop ? LoopRenderer.MaxTailSeconds : RenderOptions.MaxAutoTail) * rate);
        return await js.InvokeAsync<ExportResult>(stems is null ? "exportWav" : "exportStems", new ExportRequest
        {
            // The notes as raw float64 bytes: a binary transfer, not thousands of JSON numbers through the interpreter.
            SampleRate = rate, Frames = frames, SpanFrames = spanFrames, Events = TickMessage.Bytes(_message), Mix = MixMessage.From(pattern, reverb),
            Bits = WavWriter.BytesPerSample(format) * 8, FileName = fileName, Loop = loop, Stems = stems?.ToList(),
        }, progressRef);
    }

    /// <summary>A song's WAV (issue 25), nulling against <c>orbitr render song.json</c>: every note on the frame
    /// OfflineRenderer gives it (round((T_k + t) × rate)), each section's rings, reverb and master volume as the
    /// renderer's sections, their sum through the first section's compressor and limiter, the auto tail after the end.
    /// Choke groups act within a section here (the renderer also lets a section's hit choke the one before's tail).</summary>
    public async Task<ExportResult> RunSongAsync(IReadOnlyList<Core.Songs.SongPart> parts, WavSampleFormat format, string fileName,
        DotNetObjectReference<AudioEngine> progressRef)
    {
        var js = await module.GetAsync();
        foreach (var part in parts.DistinctBy(p => p.Pattern)) await samples.PrepareAsync(part.Pattern);
        var rate = SampleResolver.SampleRate;
        var starts = Core.Songs.SongTimeline.Starts(parts);
        var spanFrames = (int)OfflineRenderer.SongSpanFrames(parts, rate);
        var tailFrames = (int)Math.Round(RenderOptions.MaxAutoTail * rate);
        var messages = parts.Select(_ => new List<double>()).ToArray();
        var offsets = parts.Select((_, k) => (int)Math.Floor(starts[k] * rate)).ToArray();
        var lastFrame = offsets.ToArray();
        foreach (var (k, e) in Core.Songs.SongTimeline.Notes(parts))
        {
            var pattern = parts[k].Pattern;
            if (pattern.FindSample(e.SampleKey) is not { } sample || !samples.TryGetBuffer(sample.Source, out var buffer)) continue;
            var curve = e.Effects?.Distortion is { Amount: > 0 } d ? samples.Curve(d.Amount) : -1;
            var frame = Timing.ToSampleIndex(e.Time, rate);
            lastFrame[k] = (int)Math.Max(lastFrame[k], frame);
            VoiceMessage.Append(messages[k], 0, e with { Time = (frame - offsets[k]) / (double)rate }, buffer, curve);
        }
        var sections = new List<SongSectionRequest>(parts.Count);
        for (var k = 0; k < parts.Count; k++)
        {
            var pattern = parts[k].Pattern;
            int? reverb = pattern.UsesReverb ? await samples.ReverbAsync(pattern.Master.Reverb) : null;
            var end = Math.Max(lastFrame[k], (int)Math.Round(starts[k + 1] * rate));
            sections.Add(new SongSectionRequest
            {
                Offset = offsets[k], Frames = end - offsets[k] + tailFrames, Events = TickMessage.Bytes(messages[k]), Mix = MixMessage.From(pattern, reverb),
            });
        }
        return await js.InvokeAsync<ExportResult>("exportSongWav", new SongExportRequest
        {
            SampleRate = rate, Frames = spanFrames + tailFrames, SpanFrames = spanFrames, Mix = MixMessage.From(parts[0].Pattern), Sections = sections,
            Bits = WavWriter.BytesPerSample(format) * 8, FileName = fileName,
        }, progressRef);
    }

    /// <summary>Stops the running export (nothing is downloaded).</summary>
    public async Task CancelAsync()
    {
        if (module.Loaded is { } js) await js.InvokeVoidAsync("cancelExport");
    }

    public void OnProgress(double fraction) => Progress?.Invoke(Math.Clamp(fraction, 0, 1));
}
