using System.IO.Compression;
using Microsoft.Playwright;
using Orbitr.Cli;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;

namespace Orbitr.EndToEnd.Tests.Songs;

/// <summary>Issue 25's "Export stems" in the browser: one zip of a WAV per ring and the reverb's return, named and
/// sounding as <c>orbitr render --stems</c> writes them (each within −90 dBFS of the CLI's), all of one length.</summary>
[Collection(AppCollection.Name)]
public sealed class StemExportTests(AppServer server)
{
    [Fact]
    public async Task Stems_exported_in_the_browser_match_the_cli_stems_and_share_one_length()
    {
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(4, seed: 9, name: "Stem me") with { Bpm = 111, Swing = 15 };
        p = PatternEditor.EuclideanFill(p, 0, 4);
        p = PatternEditor.EuclideanFill(p, 1, 3, 2);
        p = PatternEditor.EuclideanFill(p, 2, 9);
        p = PatternEditor.UpdateStep(p, 3, 6, s => s with { Active = true, Effects = new StepEffects(new FilterEffect(FilterType.Lowpass, 1500, 1), null, new DelayEffect(0.2, 0.45, 0.5)) });
        p = PatternEditor.SetTrackPan(p, 2, 0.7);
        p = PatternEditor.UpdateTrack(p, 1, t => t with { Reverb = 0.7, Volume = 0.55 });
        p = p with { Master = p.Master with { Volume = 0.8, Limiter = new LimiterSettings(true, -6), Reverb = p.Master.Reverb with { Decay = 0.8 } } };
        await app.ImportByDropAsync("stems.json", PatternJson.Write(p));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Stem me");
        await app.OpenMenuAsync("Export");
        await app.Page.GetByLabel("Export cycles").SelectOptionAsync("2");
        await app.Page.GetByLabel("WAV format").SelectOptionAsync("Float32");
        var download = await app.Page.RunAndWaitForDownloadAsync(async () =>
            await app.Page.GetByRole(AriaRole.Button, new() { Name = "Export stems" }).ClickAsync(), new() { Timeout = 90_000 });
        Assert.Equal("Stem-me stems.zip", download.SuggestedFilename);
        var dir = Directory.CreateTempSubdirectory("orbitr-stems-");
        var zipPath = Path.Combine(dir.FullName, "stems.zip");
        await download.SaveAsAsync(zipPath);
        var file = Path.Combine(dir.FullName, "p.json");
        File.WriteAllText(file, PatternJson.Write(p));
        var cliDir = Path.Combine(dir.FullName, "cli");
        var err = new StringWriter();
        Assert.True(0 == OrbitrCli.Run(["render", file, "--cycles", "2", "--stems", cliDir, "--format", "32f"], TextWriter.Null, err), err.ToString());

        using var zip = ZipFile.OpenRead(zipPath);
        var cliNames = Directory.GetFiles(cliDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(cliNames, zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(5, cliNames.Count); // four rings and the reverb's return
        var lengths = new HashSet<int>();
        var span = (int)Math.Round(2 * p.CycleSeconds * 44100);
        foreach (var entry in zip.Entries)
        {
            using var ms = new MemoryStream();
            using (var s = entry.Open()) s.CopyTo(ms);
            var browser = WavReader.Read(ms.ToArray());
            var cli = WavReader.ReadFile(Path.Combine(cliDir, entry.FullName));
            lengths.Add(browser.Length);
            Assert.True(browser.Length >= span, $"{entry.FullName}: {browser.Length} frames, the span is {span}");
            var common = Math.Min(browser.Length, cli.Length);
            double residual = 0, peak = 0, beyond = 0;
            for (var c = 0; c < 2; c++)
            {
                for (var i = 0; i < common; i++)
                {
                    residual = Math.Max(residual, Math.Abs(browser.Channel(c)[i] - cli.Channel(c)[i]));
                    peak = Math.Max(peak, Math.Abs(cli.Channel(c)[i]));
                }
                // What one has past the other's end is silence (the CLI stops at a block after the tail dies away).
                var longer = browser.Length > cli.Length ? browser : cli;
                for (var i = common; i < longer.Length; i++) beyond = Math.Max(beyond, Math.Abs(longer.Channel(c)[i]));
            }
            var db = 20 * Math.Log10(Math.Max(residual, 1e-12));
            Console.WriteLine($"{entry.FullName}: {browser.Length} frames (cli {cli.Length}), peak {20 * Math.Log10(Math.Max(peak, 1e-12)):F1} dBFS, residual {db:F1} dBFS");
            Assert.True(peak > 1e-3, $"{entry.FullName} is silent");
            Assert.True(db < -90, $"{entry.FullName}: residual {db:F1} dBFS");
            Assert.True(beyond < 3.2e-5, $"{entry.FullName}: {20 * Math.Log10(beyond):F1} dBFS past the shorter one's end");
        }
        Assert.Single(lengths);
        dir.Delete(recursive: true);
        Assert.Empty(app.ConsoleErrors);
    }
}
