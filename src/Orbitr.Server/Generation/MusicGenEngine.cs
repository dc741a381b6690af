using Orbitr.Dsp.Audio;
using Orbitr.MusicGen.Generation;
using Orbitr.MusicGen.Model;
using Orbitr.Server.Storage;

namespace Orbitr.Server.Generation;

/// <summary>"Orbitr:MusicGen" settings.</summary>
public sealed class MusicGenOptions
{
    public const string Section = "Orbitr:MusicGen";

    /// <summary>The export's folder; empty: {DataPath}/models/musicgen-small when it exists (where `orbitr model pull` puts it).</summary>
    public string? ModelPath { get; set; }
    /// <summary>Use the _quantized ONNX files (smaller and faster, a little rougher).</summary>
    public bool Quantized { get; set; }
    /// <summary>ONNX Runtime threads per operator; 0 = one per physical core.</summary>
    public int IntraOpThreads { get; set; }
    /// <summary>MusicGen jobs at once in this process: each takes the CPU (and about 2 GB for the full-precision model's sessions once).</summary>
    public int MaxConcurrentJobs { get; set; } = 1;
    public double TimeoutSeconds { get; set; } = 600;
    public double MaxDurationSeconds { get; set; } = 10;

    public static string DefaultFolder(string dataPath) => Path.Combine(dataPath, "models", "musicgen-small");
}

/// <summary>Meta's MusicGen through ONNX Runtime (Orbitr.MusicGen). The model is loaded once at start-up and shared by
/// every job; a folder that does not load leaves the engine listed as unavailable with the reason, and the server runs
/// on. Quality chooses the guidance: draft runs the conditional half alone (half the compute), hq uses the model's
/// guidance scale (3 for musicgen-small).</summary>
public sealed class MusicGenEngine : IGenerationEngine, IDisposable
{
    public const string EngineName = "musicgen";
    private readonly MusicGenModel? _model;
    private readonly MusicGenOptions _options;

    public MusicGenEngine(MusicGenOptions options, OrbitrOptions storage, ILogger<MusicGenEngine> log)
    {
        _options = options;
        var path = string.IsNullOrWhiteSpace(options.ModelPath) ? MusicGenOptions.DefaultFolder(storage.FullDataPath) : options.ModelPath;
        if (string.IsNullOrWhiteSpace(options.ModelPath) && !Directory.Exists(path))
        {
            State = EngineState.NotConfigured;
            return;
        }
        try
        {
            _model = MusicGenModel.Load(path, new MusicGenSessionOptions(Math.Max(0, options.IntraOpThreads), options.Quantized));
            State = EngineState.Available;
            log.LogInformation("MusicGen engine ready: {Folder} ({Layers} layers, {Codebooks} codebooks, {Rate} Hz{Quantized})",
                _model.Folder.Path, _model.Layers, _model.Config.Codebooks, _model.Config.SampleRate, _model.Folder.Quantized ? ", quantized" : "");
        }
        catch (Exception e) when (e is MusicGenModelException or DllNotFoundException or TypeInitializationException or IOException or UnauthorizedAccessException)
        {
            State = EngineState.Unavailable;
            Problem = e is MusicGenModelException ? e.Message : $"ONNX Runtime could not start: {e.Message}";
            log.LogError("MusicGen engine unavailable: {Problem}", Problem);
        }
    }

    public string Name => EngineName;
    public string ModelVersion => _model?.Version ?? "unavailable";
    public double MaxDurationSeconds => _options.MaxDurationSeconds;
    public EngineState State { get; }
    public string? Problem { get; }
    public int MaxConcurrentJobs => Math.Max(1, _options.MaxConcurrentJobs);
    public double? TimeoutSeconds => _options.TimeoutSeconds;

    public Task<AudioBuffer> GenerateAsync(GenerationSpec spec, IProgress<double> progress, CancellationToken cancel)
    {
        var model = _model ?? throw new InvalidOperationException(Problem ?? "MusicGen is not configured");
        var frames = Math.Max(1, (int)Math.Round(spec.DurationSeconds * model.Config.FrameRate));
        var settings = new MusicGenSettings(frames, spec.Seed, GuidanceScale: spec.HighQuality ? null : 1f);
        // The decoder loop is CPU-bound and synchronous: keep it off the caller's thread.
        return Task.Run(() =>
        {
            var result = new MusicGenGenerator(model).Generate(spec.Prompt, settings, progress, cancel);
            return new AudioBuffer([result.Audio], result.SampleRate);
        }, cancel);
    }

    public void Dispose() => _model?.Dispose();
}
