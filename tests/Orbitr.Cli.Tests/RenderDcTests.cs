using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;

namespace Orbitr.Cli.Tests;

/// <summary>Issue 25's DC report: renders had a mean of 3e-4 to 1.1e-3 while the kit's sounds have ~1e-12. The
/// compressor's gain, following a kick's asymmetric tail, made it (3.9e-4 with it, 6e-10 without, for this beat); the
/// DC blocker after it takes it out.</summary>
public class RenderDcTests
{
    private static Pattern Beat(bool compressor, bool limiter)
    {
        var p = PatternFactory.Create(6, seed: 4, name: "Four on the floor");
        p = PatternEditor.EuclideanFill(p, 0, 4);
        p = PatternEditor.EuclideanFill(p, 1, 2, 4);
        p = PatternEditor.EuclideanFill(p, 2, 8);
        p = PatternEditor.SetStepActive(p, 4, 12, true);
        return p with { Master = p.Master with { Compressor = p.Master.Compressor with { Enabled = compressor }, Limiter = p.Master.Limiter with { Enabled = limiter } } };
    }

    private static double[] Means(CliRunner cli, Pattern p)
    {
        File.WriteAllBytes(cli.Path("p.json"), PatternJson.WriteUtf8(p));
        var (code, _, err) = cli.Run("render", cli.Path("p.json"), "-o", cli.Path("p.wav"), "--format", "32f", "--cycles", "4");
        Assert.True(code == 0, err);
        var wav = WavReader.ReadFile(cli.Path("p.wav"));
        return [.. Enumerable.Range(0, 2).Select(c => wav.Channel(c).Average(x => (double)x))];
    }

    [Fact]
    public void A_render_through_the_compressor_has_no_dc_offset()
    {
        using var cli = new CliRunner();
        Assert.All(Means(cli, Beat(compressor: false, limiter: false)), m => Assert.InRange(Math.Abs(m), 0, 1e-8));
        // The compressor alone was 6.8e-4.
        Assert.All(Means(cli, Beat(compressor: true, limiter: false)), m => Assert.InRange(Math.Abs(m), 0, 1e-6));
        // The default chain: was 3.9e-4; the limiter's own gain (7.7 dB of reduction of the compressor's make-up here)
        // leaves 1.1e-4 (−79 dBFS), which a stage after the limiter would have to take out.
        Assert.All(Means(cli, Beat(compressor: true, limiter: true)), m => Assert.InRange(Math.Abs(m), 0, 2e-4));
    }
}
