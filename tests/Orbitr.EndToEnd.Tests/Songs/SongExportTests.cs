using Microsoft.Playwright;
using Orbitr.Cli;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;
using Orbitr.Dsp.Wav;

namespace Orbitr.EndToEnd.Tests.Songs;

/// <summary>Issue 25: a song's WAV rendered in the browser nulls against <c>orbitr render song.json</c> of the same
/// bundle: sections at their own tempo and mix (one with a reverb), tails ringing into the next section, the first
/// section's limiter over all, the same auto tail.</summary>
[Collection(AppCollection.Name)]
public sealed class SongExportTests(AppServer server)
{
    [Fact]
    public async Task A_song_exported_in_the_browser_nulls_against_the_cli()
    {
        await using var app = await server.OpenAsync();
        var limiter = new LimiterSettings(true, -9); // works on the loud hits: the worklet must match LookAheadLimiter
        Pattern Section(uint seed, string name, double bpm, int length)
        {
            var p = PatternEditor.SetLength(PatternFactory.Create(4, seed: seed, name: name) with { Bpm = bpm, Swing = 25 }, length);
            return p with { Master = p.Master with { Volume = 0.9, Compressor = p.Master.Compressor with { Enabled = false }, Limiter = limiter } };
        }
        var verse = Section(11, "Verse", 124, 16);
        verse = PatternEditor.EuclideanFill(verse, 0, 4);
        verse = PatternEditor.EuclideanFill(verse, 2, 7);
        verse = PatternEditor.UpdateStep(verse, 1, 15, s => s with { Active = true, Effects = new StepEffects(null, null, new DelayEffect(0.25, 0.5, 0.5)) });
        var chorus = Section(12, "Chorus", 97, 12);
        chorus = PatternEditor.EuclideanFill(chorus, 0, 3);
        chorus = PatternEditor.EuclideanFill(chorus, 1, 5, 2);
        chorus = PatternEditor.UpdateTrack(chorus, 1, t => t with { Reverb = 0.5, Volume = 0.6 });
        chorus = PatternEditor.SetTrackPan(chorus, 3, -0.5);
        chorus = PatternEditor.EuclideanFill(chorus, 3, 6);
        chorus = chorus with { Master = chorus.Master with { Volume = 0.7, Reverb = chorus.Master.Reverb with { Decay = 1.2 } } };
        var song = SongBundle.Pack(new Song("Null song", new EquatableArray<SongSection>([new("a", 2), new("b", 1), new("a", 1)])),
            r => r == "a" ? verse : chorus, out _)!;
        var text = SongJson.Write(song);
        await app.ImportByDropAsync("null.orbitr.song", text);
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Verse");

        await app.OpenMenuAsync("Export");
        await app.Page.GetByLabel("WAV format").SelectOptionAsync("Float32");
        await app.OpenMenuAsync("Song");
        var panel = app.Page.Locator("#song-menu");
        await Assertions.Expect(panel.Locator(".song-section .section-name")).ToHaveTextAsync(["Verse", "Chorus", "Verse"]);
        var download = await app.Page.RunAndWaitForDownloadAsync(async () =>
            await panel.GetByRole(AriaRole.Button, new() { Name = "Export song WAV" }).ClickAsync(), new() { Timeout = 90_000 });
        Assert.Equal("Null-song.wav", download.SuggestedFilename);
        var dir = Directory.CreateTempSubdirectory("orbitr-song-null-");
        var browserWav = Path.Combine(dir.FullName, "browser.wav");
        await download.SaveAsAsync(browserWav);
        var songFile = Path.Combine(dir.FullName, "song.json");
        File.WriteAllText(songFile, text);
        var cliWav = Path.Combine(dir.FullName, "cli.wav");
        var err = new StringWriter();
        Assert.True(0 == OrbitrCli.Run(["render", songFile, "-o", cliWav, "--format", "32f"], TextWriter.Null, err), err.ToString());

        var browser = WavReader.ReadFile(browserWav);
        var cli = WavReader.ReadFile(cliWav);
        var span = (int)Math.Round(SongTimeline.TotalSeconds(SongBundle.Parts(song)!) * 44100);
        Assert.True(cli.Length >= span, $"{cli.Length} frames, the song spans {span}");
        Assert.Equal(cli.Length, browser.Length);
        double residual = 0, peak = 0;
        var worst = 0;
        for (var c = 0; c < 2; c++)
            for (var i = 0; i < cli.Length; i++)
            {
                var d = Math.Abs(browser.Channel(c)[i] - cli.Channel(c)[i]);
                if (d > residual) (residual, worst) = (d, i);
                peak = Math.Max(peak, Math.Abs(cli.Channel(c)[i]));
            }
        var db = 20 * Math.Log10(Math.Max(residual, 1e-12));
        Console.WriteLine($"song export: {browser.Length} frames, peak {20 * Math.Log10(peak):F1} dBFS, residual against orbitr render {db:F1} dBFS at frame {worst}");
        Assert.True(peak > 0.1, "the song is not silent");
        Assert.True(db < -90, $"residual {db:F1} dBFS at frame {worst}"); // as a pattern's export
        dir.Delete(recursive: true);
        Assert.Empty(app.ConsoleErrors);
    }
}
