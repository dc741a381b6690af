using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Model;
using Orbitr.Core.Validation;
using Orbitr.Web.Components;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>Generation panel, library and starter packs (bUnit). The server is unreachable here (port 9), which is
/// the offline case the issue asks for.</summary>
public class GenerationUiTests : AppTestContext
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    public async Task An_invalid_prompt_is_refused_with_code_2002_before_any_request(string prompt, string reason)
    {
        var cut = Render<GenerationPanel>();
        // The engine list is read in the background meanwhile: await each event (a plain Input only queues it then).
        await cut.Find("#prompt").InputAsync(new ChangeEventArgs { Value = prompt });
        await cut.Find("form").SubmitAsync();
        var error = cut.Find(".form-error");
        Assert.Equal("2002", error.GetAttribute("data-code"));
        Assert.Contains(reason, error.TextContent);
        Assert.Empty(Services.GetRequiredService<Orbitr.Web.Library.GenerationList>().Jobs);
    }

    [Fact]
    public void With_the_server_down_generate_shows_code_3001_and_editing_goes_on()
    {
        var cut = Render<GenerationPanel>();
        cut.Find("#prompt").Input("dusty lo-fi kick");
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Equal("3001", cut.Find(".form-error").GetAttribute("data-code")), TimeSpan.FromSeconds(10));
        Assert.Contains("cannot be reached", cut.Find(".form-error").TextContent);
        var before = Store.Pattern;
        Services.GetRequiredService<Orbitr.Web.Editing.PatternEditing>().ToggleStep(new StepAddress(2, 3));
        Assert.NotEqual(before, Store.Pattern);
    }

    [Fact]
    public void The_prompt_box_has_the_id_the_G_shortcut_focuses_and_suggestions_from_the_packs()
    {
        var cut = Render<GenerationPanel>();
        Assert.Equal("prompt-ideas", cut.Find("#prompt").GetAttribute("list"));
        var ideas = cut.FindAll("#prompt-ideas option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains("dusty lo-fi kick", ideas);
        Assert.True(ideas.Count >= 20);
    }

    [Fact]
    public void Every_starter_pack_builds_a_valid_pattern_with_its_tempo_and_sounds()
    {
        foreach (var pack in StarterPacks.All)
        {
            var p = StarterPacks.Build(pack, 5);
            Assert.Empty(PatternValidator.Validate(p));
            Assert.Equal(pack.Bpm, p.Bpm);
            Assert.Equal(pack.Swing, p.Swing);
            Assert.InRange(p.Tracks.Count, 4, 8);
            for (var t = 0; t < pack.Rings.Count; t++)
            {
                var key = p.Tracks[t].Sample!;
                Assert.Equal(SampleRef.Builtin(pack.Rings[t].Sound).Source, p.Samples.Single(s => s.Key == key).Ref.Source);
                Assert.Equal(pack.Rings[t].Steps.Count(c => c != '.'), p.Tracks[t].Steps.Count(s => s.Active));
            }
        }
        Assert.Equal(6, StarterPacks.All.Count);
    }

    [Fact]
    public void A_pack_button_opens_a_new_library_pattern_and_keeps_the_one_being_edited()
    {
        // Issue 23: a starter overwrote the current pattern and its name.
        var cut = Render<GenerationPanel>();
        var library = Services.GetRequiredService<Orbitr.Web.Patterns.PatternLibrary>();
        Store.Dispatch(p => Orbitr.Core.Editing.PatternEditor.SetName(p, "Techno variation"));
        var mine = Store.Pattern;
        cut.Find("button[aria-label='Start a Techno pattern']").Click();
        cut.WaitForAssertion(() => Assert.Equal(130, Store.Pattern.Bpm));
        Assert.Equal(16, Store.Pattern.Tracks[3].Steps.Count(s => s.Active));
        Assert.NotEqual("Techno variation", Store.Pattern.Name);
        Assert.Contains(library.Entries, e => e.Pattern == mine);
        Assert.Contains(library.Entries, e => e.Id == library.CurrentId && e.Pattern.Bpm == 130);

        // A second one gets a name of its own.
        cut.Find("button[aria-label='Start a Techno pattern']").Click();
        cut.WaitForAssertion(() => Assert.Equal(3, library.Entries.Count));
        Assert.Equal(library.Entries.Count, library.Entries.Select(e => e.Pattern.Name).Distinct().Count());
    }

    [Fact]
    public void The_library_lists_the_kit_with_waveforms_and_assigns_a_sound_to_the_selected_ring_or_steps()
    {
        var cut = Render<Live<LibraryPanel>>();
        var items = cut.FindAll("li.sample");
        Assert.Equal(12, items.Count);
        Assert.All(cut.FindAll("svg.wave path"), p => Assert.StartsWith("M", p.GetAttribute("d")));
        Assert.True(cut.Find("svg.wave path").GetAttribute("d")!.Split('M').Length > 20);

        Store.SelectTrack(2);
        cut.Find("button[aria-label='Use cowbell on the selected ring']").Click();
        var key = Store.Pattern.Tracks[2].Sample!;
        Assert.Equal("builtin:cowbell", Store.Pattern.Samples.Single(s => s.Key == key).Ref.Source);

        Assert.True(cut.Find("button[aria-label='Use rim on the selected steps']").HasAttribute("disabled"));
        Store.Select(new StepAddress(0, 1), false);
        Store.Select(new StepAddress(1, 2), true);
        cut.Render();
        Assert.False(cut.Find("button[aria-label='Use rim on the selected steps']").HasAttribute("disabled"));
        // Re-renders arrive through the dispatcher: retry until the click lands on the current render.
        cut.WaitForAssertion(() =>
        {
            cut.Find("button[aria-label='Use rim on the selected steps']").Click();
            Assert.Contains(Store.Pattern.Samples, s => s.Ref.Source == "builtin:rim");
        });
        var rim = Store.Pattern.Samples.Single(s => s.Ref.Source == "builtin:rim").Key;
        Assert.Equal(rim, Store.Pattern.Tracks[0].Steps[1].Sample);
        Assert.Equal(rim, Store.Pattern.Tracks[1].Steps[2].Sample);
    }

    [Fact]
    public void Dropping_a_library_sound_on_a_step_assigns_it_and_switches_the_step_on()
    {
        var cut = Render<Live<Sequencer>>();
        var shaker = Orbitr.Web.Library.SampleShelf.Kit.Single(k => k.Name == "shaker");
        Sounds.Dragging = shaker;
        cut.Find("[aria-label='Track 3 step 6']").TriggerEvent("ondrop", new Microsoft.AspNetCore.Components.Web.DragEventArgs());
        var step = Store.Pattern.Tracks[2].Steps[5];
        Assert.True(step.Active);
        Assert.Equal("builtin:shaker", Store.Pattern.Samples.Single(s => s.Key == step.Sample).Ref.Source);
        Assert.Null(Sounds.Dragging);

        cut.WaitForAssertion(() =>
        {
            Sounds.Dragging = shaker;
            cut.Find("circle.track-line[data-track='4']").TriggerEvent("ondrop", new Microsoft.AspNetCore.Components.Web.DragEventArgs());
            Assert.Equal("builtin:shaker", Store.Pattern.Samples.Single(s => s.Key == Store.Pattern.Tracks[4].Sample).Ref.Source);
        });
    }

    [Fact]
    public async Task Step_and_track_sound_menus_show_a_library_sample_and_can_choose_it_again()
    {
        var bell = SampleRef.Generated("abc123", "glass bell");
        Sounds.Assign(new Orbitr.Web.Sounds.SoundTarget.Step(new StepAddress(1, 2)), bell);
        var editor = Render<Live<StepEditor>>();
        var selected = editor.Find("select[aria-label=Sample] option[selected]");
        Assert.Equal("glass bell", selected.TextContent);
        Assert.Equal("generated:abc123", selected.GetAttribute("value"));

        // The player tries to fetch the sample in the background (the server here is unreachable): let that attempt
        // end, and the re-render its notice causes, before using the menus.
        // (The editor does not show notices, so it does not re-render for one: poll.)
        var notices = Services.GetRequiredService<Orbitr.Web.State.Notices>();
        var until = DateTime.UtcNow.AddSeconds(5);
        while (!await editor.InvokeAsync(() => notices.Items.Any(n => n.Title.Contains("glass bell", StringComparison.Ordinal))) && DateTime.UtcNow < until)
            await Task.Delay(20);
        Assert.Contains(notices.Items, n => n.Title.Contains("glass bell", StringComparison.Ordinal));
        Store.SelectTrack(3);
        var detail = Render<Live<TrackDetail>>();
        // A chosen sound is loaded for playing in the background: await each change (a plain Change only queues it
        // while the renderer is busy with that).
        await detail.Find("select[aria-label='Track 4 sample']").ChangeAsync(new ChangeEventArgs { Value = "generated:abc123" });
        var key = Store.Pattern.Tracks[3].Sample!;
        Assert.Equal(bell, Store.Pattern.Samples.Single(s => s.Key == key).Ref);
        await detail.Find("select[aria-label='Track 4 sample']").ChangeAsync(new ChangeEventArgs { Value = "builtin:clap" });
        Assert.Equal("builtin:clap", Store.Pattern.Samples.Single(s => s.Key == Store.Pattern.Tracks[3].Sample).Ref.Source);
    }
}
