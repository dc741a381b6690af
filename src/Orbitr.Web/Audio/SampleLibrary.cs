using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Synthesis.Kit;

namespace Orbitr.Web.Audio;

/// <summary>Finds the audio behind a pattern's sample sources: the built-in kit is synthesized here in the browser
/// from Orbitr.Synthesis (no download), at 44.1 kHz like the CLI, so exports match <c>orbitr render</c>.</summary>
public sealed class SampleLibrary
{
    public const int SampleRate = 44100;

    /// <summary>The audio for a source, or an explanation of why the browser cannot have it.</summary>
    public SampleResult Resolve(SampleRef source) => source.Kind switch
    {
        SampleSourceKind.Builtin when KitSynthesizer.Names.Contains(source.Value) => new(KitSynthesizer.Render(source.Value, SampleRate), null),
        SampleSourceKind.Builtin => new(null, $"\"{source.Value}\" is not a built-in sound"),
        SampleSourceKind.File => new(null, $"the file \"{source.Value}\" is not available in the browser; use the CLI to render patterns that use files"),
        _ => new(null, $"generated sample \"{source.Value}\" needs the Orbitr server's library"),
    };
}

public readonly record struct SampleResult(AudioBuffer? Audio, string? Error);
