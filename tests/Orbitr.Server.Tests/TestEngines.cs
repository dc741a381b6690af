using Orbitr.Dsp.Audio;
using Orbitr.Server.Generation;

namespace Orbitr.Server.Tests;

/// <summary>The real synth behind a gate: reports progress 0.5, then waits until the test opens the gate (or the job
/// is cancelled). Lets tests see jobs queued, running and interrupted.</summary>
public sealed class GatedEngine : IGenerationEngine
{
    private readonly SynthEngine synth = new();
    private TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int started, completed;

    public string Name => synth.Name;
    public string ModelVersion => synth.ModelVersion;
    public double MaxDurationSeconds => synth.MaxDurationSeconds;
    public int Started => Volatile.Read(ref started);
    public int Completed => Volatile.Read(ref completed);
    public List<string> Prompts { get; } = [];

    public void Open() => gate.TrySetResult();

    public async Task<AudioBuffer> GenerateAsync(GenerationSpec spec, IProgress<double> progress, CancellationToken cancel)
    {
        Interlocked.Increment(ref started);
        lock (Prompts) Prompts.Add(spec.Prompt);
        progress.Report(0.5);
        await gate.Task.WaitAsync(cancel);
        var audio = await synth.GenerateAsync(spec, progress, cancel);
        Interlocked.Increment(ref completed);
        return audio;
    }
}

/// <summary>The real synth after a first stage of its own that counts to 0.6: the synth then reports 0.1 and 1, a
/// count that goes backwards (as a multi-stage engine's may), slowly enough for every report to be written.</summary>
public sealed class TwoStageEngine : IGenerationEngine
{
    private readonly SynthEngine synth = new();

    public string Name => synth.Name;
    public string ModelVersion => synth.ModelVersion;
    public double MaxDurationSeconds => synth.MaxDurationSeconds;

    public async Task<AudioBuffer> GenerateAsync(GenerationSpec spec, IProgress<double> progress, CancellationToken cancel)
    {
        progress.Report(0.3);
        await Task.Delay(250, cancel);
        progress.Report(0.6);
        await Task.Delay(250, cancel);
        progress.Report(0.1);
        await Task.Delay(250, cancel);
        return await synth.GenerateAsync(spec, progress, cancel);
    }
}
