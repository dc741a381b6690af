using System.Text;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Core.Validation;

namespace Orbitr.Core.Tests;

/// <summary>Feeds mutated and malformed documents through reading and validation: every one must end in a valid
/// pattern or a list of errors — never an exception, a hang or unbounded output.</summary>
public class PatternJsonFuzzTests
{
    private static readonly string[] Tokens =
    [
        "null", "true", "false", "0", "-0", "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "NaN", "Infinity",
        "\"\"", "\"x\"", "[]", "{}", "[[[[[[[[[[", "]]]]", "{\"a\":", ",", ":", "\"\\u0000\"", "\"\\ud800\"", "\"tracks\"",
        "\"steps\"", "\"bpm\":1,\"bpm\":2", "\"unknown\":1", "-", "1.5", "127", "128", "\"builtin:kick\"",
    ];

    private static byte[] Mutate(byte[] seed, Random rng)
    {
        var bytes = new List<byte>(seed);
        var count = 1 + rng.Next(4);
        for (var m = 0; m < count && bytes.Count > 0; m++)
        {
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
                case 6: bytes.InsertRange(at, [0xC3, 0x28, 0xF0, 0x9F]); break;                  // broken multi-byte sequences
                case 7:                                                                           // replace a number with a huge or odd one
                    var digits = Encoding.UTF8.GetBytes(rng.Next(3) switch { 0 => "1e308", 1 => "-99999999999999999999", _ => "0.000001" });
                    if (bytes[at] is >= (byte)'0' and <= (byte)'9') { bytes.RemoveAt(at); bytes.InsertRange(at, digits); }
                    break;
                default: bytes[at] = (byte)"{}[]\",:0 "[rng.Next(9)]; break;                     // structural noise
            }
        }
        return [.. bytes];
    }

    [Fact]
    public void Ten_thousand_mutated_documents_end_in_a_pattern_or_errors()
    {
        var seeds = new[]
        {
            PatternJson.WriteUtf8(TestPatterns.Busy()),
            PatternJson.WriteUtf8(PatternFactory.Create(8, 5)),
            Encoding.UTF8.GetBytes("""{"bpm":120,"tracks":[{"sample":"k","steps":[{"active":true,"velocity":90,"effects":{"filter":{"type":"lowpass","frequency":500,"q":1},"delay":{"time":0.2,"feedback":0.3,"mix":0.5},"distortion":{"amount":0.4}}}],"length":1}],"samples":{"k":{"source":"builtin:kick"}},"length":1}"""),
        };
        var rng = new Random(20261124);
        int valid = 0, invalid = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var doc = Mutate(seeds[i % seeds.Length], rng);
            var result = PatternJson.Read(doc);
            if (result.Ok)
            {
                Assert.Empty(PatternValidator.Validate(result.Pattern!));
                Assert.Empty(result.Errors);
                valid++;
            }
            else
            {
                Assert.NotEmpty(result.Errors);
                Assert.InRange(result.Errors.Count, 1, 1000);
                Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
                invalid++;
            }
        }
        // Both outcomes must actually occur, or the mutations are too weak or too strong to mean anything.
        Assert.True(valid > 100, $"only {valid} mutated documents were still valid");
        Assert.True(invalid > 5000, $"only {invalid} mutated documents were invalid");
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var rng = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var bytes = new byte[rng.Next(0, 512)];
            rng.NextBytes(bytes);
            Assert.False(PatternJson.Read(bytes).Ok);
        }
    }

    [Fact]
    public void A_document_of_a_million_bad_fields_reports_a_bounded_list()
    {
        var sb = new StringBuilder("{");
        for (var i = 0; i < 60_000; i++) sb.Append($"\"f{i}\":1,");
        sb.Append("\"end\":1}");
        var result = PatternJson.Read(sb.ToString());
        Assert.Equal(1000, result.Errors.Count);
    }
}
