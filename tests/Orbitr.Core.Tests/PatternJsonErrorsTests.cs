using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.Core.Tests;

/// <summary>Every problem of a readable document is reported in one pass, each at its JSON path; only a document that
/// is not JSON at all stops at its first error.</summary>
public class PatternJsonErrorsTests
{
    private static string Doc(string extra) =>
        $$$"""{"bpm": 120, "length": 4, "samples": {"k": {"source": "builtin:kick"}}, "tracks": [{"sample": "k", "length": 4, "steps": [{}, {}, {}, {}]}, {"sample": "k", "length": 4}]{{{extra}}}}""";

    [Fact]
    public void Unknown_fields_and_range_errors_are_all_reported_together()
    {
        // Reported from outside: only the unknown field was listed.
        var json = """
            {"tempoo": 120, "bpm": 250, "length": 4, "samples": {"k": {"source": "builtin:kick"}},
             "tracks": [{"sample": "k", "length": 4, "steps": [{}, {}, {"velocity": 140}, {}]}, {"sample": "k", "length": 4, "pan": -3}]}
            """;
        var result = PatternJson.Read(json);
        Assert.False(result.Ok);
        Assert.Equal(["bpm", "tempoo", "tracks[0].steps[2].velocity", "tracks[1].pan"], result.Errors.Select(e => e.Path).Order());
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_reported_and_skipped_and_the_rest_is_still_checked()
    {
        var result = PatternJson.Read("""{"bpm": "fast", "swing": 300, "master": {"volume": "loud", "limiter": {"ceiling": 5}}, "seed": -1, "tracks": [{}]}""");
        Assert.False(result.Ok);
        var paths = result.Errors.Select(e => e.Path).ToList();
        Assert.Equal(["bpm", "master.limiter.ceiling", "master.volume", "seed", "swing"], paths.Order());
        Assert.Contains("must be a number", result.Errors.Single(e => e.Path == "bpm").Message);
    }

    [Fact]
    public void A_ring_that_is_not_an_object_keeps_the_paths_of_the_rings_after_it()
    {
        var result = PatternJson.Read("""{"tracks": [5, {"pan": -3}, "x", {"volume": 2}]}""");
        Assert.Equal(["tracks[0]", "tracks[1].pan", "tracks[2]", "tracks[3].volume"], result.Errors.Select(e => e.Path).Order());
    }

    [Fact]
    public void A_sample_that_cannot_be_read_is_reported_once_not_again_by_every_ring_using_it()
    {
        var result = PatternJson.Read("""{"samples": {"k": {"source": "nope:x"}, "s": 3}, "tracks": [{"sample": "k"}, {"sample": "s"}, {"sample": "missing"}]}""");
        Assert.Equal(["samples.k.source", "samples.s", "tracks[2].sample"], result.Errors.Select(e => e.Path).Order());
    }

    [Fact]
    public void A_length_that_cannot_be_read_does_not_also_fault_the_steps()
    {
        var result = PatternJson.Read("""{"tracks": [{"length": "four", "steps": [{}, {}, {}, {}], "volume": 9}]}""");
        Assert.Equal(["tracks[0].length", "tracks[0].volume"], result.Errors.Select(e => e.Path).Order());
    }

    [Fact]
    public void Every_duplicate_field_is_reported_and_reading_goes_on()
    {
        var result = PatternJson.Read("""{"bpm": 120, "bpm": 130, "swing": 10, "swing": 20, "length": 0, "tracks": [{"length": 1}]}""");
        Assert.Equal(["bpm", "length", "swing"], result.Errors.Select(e => e.Path).Order());
        Assert.All(result.Errors.Where(e => e.Path != "length"), e => Assert.Contains("more than once", e.Message));
    }

    [Theory]
    [InlineData("{\"bpm\": 120,", "at line 1, column 12")]
    [InlineData("{\"bpm\": 12O}", "at line 1, column 11")]
    [InlineData("{\"name\": \"tab\there\"}", "at line 1, column 14")]
    [InlineData("[1, 2", "at line 1, column 6")]
    [InlineData("{\n  \"bpm\": 120\n  \"swing\": 1\n}", "at line 3, column 3")]
    [InlineData("RIFF\u0001WAVEfmt ", "at line 1, column 1")]
    public void A_document_that_is_not_json_stops_at_its_first_error_with_line_and_column(string json, string where)
    {
        var result = PatternJson.Read(json);
        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors).Message;
        Assert.StartsWith("not a pattern file: not valid JSON", error);
        Assert.EndsWith(where, error);
        // Words a person reads: no reader resource keys, whatever the build keeps.
        Assert.DoesNotContain("LineNumber", error);
        Assert.DoesNotContain("BytePositionInLine", error);
    }

    [Fact]
    public void Escaped_control_characters_in_names_are_range_errors_beside_the_others()
    {
        var result = PatternJson.Read(Doc(""", "name": "a\u0001b", "swing": -1"""));
        Assert.Equal(["name", "swing"], result.Errors.Select(e => e.Path).Order());
    }

    [Fact]
    public void A_newer_format_version_stops_reading_because_its_fields_may_mean_something_else()
    {
        var result = PatternJson.Read("""{"version": 3, "bpm": 999, "whatever": 1}""");
        Assert.Equal("version", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void A_valid_document_still_reads()
    {
        var result = PatternJson.Read(Doc(""));
        Assert.True(result.Ok, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Pattern!.Tracks.Count);
        Assert.Equal(Pattern.DefaultBpm, result.Pattern.Bpm);
    }
}
