using System.Buffers.Binary;
using Microsoft.Playwright;
using Orbitr.Cli;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;

namespace Orbitr.EndToEnd.Tests.Steps;

/// <summary>Issue 25's "Loop" export option: the browser folds the tails in and runs the dynamics to their steady
/// state as `orbitr render --loop` does; the two null against each other, and the file is named for its tempo.</summary>
[Collection(AppCollection.Name)]
public sealed class ExportLoopTests(AppServer server)
{
    [Fact]
    public async Task A_loop_export_is_exactly_its_cycles_with_the_tails_folded_and_nulls_against_the_cli()
    {
        await using var app = await server.OpenAsync();
        var p = PatternFactory.Create(4, seed: 6, name: "Loop me") with { Bpm = 126, Swing = 20 };
        p = PatternEditor.EuclideanFill(p, 0, 4);
        p = PatternEditor.EuclideanFill(p, 1, 2, 4);
        p = PatternEditor.EuclideanFill(p, 2, 7);
        p = PatternEditor.UpdateStep(p, 2, 15, s => s with { Active = true, Effects = new StepEffects(null, null, new DelayEffect(0.3, 0.6, 0.5)) });
        p = PatternEditor.UpdateTrack(p, 1, t => t with { Reverb = 0.6 });
        p = p with
        {
            Master = p.Master with
            {
                Compressor = p.Master.Compressor with { Enabled = false }, // Chromium's own: off, as in every null test
                Limiter = new LimiterSettings(true, -3),
                Reverb = p.Master.Reverb with { Decay = 2 },
            },
        };
        await app.ImportByDropAsync("loop.json", PatternJson.Write(p));
        await Assertions.Expect(app.Page.GetByLabel("Pattern name")).ToHaveValueAsync("Loop me");
        await app.OpenMenuAsync("Export");
        await app.Page.GetByLabel("Export cycles").SelectOptionAsync("1");
        await app.Page.GetByLabel("WAV format").SelectOptionAsync("Float32");
        await app.Page.GetByLabel("Seamless loop").CheckAsync();
        var download = await app.Page.RunAndWaitForDownloadAsync(async () =>
            await app.Page.GetByRole(AriaRole.Button, new() { Name = "Export WAV" }).ClickAsync(), new() { Timeout = 90_000 });
        Assert.Equal("Loop-me 126bpm loop.wav", download.SuggestedFilename);
        var dir = Directory.CreateTempSubdirectory("orbitr-loop-");
        var browserWav = Path.Combine(dir.FullName, "browser.wav");
        await download.SaveAsAsync(browserWav);
        var patternFile = Path.Combine(dir.FullName, "loop.json");
        File.WriteAllText(patternFile, PatternJson.Write(p));
        var cliWav = Path.Combine(dir.FullName, "cli.wav");
        Assert.Equal(0, OrbitrCli.Run(["render", patternFile, "-o", cliWav, "--loop", "--format", "32f"], TextWriter.Null, TextWriter.Null));

        var bytes = File.ReadAllBytes(browserWav);
        var browser = WavReader.Read(bytes);
        var cli = WavReader.ReadFile(cliWav);
        var period = (int)Math.Round(p.CycleSeconds * 44100);
        Assert.Equal(period, browser.Length);
        Assert.Equal(period, cli.Length);
        // The same smpl chunk as the CLI writes: one loop over every frame.
        var smpl = bytes.AsSpan(bytes.Length - WavStreamWriter.SmplChunkBytes);
        Assert.True(smpl[..4].SequenceEqual("smpl"u8), "no smpl chunk at the end");
        Assert.Equal((uint)(period - 1), BinaryPrimitives.ReadUInt32LittleEndian(smpl[56..]));
        double residual = 0, start = 0;
        for (var c = 0; c < 2; c++)
            for (var i = 0; i < period; i++)
            {
                residual = Math.Max(residual, Math.Abs(browser.Channel(c)[i] - cli.Channel(c)[i]));
                if (i < 2000) start = Math.Max(start, Math.Abs(browser.Channel(c)[i]));
            }
        var db = 20 * Math.Log10(Math.Max(residual, 1e-12));
        Console.WriteLine($"loop export: {period} frames, residual against orbitr render --loop {db:F1} dBFS");
        Assert.True(db < -80, $"residual {db:F1} dBFS");
        Assert.True(start > 0.01, "the loop's start carries the kick (and the folded tails)");
        Assert.Empty(app.ConsoleErrors);
    }
}
