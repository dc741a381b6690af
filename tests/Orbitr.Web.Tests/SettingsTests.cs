using Bunit;
using Microsoft.AspNetCore.Components;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Web.Components;
using Orbitr.Web.Settings;
using Orbitr.Web.Storage;

namespace Orbitr.Web.Tests;

/// <summary>Stored settings are read field by field (bad ones take their defaults), values from controls are
/// brought into range, and the dialog applies and saves each change.</summary>
public class SettingsTests : AppTestContext
{
    private SettingsStore Settings => Services.GetRequiredService<SettingsStore>();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("\"dark\"")]
    [InlineData("{}")]
    public void Missing_or_unparseable_settings_are_the_defaults(string? text) =>
        Assert.Equal(AppSettings.Default, SettingsJson.Read(text));

    [Fact]
    public void Each_bad_field_takes_its_default_and_the_good_ones_are_kept()
    {
        var read = SettingsJson.Read("""
            {"metronomeLevel": 3, "latencyHint": "playback", "theme": "neon", "soundStorageMegabytes": 10, "uploadOfflineSounds": "yes", "auditionOnSelect": 1}
            """);
        Assert.Equal(AppSettings.Default with { LatencyHint = LatencyHint.Playback }, read);

        read = SettingsJson.Read("""
            {"metronomeLevel": "0.5", "latencyHint": 2, "theme": "light", "soundStorageMegabytes": 200.5, "uploadOfflineSounds": false, "auditionOnSelect": true, "queuePatterns": false}
            """);
        Assert.Equal(AppSettings.Default with { Theme = Theme.Light, UploadOfflineSounds = false, AuditionOnSelect = true, QueuePatterns = false }, read);

        read = SettingsJson.Read("""{"metronomeLevel": -0.1, "latencyHint": "Balanced", "theme": null, "soundStorageMegabytes": 1e300}""");
        Assert.Equal(AppSettings.Default, read);
    }

    [Fact]
    public void Values_at_the_ends_of_their_ranges_are_kept()
    {
        var read = SettingsJson.Read("""{"metronomeLevel": 0, "soundStorageMegabytes": 2000, "theme": "system", "latencyHint": "balanced"}""");
        Assert.Equal(new AppSettings { MetronomeLevel = 0, SoundStorageMegabytes = 2000, Theme = Theme.System, LatencyHint = LatencyHint.Balanced }, read);
    }

    private static readonly Arbitrary<AppSettings> ValidSettings = (
        from level in Gen.Choose(0, 1000).Select(i => i / 1000.0)
        from hint in Gen.Elements(Enum.GetValues<LatencyHint>())
        from theme in Gen.Elements(Enum.GetValues<Theme>())
        from mb in Gen.Choose(AppSettings.MinSoundStorageMegabytes, AppSettings.MaxSoundStorageMegabytes)
        from upload in Gen.Elements(true, false)
        from audition in Gen.Elements(true, false)
        from queue in Gen.Elements(true, false)
        select new AppSettings { MetronomeLevel = level, LatencyHint = hint, Theme = theme, SoundStorageMegabytes = mb, UploadOfflineSounds = upload, AuditionOnSelect = audition, QueuePatterns = queue })
        .ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Written_settings_read_back_unchanged() =>
        Prop.ForAll(ValidSettings, s => SettingsJson.Read(SettingsJson.Write(s)) == s);

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Clamped_settings_are_in_range_and_clamping_twice_changes_nothing() =>
        Prop.ForAll(ArbMap.Default.ArbFor<double>(), ArbMap.Default.ArbFor<int>(), (level, mb) =>
        {
            var s = new AppSettings { MetronomeLevel = level, SoundStorageMegabytes = mb }.Clamped();
            var inRange = s.MetronomeLevel is >= AppSettings.MinMetronomeLevel and <= AppSettings.MaxMetronomeLevel
                && s.SoundStorageMegabytes is >= AppSettings.MinSoundStorageMegabytes and <= AppSettings.MaxSoundStorageMegabytes;
            var keptWhenValid = !(double.IsFinite(level) && level is >= 0 and <= 1) || s.MetronomeLevel == level;
            return inRange && keptWhenValid && s.Clamped() == s && SettingsJson.Read(SettingsJson.Write(s)) == s;
        });

    [Fact]
    public void Undefined_enum_values_are_clamped_to_the_defaults()
    {
        var s = new AppSettings { LatencyHint = (LatencyHint)7, Theme = (Theme)(-1) }.Clamped();
        Assert.Equal(AppSettings.Default, s);
    }

    [Fact]
    public async Task The_store_loads_what_is_stored_sets_the_theme_and_saves_each_change()
    {
        var module = JSInterop.SetupModule("./js/settings.js");
        module.Setup<StorageResult?>("load", SettingsStore.StorageKey)
            .SetResult(new StorageResult { Ok = true, Text = """{"theme": "light", "metronomeLevel": 0.25, "soundStorageMegabytes": "big"}""" });
        var changes = 0;
        Settings.Changed += () => changes++;

        await Settings.LoadAsync();
        Assert.Equal(AppSettings.Default with { Theme = Theme.Light, MetronomeLevel = 0.25 }, Settings.Current);
        Assert.Equal("light", JSInterop.Invocations["applyTheme"].Single().Arguments[0]);

        await Settings.UpdateAsync(s => s with { MetronomeLevel = 4, SoundStorageMegabytes = 10 });
        Assert.Equal(1, Settings.Current.MetronomeLevel);
        Assert.Equal(AppSettings.MinSoundStorageMegabytes, Settings.Current.SoundStorageMegabytes);
        var saved = (string)JSInterop.Invocations["save"].Single().Arguments[1]!;
        Assert.Equal(Settings.Current, SettingsJson.Read(saved));
        Assert.Single(JSInterop.Invocations["applyTheme"]); // the theme did not change
        Assert.Equal(2, changes);

        await Settings.UpdateAsync(s => s with { MetronomeLevel = 1 }); // no change: nothing saved
        Assert.Single(JSInterop.Invocations["save"]);
    }

    [Fact]
    public async Task A_refused_save_is_shown_and_the_setting_still_applies()
    {
        var module = JSInterop.SetupModule("./js/settings.js");
        module.Setup<StorageResult?>("save", _ => true).SetResult(new StorageResult { Ok = false, Name = "SecurityError", Message = "denied" });
        await Settings.UpdateAsync(s => s with { Theme = Theme.System });
        Assert.Equal(Theme.System, Settings.Current.Theme);
        Assert.Contains(Services.GetRequiredService<Orbitr.Web.State.Notices>().Items, n => n.Code == Orbitr.Web.State.ErrorCodes.StoragePermissionDenied && n.Title.Contains("Settings"));
    }

    [Fact]
    public async Task The_dialog_opens_from_its_button_and_applies_each_control()
    {
        var cut = Render<SettingsDialog>();
        Assert.Empty(cut.FindAll("#setting-metronome")); // closed: no content
        cut.Find("button.settings-button").Click();
        Assert.Single(JSInterop.Invocations["openDialog"]);
        // Opening fetches the owner's usage (the server here is unreachable): let that end, and the re-render its
        // answer causes, before using the controls.
        cut.WaitForElement(".your-data .form-error");
        // (Events are awaited: a plain Input only queues while a background answer re-renders.)

        await cut.Find("#setting-metronome").InputAsync(new ChangeEventArgs { Value = "40" });
        Assert.Equal(0.4, Settings.Current.MetronomeLevel, 9);
        Assert.Equal("40 %", cut.Find("output[for=setting-metronome]").TextContent);
        await cut.Find("#setting-latency").ChangeAsync(new ChangeEventArgs { Value = "playback" });
        Assert.Equal(LatencyHint.Playback, Settings.Current.LatencyHint);
        await cut.Find("input[name=setting-theme][value=light]").ChangeAsync(new ChangeEventArgs { Value = true });
        Assert.Equal(Theme.Light, Settings.Current.Theme);
        await cut.Find("#setting-storage").InputAsync(new ChangeEventArgs { Value = "1500" });
        Assert.Equal(1500, Settings.Current.SoundStorageMegabytes);
        Assert.Equal("1.5 GB", cut.Find("output[for=setting-storage]").TextContent);
        await cut.Find("#setting-upload").ChangeAsync(new ChangeEventArgs { Value = false });
        Assert.False(Settings.Current.UploadOfflineSounds);
        await cut.Find("#setting-audition").ChangeAsync(new ChangeEventArgs { Value = true });
        Assert.True(Settings.Current.AuditionOnSelect);
        Assert.True(Settings.Current.QueuePatterns); // on unless turned off
        await cut.Find("#setting-queue").ChangeAsync(new ChangeEventArgs { Value = false });
        Assert.False(Settings.Current.QueuePatterns);
        Assert.NotNull(cut.Find(".your-data"));

        await cut.InvokeAsync(() => cut.Instance.OnDialogClosed());
        Assert.Empty(cut.FindAll("#setting-metronome"));
    }
}
