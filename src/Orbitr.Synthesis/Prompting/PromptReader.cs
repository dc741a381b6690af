using System.Globalization;
using System.Text.RegularExpressions;

namespace Orbitr.Synthesis.Prompting;

/// <summary>Reads a text prompt ("dusty lo-fi kick", "glass bell, long tail, C minor", "140 bpm riser") into a
/// <see cref="SoundSpec"/>: the first word that names a kind of sound wins, adjectives push parameters, note names
/// set the pitch and "N bpm" the tempo. Anything it cannot read still yields a musical sound (a pluck or a bell), and
/// <see cref="Interpret"/> says which words it could not read.</summary>
public static partial class PromptReader
{
    public const int MaxLength = 200;

    private static readonly (string Word, SoundKind Kind)[] Kinds =
    [
        ("kick", SoundKind.Kick), ("bd", SoundKind.Kick), ("bassdrum", SoundKind.Kick), ("808", SoundKind.Kick),
        ("snare", SoundKind.Snare), ("sd", SoundKind.Snare), ("clap", SoundKind.Clap), ("handclap", SoundKind.Clap),
        ("hat", SoundKind.Hat), ("hihat", SoundKind.Hat), ("hi-hat", SoundKind.Hat), ("hh", SoundKind.Hat),
        ("cymbal", SoundKind.Cymbal), ("crash", SoundKind.Cymbal), ("ride", SoundKind.Cymbal), ("splash", SoundKind.Cymbal),
        ("tom", SoundKind.Tom), ("rim", SoundKind.Rim), ("rimshot", SoundKind.Rim), ("stick", SoundKind.Rim),
        ("cowbell", SoundKind.Cowbell), ("shaker", SoundKind.Shaker), ("maraca", SoundKind.Shaker), ("tambourine", SoundKind.Shaker),
        ("sub", SoundKind.Sub), ("bass", SoundKind.Bass), ("reese", SoundKind.Bass),
        ("pluck", SoundKind.Pluck), ("guitar", SoundKind.Pluck), ("harp", SoundKind.Pluck), ("marimba", SoundKind.Pluck),
        ("bell", SoundKind.Bell), ("chime", SoundKind.Bell), ("glass", SoundKind.Bell), ("glock", SoundKind.Bell), ("glockenspiel", SoundKind.Bell),
        ("chord", SoundKind.Chord), ("stab", SoundKind.Chord), ("piano", SoundKind.Chord), ("keys", SoundKind.Chord), ("organ", SoundKind.Chord),
        ("pad", SoundKind.Pad), ("drone", SoundKind.Pad), ("strings", SoundKind.Pad), ("atmosphere", SoundKind.Pad),
        ("lead", SoundKind.Lead), ("synth", SoundKind.Lead), ("arp", SoundKind.Lead),
        ("vocal", SoundKind.Chop), ("vox", SoundKind.Chop), ("voice", SoundKind.Chop), ("chop", SoundKind.Chop),
        ("riser", SoundKind.Riser), ("sweep", SoundKind.Riser), ("uplifter", SoundKind.Riser), ("build", SoundKind.Riser),
        ("fx", SoundKind.Fx), ("zap", SoundKind.Fx), ("laser", SoundKind.Fx), ("impact", SoundKind.Fx), ("boom", SoundKind.Fx),
        ("noise", SoundKind.Noise), ("static", SoundKind.Noise), ("vinyl", SoundKind.Noise), ("wind", SoundKind.Noise),
    ];

    /// <summary>Why a prompt cannot be used (code 2002), or null when it can.</summary>
    public static string? Problem(string? prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt)) return "the prompt is empty";
        if (prompt.Length > MaxLength) return $"the prompt is {prompt.Length} characters; at most {MaxLength}";
        foreach (var c in prompt)
            if (char.IsControl(c)) return $"the prompt contains a control character (U+{(int)c:X4})";
        return null;
    }

    /// <summary>Lower case, words separated by single spaces: the form the cache key and the reader use.</summary>
    public static string Normalize(string prompt) =>
        string.Join(' ', Words().Split(prompt.ToLowerInvariant()).Where(w => w.Length > 0));

    public static SoundSpec Read(string prompt) => Interpret(prompt).Spec;

    /// <summary>Reads a prompt and says which of its words made the sound: a word counts as understood when a rule below
    /// used it (the kind that won, an adjective, a note, a tempo), so the lists cannot drift from what the synth does.
    /// Other words are ignored, except a few grammar words (<see cref="Filler"/>) that carry no sound.</summary>
    public static PromptReading Interpret(string prompt)
    {
        var text = Normalize(prompt);
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var starts = new int[words.Length];
        for (int i = 0, at = 0; i < words.Length; at += words[i].Length + 1, i++) starts[i] = at;
        var used = new bool[words.Length];
        // Marks the words a match in the text touches: a phrase or a regex may span words, or sit inside one.
        void Use(int start, int length)
        {
            for (var i = 0; i < words.Length; i++)
                if (starts[i] < start + length && start < starts[i] + words[i].Length) used[i] = true;
        }

        // The first word that names a kind wins; every word naming that same kind ("808 kick") is understood with it,
        // while words naming another kind shape nothing.
        var kind = words.Select(KindOf).FirstOrDefault(k => k is not null);
        for (var i = 0; i < words.Length; i++)
            if (kind is not null && KindOf(words[i]) == kind) used[i] = true;
        // True when any of the words (or a phrase, found anywhere in the text) is there; every one found is marked used.
        bool Has(params string[] any)
        {
            var found = false;
            foreach (var a in any)
            {
                if (!a.Contains(' '))
                {
                    for (var i = 0; i < words.Length; i++)
                        if (words[i] == a) found = used[i] = true;
                    continue;
                }
                for (var at = text.IndexOf(a, StringComparison.Ordinal); at >= 0; at = text.IndexOf(a, at + 1, StringComparison.Ordinal))
                {
                    found = true;
                    Use(at, a.Length);
                }
            }
            return found;
        }
        var spec = new SoundSpec(kind ?? SoundKind.Pluck, Recognized: kind is not null);
        double brightness = 0, length = 0;
        if (Has("dark", "deep", "muffled", "low", "dull")) brightness -= 0.8;
        if (Has("bright", "crisp", "sharp", "airy", "shiny", "glass", "sparkly")) brightness += 0.8;
        if (Has("short", "tight", "snappy", "staccato", "closed", "dry")) length -= 0.8;
        if (Has("long", "open", "sustained", "tail", "boomy", "huge", "big")) length += 0.8;
        spec = spec with
        {
            Brightness = Math.Clamp(brightness, -1, 1),
            Length = Math.Clamp(length, -1, 1),
            Punch = Has("punchy", "hard", "tight", "knock", "slap") ? 0.8 : Has("soft", "gentle", "smooth", "mellow") ? -0.6 : 0,
            LoFi = Has("lo-fi", "lofi", "lo fi", "dusty", "bitcrushed", "crushed", "8-bit", "8bit", "tape", "old") ? 0.8 : 0,
            Drive = Has("distorted", "distortion", "overdriven", "gritty", "dirty", "saturated", "fuzz", "aggressive") ? 0.8 : 0,
            Wet = Has("wet", "reverb", "verb", "hall", "space", "spacious", "ambient", "cathedral", "echo") ? 0.7 : 0,
            Metallic = Has("metallic", "metal", "industrial", "clang", "tin") ? 0.8 : 0,
            Warmth = Has("warm", "analog", "vintage", "round", "fat") ? 0.7 : 0,
            Is808 = Has("808", "trap"),
            Acoustic = Has("acoustic", "live", "real", "natural", "jazz"),
            Minor = Has("minor", "min", "sad", "dark chord"),
        };
        var note = new[] { NoteWithOctave().Match(text), Key().Match(text), InKey().Match(text) }.FirstOrDefault(m => m.Success);
        if (note is not null)
        {
            spec = spec with { Frequency = Frequency(note) };
            Use(note.Index, note.Length);
        }
        if (Tempo().Match(text) is { Success: true } bpm &&
            double.TryParse(bpm.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && b is >= 40 and <= 300)
        {
            spec = spec with { Bpm = b };
            Use(bpm.Index, bpm.Length);
        }
        if (kind is null)
        {
            // Nothing named: something musical, chosen by the words so different prompts differ.
            var h = 0u;
            foreach (var c in text) h = h * 31 + c;
            spec = spec with { Kind = (h % 3) switch { 0 => SoundKind.Pluck, 1 => SoundKind.Bell, _ => SoundKind.Pad } };
        }
        var understood = words.Where((_, i) => used[i]).Distinct().ToArray();
        var ignored = words.Where(w => !understood.Contains(w) && !Filler.Contains(w) && w.Any(char.IsLetterOrDigit)).Distinct().ToArray();
        return new PromptReading(spec, understood, ignored);
    }

    private static SoundKind? KindOf(string w)
    {
        foreach (var (word, k) in Kinds)
            if (w == word || (w.Length > 3 && w.TrimEnd('s') == word)) return k;
        return null;
    }

    /// <summary>Grammar words ("a cat meowing", "kick with reverb"): not sounds, so never reported as ignored. Not a
    /// vocabulary: a filler word that a rule uses ("a minor", "in d") is understood like any other.</summary>
    private static readonly HashSet<string> Filler =
        ["a", "an", "the", "and", "or", "with", "of", "in", "on", "at", "for", "to", "from", "by", "some", "very", "really", "bit", "little",
         "like", "sound", "sounds", "sample", "one-shot"];

    // "c4", "f#2", "bb3"; "a minor", "eb major"; "in d": a note letter with an octave, a key word or "in" (so the
    // article "a" is not a note). Groups: 1 letter, 2 accidental, 3 octave (optional; default octave 3).
    private static double Frequency(Match m)
    {
        var letter = char.ToLowerInvariant(m.Groups[1].Value[0]);
        var semitone = letter switch { 'c' => 0, 'd' => 2, 'e' => 4, 'f' => 5, 'g' => 7, 'a' => 9, _ => 11 };
        semitone += m.Groups[2].Value switch { "#" or "sharp" => 1, "b" or "flat" => -1, _ => 0 };
        var octave = m.Groups[3].Success && m.Groups[3].Length > 0 ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 3;
        var midi = 12 * (octave + 1) + semitone;
        return 440 * Math.Pow(2, (midi - 69) / 12.0);
    }

    [GeneratedRegex(@"[^a-z0-9#\-]+")]
    private static partial Regex Words();

    [GeneratedRegex(@"(?:^|\s)([a-g])(#|b)?([0-7])(?=\s|$)")]
    private static partial Regex NoteWithOctave();

    [GeneratedRegex(@"(?:^|\s)([a-g])(#|b|sharp|flat)?()\s?(?:minor|major|min|maj)(?=\s|$)")]
    private static partial Regex Key();

    [GeneratedRegex(@"(?:^|\s)in\s([a-g])(#|b|sharp|flat)?()(?=\s|$)")]
    private static partial Regex InKey();

    [GeneratedRegex(@"(\d{2,3}(?:\.\d+)?)\s?bpm")]
    private static partial Regex Tempo();
}
