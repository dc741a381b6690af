using System.Text;
using System.Text.Json;

namespace Orbitr.Web.Settings;

/// <summary>The stored form of <see cref="AppSettings"/>: a small JSON object in localStorage. Reading never throws:
/// stored data is whatever an older version, another tab or a hand edit left there, so each field that is missing,
/// of the wrong type or out of range takes its default on its own, and the others are kept.</summary>
public static class SettingsJson
{
    public const int Version = 1;

    private static readonly string[] LatencyNames = ["interactive", "balanced", "playback"];
    private static readonly string[] ThemeNames = ["dark", "light", "system"];

    /// <summary>The Web Audio name of a latency hint (an AudioContextLatencyCategory).</summary>
    public static string Name(LatencyHint hint) => LatencyNames[(int)hint];

    /// <summary>The name of a theme, as set on &lt;html data-theme&gt; by settings.js.</summary>
    public static string Name(Theme theme) => ThemeNames[(int)theme];

    /// <summary>The latency hint of a Web Audio name; null for anything else.</summary>
    public static LatencyHint? LatencyHintNamed(string? name) => Array.IndexOf(LatencyNames, name) is var i and >= 0 ? (LatencyHint)i : null;

    public static Theme? ThemeNamed(string? name) => Array.IndexOf(ThemeNames, name) is var i and >= 0 ? (Theme)i : null;

    public static string Write(AppSettings settings)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("version", Version);
            w.WriteNumber("metronomeLevel", settings.MetronomeLevel);
            w.WriteString("latencyHint", Name(settings.LatencyHint));
            w.WriteString("theme", Name(settings.Theme));
            w.WriteNumber("soundStorageMegabytes", settings.SoundStorageMegabytes);
            w.WriteBoolean("uploadOfflineSounds", settings.UploadOfflineSounds);
            w.WriteBoolean("auditionOnSelect", settings.AuditionOnSelect);
            w.WriteBoolean("queuePatterns", settings.QueuePatterns);
            w.WriteBoolean("quantizeRecording", settings.QuantizeRecording);
            w.WriteBoolean("countIn", settings.CountIn);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The settings stored as <paramref name="text"/>; the defaults for null, non-JSON or a non-object.</summary>
    public static AppSettings Read(string? text)
    {
        var d = AppSettings.Default;
        if (string.IsNullOrWhiteSpace(text)) return d;
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return d;
            return new AppSettings
            {
                MetronomeLevel = Number(root, "metronomeLevel", AppSettings.MinMetronomeLevel, AppSettings.MaxMetronomeLevel) ?? d.MetronomeLevel,
                LatencyHint = LatencyHintNamed(Text(root, "latencyHint")) ?? d.LatencyHint,
                Theme = ThemeNamed(Text(root, "theme")) ?? d.Theme,
                SoundStorageMegabytes = Number(root, "soundStorageMegabytes", AppSettings.MinSoundStorageMegabytes, AppSettings.MaxSoundStorageMegabytes)
                    is { } mb && mb == Math.Floor(mb) ? (int)mb : d.SoundStorageMegabytes,
                UploadOfflineSounds = Boolean(root, "uploadOfflineSounds") ?? d.UploadOfflineSounds,
                AuditionOnSelect = Boolean(root, "auditionOnSelect") ?? d.AuditionOnSelect,
                QueuePatterns = Boolean(root, "queuePatterns") ?? d.QueuePatterns,
                QuantizeRecording = Boolean(root, "quantizeRecording") ?? d.QuantizeRecording,
                CountIn = Boolean(root, "countIn") ?? d.CountIn,
            };
        }
        catch (JsonException)
        {
            return d;
        }
    }

    private static double? Number(JsonElement root, string name, double min, double max) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var v)
            && double.IsFinite(v) && v >= min && v <= max ? v : null;

    private static bool? Boolean(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null;

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
}
