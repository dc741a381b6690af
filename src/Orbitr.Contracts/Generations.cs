using System.Text.Json.Serialization;

namespace Orbitr.Contracts;

/// <summary>The body of POST /api/generations (ARCHITECTURE §4). The server reads it by hand (every problem by field);
/// this is what clients send. A null seed is left out (the server's default, 0).</summary>
public sealed record GenerationRequest(string Prompt, string Engine = EngineDto.Auto, double DurationSeconds = 2, string Quality = "draft",
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? Seed = null);

/// <summary>What the API says about a generation (ARCHITECTURE §4): POST /api/generations, GET /api/generations/{id},
/// its events, DELETE. <see cref="Reading"/> (added) is there for synth jobs only.</summary>
public sealed record GenerationDto(string Id, string Status, double Progress, int Position, string? SampleId, string Prompt, string Engine,
    double DurationSeconds, string Quality, uint Seed, bool Cached, int? ErrorCode, string? Error, DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PromptReadingDto? Reading = null)
{
    /// <summary>succeeded, failed or canceled: it will not change any more.</summary>
    [JsonIgnore] public bool Finished => Status is "succeeded" or "failed" or "canceled";
}

/// <summary>What the synth made of a job's prompt, so a prompt it has no sound for ("a cat meowing") is not silently a
/// generic tone: the words that shaped the sound, the words it has no sound for, and the kind of sound it named ("kick";
/// null when it named none and the synth made a generic tone). Words in prompt order, lower case, each once.</summary>
public sealed record PromptReadingDto(IReadOnlyList<string> Understood, IReadOnlyList<string> Ignored, string? Sound)
{
    /// <summary>The synth made what was asked: nothing to warn about.</summary>
    [JsonIgnore] public bool Complete => Ignored.Count == 0 && Sound is not null;

    /// <summary>What the synth lacked, after "Synth " / "the synth ": <c>has no sound for "cat", "meowing"</c>; null when
    /// <see cref="Complete"/>.</summary>
    [JsonIgnore]
    public string? Lacking => Complete ? null
        : Ignored.Count == 0 ? "knows no sound in this prompt"
        : "has no sound for " + string.Join(", ", Ignored.Select(w => $"\"{w}\""));

    /// <summary>What it made instead: <c>it made a generic tone</c>, or <c>it made the kick without it</c>.</summary>
    [JsonIgnore]
    public string Outcome => Sound is null ? "it made a generic tone" : $"it made the {Sound} without {(Ignored.Count == 1 ? "it" : "them")}";

    // Value equality over the lists, so an unchanged job compares equal (the event stream sends only changes).
    public bool Equals(PromptReadingDto? other) =>
        other is not null && Understood.SequenceEqual(other.Understood) && Ignored.SequenceEqual(other.Ignored) && Sound == other.Sound;

    public override int GetHashCode() => HashCode.Combine(string.Join(' ', Understood), string.Join(' ', Ignored), Sound);
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
