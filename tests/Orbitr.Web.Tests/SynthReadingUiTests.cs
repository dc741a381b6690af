using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Web.Components;

namespace Orbitr.Web.Tests;

/// <summary>A synth job's row says which words the synth understood and, for a prompt it has no sound for, that it made
/// a generic tone and where MusicGen is (bUnit, against <see cref="FakeServer"/>).</summary>
public class SynthReadingUiTests : AppTestContext
{
    private readonly FakeServer _server = new();

    private const string Synth = """{"name":"synth","modelVersion":"synth-1","minDurationSeconds":0.1,"maxDurationSeconds":10,"qualities":["draft","hq"],"available":true,"problem":null}""";
    private const string MusicGen = """{"name":"musicgen","modelVersion":"musicgen-1","minDurationSeconds":0.1,"maxDurationSeconds":30,"qualities":["draft","hq"],"available":true,"problem":null}""";

    public SynthReadingUiTests()
    {
        // Registered after the base's unreachable client: the last registration wins.
        Services.AddScoped(_ => new HttpClient(_server, disposeHandler: false) { BaseAddress = new Uri("http://orbitr.test/") });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _server.Dispose();
    }

    private static string Job(string prompt, string engine, string? reading) =>
        $$"""{"id":"g1","status":"succeeded","progress":1,"position":0,"sampleId":"s1","prompt":"{{prompt}}","engine":"{{engine}}","durationSeconds":2,"quality":"draft","seed":1,"cached":false{{(reading is null ? "" : ",\"reading\":" + reading)}}}""";

    /// <summary>Renders the panel once the engine list is read, generates <paramref name="prompt"/> and returns its row.</summary>
    private AngleSharp.Dom.IElement Generate(string engines, string prompt, string engine, string? reading)
    {
        _server.EnginesJson = engines;
        _server.GenerationJson = Job(prompt, engine, reading);
        var cut = Render<GenerationPanel>();
        cut.WaitForAssertion(() => Assert.Equal(1, _server.Count("GET", "api/engines")));
        var list = Services.GetRequiredService<Orbitr.Web.Library.GenerationList>();
        cut.WaitForAssertion(() => Assert.True(list.EnginesLoaded));
        cut.InvokeAsync(() => cut.Find("#prompt").Input(prompt)).GetAwaiter().GetResult();
        cut.InvokeAsync(() => cut.Find("form").Submit()).GetAwaiter().GetResult();
        cut.WaitForAssertion(() => Assert.Equal("succeeded", cut.Find("li.job[data-id=g1]").GetAttribute("data-status")));
        return cut.Find("li.job[data-id=g1]");
    }

    [Fact]
    public void A_synth_job_shows_the_words_it_understood_and_no_note_when_it_understood_them_all()
    {
        var row = Generate("[" + Synth + "]", "dusty kick", "synth", """{"understood":["dusty","kick"],"ignored":[],"sound":"kick"}""");
        Assert.Equal("Synth understood: dusty, kick.", row.QuerySelector(".job-reading")!.TextContent.Trim());
        Assert.Null(row.QuerySelector(".job-note"));
    }

    [Fact]
    public void A_prompt_the_synth_has_no_sound_for_says_so_and_that_the_server_needs_MusicGen()
    {
        var row = Generate("[" + Synth + "]", "a cat meowing", "synth", """{"understood":[],"ignored":["cat","meowing"],"sound":null}""");
        var note = row.QuerySelector(".job-reading .job-note")!;
        Assert.Equal("note", note.GetAttribute("role"));
        Assert.Equal("Synth has no sound for \"cat\", \"meowing\": it made a generic tone. MusicGen is the engine for prompts like this: "
                     + "the server needs a MusicGen model configured (Orbitr__MusicGen__ModelPath).", note.TextContent.Trim());
        Assert.DoesNotContain("understood", row.QuerySelector(".job-reading")!.TextContent);
    }

    [Fact]
    public void With_MusicGen_on_the_server_the_note_says_to_choose_it_in_Engine()
    {
        var row = Generate("[" + Synth + "," + MusicGen + "]", "dusty kick and rain", "synth",
            """{"understood":["dusty","kick"],"ignored":["rain"],"sound":"kick"}""");
        Assert.StartsWith("Synth understood: dusty, kick.", row.QuerySelector(".job-reading")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Synth has no sound for \"rain\": it made the kick without it. MusicGen is the engine for prompts like this: choose it in Engine.",
            row.QuerySelector(".job-note")!.TextContent.Trim());
    }

    [Fact]
    public void A_MusicGen_that_did_not_load_is_named_with_its_problem()
    {
        var broken = MusicGen.Replace("\"available\":true,\"problem\":null", "\"available\":false,\"problem\":\"no model.onnx in the folder\"", StringComparison.Ordinal);
        var row = Generate("[" + Synth + "," + broken + "]", "rain", "synth", """{"understood":[],"ignored":["rain"],"sound":null}""");
        Assert.EndsWith("this server has it configured but it is not available (no model.onnx in the folder).",
            row.QuerySelector(".job-note")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_MusicGen_job_has_no_synth_reading()
    {
        var row = Generate("[" + Synth + "," + MusicGen + "]", "a cat meowing", "musicgen", null);
        Assert.Null(row.QuerySelector(".job-reading"));
    }
}
