using Orbitr.Core.Model;
using Orbitr.Dsp;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Resampling;
using Orbitr.Dsp.Wav;
using Orbitr.Server.Samples;
using Orbitr.Server.Storage;
using Orbitr.Synthesis.Kit;

namespace Orbitr.Server.Rendering;

/// <summary>Renders a saved pattern on the server with the same C# renderer as the CLI: built-in sounds are
/// synthesized, <c>generated:</c> samples come from the library. Each distinct source is loaded and resampled once
/// however many keys name it, and the render stays inside <see cref="RenderLimits"/>.</summary>
public sealed class PatternRenderer(SampleLibrary library, RenderLimits limits)
{
    public const int SampleRate = 44100;

    /// <summary>Streams a 16-bit WAV render into <paramref name="output"/> (seekable: the header is completed at the
    /// end) with the same streaming core as the CLI, so memory does not grow with the length.</summary>
    /// <exception cref="SampleUnavailableException">a sample the pattern plays cannot be found or read</exception>
    /// <exception cref="RenderLimitException">the render would cost more than a limit allows (the message names it)</exception>
    public async Task<RenderResult> RenderWavAsync(Pattern pattern, int cycles, Stream output, CancellationToken cancel)
    {
        var inUse = pattern.SamplesInUse().ToList();
        var records = await RecordsWithinLimitAsync(inUse, cancel);
        var bySource = new Dictionary<string, AudioBuffer>(StringComparer.Ordinal);
        var buffers = new Dictionary<string, AudioBuffer>(StringComparer.Ordinal);
        foreach (var entry in inUse)
        {
            if (!bySource.TryGetValue(entry.Ref.Source, out var audio)) bySource[entry.Ref.Source] = audio = await LoadAsync(entry, records, cancel);
            buffers[entry.Key] = audio;
        }
        var wav = new WavStreamWriter(output, SampleRate, WavSampleFormat.Pcm16);
        var result = OfflineRenderer.Render(pattern, buffers, new RenderOptions(SampleRate, cycles) { MaxVoices = limits.MaxVoices }, wav, cancel);
        wav.Complete();
        return result;
    }

    /// <summary>A saved song (issue 25): its sections in order as <c>orbitr render song.json</c> renders them, every
    /// distinct sample loaded once for all of them (their sample audio counted together against the limit).</summary>
    public async Task<RenderResult> RenderSongWavAsync(IReadOnlyList<Orbitr.Core.Songs.SongPart> parts, Stream output, CancellationToken cancel)
    {
        var inUse = parts.SelectMany(p => p.Pattern.SamplesInUse()).ToList();
        var records = await RecordsWithinLimitAsync(inUse, cancel);
        var bySource = new Dictionary<string, AudioBuffer>(StringComparer.Ordinal);
        var perPart = new List<IReadOnlyDictionary<string, AudioBuffer>>(parts.Count);
        var byPattern = new Dictionary<Pattern, Dictionary<string, AudioBuffer>>(ReferenceEqualityComparer.Instance);
        foreach (var part in parts)
        {
            if (!byPattern.TryGetValue(part.Pattern, out var buffers))
            {
                byPattern[part.Pattern] = buffers = new Dictionary<string, AudioBuffer>(StringComparer.Ordinal);
                foreach (var entry in part.Pattern.SamplesInUse())
                {
                    if (!bySource.TryGetValue(entry.Ref.Source, out var audio)) bySource[entry.Ref.Source] = audio = await LoadAsync(entry, records, cancel);
                    buffers[entry.Key] = audio;
                }
            }
            perPart.Add(buffers);
        }
        var wav = new WavStreamWriter(output, SampleRate, WavSampleFormat.Pcm16);
        var result = OfflineRenderer.Render(parts, perPart, new RenderOptions(SampleRate, 1) { MaxVoices = limits.MaxVoices }, wav, cancel);
        wav.Complete();
        return result;
    }

    // The library's records of the generated sources (read once per render), checked before any audio is read: a
    // pattern naming many long sounds is refused up front.
    private async Task<Dictionary<string, SampleRecord>> RecordsWithinLimitAsync(List<SampleEntry> inUse, CancellationToken cancel)
    {
        var records = new Dictionary<string, SampleRecord>(StringComparer.Ordinal);
        foreach (var source in inUse.Select(e => e.Ref).Where(r => r.Kind == SampleSourceKind.Generated).DistinctBy(r => r.Source))
            if (await library.FindAsync(source.Value, cancel) is { } record) records[source.Value] = record;
        var total = records.Values.Sum(r => r.DurationSeconds);
        if (total > limits.MaxSampleSeconds)
            throw new RenderLimitException("sampleSeconds",
                $"the pattern plays {total:0.0} s of distinct sample audio; a server render holds at most {limits.MaxSampleSeconds:0} s");
        return records;
    }

    private async Task<AudioBuffer> LoadAsync(SampleEntry entry, Dictionary<string, SampleRecord> records, CancellationToken cancel)
    {
        var sample = entry.Ref;
        switch (sample.Kind)
        {
            case SampleSourceKind.Builtin:
                try
                {
                    return KitSynthesizer.Render(sample.Value, SampleRate);
                }
                catch (ArgumentException e)
                {
                    throw new SampleUnavailableException($"sample \"{entry.Key}\": {e.Message}");
                }
            case SampleSourceKind.Generated:
                var record = records.GetValueOrDefault(sample.Value)
                    ?? throw new SampleUnavailableException($"sample \"{entry.Key}\" ({sample.Source}) is not in this server's library");
                await using (var stream = await library.OpenAudioAsync(record, cancel)
                    ?? throw new SampleUnavailableException($"the audio of sample \"{entry.Key}\" ({sample.Source}) is missing"))
                {
                    AudioBuffer buffer;
                    try
                    {
                        buffer = WavReader.Read(stream);
                    }
                    catch (AudioDecodeException e)
                    {
                        throw new SampleUnavailableException($"sample \"{entry.Key}\" cannot be decoded: {e.Message}");
                    }
                    if (buffer.Duration > limits.MaxSampleSeconds)
                        throw new RenderLimitException("sampleSeconds", $"sample \"{entry.Key}\" lasts {buffer.Duration:0.0} s; a server render holds at most {limits.MaxSampleSeconds:0} s");
                    return Resampler.Resample(buffer, SampleRate, cancel); // the same buffer when the rate already matches
                }
            case SampleSourceKind.Local:
                throw new SampleUnavailableException(
                    $"sample \"{entry.Key}\" ({sample.Source}) is kept only in the browser that added it and has not been uploaded yet");
            default:
                throw new SampleUnavailableException(
                    $"sample \"{entry.Key}\" ({sample.Source}) is a file on the author's machine; upload it to the library and use generated:<id>");
        }
    }
}

public sealed class SampleUnavailableException(string message) : Exception(message);
