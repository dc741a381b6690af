using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Web.Components;

namespace Orbitr.Web.Tests;

/// <summary>The "Generate a sound" form's own checks (a new user's report): the error it shows for a duration or seed
/// out of range, which goes as soon as its field is edited, and the seed of each job in the queue (bUnit, against
/// <see cref="FakeServer"/> listing synth up to 8 s).</summary>
public class GenerationFormTests : AppTestContext
{
    private readonly FakeServer _server = new()
    {
        EnginesJson = """[{"name":"synth","modelVersion":"synth-1","minDurationSeconds":0.1,"maxDurationSeconds":8,"qualities":["draft","hq"],"available":true,"problem":null}]""",
    };

    public GenerationFormTests()
    {
        // Registered after the base's unreachable client: the last registration wins.
        Services.AddScoped(_ => new HttpClient(_server, disposeHandler: false) { BaseAddress = new Uri("http://orbitr.test/") });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _server.Dispose();
    }

    private int GenerationPosts => _server.Count("POST", "api/generations");

    /// <summary>Acts on the renderer's dispatcher and returns when the handler has run (the engine list arrives in the
    /// background, and a render may otherwise slip in between).</summary>
    private static void Act(IRenderedComponent<GenerationPanel> cut, Action action) => cut.InvokeAsync(action).GetAwaiter().GetResult();

    /// <summary>The panel once the server's engine list (synth, 0.1–8 s) is read.</summary>
    private IRenderedComponent<GenerationPanel> RenderPanel()
    {
        var cut = Render<GenerationPanel>();
        cut.WaitForAssertion(() => Assert.Equal("8", cut.Find("#duration").GetAttribute("max")));
        return cut;
    }

    private static void Submit(IRenderedComponent<GenerationPanel> cut) => Act(cut, () => cut.Find("form").Submit());

    private static AngleSharp.Dom.IElement? Error(IRenderedComponent<GenerationPanel> cut) => cut.FindAll(".form-error").SingleOrDefault();

    [Fact]
    public void The_form_does_not_leave_its_checks_to_the_browsers_validation_bubble()
    {
        // The bubble (min/max of the number inputs) refused the form before its own message could say the range.
        var cut = RenderPanel();
        Assert.True(cut.Find("form.generate-form").HasAttribute("novalidate"));
    }

    [Theory]
    [InlineData("20", "the duration must be from 0.1 to 8 s for Synth")]
    [InlineData("0", "the duration must be from 0.1 to 8 s for Synth")]
    [InlineData("", "the duration must be a number from 0.1 to 8 s for Synth")]
    [InlineData("abc", "the duration must be a number from 0.1 to 8 s for Synth")]
    public void A_duration_outside_the_engines_range_shows_that_range_in_the_form_and_sends_nothing(string duration, string message)
    {
        var cut = RenderPanel();
        Act(cut, () => cut.Find("#prompt").Input("dusty lo-fi kick"));
        Act(cut, () => cut.Find("#duration").Change(duration));
        Submit(cut);

        var error = Error(cut);
        Assert.NotNull(error);
        Assert.Equal("alert", error.GetAttribute("role"));
        Assert.Equal("2002", error.GetAttribute("data-code"));
        Assert.Contains("Invalid duration", error.TextContent);
        Assert.Contains(message, error.TextContent);
        Assert.Equal("true", cut.Find("#duration").GetAttribute("aria-invalid"));
        Assert.Equal(error.Id, cut.Find("#duration").GetAttribute("aria-describedby"));
        Assert.Equal(0, GenerationPosts);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("4294967296")]
    [InlineData("1.5")]
    public void A_seed_outside_0_to_4294967295_shows_an_error_in_the_form_and_sends_nothing(string seed)
    {
        var cut = RenderPanel();
        Act(cut, () => cut.Find("#prompt").Input("dusty lo-fi kick"));
        Act(cut, () => cut.Find("#seed").Change(seed));
        Submit(cut);

        var error = Error(cut);
        Assert.NotNull(error);
        Assert.Equal("alert", error.GetAttribute("role"));
        Assert.Contains("Invalid seed", error.TextContent);
        Assert.Contains("the seed must be a whole number from 0 to 4294967295, or empty for any", error.TextContent);
        Assert.Equal("true", cut.Find("#seed").GetAttribute("aria-invalid"));
        Assert.Equal(0, GenerationPosts);
    }

    [Fact]
    public void A_valid_duration_and_seed_are_sent()
    {
        var cut = RenderPanel();
        Act(cut, () => cut.Find("#prompt").Input("dusty lo-fi kick"));
        Act(cut, () => cut.Find("#duration").Change("8"));
        Act(cut, () => cut.Find("#seed").Change("4294967295"));
        Submit(cut);
        cut.WaitForAssertion(() => Assert.Equal(1, GenerationPosts));
        var body = System.Text.Json.JsonDocument.Parse(_server.Requests.Single(r => r.Path == "api/generations").Body).RootElement;
        Assert.Equal(8, body.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(4294967295u, body.GetProperty("seed").GetUInt32());
        Assert.Null(Error(cut));
    }

    [Fact]
    public void A_prompt_error_goes_as_soon_as_the_prompt_is_typed_in()
    {
        var cut = RenderPanel();
        Submit(cut); // the prompt is empty
        Assert.Contains("the prompt is empty", Error(cut)!.TextContent);
        Assert.Equal("true", cut.Find("#prompt").GetAttribute("aria-invalid"));

        Act(cut, () => cut.Find("#prompt").Input("d"));
        Assert.Null(Error(cut));
        Assert.False(cut.Find("#prompt").HasAttribute("aria-invalid"));
        Assert.Equal(0, GenerationPosts);
    }

    [Fact]
    public void A_duration_error_goes_when_the_duration_is_edited_and_stays_while_other_fields_are()
    {
        var cut = RenderPanel();
        Act(cut, () => cut.Find("#prompt").Input("dusty lo-fi kick"));
        Act(cut, () => cut.Find("#duration").Change("20"));
        Submit(cut);
        Assert.Contains("Invalid duration", Error(cut)!.TextContent);

        Act(cut, () => cut.Find("#prompt").Input("dusty lo-fi kicks")); // not the field the error is about
        Assert.Contains("Invalid duration", Error(cut)!.TextContent);

        Act(cut, () => cut.Find("#duration").Input("2")); // the first keystroke, before the change is committed
        Assert.Null(Error(cut));

        // A seed error likewise goes with an edit of the seed.
        Act(cut, () => cut.Find("#duration").Change("2"));
        Act(cut, () => cut.Find("#seed").Change("-5"));
        Submit(cut);
        Assert.Contains("Invalid seed", Error(cut)!.TextContent);
        Act(cut, () => cut.Find("#seed").Input("5"));
        Assert.Null(Error(cut));
        Assert.Equal(0, GenerationPosts);
    }

    [Fact]
    public void A_local_error_that_clears_does_not_bring_back_the_server_error_it_replaced()
    {
        _server.GenerationJson = null; // the generation cannot reach the server: 3001 under the form
        var cut = RenderPanel();
        Act(cut, () => cut.Find("#prompt").Input("dusty lo-fi kick"));
        Submit(cut);
        cut.WaitForAssertion(() => Assert.Equal("3001", Error(cut)?.GetAttribute("data-code")));

        Act(cut, () => cut.Find("#prompt").Input(""));
        Submit(cut);
        Assert.Equal("2002", Error(cut)!.GetAttribute("data-code"));
        Act(cut, () => cut.Find("#prompt").Input("dusty"));
        Assert.Null(Error(cut));
    }

    [Fact]
    public void Each_job_in_the_queue_shows_its_seed()
    {
        _server.GenerationJson = """{"id":"g1","status":"succeeded","progress":1,"position":0,"prompt":"dusty lo-fi kick","engine":"synth","durationSeconds":2,"quality":"draft","seed":1234,"cached":false}""";
        var cut = RenderPanel();
        Act(cut, () => cut.Find("#prompt").Input("dusty lo-fi kick"));
        Act(cut, () => cut.Find("#seed").Change("1234"));
        Submit(cut);
        cut.WaitForAssertion(() => Assert.Equal("seed 1234", cut.Find("li.job[data-id=g1] .job-seed").TextContent.Trim()));
    }
}
