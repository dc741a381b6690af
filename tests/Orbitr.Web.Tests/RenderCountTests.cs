using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Web.Components;
using Orbitr.Web.Shortcuts;
using Orbitr.Web.Startup;

namespace Orbitr.Web.Tests;

/// <summary>The whole page (OrbitrApp) re-renders a component only when the slice of state it shows changed. Counted
/// with bUnit's per-component render count (the test renderer's own bookkeeping: nothing of it ships).</summary>
public class RenderCountTests : AppTestContext
{
    private static readonly Type[] Panels =
    [
        typeof(Sequencer), typeof(RingZoom), typeof(TransportBar), typeof(StepEditor), typeof(TrackList), typeof(TrackDetail),
        typeof(GenerationPanel), typeof(LibraryPanel), typeof(SettingsDialog), typeof(FileBar), typeof(NoticeArea), typeof(ExportDialog),
    ];

    /// <summary>The page after start-up, once the background work it starts (the sample library, the engine list: the
    /// server here is unreachable) has been answered and rendered: no panel re-rendered for 300 ms.</summary>
    private async Task<IRenderedComponent<OrbitrApp>> RenderPageAsync()
    {
        var cut = Render<OrbitrApp>();
        var startup = Services.GetRequiredService<AppStartup>();
        cut.WaitForState(() => startup.Ready, TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.Contains("ready", cut.Find("div.app").GetAttribute("class")));
        var shelf = Services.GetRequiredService<Library.SampleShelf>();
        cut.WaitForState(() => !shelf.Loading, TimeSpan.FromSeconds(10));
        var until = DateTime.UtcNow.AddSeconds(10);
        var last = Counts(cut);
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(300);
            var now = Counts(cut);
            if (now.All(x => last[x.Key] == x.Value)) break;
            last = now;
        }
        return cut;
    }

    /// <summary>Renders of each panel so far.</summary>
    private static Dictionary<Type, int> Counts(IRenderedComponent<OrbitrApp> cut) =>
        Panels.ToDictionary(t => t, t => Count(cut, t));

    private static int Count(IRenderedComponent<OrbitrApp> cut, Type type) =>
        (int)typeof(RenderCountTests).GetMethod(nameof(CountOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [cut])!;

    private static int CountOf<T>(IRenderedComponent<OrbitrApp> cut) where T : IComponent => cut.FindComponent<T>().RenderCount;

    private static Dictionary<Type, int> Delta(Dictionary<Type, int> before, Dictionary<Type, int> after) =>
        before.ToDictionary(x => x.Key, x => after[x.Key] - x.Value);

    private Task Key(IRenderedComponent<OrbitrApp> cut, string key) =>
        cut.InvokeAsync(() => Services.GetRequiredService<KeyboardShortcuts>().OnKey(key, false, false, -1, -1));

    private static void AssertRendered(Dictionary<Type, int> delta, Type[] rendered)
    {
        foreach (var (type, renders) in delta)
        {
            if (rendered.Contains(type)) Assert.True(renders >= 1, $"{type.Name} should have re-rendered");
            else Assert.True(renders == 0, $"{type.Name} re-rendered {renders} time(s)");
        }
    }

    [Fact]
    public async Task Toggling_a_step_re_renders_the_rings_that_show_it_and_nothing_else()
    {
        var cut = await RenderPageAsync();
        await Key(cut, "5"); // a first edit enables Undo (which the transport shows): the toggle below changes nothing there
        var before = Counts(cut);

        await Key(cut, "4"); // toggles step 4 of the selected ring
        Assert.True(Store.Pattern.Tracks[0].Steps[3].Active);
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#step-0-3").GetAttribute("aria-pressed")));

        AssertRendered(Delta(before, Counts(cut)), [typeof(Sequencer), typeof(RingZoom)]);
    }

    [Fact]
    public async Task Changing_the_bpm_re_renders_the_transport_and_not_the_rings_or_the_library()
    {
        var cut = await RenderPageAsync();
        await Key(cut, "5"); // Undo enabled before counting
        var before = Counts(cut);
        var bpm = Store.Pattern.Bpm;

        await Key(cut, "ArrowRight"); // BPM + 1
        Assert.Equal(bpm + 1, Store.Pattern.Bpm);
        cut.WaitForAssertion(() => Assert.Equal($"{bpm + 1}", cut.Find("section.transport input[min='40']").GetAttribute("value")));

        AssertRendered(Delta(before, Counts(cut)), [typeof(TransportBar)]);
    }

    [Fact]
    public async Task Selecting_a_step_re_renders_the_rings_step_editor_and_library_buttons_but_not_the_transport_or_generation()
    {
        var cut = await RenderPageAsync();
        var before = Counts(cut);

        await cut.InvokeAsync(() => Store.Select(new State.StepAddress(1, 2), additive: false));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("section.step-editor")));

        // The library's "Steps" buttons are enabled by a selection; the track panel follows the selected track (1 → 2).
        AssertRendered(Delta(before, Counts(cut)),
            [typeof(Sequencer), typeof(RingZoom), typeof(StepEditor), typeof(LibraryPanel), typeof(TrackList), typeof(TrackDetail)]);
    }

    [Fact]
    public async Task A_notice_re_renders_the_notice_area_only()
    {
        var cut = await RenderPageAsync();
        var before = Counts(cut);

        await cut.InvokeAsync(() => Services.GetRequiredService<State.Notices>().Info("Hello"));
        cut.WaitForAssertion(() => Assert.Contains("Hello", cut.Find("section.notices").TextContent));

        AssertRendered(Delta(before, Counts(cut)), [typeof(NoticeArea)]);
    }
}
