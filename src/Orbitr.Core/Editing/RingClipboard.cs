using System.Text;
using System.Text.Json;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.Core.Editing;

/// <summary>A ring copied from a pattern (issue 26): the whole ring as it was and the samples it and its steps name.</summary>
public sealed record RingClip(Track Ring, EquatableArray<SampleEntry> Samples)
{
    public int Length => Ring.Steps.Count;
}

/// <summary>Copy and paste of a whole ring (issue 26). A paste puts the copy's steps (every field), its sound and its own
/// swing on the target ring, which keeps its place in the mix: its name, colour, volume, pan, mute, solo, reverb send
/// and choke group stay. The target keeps its number of steps (steps past it are cut, missing ones are off) unless the
/// paste resizes it to the copy's. Samples come into the target's table as with <see cref="StepClipboard"/>. The system
/// clipboard carries <c>{ "format": "orbitr.ring", "version": 1, "pattern": { pattern JSON, the ring as its first } }</c>.</summary>
public static class RingClipboard
{
    public const string Format = "orbitr.ring";
    public const int Version = 1;

    public static RingClip Copy(Pattern p, int track)
    {
        var ring = p.Tracks[track];
        var keys = ring.Steps.Items.Select(s => s.Sample).Append(ring.Sample).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return new RingClip(ring, new EquatableArray<SampleEntry>(p.Samples.Items.Where(e => keys.Contains(e.Key))));
    }

    /// <summary>Pastes <paramref name="clip"/> onto ring <paramref name="track"/>; with <paramref name="resize"/> the ring
    /// takes the copy's number of steps.</summary>
    public static Pattern Paste(Pattern p, RingClip clip, int track, bool resize)
    {
        if (track < 0 || track >= p.Tracks.Count) return p;
        var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? Map(string? key)
        {
            if (key is null) return null;
            if (keys.TryGetValue(key, out var mapped)) return mapped;
            var source = clip.Samples.Items.FirstOrDefault(e => e.Key == key)?.Ref;
            if (source is null) mapped = p.FindSample(key) is not null ? key : null;
            else
            {
                p = PatternEditor.WithSample(p, source, out var added);
                mapped = added;
            }
            return keys[key] = mapped;
        }
        var sound = Map(clip.Ring.Sample);
        var target = p.Tracks[track];
        var length = resize ? clip.Length : target.Steps.Count;
        var steps = new Step[length];
        for (var i = 0; i < length; i++)
        {
            var step = i < clip.Length ? clip.Ring.Steps[i] : Step.Off;
            steps[i] = step.Sample is null ? step : step with { Sample = Map(step.Sample) };
        }
        // A sound the copy names but cannot bring (no entry anywhere) leaves the target's.
        var ring = target with
        {
            Sample = clip.Ring.Sample is null ? null : sound ?? target.Sample,
            Swing = clip.Ring.Swing,
            Length = length,
            Steps = new EquatableArray<Step>(steps),
        };
        return p with { Tracks = p.Tracks.SetItem(track, ring) };
    }

    public static string ToJson(RingClip clip)
    {
        var p = PatternFactory.Create(Pattern.MinTracks, seed: 0, name: "Clipboard");
        var own = clip.Samples.Items.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        p = p with
        {
            Samples = new EquatableArray<SampleEntry>(clip.Samples.Items.Concat(p.Samples.Items.Where(e => !own.Contains(e.Key)))),
            Tracks = p.Tracks.SetItem(0, clip.Ring),
        };
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("version", Version);
            w.WritePropertyName("pattern");
            w.WriteRawValue(PatternJson.WriteUtf8(p));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The ring a clipboard text holds, or null when it is not one (any text: never throws). The pattern reader
    /// checks every field.</summary>
    public static RingClip? FromJson(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > StepClipboard.MaxBytes || !text.Contains(Format, StringComparison.Ordinal)) return null;
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var f) || f.ValueKind != JsonValueKind.String || f.GetString() != Format) return null;
            if (!root.TryGetProperty("version", out var v) || !v.TryGetInt32(out var version) || version < 1 || version > Version) return null;
            if (!root.TryGetProperty("pattern", out var patternJson)) return null;
            if (PatternJson.Read(Encoding.UTF8.GetBytes(patternJson.GetRawText())).Pattern is not { Tracks.Count: > 0 } p) return null;
            return Copy(p, 0);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
