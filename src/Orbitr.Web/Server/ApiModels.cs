using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orbitr.Web.Server;

/// <summary>The server's generation object (ARCHITECTURE §4).</summary>
public sealed class Generation
{
    public string Id { get; set; } = "";
    public string Status { get; set; } = "queued";
    public double Progress { get; set; }
    public int Position { get; set; }
    public string? SampleId { get; set; }
    public string Prompt { get; set; } = "";
    public string Engine { get; set; } = "";
    public double DurationSeconds { get; set; }
    public string Quality { get; set; } = "draft";
    public uint Seed { get; set; }
    public bool Cached { get; set; }
    public int? ErrorCode { get; set; }
    public string? Error { get; set; }

    [JsonIgnore] public bool Finished => Status is "succeeded" or "failed" or "canceled";
}

public sealed class GenerationRequestBody
{
    public string Prompt { get; set; } = "";
    public double DurationSeconds { get; set; } = 2;
    public string Quality { get; set; } = "draft";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public uint? Seed { get; set; }
    /// <summary>"auto" (MusicGen when the server has it, else synth), or an engine's name from GET /api/engines.</summary>
    public string Engine { get; set; } = EngineInfo.Auto;
}

/// <summary>One generation engine the server is configured with (GET /api/engines). <see cref="Available"/> is false,
/// with a <see cref="Problem"/>, when its model did not load.</summary>
public sealed class EngineInfo
{
    public const string Auto = "auto";
    public const string Synth = "synth";
    public const string MusicGen = "musicgen";

    public string Name { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public double MinDurationSeconds { get; set; } = 0.1;
    public double MaxDurationSeconds { get; set; } = 10;
    public List<string> Qualities { get; set; } = [];
    public bool Available { get; set; }
    public string? Problem { get; set; }

    /// <summary>An engine's (or a sample source's) name as the UI shows it: "MusicGen", "Synth"; others as they come.</summary>
    public static string Label(string name) => name switch
    {
        Synth => "Synth",
        MusicGen => "MusicGen",
        Auto => "Auto",
        _ => name,
    };
}

public sealed class LibrarySample
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Prompt { get; set; }
    public string Engine { get; set; } = "";
    public double DurationSeconds { get; set; }
    public int SampleRate { get; set; }
    public int Channels { get; set; }
    public float[] Peaks { get; set; } = [];
    public string Source { get; set; } = "";
}

public sealed class SamplePage
{
    public List<LibrarySample> Items { get; set; } = [];
    public int Total { get; set; }
}

public sealed class SavedPattern
{
    public string Id { get; set; } = "";
    public string EditToken { get; set; } = "";
    public int Version { get; set; }
}

public sealed class OwnerUsage
{
    public int Samples { get; set; }
    public int Patterns { get; set; }
    public long Bytes { get; set; }
    public long QuotaBytes { get; set; }
}

public sealed class CreatedOwner
{
    public string Token { get; set; } = "";
}

public sealed class ProblemBody
{
    public string? Title { get; set; }
    public string? Detail { get; set; }
    public int? Code { get; set; }
    public int? RetryAfterSeconds { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Generation))]
[JsonSerializable(typeof(GenerationRequestBody))]
[JsonSerializable(typeof(List<EngineInfo>))]
[JsonSerializable(typeof(SamplePage))]
[JsonSerializable(typeof(LibrarySample))]
[JsonSerializable(typeof(SavedPattern))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(CreatedOwner))]
[JsonSerializable(typeof(OwnerUsage))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
