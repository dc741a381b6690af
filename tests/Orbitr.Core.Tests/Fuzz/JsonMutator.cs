using System.Text;
using System.Text.RegularExpressions;

namespace Orbitr.Tests.Fuzz;

/// <summary>Mutates JSON documents the way hand-edited and machine-mangled pattern files go wrong: at the byte level
/// (flips, truncation, broken UTF-8, deep nesting) and at the JSON level (escape sequences in strings and names,
/// number forms, whitespace, Unicode, encodings and byte order marks). Shared by the reader's fuzz tests and the
/// CLI's corpus test.</summary>
public static partial class JsonMutator
{
    private static readonly string[] Tokens =
    [
        "null", "true", "false", "0", "-0", "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "NaN", "Infinity",
        "\"\"", "\"x\"", "[]", "{}", "[[[[[[[[[[", "]]]]", "{\"a\":", ",", ":", "\"\\u0000\"", "\"\\ud800\"", "\"tracks\"",
        "\"steps\"", "\"bpm\":1,\"bpm\":2", "\"unknown\":1", "-", "1.5", "127", "128", "\"builtin:kick\"",
    ];

    /// <summary>Escape sequences, valid and not: lone and reversed surrogates, control characters, bad escapes.</summary>
    private static readonly string[] Escapes =
    [
        "\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud83e\\udd41", "\\ud800\\u0041", "\\u0000", "\\u001f", "\\u007f", "\\u2028",
        "\\uFEFF", "\\uffff", "\\u12", "\\x41", "\\'", "\\", "\\u", "\\uD800\\uDBFF", "\\n", "\\t", "\\/", "\\\"", "\\\\",
    ];

    /// <summary>Number forms JSON allows and forbids, and ones too large or small for a double.</summary>
    private static readonly string[] Numbers =
    [
        "1e400", "-1e400", "1e-400", "-0", "0e0", "1E+2", "01", "1.", ".5", "+1", "0x10", "1e", "-", "NaN", "Infinity", "-Infinity",
        "99999999999999999999999999999999999999", "4294967296", "-2147483649", "1.7976931348623157e308", "5e-324", "1_000",
        new string('9', 400), "0." + new string('0', 400) + "1", "1e99999999999",
    ];

    private static readonly string[] Whitespace = [" ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u2028", "\ufeff", "\u3000", "\f", "\v"];

    private static readonly string[] Unicode = ["🥁", "é", "e\u0301", "\u200b", "\u202e", "\uffff", "\ufffd", "ß", "♪", "\u0007"];

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringToken();

    [GeneratedRegex("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?")]
    private static partial Regex NumberToken();

    public static byte[] Mutate(byte[] seed, Random rng)
    {
        var count = 1 + rng.Next(3);
        var bytes = seed;
        for (var m = 0; m < count; m++) bytes = rng.Next(2) == 0 ? MutateBytes(bytes, rng) : MutateJson(bytes, rng);
        return bytes;
    }

    public static byte[] MutateBytes(byte[] seed, Random rng)
    {
        var bytes = new List<byte>(seed);
        if (bytes.Count == 0) return [];
        var at = rng.Next(bytes.Count);
        switch (rng.Next(9))
        {
            case 0: bytes[at] = (byte)rng.Next(256); break;                                   // flip a byte (also invalid UTF-8)
            case 1: bytes.RemoveRange(at, bytes.Count - at); break;                           // truncate
            case 2: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + rng.Next(20))); break; // delete a run
            case 3: bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[rng.Next(Tokens.Length)])); break;
            case 4:                                                                           // duplicate a run
                var len = Math.Min(bytes.Count - at, 1 + rng.Next(200));
                bytes.InsertRange(at, bytes.GetRange(at, len));
                break;
            case 5: bytes.InsertRange(at, Encoding.UTF8.GetBytes(new string('[', rng.Next(1, 3000)))); break; // deep nesting
            case 6: bytes.InsertRange(at, rng.Next(3) switch { 0 => [0xC3, 0x28, 0xF0, 0x9F], 1 => [0xED, 0xA0, 0x80], _ => [0xC0, 0xAF] }); break; // broken, surrogate, overlong UTF-8
            case 7:                                                                           // replace a digit with a huge or odd number
                var digits = Encoding.UTF8.GetBytes(rng.Next(3) switch { 0 => "1e308", 1 => "-99999999999999999999", _ => "0.000001" });
                if (bytes[at] is >= (byte)'0' and <= (byte)'9') { bytes.RemoveAt(at); bytes.InsertRange(at, digits); }
                break;
            default: bytes[at] = (byte)"{}[]\",:0 "[rng.Next(9)]; break;                     // structural noise
        }
        return [.. bytes];
    }

    public static byte[] MutateJson(byte[] seed, Random rng)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(seed);
        }
        catch (DecoderFallbackException)
        {
            return MutateBytes(seed, rng);
        }
        switch (rng.Next(7))
        {
            case 0: // an escape sequence inside a string value or a field name
            {
                var strings = StringToken().Matches(text);
                if (strings.Count == 0) break;
                var s = strings[rng.Next(strings.Count)];
                var inside = s.Index + 1 + rng.Next(Math.Max(1, s.Length - 1));
                text = text.Insert(Math.Min(inside, s.Index + s.Length - 1), Escapes[rng.Next(Escapes.Length)]);
                break;
            }
            case 1: // a string replaced by one made only of escapes
            {
                var strings = StringToken().Matches(text);
                if (strings.Count == 0) break;
                var s = strings[rng.Next(strings.Count)];
                var body = string.Concat(Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => Escapes[rng.Next(Escapes.Length)]));
                text = text.Remove(s.Index, s.Length).Insert(s.Index, $"\"{body}\"");
                break;
            }
            case 2: // another number form
            {
                var numbers = NumberToken().Matches(text);
                if (numbers.Count == 0) break;
                var n = numbers[rng.Next(numbers.Count)];
                text = text.Remove(n.Index, n.Length).Insert(n.Index, Numbers[rng.Next(Numbers.Length)]);
                break;
            }
            case 3: // whitespace, legal or not, between tokens
            {
                var at = rng.Next(text.Length + 1);
                text = text.Insert(at, Whitespace[rng.Next(Whitespace.Length)]);
                break;
            }
            case 4: // raw Unicode (and a raw control character) inside a string
            {
                var strings = StringToken().Matches(text);
                if (strings.Count == 0) break;
                var s = strings[rng.Next(strings.Count)];
                text = text.Insert(s.Index + 1, Unicode[rng.Next(Unicode.Length)]);
                break;
            }
            case 5: // another encoding or byte order mark
                return rng.Next(5) switch
                {
                    0 => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
                    1 => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
                    2 => Encoding.Unicode.GetBytes(text),
                    3 => [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(text)],
                    _ => [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
                };
            default: // a field name made of a lone surrogate
            {
                var at = text.IndexOf('{');
                if (at < 0) break;
                text = text.Insert(at + 1, rng.Next(2) == 0 ? "\"\\ud800\":1," : "\"na\\udc00me\":\"x\",");
                break;
            }
        }
        return Encoding.UTF8.GetBytes(text);
    }
}
