using System.Globalization;
using System.Text;

namespace Orbitr.Server.Generation;

/// <summary>The prompt as the cache key sees it: Unicode NFKC, lower case (invariant), whitespace runs collapsed to
/// one space, trimmed. Every letter, number and symbol of every script is kept, so prompts differ in the key exactly
/// when they differ as text ("Ｋｉｃｋ" and "kick" are one prompt; "Müde" and "M de", or two Japanese prompts, are
/// not). The synth's own word parsing (PromptReader) stays as it is: the key never uses its lossy form.
///
/// <para>NFKC is done here from tables (<see cref="NfkcData"/>, made by tools/make_nfkc_data.py), not with
/// string.Normalize: the app runs with invariant globalization, where Normalize does nothing, and a table of our own
/// gives every server the same key whatever ICU its machine has.</para></summary>
public static class PromptKey
{
    public static string Normalize(string prompt)
    {
        var folded = Nfkc(prompt).ToLowerInvariant();
        var text = new StringBuilder(folded.Length);
        var space = false;
        foreach (var ch in folded)
        {
            if (char.IsWhiteSpace(ch))
            {
                space = text.Length > 0;
                continue;
            }
            if (space) text.Append(' ');
            space = false;
            text.Append(ch);
        }
        return text.ToString();
    }

    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, LCount = 19, VCount = 21, TCount = 28,
        NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Lazy<(Dictionary<int, int[]> Decompositions, Dictionary<int, byte> Classes, Dictionary<long, int> Compositions)> Tables =
        new(Load);

    /// <summary>Unicode normalization form KC (UAX #15): compatibility decomposition, canonical ordering, canonical
    /// composition. Text that is not valid UTF-16 keeps U+FFFD where a lone surrogate was.</summary>
    public static string Nfkc(string text)
    {
        var ascii = true;
        foreach (var ch in text)
            if (ch >= 0x80)
            {
                ascii = false;
                break;
            }
        if (ascii) return text;
        var (decompositions, classes, compositions) = Tables.Value;
        var buffer = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var cp = rune.Value;
            if (cp is >= SBase and < SBase + SCount)
            {
                var s = cp - SBase;
                buffer.Add(LBase + s / NCount);
                buffer.Add(VBase + s % NCount / TCount);
                if (s % TCount != 0) buffer.Add(TBase + s % TCount);
            }
            else if (decompositions.TryGetValue(cp, out var parts)) buffer.AddRange(parts);
            else buffer.Add(cp);
        }
        int Class(int cp) => classes.TryGetValue(cp, out var c) ? c : 0;
        // Canonical ordering: a stable sort of every run of non-starters by combining class.
        for (var i = 1; i < buffer.Count; i++)
        {
            var c = Class(buffer[i]);
            if (c == 0) continue;
            for (var j = i; j > 0 && Class(buffer[j - 1]) > c; j--) (buffer[j - 1], buffer[j]) = (buffer[j], buffer[j - 1]);
        }
        // Canonical composition (the sample algorithm of UAX #15).
        if (buffer.Count > 1)
        {
            var starter = 0;
            var lastClass = Class(buffer[0]) == 0 ? 0 : 256;
            var target = 1;
            for (var i = 1; i < buffer.Count; i++)
            {
                var ch = buffer[i];
                var c = Class(ch);
                if ((lastClass < c || lastClass == 0) && Compose(buffer[starter], ch, compositions) is { } composite)
                {
                    buffer[starter] = composite;
                    continue;
                }
                if (c == 0) starter = target;
                lastClass = c;
                buffer[target++] = ch;
            }
            buffer.RemoveRange(target, buffer.Count - target);
        }
        var result = new StringBuilder(buffer.Count);
        foreach (var cp in buffer) result.Append(char.ConvertFromUtf32(cp));
        return result.ToString();
    }

    private static int? Compose(int first, int second, Dictionary<long, int> compositions)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
            return SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
            return first + (second - TBase);
        return compositions.TryGetValue(((long)first << 21) | (uint)second, out var c) ? c : null;
    }

    private static (Dictionary<int, int[]>, Dictionary<int, byte>, Dictionary<long, int>) Load()
    {
        static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var decompositions = new Dictionary<int, int[]>();
        foreach (var entry in NfkcData.Decompositions.Split(';'))
        {
            var (cp, parts) = (entry[..entry.IndexOf(':')], entry[(entry.IndexOf(':') + 1)..]);
            decompositions[Hex(cp)] = [.. parts.Split(',').Select(Hex)];
        }
        var classes = new Dictionary<int, byte>();
        foreach (var entry in NfkcData.CombiningClasses.Split(';'))
        {
            var colon = entry.IndexOf(':');
            var range = entry[..colon];
            var c = byte.Parse(entry[(colon + 1)..], CultureInfo.InvariantCulture);
            var dash = range.IndexOf('-');
            var (from, to) = dash < 0 ? (Hex(range), Hex(range)) : (Hex(range[..dash]), Hex(range[(dash + 1)..]));
            for (var cp = from; cp <= to; cp++) classes[cp] = c;
        }
        var compositions = new Dictionary<long, int>();
        foreach (var entry in NfkcData.Compositions.Split(';'))
        {
            var colon = entry.IndexOf(':');
            var comma = entry.IndexOf(',');
            compositions[((long)Hex(entry[..comma]) << 21) | (uint)Hex(entry[(comma + 1)..colon])] = Hex(entry[(colon + 1)..]);
        }
        return (decompositions, classes, compositions);
    }
}
