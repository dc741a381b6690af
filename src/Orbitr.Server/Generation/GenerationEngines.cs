using Orbitr.Contracts;
using Orbitr.Dsp.Audio;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Server.Generation;

/// <summary>What an engine is asked to make.</summary>
public sealed record GenerationSpec(string Prompt, double DurationSeconds, bool HighQuality, uint Seed);

/// <summary>Whether an engine can take work: a configured engine whose model did not load stays listed, with its problem.</summary>
public enum EngineState { Available, Unavailable, NotConfigured }

/// <summary>A prompt-to-audio engine. Reports progress 0–1 and stops when cancelled.</summary>
public interface IGenerationEngine
{
    string Name { get; }
    string ModelVersion { get; }
    double MaxDurationSeconds { get; }
    EngineState State => EngineState.Available;
    /// <summary>Why the engine is unavailable (null when it is available).</summary>
    string? Problem => null;
    /// <summary>Jobs of this engine run at once in this process (0: only the queue's own limit). Jobs beyond it wait
    /// in the queue without holding a worker, so other engines' jobs keep flowing.</summary>
    int MaxConcurrentJobs => 0;
    /// <summary>This engine's time limit (null: the queue's); past it the job fails with code 2001.</summary>
    double? TimeoutSeconds => null;
    Task<AudioBuffer> GenerateAsync(GenerationSpec spec, IProgress<double> progress, CancellationToken cancel);
}

/// <summary>The built-in procedural synthesizer (Orbitr.Synthesis), always available.</summary>
public sealed class SynthEngine : IGenerationEngine
{
    public string Name => PromptSynthesizer.EngineName;
    public string ModelVersion => PromptSynthesizer.ModelVersion;
    public double MaxDurationSeconds => PromptSynthesizer.MaxDuration;

    /// <summary>What the synth makes of a prompt, for its jobs' answers: read by the same code that makes the sound.</summary>
    public static PromptReadingDto Reading(string prompt)
    {
        var reading = PromptReader.Interpret(prompt);
        return new PromptReadingDto(reading.Understood, reading.Ignored, reading.NamedSound);
    }

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
    private readonly IReadOnlyList<IGenerationEngine> all = engines.Where(e => e.State != EngineState.NotConfigured).ToList();

    /// <summary>Every configured engine, available or not (GET /api/engines lists them with their state).</summary>
    public IReadOnlyList<IGenerationEngine> All => all;

    /// <summary>An available engine by name; "auto" prefers MusicGen when it is loaded, else the synth.</summary>
    public IGenerationEngine? Resolve(string name)
    {
        var available = all.Where(e => e.State == EngineState.Available);
        return name == "auto"
            ? available.FirstOrDefault(e => e.Name == "musicgen") ?? available.FirstOrDefault(e => e.Name == PromptSynthesizer.EngineName)
            : available.FirstOrDefault(e => e.Name == name);
    }

    /// <summary>Why <paramref name="name"/> cannot be used, for the error a request gets.</summary>
    public string Unavailable(string name) => all.FirstOrDefault(e => e.Name == name) is { Problem: { } problem }
        ? $"the {name} engine is not available on this server: {problem}"
        : $"the {name} engine is not available on this server (no model folder configured)";
}
