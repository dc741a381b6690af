using System.Text.Json.Serialization;

namespace Orbitr.Core.Json;

// The on-disk shape of pattern JSON v2, for the source-generated writer. The fields v2 added are written only when
// they are not their defaults, so a pattern that does not use them reads as it did in v1. Reading walks the
// JSON tree by hand instead (PatternJsonReader), because it must report every error with its path.

internal sealed class PatternDocument
{
    public string Format { get; set; } = Model.Pattern.Format;
    public int Version { get; set; } = Model.Pattern.Version;
    public string Name { get; set; } = "";
    public double Bpm { get; set; }
    public double Swing { get; set; }
    public int Length { get; set; }
    public int[] TimeSignature { get; set; } = [];
    public uint Seed { get; set; }
    public MasterDocument Master { get; set; } = new();
    public OrderedDictionary<string, SampleDocument> Samples { get; set; } = new();
    public List<TrackDocument> Tracks { get; set; } = [];
}

internal sealed class MasterDocument
{
    public double Volume { get; set; }
    public CompressorDocument Compressor { get; set; } = new();
    public LimiterDocument Limiter { get; set; } = new();
    public ReverbDocument Reverb { get; set; } = new();
}

internal sealed class ReverbDocument
{
    public bool Enabled { get; set; }
    public double Decay { get; set; }
    public double Damping { get; set; }
    public double PreDelay { get; set; }
    public double Return { get; set; }
}

internal sealed class CompressorDocument
{
    public bool Enabled { get; set; }
    public double Threshold { get; set; }
    public double Knee { get; set; }
    public double Ratio { get; set; }
    public double Attack { get; set; }
    public double Release { get; set; }
}

internal sealed class LimiterDocument
{
    public bool Enabled { get; set; }
    public double Ceiling { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TruePeak { get; set; }
}

internal sealed class SampleDocument
{
    public string Source { get; set; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }
}

internal sealed class TrackDocument
{
    public string Name { get; set; } = "";
    public string Color { get; set; } = "";
    public string? Sample { get; set; }
    public double Volume { get; set; }
    public double Pan { get; set; }
    public bool Mute { get; set; }
    public bool Solo { get; set; }
    public int Length { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Choke { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Swing { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double Reverb { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MidiChannel { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MidiNote { get; set; }
    public List<StepDocument> Steps { get; set; } = [];
}

internal sealed class StepDocument
{
    public bool Active { get; set; }
    public string? Sample { get; set; }
    public int Velocity { get; set; }
    public double Probability { get; set; }
    public double Timing { get; set; }
    public EffectsDocument? Effects { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double Pitch { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double Start { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Reverse { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Gate { get; set; }
    /// <summary>Null when 1 (not written).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Ratchet { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Condition { get; set; }
}

internal sealed class EffectsDocument
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FilterDocument? Filter { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DistortionDocument? Distortion { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DelayDocument? Delay { get; set; }
}

internal sealed class FilterDocument
{
    public string Type { get; set; } = "lowpass";
    public double Frequency { get; set; }
    public double Q { get; set; }
}

internal sealed class DistortionDocument
{
    public double Amount { get; set; }
}

internal sealed class DelayDocument
{
    public double Time { get; set; }
    public double Feedback { get; set; }
    public double Mix { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(PatternDocument))]
internal sealed partial class PatternJsonContext : JsonSerializerContext;
