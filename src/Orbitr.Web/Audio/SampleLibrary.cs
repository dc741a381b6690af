using Orbitr.Core.Model;
using Orbitr.Dsp;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Resampling;
using Orbitr.Dsp.Wav;
using Orbitr.Synthesis.Kit;
using Orbitr.Web.Server;

namespace Orbitr.Web.Audio;

/// <summary>Finds the audio behind a pattern's sample sources: the built-in kit is synthesized here in the browser
/// from Orbitr.Synthesis (no download), generated and uploaded samples come from the server's library as WAV. All
/// at 44.1 kHz like the CLI, so exports match <c>orbitr render</c>.</summary>
public sealed class SampleLibrary(OrbitrApi api)
{
    public const int SampleRate = 44100;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, AudioBuffer> s_kit = new(StringComparer.Ordinal);

    /// <summary>A built-in sound at 44.1 kHz, synthesized once per page (the player and the library's waveforms share it).</summary>
    public static AudioBuffer Kit(string name) => s_kit.GetOrAdd(name, n => KitSynthesizer.Render(n, SampleRate));

    /// <summary>The audio for a source, or an explanation of why the browser cannot have it.</summary>
    public async Task<SampleResult> ResolveAsync(SampleRef source)
    {
        switch (source.Kind)
        {
            case SampleSourceKind.Builtin when KitSynthesizer.Names.Contains(source.Value):
                return new(Kit(source.Value), null);
            case SampleSourceKind.Builtin:
                return new(null, $"\"{source.Value}\" is not a built-in sound");
            case SampleSourceKind.File:
                return new(null, $"the file \"{source.Value}\" is not available in the browser; upload it to the library, or use the CLI");
        }
        var bytes = await api.SampleAudioAsync(source.Value);
        if (bytes.Problem is { } problem)
            return new(null, problem.Status == 404
                ? $"generated sample \"{source.Value}\" is not in this server's library (deleted?)"
                : $"{problem.Title} (code {problem.Code}): {problem.Detail}", problem.Status == 0);
        try
        {
            var audio = WavReader.Read(bytes.Value);
            return new(Resampler.Resample(audio, SampleRate), null); // the same buffer when the rate already matches
        }
        catch (AudioDecodeException e)
        {
            return new(null, $"the server's audio for \"{source.Value}\" cannot be decoded: {e.Message}");
        }
    }
}

/// <summary>Audio, or why not. <see cref="Retry"/>: the failure may pass (the server was unreachable).</summary>
public readonly record struct SampleResult(AudioBuffer? Audio, string? Error, bool Retry = false);
