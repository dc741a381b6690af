using System.Text;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Core.Validation;
using Orbitr.Tests.Fuzz;

namespace Orbitr.Core.Tests;

/// <summary>Feeds mutated and malformed documents through reading and validation: every one must end in a valid
/// pattern or a list of errors — never an exception, a hang or unbounded output.</summary>
public class PatternJsonFuzzTests
{
    internal static byte[][] Seeds =>
    [
        PatternJson.WriteUtf8(TestPatterns.Busy()),
        PatternJson.WriteUtf8(PatternFactory.Create(8, 5)),
        Encoding.UTF8.GetBytes("""{"bpm":120,"tracks":[{"sample":"k","steps":[{"active":true,"velocity":90,"effects":{"filter":{"type":"lowpass","frequency":500,"q":1},"delay":{"time":0.2,"feedback":0.3,"mix":0.5},"distortion":{"amount":0.4}}}],"length":1}],"samples":{"k":{"source":"builtin:kick","name":"Kick"}},"length":1,"name":"x"}"""),
    ];

    private static byte[] Mutate(byte[] seed, Random rng)
    {
        var count = 1 + rng.Next(4);
        for (var m = 0; m < count; m++) seed = JsonMutator.MutateBytes(seed, rng);
        return seed;
    }

    [Fact]
    public void Ten_thousand_mutated_documents_end_in_a_pattern_or_errors()
    {
        var seeds = Seeds;
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

    [Fact]
    public void Ten_thousand_json_level_mutations_end_in_a_pattern_or_errors_with_paths()
    {
        var seeds = Seeds;
        var rng = new Random(20261125);
        int valid = 0, invalid = 0, withPath = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var doc = JsonMutator.MutateJson(JsonMutator.MutateJson(seeds[i % seeds.Length], rng), rng);
            PatternReadResult result;
            try
            {
                result = PatternJson.Read(doc);
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} reading {Encoding.UTF8.GetString(doc.AsSpan(0, Math.Min(300, doc.Length)))}: {e.Message}");
                return;
            }
            if (result.Ok) { Assert.Empty(PatternValidator.Validate(result.Pattern!)); valid++; }
            else
            {
                Assert.InRange(result.Errors.Count, 1, 1000);
                Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
                if (result.Errors.All(e => e.Path.Length > 0)) withPath++;
                invalid++;
            }
        }
        Assert.True(valid > 20, $"only {valid} mutated documents were still valid");
        Assert.True(invalid > 3000, $"only {invalid} mutated documents were invalid");
        // Most JSON-level damage is inside a readable document, so it is located by path.
        Assert.True(withPath > invalid / 4, $"only {withPath} of {invalid} invalid documents had every error at a path");
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udfff")]
    [InlineData("\\udc00\\ud800")]
    [InlineData("a\\ud800b")]
    [InlineData("\\ud800\\u0041")]
    public void A_lone_or_reversed_surrogate_escape_is_an_error_at_its_path(string escaped)
    {
        var name = PatternJson.Read($$"""{"name": "{{escaped}}", "bpm": 250}""");
        Assert.False(name.Ok);
        Assert.Contains(name.Errors, e => e.Path == "name" && e.Message.Contains("surrogate"));
        Assert.Contains(name.Errors, e => e.Path == "bpm");

        var key = PatternJson.Read($$$"""{"samples": {"{{{escaped}}}": {"source": "builtin:kick"}}, "tracks": [{"name": "{{{escaped}}}", "sample": "{{{escaped}}}"}]}""");
        Assert.False(key.Ok);
        Assert.Contains(key.Errors, e => e.Path.StartsWith("samples.", StringComparison.Ordinal) && e.Message.Contains("surrogate"));
        Assert.Contains(key.Errors, e => e.Path == "tracks[0].name");
        Assert.Contains(key.Errors, e => e.Path == "tracks[0].sample");

        var field = PatternJson.Read($$"""{"{{escaped}}": 1, "swing": 300}""");
        Assert.Contains(field.Errors, e => e.Message.Contains("surrogate"));
        Assert.Contains(field.Errors, e => e.Path == "swing");
    }

    [Fact]
    public void A_valid_surrogate_pair_escape_reads_as_its_character()
    {
        var result = PatternJson.Read("""{"name": "\ud83e\udd41 beat", "tracks": [{}]}""");
        Assert.True(result.Ok, string.Join("; ", result.Errors));
        Assert.Equal("🥁 beat", result.Pattern!.Name);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0 }, "UTF-16")]
    [InlineData(new byte[] { 0xFE, 0xFF, 0, (byte)'{', 0, (byte)'}' }, "UTF-16")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0, 0, (byte)'{', 0, 0, 0 }, "UTF-32")]
    [InlineData(new byte[] { (byte)'{', 0, (byte)'}', 0 }, "NUL")]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' }, "byte 2")]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)'}' }, "byte 2")]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' }, "JSON")]
    public void Encodings_and_byte_order_marks_other_than_utf8_are_named(byte[] bytes, string expected)
    {
        var result = PatternJson.Read(bytes);
        Assert.False(result.Ok);
        Assert.Contains(expected, Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("123456789012345678901234567890123456789012345678901234567890e300")]
    [InlineData("1e99999999999")]
    public void Numbers_too_large_for_a_double_are_errors_at_their_path(string number)
    {
        var result = PatternJson.Read($$"""{"bpm": {{number}}, "tracks": [{"steps": [{"velocity": {{number}}}], "length": 1}], "length": 1}""");
        Assert.False(result.Ok);
        Assert.Contains(result.Errors, e => e.Path == "bpm");
        Assert.Contains(result.Errors, e => e.Path == "tracks[0].steps[0].velocity");
    }
}
