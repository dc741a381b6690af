using Orbitr.Core.Model;
using Orbitr.Dsp;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Resampling;
using Orbitr.Dsp.Wav;
using Orbitr.Server.Samples;
using Orbitr.Synthesis.Kit;

namespace Orbitr.Server.Patterns;

/// <summary>Renders a saved pattern on the server with the same C# renderer as the CLI: built-in sounds are
/// synthesized, <c>generated:</c> samples come from the library.</summary>
public sealed class PatternRenderer(SampleLibrary library)
{
    public const int SampleRate = 44100;

    /// <summary>Streams a 16-bit WAV render into <paramref name="output"/> (seekable: the header is completed at the
    /// end) with the same streaming core as the CLI, so memory does not grow with the length.</summary>
    /// <exception cref="SampleUnavailableException">a sample the pattern plays cannot be found or read</exception>
    public async Task<RenderResult> RenderWavAsync(Pattern pattern, int cycles, Stream output, CancellationToken cancel)
    {
        var buffers = new Dictionary<string, AudioBuffer>(StringComparer.Ordinal);
        foreach (var entry in pattern.SamplesInUse()) buffers[entry.Key] = await LoadAsync(entry, cancel);
        var wav = new WavStreamWriter(output, SampleRate, WavSampleFormat.Pcm16);
        var result = OfflineRenderer.Render(pattern, buffers, new RenderOptions(SampleRate, cycles), wav, cancel);
        wav.Complete();
        return result;
    }

    private async Task<AudioBuffer> LoadAsync(SampleEntry entry, CancellationToken cancel)
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
                var record = await library.FindAsync(sample.Value, cancel)
                    ?? throw new SampleUnavailableException($"sample \"{entry.Key}\" ({sample.Source}) is not in this server's library");
                await using (var stream = await library.OpenAudioAsync(record, cancel)
                    ?? throw new SampleUnavailableException($"the audio of sample \"{entry.Key}\" ({sample.Source}) is missing"))
                {
                    try
                    {
                        var buffer = WavReader.Read(stream);
                        return Resampler.Resample(buffer, SampleRate); // the same buffer when the rate already matches
                    }
                    catch (AudioDecodeException e)
                    {
                        throw new SampleUnavailableException($"sample \"{entry.Key}\" cannot be decoded: {e.Message}");
                    }
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
