using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Components;
using Orbitr.Web.Components.Controls;
using Orbitr.Web.Editing;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>Issue 23's design system: knobs, toasts, menus, track names, the centre label, tap tempo, master bus.</summary>
public class DesignSystemTests : AppTestContext
{
    private double _value;
    private int _commits;

    private IRenderedComponent<Knob> RenderKnob(double value = 0.5, bool log = false, double min = 0, double max = 1) =>
        Render<Knob>(ps => ps
            .Add(k => k.Label, "Cutoff").Add(k => k.Value, value).Add(k => k.Min, min).Add(k => k.Max, max)
            .Add(k => k.Default, log ? 1000 : 0.25).Add(k => k.Logarithmic, log)
            .Add(k => k.Format, v => $"{v * 100:0} %")
            .Add(k => k.ValueChanged, v => _value = v).Add(k => k.Committed, () => _commits++));

    [Fact]
    public void A_knob_is_a_slider_with_its_range_and_its_value_in_words()
    {
        var knob = RenderKnob(0.4);
        var dial = knob.Find("[role=slider]");
        Assert.Equal("Cutoff", dial.GetAttribute("aria-label"));
        Assert.Equal("0", dial.GetAttribute("aria-valuemin"));
        Assert.Equal("1", dial.GetAttribute("aria-valuemax"));
        Assert.Equal("0.4", dial.GetAttribute("aria-valuenow"));
        Assert.Equal("40 %", dial.GetAttribute("aria-valuetext"));
        Assert.Equal("0", dial.GetAttribute("tabindex"));
        Assert.Equal("40 %", knob.Find("output").TextContent);
    }

    [Fact]
    public void A_drag_is_many_values_and_one_commit_a_reset_sets_the_default_and_values_stay_in_range()
    {
        var knob = RenderKnob();
        knob.InvokeAsync(() => knob.Instance.OnDrag(0.6));
        knob.InvokeAsync(() => knob.Instance.OnDrag(0.7));
        Assert.Equal(0.7, _value);
        Assert.Equal(0, _commits);
        knob.InvokeAsync(() => knob.Instance.OnCommit(0));
        Assert.Equal(1, _commits);
        knob.InvokeAsync(() => knob.Instance.OnDrag(7));
        Assert.Equal(1, _value); // clamped to Max
        knob.InvokeAsync(() => knob.Instance.OnDrag(double.NaN));
        Assert.Equal(1, _value); // ignored
        knob.InvokeAsync(() => knob.Instance.OnReset(0));
        Assert.Equal(0.25, _value);
        Assert.Equal(2, _commits);
    }

    [Fact]
    public void A_logarithmic_knob_spreads_frequencies_by_ratio()
    {
        var knob = RenderKnob(632.456, log: true, min: 20, max: 20000);
        // 20 Hz · 1000^0.5 = 632.456 Hz sits half way round.
        Assert.Equal(0.5, knob.Instance.Position(632.456), 3);
        Assert.Equal(0, knob.Instance.Position(1), 3);
        Assert.Equal(1, knob.Instance.Position(1e9), 3);
    }

    [Fact]
    public void Dragging_a_step_knob_is_one_undo_level()
    {
        var cut = Render<Live<StepEditor>>();
        Store.Select(new StepAddress(0, 0), additive: false);
        cut.WaitForElement("[aria-label=Velocity]");
        var before = Store.Pattern;
        var knob = Controls.Knob(cut, "Velocity");
        foreach (var v in new[] { 90.0, 70, 50 }) knob.InvokeAsync(() => knob.Instance.OnDrag(v));
        knob.InvokeAsync(() => knob.Instance.OnCommit(0));
        Assert.Equal(50, Store.Pattern.Tracks[0].Steps[0].Velocity);
        Store.Undo();
        Assert.Equal(before.Tracks[0].Steps[0].Velocity, Store.Pattern.Tracks[0].Steps[0].Velocity);
    }

    [Fact]
    public void Information_toasts_go_after_five_seconds_and_errors_stay_until_dismissed()
    {
        var time = new FakeTimeProvider();
        var notices = new Notices(time);
        var info = notices.Info("Saved");
        var error = notices.Error(4001, "Disk full");
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(2, notices.Items.Count);
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal([error], notices.Items);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal([error], notices.Items);
        notices.Dismiss(error.Id);
        Assert.Empty(notices.Items);
        Assert.NotEqual(info.Id, error.Id);
    }

    [Fact]
    public void Toasts_sit_in_a_fixed_corner_stack_outside_the_page_flow()
    {
        var css = File.ReadAllText(Path.Combine(RepoRoot(), "src", "Orbitr.Web", "wwwroot", "css", "app.css"));
        Assert.Matches(@"\.toasts \{ position: fixed;", css);
    }

    [Fact]
    public void A_ring_is_called_by_its_sound_until_it_is_renamed_and_emptying_the_name_brings_the_sound_back()
    {
        var cut = Render<Live<TrackList>>();
        var titles = cut.FindAll(".track-title").Select(e => e.TextContent).ToArray();
        Assert.Equal(["Kick", "Snare", "Closed hat", "Open hat", "Clap", "Low tom"], titles);
        var name = cut.Find("input[aria-label='Track 1 name']");
        Assert.Equal("", name.GetAttribute("value"));
        Assert.Equal("Kick", name.GetAttribute("placeholder"));
        name.Change("  Big kick ");
        Assert.Equal("Big kick", Store.Pattern.Tracks[0].Name);
        cut.WaitForAssertion(() => Assert.Equal("Big kick", cut.FindAll(".track-title")[0].TextContent));
        Assert.Equal("Kick", cut.Find(".track-sound").TextContent); // its sound, under the name
        cut.Find("input[aria-label='Track 1 name']").Change("");
        Assert.Equal("O", Store.Pattern.Tracks[0].Name); // the letter it was created with
        cut.WaitForAssertion(() => Assert.Equal("Kick", cut.FindAll(".track-title")[0].TextContent));
    }

    [Fact]
    public void The_centre_names_the_selected_ring_and_fits_inside_the_innermost_ring_at_eight_rings()
    {
        var cut = Render<Live<Sequencer>>();
        Assert.Equal("Kick", cut.Find(".centre-title").TextContent);
        Store.SelectTrack(2);
        cut.WaitForAssertion(() => Assert.Equal("Closed hat", cut.Find(".centre-title").TextContent));
        var p = Store.Pattern;
        while (p.Tracks.Count < 8) p = PatternEditor.AddTrack(p);
        foreach (var title in new[] { "Kick", "A very long ring name!!" })
        {
            var size = RingLayout.CentreFontSize(title, 8, 64);
            var inner = RingLayout.Radius(7, 8) - RingLayout.DotRadius(7, 8, 64);
            Assert.True(0.62 * size * title.Length <= 2 * inner || size == 14, $"{title}: {size}");
        }
        Assert.True(RingLayout.CentreFontSize("A very long ring name!!", 8, 64) < RingLayout.CentreFontSize("Kick", 8, 64));
    }

    [Fact]
    public void Tap_tempo_takes_the_time_of_each_tap_event()
    {
        var cut = Render<TapButton>(ps => ps.Add(b => b.Tapped, s => Services.GetRequiredService<PatternEditing>().TapTempo(s)));
        // Taps 500 ms apart by the events' clock, however late the handler runs: exactly 120 BPM.
        foreach (var t in new[] { 10.0, 10.5, 11.0, 11.5 }) cut.InvokeAsync(() => cut.Instance.OnTap(t));
        Assert.Equal(120, Store.Pattern.Bpm);
    }

    [Fact]
    public void Opening_one_menu_closes_the_other()
    {
        var cut = Render<Live<FileBar>>();
        cut.FindAll("button.menu-toggle").Single(b => b.TextContent.Contains("Export")).Click();
        Assert.NotNull(cut.Find("#export-menu"));
        cut.FindAll("button.menu-toggle").Single(b => b.TextContent.Contains("Share")).Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#export-menu")));
        Assert.NotNull(cut.Find("#share-menu"));
        cut.Find("#share-menu").KeyDown("Escape");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#share-menu")));
    }

    [Fact]
    public void The_master_menu_sets_the_compressor_limiter_and_time_signature_of_the_pattern()
    {
        var cut = Render<Live<TransportBar>>();
        cut.FindAll("button.menu-toggle").Single(b => b.TextContent.Contains("Master")).Click();
        Controls.Turn(cut, "Compressor threshold", -30);
        Controls.Turn(cut, "Compressor ratio", 4);
        Controls.Turn(cut, "Limiter ceiling", -3);
        Assert.Equal(-30, Store.Pattern.Master.Compressor.Threshold);
        Assert.Equal(4, Store.Pattern.Master.Compressor.Ratio);
        Assert.Equal(-3, Store.Pattern.Master.Limiter.Ceiling);
        cut.Find("input[aria-label='Beats per bar']").Change("7");
        cut.Find("select[aria-label='Beat note']").Change("8");
        Assert.Equal(new TimeSignature(7, 8), Store.Pattern.TimeSignature);
        cut.Find("input[aria-label='Beats per bar']").Change("99");
        Assert.Equal(16, Store.Pattern.TimeSignature.Numerator); // clamped to the design's range
        // Issue 25: the limiter's true-peak mode, one undo level, and what the audio engine is told.
        cut.Find("input[aria-label='True peak']").Change(true);
        Assert.True(Store.Pattern.Master.Limiter.TruePeak);
        Assert.True(Orbitr.Web.Audio.Mix.MixMessage.From(Store.Pattern).TruePeak);
        Store.Undo();
        Assert.False(Store.Pattern.Master.Limiter.TruePeak);
        var limiter = cut.FindAll("label.led-toggle").Single(l => l.TextContent.Contains("Limiter")).QuerySelector("input")!;
        limiter.Change(false);
        Assert.False(Store.Pattern.Master.Limiter.Enabled);
        Assert.False(Orbitr.Web.Audio.Mix.MixMessage.From(Store.Pattern with { Master = Store.Pattern.Master with { Limiter = Store.Pattern.Master.Limiter with { TruePeak = true } } }).TruePeak);
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Orbitr.slnx"))) return d.FullName;
        throw new InvalidOperationException("repo root not found");
    }
}
