using System.Text.Json.Serialization;

namespace Orbitr.Contracts;

/// <summary>The body of POST /api/generations (ARCHITECTURE §4). The server reads it by hand (every problem by field);
/// this is what clients send. A null seed is left out (the server's default, 0).</summary>
public sealed record GenerationRequest(string Prompt, string Engine = EngineDto.Auto, double DurationSeconds = 2, string Quality = "draft",
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? Seed = null);

/// <summary>What the API says about a generation (ARCHITECTURE §4): POST /api/generations, GET /api/generations/{id},
/// its events, DELETE.</summary>
public sealed record GenerationDto(string Id, string Status, double Progress, int Position, string? SampleId, string Prompt, string Engine,
    double DurationSeconds, string Quality, uint Seed, bool Cached, int? ErrorCode, string? Error, DateTimeOffset CreatedAt)
{
    /// <summary>succeeded, failed or canceled: it will not change any more.</summary>
    [JsonIgnore] public bool Finished => Status is "succeeded" or "failed" or "canceled";
}

/// <summary>GET /api/engines: an engine and its limits; a configured engine whose model did not load has available
/// false and its problem.</summary>
public sealed record EngineDto(string Name, string ModelVersion, double MinDurationSeconds, double MaxDurationSeconds, IReadOnlyList<string> Qualities,
    bool Available, string? Problem)
{
    /// <summary>The server's choice: MusicGen when it has it, else synth.</summary>
    public const string Auto = "auto";
    public const string Synth = "synth";
    public const string MusicGen = "musicgen";
}
