using System.Text;
using System.Text.Json;

namespace Orbitr.Web.Midi;

/// <summary>What the MIDI dialog sets, kept in this browser (ports are this machine's): whether Web MIDI was turned
/// on (so the next visit opens it without a click), the ports by id, clock out and clock follow.</summary>
public sealed record MidiSetup(bool Enabled = false, string? Output = null, string? Input = null, bool SendClock = false, bool FollowClock = false)
{
    public const string StorageKey = "orbitr.midi";

    public string Write()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("enabled", Enabled);
            if (Output is not null) w.WriteString("output", Output);
            if (Input is not null) w.WriteString("input", Input);
            w.WriteBoolean("sendClock", SendClock);
            w.WriteBoolean("followClock", FollowClock);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The stored setup; each missing or mistyped field its default (never throws: storage holds anything).</summary>
    public static MidiSetup Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new();
        try
        {
            using var doc = JsonDocument.Parse(text);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object) return new();
            return new(Bool(r, "enabled"), Text(r, "output"), Text(r, "input"), Bool(r, "sendClock"), Bool(r, "followClock"));
        }
        catch (JsonException)
        {
            return new();
        }
    }

    private static bool Bool(JsonElement r, string name) => r.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.True;

    private static string? Text(JsonElement r, string name) =>
        r.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 and <= 512 } s ? s : null;
}
