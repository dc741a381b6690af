using System.Buffers.Binary;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;

namespace Orbitr.Cli.Tests;

/// <summary><c>orbitr render --loop</c> (issue 25): exactly N cycles whose repeat is the pattern playing on (tails of
/// reverb and delay folded in, the master's compressor and limiter in their steady state), marked in a smpl chunk.</summary>
public class LoopCliTests
{
    private static Pattern Ringing()
    {
        // 126 BPM: a cycle is 84,000 frames at 44.1 kHz, so every cycle of a long render starts on a whole frame as the
        // loop does (at a tempo whose cycle is not whole frames, later cycles drift against the loop by under a frame).
        var p = PatternFactory.Create(4, seed: 3, name: "Loop") with { Bpm = 126, Swing = 25 };
        p = PatternEditor.EuclideanFill(p, 0, 4);
        p = PatternEditor.EuclideanFill(p, 1, 2, 4);
        p = PatternEditor.EuclideanFill(p, 2, 7);
        // Tails that outlast the cycle: a delay on the last hat and the snare's reverb.
        p = PatternEditor.UpdateStep(p, 2, 15, s => s with { Active = true, Effects = new StepEffects(null, null, new DelayEffect(0.3, 0.6, 0.5)) });
        p = PatternEditor.UpdateTrack(p, 1, t => t with { Reverb = 0.7 });
        return p with { Master = p.Master with { Reverb = p.Master.Reverb with { Decay = 2.5 } } };
    }

    private static byte[] Chunk(byte[] wav, string id)
    {
        for (var i = 12; i + 8 <= wav.Length;)
        {
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(i + 4));
            if (wav.AsSpan(i, 4).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(id))) return wav.AsSpan(i + 8, size).ToArray();
            i += 8 + size + (size & 1);
        }
        return [];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_loop_repeated_is_every_later_window_of_a_long_render(int cycles)
    {
        using var cli = new CliRunner();
        var p = Ringing();
        File.WriteAllBytes(cli.Path("p.json"), PatternJson.WriteUtf8(p));
        var (code, output, err) = cli.Run("render", cli.Path("p.json"), "-o", cli.Path("loop.wav"), "--loop", "--cycles", cycles.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "32f");
        Assert.True(code == 0, err);
        Assert.Contains("rendered a loop", output);
        var bytes = File.ReadAllBytes(cli.Path("loop.wav"));
        var loop = WavReader.Read(bytes);
        var period = (int)Math.Round(cycles * p.CycleSeconds * 44100);
        Assert.Equal(period, loop.Length);

        // smpl: one forward loop over every frame.
        var smpl = Chunk(bytes, "smpl");
        Assert.Equal(60, smpl.Length);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(smpl.AsSpan(28)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(smpl.AsSpan(40)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(smpl.AsSpan(44)));
        Assert.Equal((uint)(period - 1), BinaryPrimitives.ReadUInt32LittleEndian(smpl.AsSpan(48)));

        // The tails reach past a cycle (so folding matters) and are gone after a few.
        var longCycles = cycles * 7;
        Assert.Equal(0, cli.Run("render", cli.Path("p.json"), "-o", cli.Path("long.wav"), "--cycles", longCycles.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "32f", "--tail", "0").Code);
        var song = WavReader.ReadFile(cli.Path("long.wav"));
        for (var k = 3; k < 6; k++) // not the last: its end has no look-ahead into a next cycle
        {
            double worst = 0;
            for (var c = 0; c < 2; c++)
                for (var i = 0; i < period; i++)
                    worst = Math.Max(worst, Math.Abs(song.Channel(c)[k * period + i] - loop.Channel(c)[i]));
            var db = 20 * Math.Log10(Math.Max(worst, 1e-12));
            Assert.True(db < -80, $"window {k}: {db:F1} dBFS from the loop");
        }
        // The first window of the long render has no earlier tails: it is not the loop.
        double first = 0;
        for (var i = 0; i < period; i++) first = Math.Max(first, Math.Abs(song.Channel(0)[i] - loop.Channel(0)[i]));
        Assert.True(20 * Math.Log10(first) > -40, "the loop's start carries the tails of the cycle before it");
    }

    [Fact]
    public void Loop_refuses_what_it_cannot_do()
    {
        using var cli = new CliRunner();
        File.WriteAllBytes(cli.Path("p.json"), PatternJson.WriteUtf8(Ringing()));
        File.WriteAllText(cli.Path("song.json"), """{"format":"orbitr.song","version":1,"name":"S","sections":[{"pattern":"file:p.json"}]}""");
        var (code, _, err) = cli.Run("render", cli.Path("p.json"), "-o", cli.Path("x.wav"), "--loop", "--tail", "1");
        Assert.Equal(1, code);
        Assert.Contains("--tail does not apply", err);
        (code, _, err) = cli.Run("render", cli.Path("p.json"), "--stems", cli.Path("s"), "--loop");
        Assert.Equal(1, code);
        Assert.Contains("--loop and --stems", err);
        (code, _, err) = cli.Run("render", cli.Path("song.json"), "-o", cli.Path("x.wav"), "--loop");
        Assert.Equal(1, code);
        Assert.Contains("is a song", err);
        (code, _, err) = cli.Run("render", cli.Path("p.json"), "-o", cli.Path("x.wav"), "--loop", "--cycles", "500");
        Assert.Equal(1, code);
        Assert.Contains("a loop is at most 5 minutes", err);
        Assert.False(File.Exists(cli.Path("x.wav")));
    }
}
