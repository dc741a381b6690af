using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Orbitr.EndToEnd.Tests;

/// <summary>The settings dialog: opened by mouse and keyboard, closed by Escape with focus back on its button; every
/// setting applies at once and survives a reload; the metronome level and the latency hint reach Web Audio; bad
/// stored settings give the defaults without an error.</summary>
[Collection(AppCollection.Name)]
public class SettingsTests(AppServer server)
{
    private static ILocator SettingsButton(AppPage app) => app.Page.GetByRole(AriaRole.Button, new() { Name = "Settings", Exact = true });

    private static ILocator Dialog(AppPage app) => app.Page.GetByRole(AriaRole.Dialog, new() { Name = "Settings" });

    private static async Task OpenSettingsAsync(AppPage app)
    {
        await SettingsButton(app).ClickAsync();
        await Assertions.Expect(Dialog(app)).ToBeVisibleAsync();
    }

    private static async Task CloseSettingsAsync(AppPage app)
    {
        await Dialog(app).GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await Assertions.Expect(Dialog(app)).ToBeHiddenAsync();
    }

    private static Task<string> BackgroundAsync(AppPage app) =>
        app.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    [Fact]
    public async Task Opens_by_mouse_and_keyboard_and_Escape_closes_it_with_focus_back_on_the_button()
    {
        await using var app = await server.OpenAsync();
        await OpenSettingsAsync(app);
        await Assertions.Expect(app.Page.GetByLabel("Metronome level")).ToBeFocusedAsync();
        await app.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(Dialog(app)).ToBeHiddenAsync();
        await Assertions.Expect(SettingsButton(app)).ToBeFocusedAsync();

        // Keyboard only: Enter on the focused button opens it; focus stays inside (modal); Space presses the focused
        // Close button rather than starting playback.
        await app.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Dialog(app)).ToBeVisibleAsync();
        await Assertions.Expect(app.Page.GetByLabel("Metronome level")).ToBeFocusedAsync();
        await app.Page.Keyboard.PressAsync("Shift+Tab");
        await Assertions.Expect(Dialog(app).GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true })).ToBeFocusedAsync();
        await app.Page.Keyboard.PressAsync(" ");
        await Assertions.Expect(Dialog(app)).ToBeHiddenAsync();
        await Assertions.Expect(SettingsButton(app)).ToBeFocusedAsync();
        await Assertions.Expect(app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true })).ToBeVisibleAsync();

        await app.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Dialog(app)).ToBeVisibleAsync();
        await app.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(Dialog(app)).ToBeHiddenAsync();
        await Assertions.Expect(SettingsButton(app)).ToBeFocusedAsync();
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task Every_setting_applies_at_once_and_survives_a_reload()
    {
        await using var app = await server.OpenAsync();
        var dark = await BackgroundAsync(app);
        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await OpenSettingsAsync(app);
        await app.Page.GetByLabel("Metronome level").FillAsync("40");
        await Assertions.Expect(Dialog(app).Locator("output[for=setting-metronome]")).ToHaveTextAsync("40 %");
        await app.Page.GetByLabel("Audio latency").SelectOptionAsync("playback");
        await app.Page.GetByLabel("Light", new() { Exact = true }).CheckAsync();
        await app.Page.GetByLabel("Space for offline sounds").FillAsync("1000");
        await Assertions.Expect(Dialog(app).Locator("output[for=setting-storage]")).ToHaveTextAsync("1 GB");
        await app.Page.GetByLabel("Upload sounds added offline").UncheckAsync();

        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        Assert.Equal("rgb(244, 245, 248)", await BackgroundAsync(app));
        Assert.NotEqual(dark, await BackgroundAsync(app));
        var stored = await app.Page.EvaluateAsync<string>("() => localStorage.getItem('orbitr.settings')");
        using (var json = JsonDocument.Parse(stored))
        {
            Assert.Equal(0.4, json.RootElement.GetProperty("metronomeLevel").GetDouble(), 9);
            Assert.Equal("playback", json.RootElement.GetProperty("latencyHint").GetString());
            Assert.Equal("light", json.RootElement.GetProperty("theme").GetString());
            Assert.Equal(1000, json.RootElement.GetProperty("soundStorageMegabytes").GetInt32());
            Assert.False(json.RootElement.GetProperty("uploadOfflineSounds").GetBoolean());
        }

        await app.ReloadAsync();
        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        Assert.Equal("rgb(244, 245, 248)", await BackgroundAsync(app));
        await OpenSettingsAsync(app);
        await Assertions.Expect(app.Page.GetByLabel("Metronome level")).ToHaveValueAsync("40");
        await Assertions.Expect(app.Page.GetByLabel("Audio latency")).ToHaveValueAsync("playback");
        await Assertions.Expect(app.Page.GetByLabel("Light", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(app.Page.GetByLabel("Space for offline sounds")).ToHaveValueAsync("1000");
        await Assertions.Expect(app.Page.GetByLabel("Upload sounds added offline")).Not.ToBeCheckedAsync();

        await app.Page.GetByLabel("Dark", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.Equal(dark, await BackgroundAsync(app));
        Assert.Empty(app.ConsoleErrors);
    }

    [Fact]
    public async Task System_theme_follows_the_color_scheme()
    {
        await using var app = await server.OpenAsync();
        await app.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await OpenSettingsAsync(app);
        await app.Page.GetByLabel("System", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await app.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        await app.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.Empty(app.ConsoleErrors);
    }

    private sealed record Scheduled(int Track, double Gain);

    /// <summary>Plays until <paramref name="enough"/> (a page expression on the scheduled events <c>s</c>) holds, then stops.</summary>
    private static async Task<List<Scheduled>> PlayAWhileAsync(AppPage app, string enough = "s.length > 0")
    {
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).WaitForAsync();
        await app.Page.WaitForFunctionAsync($"() => {{ const s = globalThis.__orbitrScheduled ?? []; return {enough}; }}", null, new() { Timeout = 30_000 });
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).WaitForAsync();
        return JsonSerializer.Deserialize<List<Scheduled>>(
            await app.Page.EvaluateAsync<string>("() => JSON.stringify(globalThis.__orbitrScheduled)"), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    [Fact]
    public async Task Metronome_clicks_play_at_the_set_level_and_the_latency_hint_creates_the_audio_context()
    {
        await using var app = await server.OpenAsync();
        await OpenSettingsAsync(app);
        await app.Page.GetByLabel("Metronome level").FillAsync("25");
        await app.Page.GetByLabel("Audio latency").SelectOptionAsync("balanced");
        await CloseSettingsAsync(app);
        await app.Page.GetByLabel("Metronome", new() { Exact = true }).CheckAsync();

        var scheduled = await PlayAWhileAsync(app, "s.filter(e => e.track === -1).length >= 2 && s.some(e => e.track >= 0 && e.gain > 0.25)");
        var clicks = scheduled.Where(e => e.Track == -1).ToList();
        Assert.True(clicks.Count >= 2, $"{clicks.Count} metronome clicks scheduled");
        Assert.All(clicks, c => Assert.Equal(0.25, c.Gain, 9));
        Assert.Contains(scheduled, e => e.Track >= 0 && e.Gain > 0.25); // the notes keep their own gains
        Assert.Equal("balanced", await app.Page.EvaluateAsync<string>("() => globalThis.__orbitrContextOptions.latencyHint"));

        // Audio is running: a new hint is saved but says it applies after a reload, and does then.
        await OpenSettingsAsync(app);
        await app.Page.GetByLabel("Audio latency").SelectOptionAsync("playback");
        await Assertions.Expect(Dialog(app).Locator(".setting p.hint")).ToContainTextAsync("applies after you reload");
        await CloseSettingsAsync(app);
        await app.ReloadAsync();
        await PlayAWhileAsync(app);
        Assert.Equal("playback", await app.Page.EvaluateAsync<string>("() => globalThis.__orbitrContextOptions.latencyHint"));
        Assert.Empty(app.ConsoleErrors);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"metronomeLevel": 9, "latencyHint": "fastest", "theme": 1, "soundStorageMegabytes": -5, "uploadOfflineSounds": "no"}""")]
    [InlineData("[]")]
    public async Task Corrupted_settings_give_the_defaults_without_an_error(string stored)
    {
        await using var app = await server.OpenAsync();
        await app.Page.EvaluateAsync("(text) => localStorage.setItem('orbitr.settings', text)", stored);
        await app.ReloadAsync();
        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await OpenSettingsAsync(app);
        await Assertions.Expect(app.Page.GetByLabel("Metronome level")).ToHaveValueAsync("70");
        await Assertions.Expect(app.Page.GetByLabel("Audio latency")).ToHaveValueAsync("interactive");
        await Assertions.Expect(app.Page.GetByLabel("Dark", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(app.Page.GetByLabel("Space for offline sounds")).ToHaveValueAsync("200");
        await Assertions.Expect(app.Page.GetByLabel("Upload sounds added offline")).ToBeCheckedAsync();
        Assert.Empty(app.ConsoleErrors);
        Assert.Equal(0, await app.Page.Locator(".notice.error").CountAsync());
    }

    [Fact]
    public async Task The_dialog_and_the_light_theme_pass_axe_and_look_right()
    {
        await using var app = await server.OpenAsync();
        Directory.CreateDirectory(Path.Combine(server.RepoRoot, "TestResults"));
        await OpenSettingsAsync(app);
        await app.Page.GetByText("0 samples and 0 saved patterns").WaitForAsync();
        await app.Page.ScreenshotAsync(new() { Path = Path.Combine(server.RepoRoot, "TestResults", "settings-dark.png") });
        await app.ExpectNoSeriousAxeViolationsAsync();

        await app.Page.GetByLabel("Light", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(app.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        await app.Page.ScreenshotAsync(new() { Path = Path.Combine(server.RepoRoot, "TestResults", "settings-light.png") });
        await app.ExpectNoSeriousAxeViolationsAsync();

        // The whole app in light, with the step editor open (as AccessibilityTests does in dark).
        await CloseSettingsAsync(app);
        await app.Step(2, 3).ClickAsync();
        await app.Page.GetByLabel("Velocity").WaitForAsync();
        await app.Page.ScreenshotAsync(new() { Path = Path.Combine(server.RepoRoot, "TestResults", "app-light.png") });
        await app.ExpectNoSeriousAxeViolationsAsync();
        Assert.Empty(app.ConsoleErrors);
    }
}
