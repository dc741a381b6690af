using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Model;
using Orbitr.Web.Audio;
using Orbitr.Web.Components;
using Orbitr.Web.Library;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>Issue 24's controls (bUnit): the step editor's Sound and Trig fields for a selection, the track detail's
/// choke, own swing and reverb send, the master reverb, the ring marks, the Fill switch, Alt+click and a kit put on
/// the rings.</summary>
public class StepSoundUiTests : AppTestContext
{
    private IRenderedComponent<Live<StepEditor>> EditorFor(params StepAddress[] steps)
    {
        var cut = Render<Live<StepEditor>>();
        Store.Select(steps[0], additive: false);
        foreach (var s in steps.Skip(1)) Store.Select(s, additive: true);
        cut.WaitForElement("[aria-label=Pitch]");
        return cut;
    }

    private Step At(int track, int step) => Store.Pattern.Tracks[track].Steps[step];

    [Fact]
    public void The_step_editor_sets_pitch_start_reverse_gate_ratchet_and_condition_on_every_selected_step()
    {
        var cut = EditorFor(new(1, 0), new(1, 1));
        Controls.Turn(cut, "Pitch", 7);
        Controls.Turn(cut, "Start", 0.25);
        cut.Find("input[aria-label=Reverse]").Change(true);
        Assert.DoesNotContain(cut.FindComponents<Orbitr.Web.Components.Controls.Knob>(), k => k.Instance.Label == "Gate");
        cut.Find("input[aria-label='Gate on']").Change(true);
        Controls.Turn(cut, "Gate", 0.1);
        Controls.Turn(cut, "Ratchet", 3);
        cut.Find("select[aria-label=Condition]").Change("2:4");
        foreach (var s in new[] { At(1, 0), At(1, 1) })
        {
            Assert.Equal(7, s.Pitch);
            Assert.Equal(0.25, s.Start);
            Assert.True(s.Reverse);
            Assert.Equal(0.1, s.Gate);
            Assert.Equal(3, s.Ratchet);
            Assert.Equal(TrigCondition.Ratio(2, 4), s.Condition);
        }
        // The menu shows what is set, and offers every condition the design has.
        var options = cut.FindAll("select[aria-label=Condition] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(1 + 4 + 35, options.Count);
        Assert.Contains("!fill", options);
        Assert.Equal("2:4", cut.Find("select[aria-label=Condition] option[selected]").GetAttribute("value"));
        Assert.Contains("+7 st", cut.Markup);
        Assert.Contains("×3", cut.Markup);

        // Each gesture is one undo level; turning the gate off brings the whole sample back.
        cut.Find("select[aria-label=Condition]").Change("");
        Assert.Null(At(1, 0).Condition);
        Store.Undo();
        Assert.Equal(TrigCondition.Ratio(2, 4), At(1, 0).Condition);
        Store.Undo();
        Assert.Null(At(1, 0).Condition);
        Assert.Equal(3, At(1, 1).Ratchet);
        Store.Undo();
        Assert.Equal(1, At(1, 1).Ratchet);
        Assert.Equal(0.1, At(1, 1).Gate);
        cut.Find("input[aria-label='Gate on']").Change(false);
        Assert.Null(At(1, 0).Gate);
        Assert.Null(At(1, 1).Gate);
    }

    [Fact]
    public void Knob_values_past_a_range_are_clamped_to_it()
    {
        var cut = EditorFor(new StepAddress(0, 0));
        Controls.Turn(cut, "Pitch", 99);
        Controls.Turn(cut, "Ratchet", 12);
        Controls.Turn(cut, "Start", 5);
        Assert.Equal(Step.MaxPitch, At(0, 0).Pitch);
        Assert.Equal(Step.MaxRatchet, At(0, 0).Ratchet);
        Assert.Equal(Step.MaxStart, At(0, 0).Start);
        cut.Find("select[aria-label=Condition]").Change("9:3"); // not an option: a hand-made value is clamped into A ≤ B
        Assert.Equal(TrigCondition.Ratio(3, 3), At(0, 0).Condition);
        cut.Find("select[aria-label=Condition]").Change("sometimes"); // unreadable: nothing changes
        Assert.Equal(TrigCondition.Ratio(3, 3), At(0, 0).Condition);
    }

    [Fact]
    public void The_track_detail_sets_the_choke_group_an_own_swing_and_the_reverb_send()
    {
        Store.Dispatch(p => p with { Swing = 30 });
        var cut = Render<Live<TrackDetail>>();
        cut.Find("select[aria-label='Track 1 choke group']").Change("2");
        Assert.Equal(2, Store.Pattern.Tracks[0].Choke);
        Assert.DoesNotContain(cut.FindComponents<Orbitr.Web.Components.Controls.Knob>(), k => k.Instance.Label == "Track 1 swing");
        cut.Find("input[aria-label='Track 1 own swing']").Change(true);
        Assert.Equal(30, Store.Pattern.Tracks[0].Swing); // it starts from the pattern's
        Controls.Turn(cut, "Track 1 swing", 55);
        Assert.Equal(55, Store.Pattern.Tracks[0].Swing);
        Assert.Equal(30, Store.Pattern.Swing);
        Controls.Turn(cut, "Track 1 reverb", 0.4);
        Assert.Equal(0.4, Store.Pattern.Tracks[0].Reverb);
        cut.Find("input[aria-label='Track 1 own swing']").Change(false);
        Assert.Null(Store.Pattern.Tracks[0].Swing);
        cut.Find("select[aria-label='Track 1 choke group']").Change("");
        Assert.Null(Store.Pattern.Tracks[0].Choke);
        Assert.Equal(1 + 8, cut.FindAll("select[aria-label='Track 1 choke group'] option").Count);
    }

    [Fact]
    public void The_master_menu_sets_the_reverb()
    {
        var cut = Render<Live<MasterMenu>>();
        cut.Find("button.menu-toggle").Click();
        Controls.Turn(cut, "Reverb decay", 3);
        Controls.Turn(cut, "Reverb damping", 0.8);
        Controls.Turn(cut, "Reverb pre-delay", 50);
        Controls.Turn(cut, "Reverb return", 0.6);
        var r = Store.Pattern.Master.Reverb;
        Assert.Equal(new ReverbSettings(true, 3, 0.8, 0.05, 0.6), r with { PreDelay = Math.Round(r.PreDelay, 6) });
        cut.Find("input[aria-label='Reverb on']").Change(false);
        Assert.False(Store.Pattern.Master.Reverb.Enabled);
        Controls.Turn(cut, "Reverb decay", 60);
        Assert.Equal(ReverbSettings.MaxDecay, Store.Pattern.Master.Reverb.Decay);
    }

    [Fact]
    public void Steps_with_a_ratchet_or_a_condition_carry_a_mark_on_the_ring()
    {
        var cut = Render<Live<Sequencer>>();
        Assert.Empty(cut.FindAll(".ratchet"));
        Assert.Empty(cut.FindAll(".cond"));
        Store.Dispatch(p => Orbitr.Core.Editing.PatternEditor.SetStepRatchet(p, 0, 0, 4));
        Store.Dispatch(p => Orbitr.Core.Editing.PatternEditor.SetStepCondition(p, 2, 5, TrigCondition.Fill));
        var ratchet = cut.Find("#step-0-0 .ratchet");
        // Four dashes: dash + gap = a quarter of the circle.
        var r = double.Parse(ratchet.GetAttribute("r")!, CultureInfo.InvariantCulture);
        var dashes = ratchet.GetAttribute("stroke-dasharray")!.Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).Sum();
        Assert.Equal(2 * Math.PI * r / 4, dashes, 1);
        Assert.Single(cut.FindAll(".ratchet"));
        Assert.Single(cut.FindAll("#step-2-5 .cond"));
        Assert.Single(cut.FindAll(".cond"));
    }

    [Fact]
    public void The_phone_zoom_marks_them_too()
    {
        var cut = Render<Live<RingZoom>>();
        Store.Dispatch(p => Orbitr.Core.Editing.PatternEditor.SetStepRatchet(p, 0, 3, 2));
        Store.Dispatch(p => Orbitr.Core.Editing.PatternEditor.SetStepCondition(p, 0, 5, TrigCondition.First));
        Assert.Contains("ratchet", cut.Find("[data-zoom-step='3']").GetAttribute("class"));
        Assert.Contains("cond", cut.Find("[data-zoom-step='5']").GetAttribute("class"));
        Assert.Single(cut.FindAll(".zoom-step.ratchet"));
        Assert.Single(cut.FindAll(".zoom-step.cond"));
    }

    [Fact]
    public void Alt_click_auditions_a_step_without_toggling_or_selecting_it()
    {
        var cut = Render<Live<Sequencer>>();
        var before = Store.Pattern;
        cut.Find("#step-3-1").PointerDown(new PointerEventArgs { Button = 0, AltKey = true });
        Assert.Same(before, Store.Pattern);
        Assert.Empty(Store.Selection);
        // The audition went to audio.js, which it starts first (bUnit's audio never starts: the browser tests hear it).
        cut.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier == "start"), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task With_audition_on_select_a_click_that_turns_a_step_on_plays_it()
    {
        await Services.GetRequiredService<Orbitr.Web.Settings.SettingsStore>().UpdateAsync(s => s with { AuditionOnSelect = true });
        var cut = Render<Live<Sequencer>>();
        cut.Find("#step-3-1").PointerDown(new PointerEventArgs { Button = 0 });
        Assert.True(At(3, 1).Active);
        cut.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier == "start"), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Without_the_setting_a_click_does_not_audition()
    {
        var cut = Render<Live<Sequencer>>();
        cut.Find("#step-3-1").PointerDown(new PointerEventArgs { Button = 0 });
        Assert.True(At(3, 1).Active);
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier == "start");
    }

    [Fact]
    public void The_fill_button_is_fill_while_held_and_off_when_let_go_or_stopped()
    {
        var audio = Services.GetRequiredService<AudioEngine>();
        var cut = Render<FillButton>(p => p.Add(x => x.Playing, true));
        var button = cut.Find("button.fill");
        Assert.Equal("false", button.GetAttribute("aria-pressed"));
        button.PointerDown(new PointerEventArgs { Button = 0 });
        Assert.True(audio.Fill);
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("button.fill").GetAttribute("aria-pressed")));
        cut.Find("button.fill").PointerUp(new PointerEventArgs());
        Assert.False(audio.Fill);
        // A keyboard click (detail 0) latches it until the next; stopping lets go.
        cut.Find("button.fill").Click(new MouseEventArgs { Detail = 0 });
        Assert.True(audio.Fill);
        cut.Render(p => p.Add(x => x.Playing, false));
        Assert.False(audio.Fill);
        Assert.True(cut.Find("button.fill").HasAttribute("disabled"));
    }

    [Fact]
    public void The_F_key_holds_fill_only_while_playing()
    {
        var audio = Services.GetRequiredService<AudioEngine>();
        var keys = Services.GetRequiredService<Orbitr.Web.Shortcuts.KeyboardShortcuts>();
        keys.OnFill(true);
        Assert.False(audio.Fill); // stopped: nothing to fill
    }

    private static string Kit(string status, params (string Role, string Status)[] sounds)
    {
        var items = sounds.Select((s, i) => $$$"""{"role":"{{{s.Role}}}","prompt":"dusty {{{s.Role}}}","generation":{"id":"g{{{i}}}","status":"{{{s.Status}}}","progress":{{{(s.Status == "succeeded" ? 1 : 0)}}},"position":0,"sampleId":{{{(s.Status == "succeeded" ? $"\"s{i}\"" : "null")}}},"prompt":"dusty {{{s.Role}}}","engine":"synth","durationSeconds":0.5,"quality":"draft","seed":7,"cached":false,"errorCode":{{{(s.Status == "failed" ? "2001" : "null")}}},"error":{{{(s.Status == "failed" ? "\"too slow\"" : "null")}}},"createdAt":"2026-12-04T00:00:00Z"}}""");
        return $$"""{"id":"k1","prompt":"dusty","engine":"synth","seed":7,"status":"{{status}}","progress":0.5,"sounds":[{{string.Join(",", items)}}]}""";
    }

    private static readonly string[] Roles = ["kick", "snare", "closed-hat", "open-hat", "clap", "perc", "bass"];

    private (FakeServer Server, KitGeneration Kits) WithFakeServer()
    {
        var server = new FakeServer();
        Services.AddScoped(_ => new HttpClient(server, disposeHandler: false) { BaseAddress = new Uri("http://orbitr.test/") });
        var kits = Services.GetRequiredService<KitGeneration>();
        kits.PollInterval = TimeSpan.FromMilliseconds(5);
        return (server, kits);
    }

    [Fact]
    public async Task Generate_kit_follows_the_kit_then_puts_its_sounds_on_rings_1_to_7_with_the_hats_choked_and_one_undo_restores()
    {
        var (server, _) = WithFakeServer();
        server.KitJson.Add(Kit("queued", Roles.Select(r => (r, "queued")).ToArray()));
        server.KitJson.Add(Kit("running", Roles.Select((r, i) => (r, i < 3 ? "succeeded" : "running")).ToArray()));
        server.KitJson.Add(Kit("succeeded", Roles.Select(r => (r, "succeeded")).ToArray()));
        var before = Store.Pattern;
        var cut = Render<GenerationPanel>();
        // The engine list is read first (its answer re-renders the form).
        cut.WaitForAssertion(() => Assert.True(Services.GetRequiredService<GenerationList>().EnginesLoaded), TimeSpan.FromSeconds(5));
        // Found and used on the renderer's dispatcher: a background answer cannot re-render in between.
        await cut.InvokeAsync(() => cut.Find("#prompt").Input("dusty"));
        await cut.InvokeAsync(() => cut.Find("button.kit-button").Click());
        cut.WaitForAssertion(() => Assert.Equal("succeeded", cut.Find(".kit-progress").GetAttribute("data-status")), TimeSpan.FromSeconds(10));
        Assert.Contains("on the rings", cut.Find(".kit-progress").TextContent);
        var p = Store.Pattern;
        Assert.Equal(7, p.Tracks.Count);
        for (var i = 0; i < 7; i++)
            Assert.Equal(SampleRef.Generated($"s{i}", $"dusty {Roles[i]}").Source, p.FindSample(p.Tracks[i].Sample!)!.Source);
        Assert.Equal([null, null, KitGeneration.HatChoke, KitGeneration.HatChoke, null, null, null], p.Tracks.Select(t => t.Choke));
        var posted = server.Requests.Single(r => r.Path == "api/kits");
        Assert.Contains("\"prompt\":\"dusty\"", posted.Body);
        Store.Undo();
        Assert.Equal(before, Store.Pattern);
    }

    [Fact]
    public async Task A_kit_whose_sound_failed_changes_no_ring_and_says_which_sound()
    {
        var (server, _) = WithFakeServer();
        server.KitJson.Add(Kit("failed", Roles.Select((r, i) => (r, i == 4 ? "failed" : "succeeded")).ToArray()));
        var before = Store.Pattern;
        var cut = Render<GenerationPanel>();
        // The engine list is read first (its answer re-renders the form).
        cut.WaitForAssertion(() => Assert.True(Services.GetRequiredService<GenerationList>().EnginesLoaded), TimeSpan.FromSeconds(5));
        // Found and used on the renderer's dispatcher: a background answer cannot re-render in between.
        await cut.InvokeAsync(() => cut.Find("#prompt").Input("dusty"));
        await cut.InvokeAsync(() => cut.Find("button.kit-button").Click());
        cut.WaitForAssertion(() => Assert.Equal("2001", cut.Find(".kit-error").GetAttribute("data-code")), TimeSpan.FromSeconds(10));
        Assert.Contains("clap", cut.Find(".kit-error").TextContent);
        Assert.Equal(before, Store.Pattern);
    }

    [Fact]
    public async Task A_kit_with_an_invalid_prompt_is_refused_before_any_request()
    {
        var (server, _) = WithFakeServer();
        var cut = Render<GenerationPanel>();
        // The engine list is read first (its answer re-renders the form).
        cut.WaitForAssertion(() => Assert.True(Services.GetRequiredService<GenerationList>().EnginesLoaded), TimeSpan.FromSeconds(5));
        await cut.InvokeAsync(() => cut.Find("#prompt").Input("   "));
        await cut.InvokeAsync(() => cut.Find("button.kit-button").Click());
        Assert.Equal("2002", cut.Find(".form-error").GetAttribute("data-code"));
        Assert.Equal(0, server.Count("POST", "api/kits"));
    }
}
