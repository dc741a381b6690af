using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Master;
using Orbitr.Dsp.Wav;

namespace Orbitr.Cli.Tests;

/// <summary><c>orbitr render --true-peak</c> (issue 25): renders peaked at −1.0 dBFS sample peak but over it in dBTP;
/// the true-peak limiter keeps them under the ceiling in dBTP.</summary>
public class TruePeakCliTests
{
    private static Pattern Loud()
    {
        var p = PatternFactory.Create(6, seed: 4, name: "Loud");
        p = PatternEditor.EuclideanFill(p, 0, 4);
        p = PatternEditor.EuclideanFill(p, 1, 2, 4);
        p = PatternEditor.EuclideanFill(p, 2, 8);
        return PatternEditor.SetStepActive(p, 4, 12, true);
    }

    private static double Dbtp(string path)
    {
        var wav = WavReader.ReadFile(path);
        return 20 * Math.Log10(TruePeak.Of(wav.Channel(0), wav.Channel(1)));
    }

    [Fact]
    public void The_true_peak_limiter_keeps_a_render_under_the_ceiling_in_dbtp()
    {
        using var cli = new CliRunner();
        File.WriteAllBytes(cli.Path("p.json"), PatternJson.WriteUtf8(Loud()));
        var (code, output, err) = cli.Run("render", cli.Path("p.json"), "-o", cli.Path("sample.wav"), "--cycles", "4", "--format", "32f");
        Assert.True(code == 0, err);
        var before = Dbtp(cli.Path("sample.wav"));
        Assert.Contains("peak -1.0 dBFS", output);
        Assert.True(before > -0.5, $"the sample-peak limiter's render is at {before:F2} dBTP");

        (code, output, err) = cli.Run("render", cli.Path("p.json"), "-o", cli.Path("true.wav"), "--cycles", "4", "--format", "32f", "--true-peak");
        Assert.True(code == 0, err);
        var after = Dbtp(cli.Path("true.wav"));
        Assert.InRange(after, -1.3, -0.98);
        Assert.Contains($"{after.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} dBTP", output);

        // The pattern's own setting does the same.
        var p = Loud();
        File.WriteAllBytes(cli.Path("tp.json"), PatternJson.WriteUtf8(p with { Master = p.Master with { Limiter = p.Master.Limiter with { TruePeak = true } } }));
        Assert.Equal(0, cli.Run("render", cli.Path("tp.json"), "-o", cli.Path("setting.wav"), "--cycles", "4", "--format", "32f").Code);
        Assert.Equal(File.ReadAllBytes(cli.Path("true.wav")), File.ReadAllBytes(cli.Path("setting.wav")));
    }

    [Fact]
    public void True_peak_needs_the_limiter_on()
    {
        using var cli = new CliRunner();
        var p = Loud();
        File.WriteAllBytes(cli.Path("p.json"), PatternJson.WriteUtf8(p with { Master = p.Master with { Limiter = p.Master.Limiter with { Enabled = false } } }));
        var (code, _, err) = cli.Run("render", cli.Path("p.json"), "-o", cli.Path("x.wav"), "--true-peak");
        Assert.Equal(1, code);
        Assert.Contains("the master limiter is off", err);
        Assert.False(File.Exists(cli.Path("x.wav")));
    }
}
