using System.Text;
using System.Text.Json;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.Core.Editing;

/// <summary>Steps copied from a pattern (issue 26): each with every field, at its place relative to the clip's first
/// ring and step, and the samples they name.</summary>
public sealed record StepClip(EquatableArray<ClipStep> Steps, EquatableArray<SampleEntry> Samples)
{
    public bool IsEmpty => Steps.Count == 0;
    /// <summary>Rings and steps the clip spans.</summary>
    public int Rings => Steps.Count == 0 ? 0 : Steps.Items.Max(s => s.Track) + 1;
    public int Width => Steps.Count == 0 ? 0 : Steps.Items.Max(s => s.Step) + 1;
}

/// <summary>One copied step: its ring and step offset from the clip's first ring and step.</summary>
public sealed record ClipStep(int Track, int Step, Step Value);

/// <summary>Copy, cut, paste and duplicate of steps (issue 26). A paste writes every copied step's fields at the target,
/// the clip's first ring on the target's ring and each step wrapped round its ring; rings past the last are left out.
/// A sample a step names is brought into the target's sample table (the same source keeps its key). The system
/// clipboard carries the clip as JSON: <c>{ "format": "orbitr.steps", "version": 1, "cells": [[ring, step], …],
/// "pattern": { pattern JSON holding the steps at those places } }</c>, so two tabs paste into each other.</summary>
public static class StepClipboard
{
    public const string Format = "orbitr.steps";
    public const int Version = 1;
    public const int MaxBytes = 2 * 1024 * 1024;

    public static StepClip Copy(Pattern p, IEnumerable<(int Track, int Step)> cells)
    {
        var valid = cells.Where(c => c.Track >= 0 && c.Track < p.Tracks.Count && c.Step >= 0 && c.Step < p.Tracks[c.Track].Steps.Count)
            .Distinct().OrderBy(c => c.Track).ThenBy(c => c.Step).ToList();
        if (valid.Count == 0) return new StepClip(EquatableArray<ClipStep>.Empty, EquatableArray<SampleEntry>.Empty);
        var t0 = valid.Min(c => c.Track);
        var s0 = valid.Min(c => c.Step);
        var steps = valid.Select(c => new ClipStep(c.Track - t0, c.Step - s0, p.Tracks[c.Track].Steps[c.Step])).ToList();
        var keys = steps.Select(s => s.Value.Sample).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var samples = p.Samples.Items.Where(e => keys.Contains(e.Key)).ToList();
        return new StepClip(new EquatableArray<ClipStep>(steps), new EquatableArray<SampleEntry>(samples));
    }

    /// <summary>Pastes <paramref name="clip"/> with its first ring and step at <paramref name="at"/>; returns the
    /// places written (to select them).</summary>
    public static Pattern Paste(Pattern p, StepClip clip, (int Track, int Step) at, out IReadOnlyList<(int Track, int Step)> pasted)
    {
        var written = new List<(int, int)>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in clip.Steps)
        {
            var track = at.Track + c.Track;
            if (track < 0 || track >= p.Tracks.Count) continue;
            var length = p.Tracks[track].Steps.Count;
            var step = ((at.Step + c.Step) % length + length) % length;
            var value = c.Value;
            if (value.Sample is { } key)
            {
                if (!keys.TryGetValue(key, out var mapped))
                {
                    var source = clip.Samples.Items.FirstOrDefault(e => e.Key == key)?.Ref;
                    if (source is null) mapped = p.FindSample(key) is not null ? key : "";
                    else p = PatternEditor.WithSample(p, source, out mapped);
                    keys[key] = mapped;
                }
                value = value with { Sample = mapped.Length == 0 ? null : mapped };
            }
            p = PatternEditor.UpdateStep(p, track, step, _ => value);
            written.Add((track, step));
        }
        pasted = written;
        return p;
    }

    /// <summary>Clears the steps (a cut, after its copy).</summary>
    public static Pattern Clear(Pattern p, IEnumerable<(int Track, int Step)> cells)
    {
        foreach (var (t, s) in cells)
            if (t >= 0 && t < p.Tracks.Count && s >= 0 && s < p.Tracks[t].Steps.Count) p = PatternEditor.UpdateStep(p, t, s, _ => new Step());
        return p;
    }

    /// <summary>A copy of the steps right after them (on the same rings, from the step after the last one).</summary>
    public static Pattern Duplicate(Pattern p, IReadOnlyCollection<(int Track, int Step)> cells, out IReadOnlyList<(int Track, int Step)> pasted)
    {
        var clip = Copy(p, cells);
        if (clip.IsEmpty)
        {
            pasted = [];
            return p;
        }
        var valid = cells.Where(c => c.Track >= 0 && c.Track < p.Tracks.Count).ToList();
        return Paste(p, clip, (valid.Min(c => c.Track), valid.Min(c => c.Step) + clip.Width), out pasted);
    }

    public static string ToJson(StepClip clip)
    {
        // The steps in a pattern of as many rings (at least the minimum) and steps as they span, so the pattern reader
        // checks every field on the way back.
        var rings = Math.Max(Pattern.MinTracks, clip.Rings);
        var width = Math.Clamp(clip.Width, Pattern.MinLength, Pattern.MaxLength);
        var p = PatternEditor.SetLength(PatternFactory.Create(rings, seed: 0, name: "Clipboard"), width);
        var own = clip.Samples.Items.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        p = p with { Samples = new EquatableArray<SampleEntry>(clip.Samples.Items.Concat(p.Samples.Items.Where(e => !own.Contains(e.Key)))) };
        foreach (var c in clip.Steps) p = PatternEditor.UpdateStep(p, c.Track, c.Step, _ => c.Value);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("version", Version);
            w.WriteStartArray("cells");
            foreach (var c in clip.Steps)
            {
                w.WriteStartArray();
                w.WriteNumberValue(c.Track);
                w.WriteNumberValue(c.Step);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WritePropertyName("pattern");
            w.WriteRawValue(PatternJson.WriteUtf8(p));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The clip a clipboard text holds, or null when it is not one (any text: never throws).</summary>
    public static StepClip? FromJson(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxBytes || !text.Contains(Format, StringComparison.Ordinal)) return null;
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var f) || f.ValueKind != JsonValueKind.String || f.GetString() != Format) return null;
            if (!root.TryGetProperty("version", out var v) || !v.TryGetInt32(out var version) || version < 1 || version > Version) return null;
            if (!root.TryGetProperty("pattern", out var patternJson) || !root.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array) return null;
            if (PatternJson.Read(Encoding.UTF8.GetBytes(patternJson.GetRawText())).Pattern is not { } p) return null;
            var places = new List<(int, int)>();
            foreach (var cell in cells.EnumerateArray())
            {
                if (cell.ValueKind != JsonValueKind.Array || cell.GetArrayLength() != 2) return null;
                if (!cell[0].TryGetInt32(out var t) || !cell[1].TryGetInt32(out var s)) return null;
                if (t < 0 || t >= p.Tracks.Count || s < 0 || s >= p.Tracks[t].Steps.Count) return null;
                places.Add((t, s));
            }
            var clip = Copy(p, places);
            return clip.IsEmpty ? null : clip;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
