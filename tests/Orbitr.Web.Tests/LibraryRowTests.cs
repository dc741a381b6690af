using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Web.Components;
using Orbitr.Web.Library;
using Orbitr.Web.Offline;

namespace Orbitr.Web.Tests;

/// <summary>The library's rows (a new user's report): every kind of row has the same cells, generated rows show their
/// seed, and "kept offline" goes once the server answers again (bUnit, against <see cref="FakeServer"/>).</summary>
public class LibraryRowTests : AppTestContext
{
    private readonly FakeServer _server = new();

    public LibraryRowTests()
    {
        // Registered after the base's unreachable client: the last registration wins.
        Services.AddScoped(_ => new HttpClient(_server, disposeHandler: false) { BaseAddress = new Uri("http://orbitr.test/") });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _server.Dispose();
    }

    private SampleShelf Shelf => Services.GetRequiredService<SampleShelf>();

    private static string Sample(string id, string name, string engine) =>
        $$"""{"id":"{{id}}","name":"{{name}}","prompt":"{{name}}","engine":"{{engine}}","durationSeconds":1.5,"sampleRate":44100,"channels":1,"peaks":[0.1,0.5],"source":"generated:{{id}}"}""";

    private static string Page(params string[] samples) => $$"""{"items":[{{string.Join(",", samples)}}],"page":1,"pageSize":50,"total":{{samples.Length}}}""";

    /// <summary>The sounds this browser kept (js/sounds.js list).</summary>
    private void Keep(params string[] sources)
    {
        var module = JSInterop.SetupModule("./js/sounds.js");
        module.Mode = JSRuntimeMode.Loose;
        module.Setup<List<StoredSound>?>("list").SetResult(sources.Select((s, i) => new StoredSound { Source = s, Name = $"kept {i}", Bytes = 10, Stored = i }).ToList());
    }

    private static IEnumerable<string> Cells(AngleSharp.Dom.IElement row) => row.Children.Select(c => $"{c.LocalName}.{string.Join('.', c.ClassList)}");

    [Fact]
    public async Task Generated_uploaded_and_kit_rows_have_the_same_cells_so_their_buttons_line_up()
    {
        _server.SamplesJson = Page(Sample("m1", "a rather long generated name that has to give way", "musicgen"), Sample("u1", "my loop", "upload"));
        var cut = Render<Live<LibraryPanel>>();
        await cut.InvokeAsync(() => Shelf.RefreshAsync());
        cut.WaitForAssertion(() => Assert.Equal(14, cut.FindAll("li.sample").Count));

        var rows = cut.FindAll("li.sample");
        string[] cells = ["button.preview", "span.sample-details", "button.small.use-ring", "button.small.use-steps", "span.sample-remove"];
        Assert.All(rows, row => Assert.Equal(cells, Cells(row)));
        // The delete cell is there in kit rows too, only empty: the grid's columns are the same in every row.
        Assert.All(cut.FindAll("li.sample.kit .sample-remove"), cell => Assert.Empty(cell.Children));
        Assert.NotNull(cut.Find("li.sample.generated .sample-remove button[aria-label^='Delete']"));
        Assert.NotNull(cut.Find("li.sample.upload .sample-remove button[aria-label^='Delete']"));
        // The engine tag sits in the details line, beside (not inside) the text that gives way to it.
        var details = cut.Find("li.sample.generated .sample-details");
        Assert.Equal(["span.meta", "span.engine-tag"], Cells(details));
    }

    [Fact]
    public async Task A_generated_row_shows_the_seed_its_generation_used_so_variations_differ()
    {
        _server.SampleJson["v1"] = Sample("v1", "dusty kick", "synth");
        _server.SampleJson["v2"] = Sample("v2", "dusty kick", "synth");
        var cut = Render<Live<LibraryPanel>>();
        await cut.InvokeAsync(() => Shelf.AddGeneratedAsync("v1", 1234));
        await cut.InvokeAsync(() => Shelf.AddGeneratedAsync("v2", 99));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("li.sample.generated").Count));

        Assert.Equal("seed 1234", cut.Find("li.sample[data-source='generated:v1'] .sample-details .seed").TextContent.Trim());
        Assert.Equal("seed 99", cut.Find("li.sample[data-source='generated:v2'] .sample-details .seed").TextContent.Trim());
        // What the E2E tests read of the meta line stays as it was.
        Assert.Equal("1.5 s", cut.Find("li.sample[data-source='generated:v1'] .meta").TextContent.Split('·')[1].Trim());
        Assert.Empty(cut.FindAll("li.sample.kit .seed"));
    }

    [Fact]
    public async Task The_page_hands_a_finished_generations_seed_to_its_library_row()
    {
        // The whole page: AppStartup passes the job's seed on to the library.
        _server.GenerationJson = """{"id":"g1","status":"succeeded","progress":1,"position":0,"sampleId":"s1","prompt":"dusty lo-fi kick","engine":"synth","durationSeconds":1.5,"quality":"draft","seed":4321,"cached":false}""";
        _server.SampleJson["s1"] = Sample("s1", "dusty lo-fi kick", "synth");
        var cut = Render<OrbitrApp>();
        var startup = Services.GetRequiredService<Orbitr.Web.Startup.AppStartup>();
        cut.WaitForState(() => startup.Ready, TimeSpan.FromSeconds(10));
        // Found and fired in one dispatcher turn: the page re-renders while it starts, and an element found before a
        // re-render has lost its handler (CI: UnknownEventHandlerIdException).
        await cut.InvokeAsync(() => cut.Find("#prompt").InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "dusty lo-fi kick" }));
        await cut.InvokeAsync(() => cut.Find("form.generate-form").SubmitAsync());
        cut.WaitForAssertion(() => Assert.Equal("seed 4321", cut.Find("li.sample[data-source='generated:s1'] .seed").TextContent.Trim()),
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Kept_offline_goes_when_the_browser_is_online_again_and_the_server_lists_the_sound()
    {
        Keep("generated:k1");
        _server.SamplesJson = null; // offline
        var cut = Render<Live<LibraryPanel>>();
        await cut.InvokeAsync(() => Shelf.RefreshAsync());
        cut.WaitForAssertion(() => Assert.StartsWith("kept offline", cut.Find("li.sample[data-source='generated:k1'] .meta").TextContent.Trim(),
            StringComparison.Ordinal));

        // Back online: the browser's online event (js/sounds.js onOnline) reaches OfflineUploads.
        _server.SamplesJson = Page(Sample("k1", "kept 0", "synth"));
        await cut.InvokeAsync(() => Services.GetRequiredService<OfflineUploads>().OnOnline());
        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("li.sample[data-source='generated:k1']");
            Assert.Contains("generated", row.ClassList);
            Assert.StartsWith("generated", row.QuerySelector(".meta")!.TextContent.Trim(), StringComparison.Ordinal);
        });
        Assert.DoesNotContain("kept offline", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".library .form-error"));
    }

    [Fact]
    public async Task Kept_offline_goes_when_a_generation_reaches_the_server_again_without_an_online_event()
    {
        // The browser never went offline (the server did): the first sound the server hands over again brings its
        // whole list back, and no "kept offline" row stays beside it.
        Keep("generated:k1", "generated:k2");
        _server.SamplesJson = null;
        var cut = Render<Live<LibraryPanel>>();
        await cut.InvokeAsync(() => Shelf.RefreshAsync());
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("li.sample .meta").Count(m => m.TextContent.StartsWith("kept offline", StringComparison.Ordinal))));

        _server.SamplesJson = Page(Sample("n1", "new one", "synth"), Sample("k1", "kept 0", "synth"), Sample("k2", "kept 1", "synth"));
        _server.SampleJson["n1"] = Sample("n1", "new one", "synth");
        await cut.InvokeAsync(() => Shelf.AddGeneratedAsync("n1", 5));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("li.sample.generated").Count));
        Assert.DoesNotContain("kept offline", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("seed 5", cut.Find("li.sample[data-source='generated:n1'] .seed").TextContent.Trim());
    }
}
