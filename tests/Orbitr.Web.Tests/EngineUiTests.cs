using System.Globalization;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Tests.Waiting;
using Orbitr.Web.Components;

namespace Orbitr.Web.Tests;

/// <summary>Engine choice (GET /api/engines), the engine sent with a generation, per-engine duration limits and the
/// engine tags in the queue and the library (bUnit, against <see cref="FakeServer"/>).</summary>
public class EngineUiTests : AppTestContext
{
    private readonly FakeServer _server = new();

    public EngineUiTests()
    {
        // Registered after the base's unreachable client: the last registration wins.
        Services.AddScoped(_ => new HttpClient(_server, disposeHandler: false) { BaseAddress = new Uri("http://orbitr.test/") });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _server.Dispose();
    }

    private static string Engine(string name, double max, bool available = true, string? problem = null) =>
        $$"""{"name":"{{name}}","modelVersion":"{{name}}-1","minDurationSeconds":0.1,"maxDurationSeconds":{{max.ToString(CultureInfo.InvariantCulture)}},"qualities":["draft","hq"],"available":{{(available ? "true" : "false")}},"problem":{{(problem is null ? "null" : JsonSerializer.Serialize(problem))}}}""";

    private static string Engines(params string[] engines) => "[" + string.Join(",", engines) + "]";

    private JsonElement GenerationPost()
    {
        var post = Assert.Single(_server.Requests, r => r.Method == HttpMethod.Post && r.Path == "api/generations");
        return JsonDocument.Parse(post.Body).RootElement;
    }

    private int GenerationPosts => _server.Count("POST", "api/generations");

    /// <summary>Finds and acts on the renderer's dispatcher and returns when the handler has run: the engine list
    /// arrives in the background, so a render may otherwise slip in between, or the event wait in the queue.</summary>
    private static void Act(IRenderedComponent<GenerationPanel> cut, Action action) => cut.InvokeAsync(action).GetAwaiter().GetResult();

    private static void Submit(IRenderedComponent<GenerationPanel> cut, string prompt)
    {
        Act(cut, () => cut.Find("#prompt").Input(prompt));
        Act(cut, () => cut.Find("form").Submit());
    }

    [Fact]
    public void One_available_engine_shows_no_engine_select_and_the_request_says_auto()
    {
        _server.EnginesJson = Engines(Engine("synth", 8));
        var cut = Render<GenerationPanel>();
        // The duration limit comes from the listed engine once the list is read.
        cut.WaitForAssertion(() => Assert.Equal("8", cut.Find("#duration").GetAttribute("max")));
        Assert.Empty(cut.FindAll("#engine"));
        Assert.Single(cut.FindAll("select")); // Quality only
        Assert.DoesNotContain("Engine", cut.Find(".generate-form").TextContent);

        Submit(cut, "dusty lo-fi kick");
        cut.WaitForAssertion(() => Assert.Equal(1, GenerationPosts));
        var body = GenerationPost();
        Assert.Equal("auto", body.GetProperty("engine").GetString());
        Assert.Equal("dusty lo-fi kick", body.GetProperty("prompt").GetString());
    }

    [Fact]
    public void Two_available_engines_offer_auto_synth_and_musicgen_and_the_chosen_one_is_sent()
    {
        _server.EnginesJson = Engines(Engine("synth", 10), Engine("musicgen", 30));
        var cut = Render<GenerationPanel>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#engine")));
        var options = cut.FindAll("#engine option");
        Assert.Equal(["Auto (MusicGen)", "Synth", "MusicGen"], options.Select(o => o.TextContent.Trim()));
        Assert.Equal(["auto", "synth", "musicgen"], options.Select(o => o.GetAttribute("value")));
        Assert.All(options, o => Assert.False(o.HasAttribute("disabled")));
        Assert.Equal("Engine", cut.Find(".engine-field").FirstChild!.TextContent.Trim());

        // The duration limit follows the engine: auto runs on MusicGen here.
        Assert.Equal("30", cut.Find("#duration").GetAttribute("max"));
        Act(cut, () => cut.Find("#engine").Change("synth"));
        Assert.Equal("10", cut.Find("#duration").GetAttribute("max"));
        Act(cut, () => cut.Find("#engine").Change("musicgen"));
        Assert.Equal("30", cut.Find("#duration").GetAttribute("max"));

        Submit(cut, "warm analog pad");
        cut.WaitForAssertion(() => Assert.Equal(1, GenerationPosts));
        Assert.Equal("musicgen", GenerationPost().GetProperty("engine").GetString());
        // Read once, not again on every keystroke and render.
        Assert.Equal(1, _server.Count("GET", "api/engines"));
    }

    [Fact]
    public void With_musicgen_unavailable_there_is_no_choice_and_auto_keeps_to_synths_limits()
    {
        _server.EnginesJson = Engines(Engine("synth", 8), Engine("musicgen", 30, available: false, problem: "model file missing"));
        var cut = Render<GenerationPanel>();
        cut.WaitForAssertion(() => Assert.Equal("8", cut.Find("#duration").GetAttribute("max")));
        Assert.Empty(cut.FindAll("#engine"));
        Assert.DoesNotContain("MusicGen", cut.Markup);

        Act(cut, () => cut.Find("#duration").Change("20")); // within MusicGen's limit, not synth's
        Submit(cut, "glass bell");
        Assert.Contains("from 0.1 to 8 s for Synth", cut.Find(".form-error").TextContent);
        Assert.Equal(0, GenerationPosts);
    }

    [Fact]
    public void An_unavailable_engine_is_offered_disabled_with_its_problem_and_auto_is_labelled_synth()
    {
        _server.EnginesJson = Engines(Engine("synth", 8), Engine("musicgen", 30, available: false, problem: "model file missing"), Engine("foley", 5));
        var cut = Render<GenerationPanel>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#engine")));
        Assert.Equal("Auto (Synth)", cut.Find("#engine option[value=auto]").TextContent.Trim());
        var musicgen = cut.Find("#engine option[value=musicgen]");
        Assert.True(musicgen.HasAttribute("disabled"));
        Assert.Equal("model file missing", musicgen.GetAttribute("title"));
        Assert.False(cut.Find("#engine option[value=synth]").HasAttribute("disabled"));
        Assert.False(cut.Find("#engine option[value=foley]").HasAttribute("disabled"));
        Assert.Equal("8", cut.Find("#duration").GetAttribute("max")); // auto → synth

        Submit(cut, "dusty lo-fi kick");
        cut.WaitForAssertion(() => Assert.Equal(1, GenerationPosts));
        Assert.Equal("auto", GenerationPost().GetProperty("engine").GetString());
    }

    [Fact]
    public void A_duration_above_the_chosen_engines_maximum_shows_an_error_and_sends_nothing()
    {
        _server.EnginesJson = Engines(Engine("synth", 10), Engine("musicgen", 30));
        var cut = Render<GenerationPanel>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#engine")));
        Act(cut, () => cut.Find("#engine").Change("synth"));
        Act(cut, () => cut.Find("#duration").Change("12"));
        Submit(cut, "warm analog pad");
        var error = cut.Find(".form-error");
        Assert.Equal("2002", error.GetAttribute("data-code"));
        Assert.Contains("Invalid duration", error.TextContent);
        Assert.Contains("from 0.1 to 10 s for Synth", error.TextContent);
        Assert.Equal(0, GenerationPosts);

        // The same duration is fine for MusicGen.
        Act(cut, () => cut.Find("#engine").Change("musicgen"));
        Act(cut, () => cut.Find("form").Submit());
        cut.WaitForAssertion(() => Assert.Equal(1, GenerationPosts));
        var body = GenerationPost();
        Assert.Equal(12, body.GetProperty("durationSeconds").GetDouble());
        Assert.Equal("musicgen", body.GetProperty("engine").GetString());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".form-error")));
    }

    [Fact]
    public async Task The_queue_shows_each_jobs_engine_and_a_running_jobs_percentage()
    {
        const string Job = """{"id":"g7","status":"STATUS","progress":PROGRESS,"position":0,"prompt":"warm analog pad","engine":"musicgen","durationSeconds":2,"quality":"draft","seed":3,"cached":false}""";
        static string At(string status, string progress) => Job.Replace("STATUS", status, StringComparison.Ordinal).Replace("PROGRESS", progress, StringComparison.Ordinal);
        _server.EnginesJson = Engines(Engine("synth", 10), Engine("musicgen", 30));
        _server.GenerationJson = At("queued", "0");
        var cut = Render<GenerationPanel>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#engine")));
        Submit(cut, "warm analog pad");

        // The job is followed by Server-Sent Events (events.js): play the server's updates through its follower.
        cut.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["follow"]));
        var follower = Assert.IsType<Microsoft.JSInterop.DotNetObjectReference<Orbitr.Web.Library.GenerationList.StreamFollower>>(
            JSInterop.Invocations["follow"].Single().Arguments[1]).Value;
        Assert.Equal("MusicGen", cut.Find("li.job[data-id=g7] .engine-tag").TextContent.Trim());
        await cut.InvokeAsync(() => follower.OnUpdate(At("running", "0.37")));
        cut.WaitForAssertion(() =>
        {
            var job = cut.Find("li.job[data-id=g7]");
            Assert.Equal("running", job.GetAttribute("data-status"));
            Assert.Contains("37", job.QuerySelector(".job-status")!.TextContent);
            Assert.Equal("0.37", job.QuerySelector("progress")!.GetAttribute("value"));
            Assert.Equal("MusicGen", job.QuerySelector(".engine-tag")!.TextContent.Trim());
            Assert.Equal("musicgen", job.QuerySelector(".engine-tag")!.GetAttribute("data-engine"));
        });
        await cut.InvokeAsync(() => follower.OnUpdate(At("succeeded", "1")));
        await cut.InvokeAsync(follower.OnClosed);
        cut.WaitForAssertion(() => Assert.Equal("succeeded", cut.Find("li.job[data-id=g7]").GetAttribute("data-status")));
        Assert.Equal("MusicGen", cut.Find("li.job[data-id=g7] .engine-tag").TextContent.Trim());
    }

    [Fact]
    public async Task An_unreachable_engine_list_means_synth_only_without_an_error_and_is_asked_again_later()
    {
        _server.EnginesJson = null; // offline
        var cut = Render<GenerationPanel>();
        // The engine list is read in the background (off the renderer): polled, not awaited through renders.
        await Eventually.AssertAsync(() => Assert.Equal(1, _server.Count("GET", "api/engines")), TimeSpan.FromSeconds(5), "the first read of the engine list");
        TypePrompt(cut, "d");
        TypePrompt(cut, "du");
        Assert.Empty(cut.FindAll("#engine"));
        Assert.Empty(cut.FindAll(".form-error"));
        Assert.Empty(Services.GetRequiredService<Orbitr.Web.State.Notices>().Items);
        Assert.Equal("10", cut.Find("#duration").GetAttribute("max"));
        Assert.Equal(1, _server.Count("GET", "api/engines")); // not once per keystroke

        // Back online: a later render (after the retry interval) reads the list.
        _server.EnginesJson = Engines(Engine("synth", 10), Engine("musicgen", 30));
        Services.GetRequiredService<Orbitr.Web.Library.GenerationList>().EngineRetryInterval = TimeSpan.Zero;
        await Eventually.AssertAsync(() =>
        {
            TypePrompt(cut, "dus");
            Assert.Equal(2, _server.Count("GET", "api/engines"));
        }, TimeSpan.FromSeconds(5), "a render after the retry interval to read the engine list again");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#engine")));
        Assert.Equal("Auto (MusicGen)", cut.Find("#engine option[value=auto]").TextContent.Trim());
    }

    private static void TypePrompt(IRenderedComponent<GenerationPanel> cut, string text) => Act(cut, () => cut.Find("#prompt").Input(text));

    [Fact]
    public async Task Library_samples_show_the_engine_that_made_them_and_uploads_stay_upload()
    {
        _server.SamplesJson = """
            {"items":[
              {"id":"m1","name":"glass bell","prompt":"glass bell","engine":"musicgen","durationSeconds":1.5,"sampleRate":32000,"channels":1,"peaks":[0.1,0.5],"source":"generated"},
              {"id":"s1","name":"dusty kick","prompt":"dusty kick","engine":"synth","durationSeconds":0.5,"sampleRate":44100,"channels":1,"peaks":[0.2],"source":"generated"},
              {"id":"u1","name":"my loop","engine":"upload","durationSeconds":2,"sampleRate":44100,"channels":2,"peaks":[0.3],"source":"upload"}
            ],"total":3}
            """;
        var cut = Render<Live<LibraryPanel>>();
        await cut.InvokeAsync(() => Services.GetRequiredService<Orbitr.Web.Library.SampleShelf>().RefreshAsync());
        cut.WaitForAssertion(() => Assert.Equal(15, cut.FindAll("li.sample").Count));

        var bell = cut.Find("li.sample[data-source='generated:m1']");
        Assert.Contains("generated", bell.ClassList);
        Assert.Equal("MusicGen", bell.QuerySelector(".engine-tag")!.TextContent.Trim());
        Assert.Equal("1.5 s", bell.QuerySelector(".meta")!.TextContent.Split('·')[1].Trim()); // what the E2E test reads
        Assert.Equal("Synth", cut.Find("li.sample[data-source='generated:s1'] .engine-tag").TextContent.Trim());

        var upload = cut.Find("li.sample[data-source='generated:u1']");
        Assert.Contains("upload", upload.ClassList);
        Assert.Null(upload.QuerySelector(".engine-tag"));
        Assert.StartsWith("upload", upload.QuerySelector(".meta")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(2, cut.FindAll(".engine-tag").Count); // kit sounds and uploads carry none
    }
}
