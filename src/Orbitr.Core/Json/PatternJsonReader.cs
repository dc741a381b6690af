using System.Text.Json;
using Orbitr.Core.Kit;
using Orbitr.Core.Model;
using Orbitr.Core.Validation;

namespace Orbitr.Core.Json;

/// <summary>Walks a parsed pattern document field by field, collecting every structural error with its path,
/// then hands the result to <see cref="PatternValidator"/> for the ranges.</summary>
internal sealed class PatternJsonReader
{
    private const int MaxDepth = 16;
    private readonly List<PatternError> _errors = [];

    public static PatternReadResult TooLarge(long bytes) =>
        new(null, [new PatternError("", $"the file is {bytes:N0} bytes; a pattern may be at most {PatternJson.MaxBytes:N0} bytes (1 MB)")]);

    public static PatternReadResult Read(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > PatternJson.MaxBytes) return TooLarge(utf8.Length);
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        if (EncodingProblem(utf8) is { } encoding) return new(null, [new PatternError("", encoding)]);
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
            document = JsonDocument.ParseValue(ref reader);
            // ParseValue stops after the first value; anything but whitespace after it is an error.
            if (reader.Read())
                return new(null, [new PatternError("", $"unexpected content after the pattern at byte {reader.TokenStartIndex}")]);
        }
        catch (JsonException ex)
        {
            return new(null, [new PatternError("", $"not a pattern file: not valid JSON {Describe(ex)}")]);
        }
        catch (ArgumentException)
        {
            return new(null, [new PatternError("", "not a pattern file: not valid JSON")]);
        }

        using (document)
        {
            var self = new PatternJsonReader();
            var pattern = self.ReadPattern(document.RootElement);
            if (pattern is null) return new(null, self._errors);
            // Every problem at once: what could not be read kept its default (so it adds no range error of its own),
            // and the ranges of everything else are checked too.
            foreach (var e in PatternValidator.Validate(pattern))
                if (!self._errors.Any(s => s.Path == e.Path)) self.Error(e.Path, e.Message);
            return self._errors.Count > 0 ? new(null, self._errors) : new(pattern, []);
        }
    }

    /// <summary>Why these bytes are not UTF-8 text, in words a user can act on; null when they are.</summary>
    private static string? EncodingProblem(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]) || bytes.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
            return "the file is UTF-32 text; a pattern must be saved as UTF-8";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return "the file is UTF-16 text; a pattern must be saved as UTF-8";
        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
            return $"the file holds a NUL byte at byte {nul}: it is not UTF-8 text (UTF-16 without a byte order mark, or not text at all)";
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return null;
        var at = 0;
        while (at < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out var used) != System.Buffers.OperationStatus.Done)
                return $"the file is not valid UTF-8 text (an invalid byte sequence at byte {at})";
            at += used;
        }
        return null;
    }

    // Where, from the exception's position (1-based for people), never its message: a trimmed browser build has no
    // resource strings and shows raw keys such as "ExpectedStartOfPropertyNotFound, , LineNumber: 0" (issue 23).
    private static string Describe(JsonException ex) =>
        ex.LineNumber is { } line ? $"at line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}" : "(the text ended too soon)";

    private Pattern? ReadPattern(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error("", $"a pattern must be a JSON object, not {Kind(root)}");
            return null;
        }
        CheckDuplicates(root, "");

        // The version decides how to read everything else, so look at it first.
        if (TryField(root, "version", out var versionEl))
        {
            var version = Integer(versionEl, "version", long.MinValue, long.MaxValue);
            if (version is { } v && v > Pattern.Version)
            {
                Error("version", $"this pattern is format version {v}, made by a newer Orbitr; this version reads version {Pattern.Version}. Update Orbitr to open it");
                return null;
            }
            if (version is { } v2 && v2 < 1) Error("version", $"{v2} is not a pattern format version (expected {Pattern.Version})");
        }

        var p = PatternFactory.Defaults();
        foreach (var prop in Fields(root, ""))
        {
            var el = prop.Value;
            var path = prop.Name;
            switch (prop.Name)
            {
                case "format":
                    if (String(el, path) is { } format && format != Pattern.Format)
                        Error(path, $"\"{Clip(format)}\" is not an Orbitr pattern (expected \"{Pattern.Format}\")");
                    break;
                case "version": break;
                case "name": p = p with { Name = String(el, path) ?? p.Name }; break;
                case "bpm": p = p with { Bpm = Number(el, path) ?? p.Bpm }; break;
                case "swing": p = p with { Swing = Number(el, path) ?? p.Swing }; break;
                case "length": p = p with { Length = (int?)Integer(el, path, -1, 1_000_000) ?? p.Length }; break;
                case "timeSignature": p = p with { TimeSignature = ReadTimeSignature(el, path) ?? p.TimeSignature }; break;
                case "seed": p = p with { Seed = (uint?)Integer(el, path, 0, uint.MaxValue) ?? p.Seed }; break;
                case "master": p = p with { Master = ReadMaster(el, path) ?? p.Master }; break;
                case "samples": p = p with { Samples = ReadSamples(el, path) ?? p.Samples }; break;
                case "tracks": break; // read below, once the pattern length is known
                default: Unknown(path); break;
            }
        }
        if (TryField(root, "tracks", out var tracksEl))
            p = p with { Tracks = ReadTracks(tracksEl, "tracks", p.Length) ?? p.Tracks };
        return p;
    }

    private TimeSignature? ReadTimeSignature(JsonElement el, string path)
    {
        if (el.ValueKind != JsonValueKind.Array || el.GetArrayLength() != 2)
        {
            Error(path, $"must be an array of two integers such as [4, 4], not {Kind(el)}");
            return null;
        }
        var num = Integer(el[0], $"{path}[0]", -1, 1000);
        var den = Integer(el[1], $"{path}[1]", -1, 1000);
        return num is null || den is null ? null : new TimeSignature((int)num, (int)den);
    }

    private MasterSettings? ReadMaster(JsonElement el, string path)
    {
        if (!Object(el, path)) return null;
        var m = MasterSettings.Default;
        foreach (var prop in Fields(el, path))
        {
            var p = $"{path}.{prop.Name}";
            switch (prop.Name)
            {
                case "volume": m = m with { Volume = Number(prop.Value, p) ?? m.Volume }; break;
                case "compressor": m = m with { Compressor = ReadCompressor(prop.Value, p) ?? m.Compressor }; break;
                case "limiter": m = m with { Limiter = ReadLimiter(prop.Value, p) ?? m.Limiter }; break;
                case "reverb": m = m with { Reverb = ReadReverb(prop.Value, p) ?? m.Reverb }; break;
                default: Unknown(p); break;
            }
        }
        return m;
    }

    private CompressorSettings? ReadCompressor(JsonElement el, string path)
    {
        if (!Object(el, path)) return null;
        var c = new CompressorSettings();
        foreach (var prop in Fields(el, path))
        {
            var p = $"{path}.{prop.Name}";
            switch (prop.Name)
            {
                case "enabled": c = c with { Enabled = Bool(prop.Value, p) ?? c.Enabled }; break;
                case "threshold": c = c with { Threshold = Number(prop.Value, p) ?? c.Threshold }; break;
                case "knee": c = c with { Knee = Number(prop.Value, p) ?? c.Knee }; break;
                case "ratio": c = c with { Ratio = Number(prop.Value, p) ?? c.Ratio }; break;
                case "attack": c = c with { Attack = Number(prop.Value, p) ?? c.Attack }; break;
                case "release": c = c with { Release = Number(prop.Value, p) ?? c.Release }; break;
                default: Unknown(p); break;
            }
        }
        return c;
    }

    private LimiterSettings? ReadLimiter(JsonElement el, string path)
    {
        if (!Object(el, path)) return null;
        var l = new LimiterSettings();
        foreach (var prop in Fields(el, path))
        {
            var p = $"{path}.{prop.Name}";
            switch (prop.Name)
            {
                case "enabled": l = l with { Enabled = Bool(prop.Value, p) ?? l.Enabled }; break;
                case "ceiling": l = l with { Ceiling = Number(prop.Value, p) ?? l.Ceiling }; break;
                case "truePeak": l = l with { TruePeak = Bool(prop.Value, p) ?? l.TruePeak }; break;
                default: Unknown(p); break;
            }
        }
        return l;
    }

    private ReverbSettings? ReadReverb(JsonElement el, string path)
    {
        if (!Object(el, path)) return null;
        var r = ReverbSettings.Default;
        foreach (var prop in Fields(el, path))
        {
            var p = $"{path}.{prop.Name}";
            switch (prop.Name)
            {
                case "enabled": r = r with { Enabled = Bool(prop.Value, p) ?? r.Enabled }; break;
                case "decay": r = r with { Decay = Number(prop.Value, p) ?? r.Decay }; break;
                case "damping": r = r with { Damping = Number(prop.Value, p) ?? r.Damping }; break;
                case "preDelay": r = r with { PreDelay = Number(prop.Value, p) ?? r.PreDelay }; break;
                case "return": r = r with { Return = Number(prop.Value, p) ?? r.Return }; break;
                default: Unknown(p); break;
            }
        }
        return r;
    }

    private EquatableArray<SampleEntry>? ReadSamples(JsonElement el, string path)
    {
        if (!Object(el, path)) return null;
        var entries = new List<SampleEntry>();
        foreach (var prop in Fields(el, path))
        {
            if (entries.Count >= Pattern.MaxSamples)
            {
                Error(path, $"more than {Pattern.MaxSamples} samples");
                return null;
            }
            var p = $"{path}.{prop.Name}";
            // An entry that cannot be read keeps its key (with a placeholder sound), so the rings and steps that use
            // it are not reported as well.
            var placeholder = new SampleEntry(prop.Name, SampleRef.Builtin(BuiltinSounds.All[0].Name));
            if (!Object(prop.Value, p))
            {
                entries.Add(placeholder);
                continue;
            }
            string? source = null, name = null;
            foreach (var field in Fields(prop.Value, p))
            {
                var fp = $"{p}.{field.Name}";
                switch (field.Name)
                {
                    case "source": source = String(field.Value, fp); break;
                    case "name": name = field.Value.ValueKind == JsonValueKind.Null ? null : String(field.Value, fp); break;
                    default: Unknown(fp); break;
                }
            }
            if (source is null)
            {
                if (!TryField(prop.Value, "source", out _)) Error($"{p}.source", "is missing; a sample needs a source such as \"builtin:kick\"");
                entries.Add(placeholder);
                continue;
            }
            var sampleRef = SampleRef.TryParse(source, name);
            if (sampleRef is null)
            {
                Error($"{p}.source", $"\"{Clip(source)}\" is not a sample source (builtin:<name>, file:<path>, generated:<id> or local:<id>)");
                entries.Add(placeholder);
                continue;
            }
            entries.Add(new SampleEntry(prop.Name, sampleRef));
        }
        return new EquatableArray<SampleEntry>(entries);
    }

    private EquatableArray<Track>? ReadTracks(JsonElement el, string path, int patternLength)
    {
        if (el.ValueKind != JsonValueKind.Array)
        {
            Error(path, $"must be an array of tracks, not {Kind(el)}");
            return null;
        }
        var count = el.GetArrayLength();
        if (count > Pattern.MaxTracks)
        {
            Error(path, $"{count} tracks is more than the limit of {Pattern.MaxTracks}");
            return null;
        }
        var tracks = new List<Track>(count);
        var i = 0;
        foreach (var item in el.EnumerateArray())
        {
            // A ring that is not an object keeps its place (as a default ring), so the paths of the others stay right.
            tracks.Add(ReadTrack(item, $"{path}[{i}]", i, patternLength) ?? DefaultTrack(i, patternLength));
            i++;
        }
        return new EquatableArray<Track>(tracks);
    }

    private static Track DefaultTrack(int index, int patternLength)
    {
        var length = patternLength is >= Pattern.MinLength and <= Pattern.MaxLength ? patternLength : Pattern.DefaultLength;
        return Track.Create(PatternFactory.TrackName(index), PatternFactory.DefaultColor(index), null, length);
    }

    private Track? ReadTrack(JsonElement el, string path, int index, int patternLength)
    {
        if (!Object(el, path)) return null;
        var length = patternLength is >= Pattern.MinLength and <= Pattern.MaxLength ? patternLength : Pattern.DefaultLength;
        var lengthUnreadable = false;
        if (TryField(el, "length", out var lengthEl))
        {
            var read = (int?)Integer(lengthEl, $"{path}.length", -1, 1_000_000);
            length = read ?? length;
            lengthUnreadable = read is null;
        }
        var t = Track.Create(PatternFactory.TrackName(index), PatternFactory.DefaultColor(index), null, Math.Clamp(length, 0, Pattern.MaxLength)) with { Length = length };
        foreach (var prop in Fields(el, path))
        {
            var p = $"{path}.{prop.Name}";
            var v = prop.Value;
            switch (prop.Name)
            {
                case "name": t = t with { Name = String(v, p) ?? t.Name }; break;
                case "color": t = t with { Color = String(v, p) ?? t.Color }; break;
                case "sample": t = t with { Sample = v.ValueKind == JsonValueKind.Null ? null : String(v, p) }; break;
                case "volume": t = t with { Volume = Number(v, p) ?? t.Volume }; break;
                case "pan": t = t with { Pan = Number(v, p) ?? t.Pan }; break;
                case "mute": t = t with { Mute = Bool(v, p) ?? t.Mute }; break;
                case "solo": t = t with { Solo = Bool(v, p) ?? t.Solo }; break;
                case "length": break;
                case "choke": t = t with { Choke = v.ValueKind == JsonValueKind.Null ? null : (int?)Integer(v, p, -1_000_000, 1_000_000) ?? t.Choke }; break;
                case "swing": t = t with { Swing = v.ValueKind == JsonValueKind.Null ? null : Number(v, p) ?? t.Swing }; break;
                case "reverb": t = t with { Reverb = Number(v, p) ?? t.Reverb }; break;
                case "midiChannel": t = t with { MidiChannel = v.ValueKind == JsonValueKind.Null ? null : (int?)Integer(v, p, -1_000_000, 1_000_000) ?? t.MidiChannel }; break;
                case "midiNote": t = t with { MidiNote = v.ValueKind == JsonValueKind.Null ? null : (int?)Integer(v, p, -1_000_000, 1_000_000) ?? t.MidiNote }; break;
                case "steps": t = t with { Steps = ReadSteps(v, p) ?? t.Steps }; break;
                default: Unknown(p); break;
            }
        }
        // The length was already reported: don't also report the steps for not matching a length nobody wrote.
        return lengthUnreadable ? t with { Length = t.Steps.Count } : t;
    }

    private EquatableArray<Step>? ReadSteps(JsonElement el, string path)
    {
        if (el.ValueKind != JsonValueKind.Array)
        {
            Error(path, $"must be an array of steps, not {Kind(el)}");
            return null;
        }
        var count = el.GetArrayLength();
        if (count > Pattern.MaxLength)
        {
            Error(path, $"{count} steps is more than the limit of {Pattern.MaxLength}");
            return null;
        }
        var steps = new List<Step>(count);
        var i = 0;
        foreach (var item in el.EnumerateArray())
        {
            steps.Add(ReadStep(item, $"{path}[{i}]") ?? Step.Off);
            i++;
        }
        return new EquatableArray<Step>(steps);
    }

    private Step? ReadStep(JsonElement el, string path)
    {
        if (!Object(el, path)) return null;
        var s = Step.Off;
        foreach (var prop in Fields(el, path))
        {
            var p = $"{path}.{prop.Name}";
            var v = prop.Value;
            switch (prop.Name)
            {
                case "active": s = s with { Active = Bool(v, p) ?? s.Active }; break;
                case "sample": s = s with { Sample = v.ValueKind == JsonValueKind.Null ? null : String(v, p) }; break;
                case "velocity": s = s with { Velocity = (int?)Integer(v, p, -1_000_000, 1_000_000) ?? s.Velocity }; break;
                case "probability": s = s with { Probability = Number(v, p) ?? s.Probability }; break;
                case "timing": s = s with { Timing = Number(v, p) ?? s.Timing }; break;
                case "effects": s = s with { Effects = v.ValueKind == JsonValueKind.Null ? null : ReadEffects(v, p) }; break;
                case "pitch": s = s with { Pitch = Number(v, p) ?? s.Pitch }; break;
                case "start": s = s with { Start = Number(v, p) ?? s.Start }; break;
                case "reverse": s = s with { Reverse = Bool(v, p) ?? s.Reverse }; break;
                case "gate": s = s with { Gate = v.ValueKind == JsonValueKind.Null ? null : Number(v, p) ?? s.Gate }; break;
                case "ratchet": s = s with { Ratchet = (int?)Integer(v, p, -1_000_000, 1_000_000) ?? s.Ratchet }; break;
                case "condition": s = s with { Condition = v.ValueKind == JsonValueKind.Null ? null : ReadCondition(v, p) ?? s.Condition }; break;
                default: Unknown(p); break;
            }
        }
        return s;
    }

    private TrigCondition? ReadCondition(JsonElement el, string path)
    {
        if (String(el, path) is not { } text) return null;
        if (TrigCondition.TryParse(text, out var condition)) return condition;
        Error(path, $"\"{Clip(text)}\" is not a trig condition (\"A:B\" with 1 ≤ A ≤ B ≤ 8, \"first\", \"!first\", \"fill\" or \"!fill\")");
        return null;
    }

    private StepEffects? ReadEffects(JsonElement el, string path)
    {
        if (!Object(el, path)) return null;
        var fx = new StepEffects();
        foreach (var prop in Fields(el, path))
        {
            var p = $"{path}.{prop.Name}";
            var v = prop.Value;
            if (v.ValueKind == JsonValueKind.Null && prop.Name is "filter" or "distortion" or "delay") continue;
            switch (prop.Name)
            {
                case "filter": fx = fx with { Filter = ReadFilter(v, p) }; break;
                case "distortion":
                    if (!Object(v, p)) break;
                    var d = new DistortionEffect();
                    foreach (var f in Fields(v, p))
                    {
                        if (f.Name == "amount") d = d with { Amount = Number(f.Value, $"{p}.amount") ?? d.Amount };
                        else Unknown($"{p}.{f.Name}");
                    }
                    fx = fx with { Distortion = d };
                    break;
                case "delay":
                    if (!Object(v, p)) break;
                    var dl = new DelayEffect();
                    foreach (var f in Fields(v, p))
                    {
                        var fp = $"{p}.{f.Name}";
                        switch (f.Name)
                        {
                            case "time": dl = dl with { Time = Number(f.Value, fp) ?? dl.Time }; break;
                            case "feedback": dl = dl with { Feedback = Number(f.Value, fp) ?? dl.Feedback }; break;
                            case "mix": dl = dl with { Mix = Number(f.Value, fp) ?? dl.Mix }; break;
                            default: Unknown(fp); break;
                        }
                    }
                    fx = fx with { Delay = dl };
                    break;
                default: Unknown(p); break;
            }
        }
        return fx;
    }

    private FilterEffect? ReadFilter(JsonElement el, string path)
    {
        if (!Object(el, path)) return null;
        var f = new FilterEffect();
        foreach (var prop in Fields(el, path))
        {
            var p = $"{path}.{prop.Name}";
            switch (prop.Name)
            {
                case "type":
                    var type = String(prop.Value, p);
                    switch (type)
                    {
                        case null: break;
                        case "lowpass": f = f with { Type = FilterType.Lowpass }; break;
                        case "highpass": f = f with { Type = FilterType.Highpass }; break;
                        case "bandpass": f = f with { Type = FilterType.Bandpass }; break;
                        default: Error(p, $"\"{Clip(type)}\" is not a filter type (lowpass, highpass or bandpass)"); break;
                    }
                    break;
                case "frequency": f = f with { Frequency = Number(prop.Value, p) ?? f.Frequency }; break;
                case "q": f = f with { Q = Number(prop.Value, p) ?? f.Q }; break;
                default: Unknown(p); break;
            }
        }
        return f;
    }

    // ---- typed accessors: each reports a wrong type at its path and returns null ----

    private bool Object(JsonElement el, string path)
    {
        if (el.ValueKind != JsonValueKind.Object)
        {
            Error(path, $"must be an object, not {Kind(el)}");
            return false;
        }
        CheckDuplicates(el, path);
        return true;
    }

    /// <summary>A field of an object: its decoded name and value.</summary>
    private readonly record struct Field(string Name, JsonElement Value);

    /// <summary>The fields of an object whose names can be decoded; a name holding a lone surrogate escape
    /// (<c>"\ud800"</c>) cannot be a string, so it is reported at its path as written and skipped.</summary>
    private IEnumerable<Field> Fields(JsonElement el, string path)
    {
        foreach (var prop in el.EnumerateObject())
        {
            if (TryName(prop) is { } name)
            {
                yield return new Field(name, prop.Value);
                continue;
            }
            var raw = System.Text.Encoding.UTF8.GetString(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(prop));
            Error(Join(path, Clip(raw)), $"this field name holds {BadEscape} (and is not a field of an Orbitr pattern)");
        }
    }

    private const string BadEscape = "an invalid Unicode escape (a lone or reversed surrogate such as \\ud800): write the character itself or a whole surrogate pair";

    private static string? TryName(JsonProperty prop)
    {
        try
        {
            return prop.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>TryGetProperty that tolerates names it cannot decode (System.Text.Json throws on them); the last
    /// of duplicated fields wins, as in the reading loops.</summary>
    private static bool TryField(JsonElement el, string name, out JsonElement value)
    {
        value = default;
        var found = false;
        foreach (var prop in el.EnumerateObject())
        {
            if (TryName(prop) != name) continue;
            value = prop.Value;
            found = true;
        }
        return found;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>Reports every field that appears more than once (the last one is read, as JSON readers do).</summary>
    private void CheckDuplicates(JsonElement el, string path)
    {
        HashSet<string>? seen = null;
        HashSet<string>? reported = null;
        foreach (var prop in el.EnumerateObject())
        {
            if (TryName(prop) is not { } name) continue; // reported by Fields
            seen ??= new HashSet<string>(StringComparer.Ordinal);
            if (!seen.Add(name) && (reported ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                Error(Join(path, name), "appears more than once");
        }
    }

    private string? String(JsonElement el, string path)
    {
        if (el.ValueKind != JsonValueKind.String)
        {
            Error(path, $"must be a string, not {Kind(el)}");
            return null;
        }
        try
        {
            return el.GetString();
        }
        catch (InvalidOperationException)
        {
            Error(path, $"holds {BadEscape}");
            return null;
        }
    }

    private bool? Bool(JsonElement el, string path)
    {
        if (el.ValueKind is JsonValueKind.True or JsonValueKind.False) return el.GetBoolean();
        Error(path, $"must be true or false, not {Kind(el)}");
        return null;
    }

    private double? Number(JsonElement el, string path)
    {
        if (el.ValueKind != JsonValueKind.Number)
        {
            Error(path, $"must be a number, not {Kind(el)}");
            return null;
        }
        if (!el.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            Error(path, $"{Clip(el.GetRawText())} is too large to be a number here");
            return null;
        }
        return d;
    }

    /// <summary>An integer within [min, max] (wider than the valid range, so the validator can name the range).</summary>
    private long? Integer(JsonElement el, string path, long min, long max)
    {
        if (Number(el, path) is not { } d) return null;
        if (d != Math.Floor(d))
        {
            Error(path, $"{Num.F(d)} must be a whole number");
            return null;
        }
        if (d < min || d > max)
        {
            Error(path, $"{Clip(el.GetRawText())} is far outside the allowed range");
            return null;
        }
        return (long)d;
    }

    private void Unknown(string path) => Error(path, "is not a field of an Orbitr pattern (unknown fields are not allowed)");

    private void Error(string path, string message)
    {
        // A hostile file could hold millions of bad fields; the first thousand say enough.
        if (_errors.Count < 1000) _errors.Add(new PatternError(path, message));
    }

    private static string Kind(JsonElement el) => el.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
