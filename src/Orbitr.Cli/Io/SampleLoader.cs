using Orbitr.Core.Errors;
using Orbitr.Core.Model;
using Orbitr.Dsp;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Resampling;
using Orbitr.Dsp.Wav;
using Orbitr.Synthesis.Kit;

namespace Orbitr.Cli.Io;

/// <summary>Resolves the samples a pattern plays to buffers at the render rate: built-in kit sounds are synthesized,
/// <c>file:</c> paths are read relative to the pattern file.</summary>
public static class SampleLoader
{
    public static Dictionary<string, AudioBuffer> Load(Pattern pattern, string patternDirectory, int sampleRate)
    {
        var buffers = new Dictionary<string, AudioBuffer>(StringComparer.Ordinal);
        foreach (var entry in pattern.SamplesInUse()) buffers[entry.Key] = LoadOne(entry, patternDirectory, sampleRate);
        return buffers;
    }

    private static AudioBuffer LoadOne(SampleEntry entry, string directory, int sampleRate)
    {
        var sample = entry.Ref;
        switch (sample.Kind)
        {
            case SampleSourceKind.Builtin:
                return KitSynthesizer.Render(sample.Value, sampleRate);
            case SampleSourceKind.File:
                var path = Path.GetFullPath(Path.Combine(directory, sample.Value));
                if (!File.Exists(path))
                    throw new CliException($"sample \"{entry.Key}\" ({sample.Source}) is missing: {path} does not exist", ExitCodes.Sample);
                AudioBuffer buffer;
                try
                {
                    buffer = WavReader.ReadFile(path);
                }
                catch (AudioDecodeException ex)
                {
                    throw new CliException($"sample \"{entry.Key}\" ({sample.Source}) cannot be decoded (code {ErrorCode.AudioDecodeFailed}): {ex.Message}", ExitCodes.Sample);
                }
                return Resampler.Resample(buffer, sampleRate); // the same buffer when the rate already matches
            case SampleSourceKind.Local:
                throw new CliException(
                    $"sample \"{entry.Key}\" ({sample.Source}) is kept only in the browser that added it (not uploaded yet); open the pattern there once online, or export the sound and refer to it as file:<path>",
                    ExitCodes.Sample);
            default:
                throw new CliException(
                    $"sample \"{entry.Key}\" ({sample.Source}) is a generated sample stored on an Orbitr server; download its WAV and refer to it as file:<path>",
                    ExitCodes.Sample);
        }
    }
}
