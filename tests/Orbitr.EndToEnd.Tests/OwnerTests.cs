using Microsoft.Playwright;

namespace Orbitr.EndToEnd.Tests;

/// <summary>Two browser contexts are two owners: each sees only its own library; "Delete everything" empties it;
/// the library key moved to a fresh context brings the library along.</summary>
[Collection(AppCollection.Name)]
public class OwnerTests(AppServer server)
{
    private static byte[] Wav(double frequency) => Orbitr.Dsp.Wav.WavWriter.ToBytes(
        new Orbitr.Dsp.Audio.AudioBuffer([Enumerable.Range(0, 11025).Select(i => (float)Math.Sin(i * frequency) * 0.5f).ToArray()], 44100),
        Orbitr.Dsp.Wav.WavSampleFormat.Pcm16);

    private static async Task<string> UploadAsync(AppPage app, double frequency)
    {
        var name = $"own{Guid.NewGuid():N}"[..12];
        await app.Page.Locator("input[type=file][aria-label='Upload a sample']").SetInputFilesAsync(new FilePayload { Name = name + ".wav", MimeType = "audio/wav", Buffer = Wav(frequency) });
        await Assertions.Expect(app.Page.Locator("li.sample.upload", new() { HasText = name })).ToBeVisibleAsync();
        return name;
    }

    /// <summary>"Your data on the server" is a section of the settings dialog.</summary>
    private static async Task OpenYourDataAsync(AppPage app)
    {
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Settings", Exact = true }).ClickAsync();
        await Assertions.Expect(app.Page.GetByRole(AriaRole.Heading, new() { Name = "Your data on the server" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Each_browser_sees_its_own_library_the_key_moves_it_and_delete_everything_empties_it()
    {
        await using var alice = await server.OpenAsync();
        await using var bob = await server.OpenAsync();
        var a = await UploadAsync(alice, 0.05);
        var b = await UploadAsync(bob, 0.07);
        await Assertions.Expect(alice.Page.Locator("li.sample.upload")).ToHaveCountAsync(1);
        await Assertions.Expect(bob.Page.Locator("li.sample.upload")).ToHaveCountAsync(1);
        await Assertions.Expect(bob.Page.Locator("li.sample.upload", new() { HasText = a })).ToHaveCountAsync(0);

        // Alice's key, pasted in a fresh browser, brings her library along.
        await OpenYourDataAsync(alice);
        await Assertions.Expect(alice.Page.Locator(".your-data .usage")).ToContainTextAsync("1 sample and 0 saved patterns");
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Show my library key" }).ClickAsync();
        var key = await alice.Page.GetByLabel("Library key", new() { Exact = true }).InputValueAsync();
        Directory.CreateDirectory(Path.Combine(server.RepoRoot, "TestResults"));
        await alice.Page.Locator("section.your-data").ScreenshotAsync(new() { Path = Path.Combine(server.RepoRoot, "TestResults", "your-data.png") });
        Assert.Matches("^[A-Za-z0-9_-]{40,}$", key);
        await using var fresh = await server.OpenAsync();
        await Assertions.Expect(fresh.Page.Locator("li.sample.upload")).ToHaveCountAsync(0);
        await OpenYourDataAsync(fresh);
        await fresh.Page.GetByLabel("Paste a library key").FillAsync(key);
        await fresh.Page.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Assertions.Expect(fresh.Page.Locator("li.sample.upload", new() { HasText = a })).ToBeVisibleAsync();
        // A key the server does not know is refused, and the library stays.
        await fresh.Page.GetByLabel("Paste a library key").FillAsync("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        await fresh.Page.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Assertions.Expect(fresh.Page.Locator(".your-data .form-error")).ToContainTextAsync("Unknown library key");
        await Assertions.Expect(fresh.Page.Locator("li.sample.upload", new() { HasText = a })).ToBeVisibleAsync();

        // Delete everything: Alice's library is empty (in every browser using her key), Bob's is untouched.
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Delete everything I stored on the server" }).ClickAsync();
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete everything" }).ClickAsync();
        await Assertions.Expect(alice.Page.Locator("li.sample.upload")).ToHaveCountAsync(0);
        await Assertions.Expect(alice.Page.Locator(".your-data .usage")).ToContainTextAsync("0 samples and 0 saved patterns");
        await bob.Page.ReloadAsync();
        await Assertions.Expect(bob.Page.Locator("li.sample.upload", new() { HasText = b })).ToBeVisibleAsync();
        Assert.DoesNotContain(alice.ConsoleErrors, e => !e.Contains("401"));
    }
}
