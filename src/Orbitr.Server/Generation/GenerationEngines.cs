using Orbitr.Dsp.Audio;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Server.Generation;

/// <summary>What an engine is asked to make.</summary>
public sealed record GenerationSpec(string Prompt, double DurationSeconds, bool HighQuality, uint Seed);

/// <summary>A prompt-to-audio engine. Reports progress 0–1 and stops when cancelled.</summary>
public interface IGenerationEngine
{
    string Name { get; }
    string ModelVersion { get; }
    double MaxDurationSeconds { get; }
    Task<AudioBuffer> GenerateAsync(GenerationSpec spec, IProgress<double> progress, CancellationToken cancel);
}

/// <summary>The built-in procedural synthesizer (Orbitr.Synthesis), always available.</summary>
public sealed class SynthEngine : IGenerationEngine
{
    public string Name => PromptSynthesizer.EngineName;
    public string ModelVersion => PromptSynthesizer.ModelVersion;
    public double MaxDurationSeconds => PromptSynthesizer.MaxDuration;

    public Task<AudioBuffer> GenerateAsync(GenerationSpec spec, IProgress<double> progress, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        progress.Report(0.1);
        var audio = PromptSynthesizer.Generate(spec.Prompt, spec.Seed, spec.DurationSeconds, 44100, spec.HighQuality);
        cancel.ThrowIfCancellationRequested();
        progress.Report(1);
        return Task.FromResult(audio);
    }
}

/// <summary>The engines this server has, and which one "auto" means.</summary>
public sealed class EngineCatalog(IEnumerable<IGenerationEngine> engines)
{
    private readonly IReadOnlyList<IGenerationEngine> all = engines.ToList();

    public IReadOnlyList<IGenerationEngine> All => all;

    /// <summary>"auto" prefers MusicGen when it is loaded, else the synth.</summary>
    public IGenerationEngine? Resolve(string name) => name == "auto"
        ? all.FirstOrDefault(e => e.Name == "musicgen") ?? all.FirstOrDefault(e => e.Name == PromptSynthesizer.EngineName)
        : all.FirstOrDefault(e => e.Name == name);
}
