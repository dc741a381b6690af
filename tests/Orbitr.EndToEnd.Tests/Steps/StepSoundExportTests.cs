using Microsoft.Playwright;
using Orbitr.Cli;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;

namespace Orbitr.EndToEnd.Tests.Steps;

/// <summary>Issue 24's null test: a pattern that uses every v2 field (pitch up and down, start, reverse, gate,
/// ratchets, trig conditions, a choke group, a ring's own swing, reverb sends and the master reverb) exported by the
/// browser (OfflineAudioContext: playbackRate, start offsets, reversed buffers, gain automation, a ConvolverNode)
/// and rendered by `orbitr render --format 32f` must cancel to under −80 dBFS.</summary>
[Collection(AppCollection.Name)]
public sealed class StepSoundExportTests(AppServer server)
{
    public static Pattern EveryField()
    {
        var p = PatternFactory.Create(5, seed: 24, name: "Every field") with { Bpm = 118, Swing = 20 };
        p = p with
        {
            Master = p.Master with
            {
                Volume = 0.9,
                Compressor = p.Master.Compressor with { Enabled = false },
                Limiter = new LimiterSettings(true, -3),
                Reverb = new ReverbSettings(true, Decay: 0.9, Damping: 0.4, PreDelay: 0.02, Return: 0.5),
            },
        };
        // Ring 0 (kick): pitched down and up, a ratchet, a reverb send.
        p = PatternEditor.UpdateTrack(p, 0, t => t with { Reverb = 0.3 });
        p = PatternEditor.UpdateStep(p, 0, 0, s => s with { Active = true, Pitch = -5 });
        p = PatternEditor.UpdateStep(p, 0, 6, s => s with { Active = true, Pitch = 7.3, Ratchet = 3, Velocity = 90 });
        p = PatternEditor.UpdateStep(p, 0, 10, s => s with { Active = true, Condition = TrigCondition.Ratio(2, 2) });
        // Ring 1 (snare): reversed from a start point, gated, "first" only, its own swing.
        p = PatternEditor.UpdateTrack(p, 1, t => t with { Swing = 60, Reverb = 0.6, Pan = -0.4 });
        p = PatternEditor.UpdateStep(p, 1, 4, s => s with { Active = true, Reverse = true, Start = 0.3 });
        p = PatternEditor.UpdateStep(p, 1, 12, s => s with { Active = true, Gate = 0.03, Pitch = 2 });
        p = PatternEditor.UpdateStep(p, 1, 13, s => s with { Active = true, Condition = TrigCondition.First, Start = 0.1 });
        // Rings 2 and 3 (closed and open hat): one choke group, the open hat rings until a closed one starts.
        p = PatternEditor.UpdateTrack(p, 2, t => t with { Choke = 1, Pan = 0.5 });
        p = PatternEditor.UpdateTrack(p, 3, t => t with { Choke = 1, Pan = 0.5, Reverb = 0.2 });
        foreach (var s in new[] { 0, 4, 8, 12, 14 }) p = PatternEditor.UpdateStep(p, 2, s, st => st with { Active = true, Velocity = 70 + s });
        foreach (var s in new[] { 2, 10 }) p = PatternEditor.UpdateStep(p, 3, s, st => st with { Active = true, Pitch = -1.5 });
        p = PatternEditor.UpdateStep(p, 2, 15, s => s with { Active = true, Ratchet = 2, Gate = 0.01, Effects = new StepEffects(new FilterEffect(FilterType.Highpass, 3000, 1), null, null) });
        // Ring 4 (clap): through a delay and distortion, reversed, with a "!fill" condition (renders: fill off).
        p = PatternEditor.UpdateStep(p, 4, 4, s => s with
        {
            Active = true,
            Reverse = true,
            Condition = TrigCondition.NotFill,
            Effects = new StepEffects(null, new DistortionEffect(0.4), new DelayEffect(0.2, 0.4, 0.3)),
        });
        p = PatternEditor.UpdateStep(p, 4, 12, s => s with { Active = true, Condition = TrigCondition.Fill });
        return p;
    }

    private static IEnumerable<(string Name, Pattern Pattern)> Without(Pattern p)
    {
        Pattern Steps(Func<Step, Step> change) => p with
        {
            Tracks = new EquatableArray<Track>(p.Tracks.Select(t => t with { Steps = new EquatableArray<Step>(t.Steps.Select(change)) })),
        };
        yield return ("pitch", Steps(s => s with { Pitch = 0 }));
        yield return ("start", Steps(s => s with { Start = 0 }));
        yield return ("reverse", Steps(s => s with { Reverse = false }));
        yield return ("gate", Steps(s => s with { Gate = null }));
        yield return ("ratchet", Steps(s => s with { Ratchet = 1 }));
        yield return ("condition", Steps(s => s with { Condition = null }));
        yield return ("choke", p with { Tracks = new EquatableArray<Track>(p.Tracks.Select(t => t with { Choke = null })) });
        yield return ("ring swing", p with { Tracks = new EquatableArray<Track>(p.Tracks.Select(t => t with { Swing = null })) });
        yield return ("reverb", p with { Master = p.Master with { Reverb = p.Master.Reverb with { Enabled = false } } });
    }

    [Fact]
    public async Task Browser_wav_export_of_every_v2_field_nulls_against_orbitr_render()
    {
        await using var app = await server.OpenAsync();
        var p = EveryField();
        await app.ImportByDropAsync("every-field.json", PatternJson.Write(p));
        await app.ExpectStepAsync(1, 7, true);

        await app.OpenMenuAsync("Export");
        await app.Page.GetByLabel("Export cycles").SelectOptionAsync("2");
        await app.Page.GetByLabel("WAV format").SelectOptionAsync("Float32");
        var download = await app.Page.RunAndWaitForDownloadAsync(async () =>
            await app.Page.GetByRole(AriaRole.Button, new() { Name = "Export WAV" }).ClickAsync(), new() { Timeout = 90_000 });
        var dir = Directory.CreateTempSubdirectory("orbitr-null24-");
        var browserWav = Path.Combine(dir.FullName, "browser.wav");
        await download.SaveAsAsync(browserWav);

        var patternFile = Path.Combine(dir.FullName, "every-field.json");
        File.WriteAllText(patternFile, PatternJson.Write(p));
        var cliWav = Path.Combine(dir.FullName, "cli.wav");
        Assert.Equal(0, OrbitrCli.Run(["render", patternFile, "-o", cliWav, "--cycles", "2", "--format", "32f"], TextWriter.Null, TextWriter.Null));

        var browser = WavReader.ReadFile(browserWav);
        var cli = WavReader.ReadFile(cliWav);
        Assert.Equal(cli.SampleRate, browser.SampleRate);
        var span = (int)Math.Round(2 * p.CycleSeconds * cli.SampleRate);
        Assert.True(browser.Length >= span && cli.Length >= span, $"browser {browser.Length}, cli {cli.Length}, span {span}");
        var frames = Math.Min(browser.Length, cli.Length);
        double residual = 0, peak = 0;
        var worst = 0;
        for (var c = 0; c < 2; c++)
            for (var i = 0; i < frames; i++)
            {
                var d = Math.Abs(browser.Channel(c)[i] - cli.Channel(c)[i]);
                if (d > residual) (residual, worst) = (d, i);
                peak = Math.Max(peak, Math.Abs(cli.Channel(c)[i]));
            }
        var residualDb = 20 * Math.Log10(Math.Max(residual, 1e-12));
        Console.WriteLine($"every v2 field: browser {browser.Length} frames, cli {cli.Length} frames, peak {20 * Math.Log10(peak):F1} dBFS, " +
            $"residual {residualDb:F1} dBFS (worst at frame {worst})");
        if (residualDb >= -80)
        {
            var keep = Path.Combine(server.RepoRoot, "TestResults", "null-test-v2");
            Directory.CreateDirectory(keep);
            foreach (var f in dir.GetFiles()) f.CopyTo(Path.Combine(keep, f.Name), overwrite: true);
        }
        Assert.True(peak > 0.1, "the pattern must make sound");
        // Each field is heard: the CLI's render without it is far from what the browser exported.
        foreach (var (name, without) in Without(p))
        {
            var file = Path.Combine(dir.FullName, name + ".json");
            File.WriteAllText(file, PatternJson.Write(without));
            var wav = Path.Combine(dir.FullName, name + ".wav");
            Assert.Equal(0, OrbitrCli.Run(["render", file, "-o", wav, "--cycles", "2", "--format", "32f"], TextWriter.Null, TextWriter.Null));
            var other = WavReader.ReadFile(wav);
            double difference = 0;
            for (var c = 0; c < 2; c++)
                for (var i = 0; i < Math.Min(frames, other.Length); i++) difference = Math.Max(difference, Math.Abs(browser.Channel(c)[i] - other.Channel(c)[i]));
            Console.WriteLine($"  without {name}: {20 * Math.Log10(difference):F1} dBFS from the browser's export");
            Assert.True(20 * Math.Log10(difference) > -40, $"the export without {name} is within {20 * Math.Log10(difference):F1} dBFS of the browser's: is {name} played?");
        }
        Assert.True(Math.Abs(browser.Length - cli.Length) <= 1, $"the same auto tail: browser {browser.Length}, cli {cli.Length}");
        Assert.True(residualDb < -80, $"residual {residualDb:F1} dBFS at frame {worst}");
        dir.Delete(recursive: true);
    }
}
