using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Web.Components;
using Orbitr.Web.Library;

namespace Orbitr.Web.Tests;

/// <summary>The library's rows (a new user's report): every kind of row has the same cells (bUnit,
/// against <see cref="FakeServer"/>).</summary>
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
}
