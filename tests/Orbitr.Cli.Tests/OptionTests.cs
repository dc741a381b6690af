using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.Cli.Tests;

/// <summary>Numbers are read with the invariant culture and refused, naming the option, with exit 1; short options
/// mean one thing; no arguments shows the help.</summary>
public class OptionTests
{
    private static string Pattern(CliRunner cli)
    {
        var path = cli.Path("p.json");
        File.WriteAllBytes(path, PatternJson.WriteUtf8(PatternEditor.ToggleStep(PatternFactory.Create(4, 1), 0, 0)));
        return path;
    }

    [Theory]
    [InlineData("generate", "--duration", "abc")]
    [InlineData("generate", "--duration", "1,5")]
    [InlineData("generate", "--duration", "NaN")]
    [InlineData("generate", "--top-k", "abc")]
    [InlineData("generate", "--top-k", "1,5")]
    [InlineData("generate", "--guidance", "abc")]
    [InlineData("generate", "--guidance", "2,5")]
    [InlineData("generate", "--seed", "1,5")]
    [InlineData("generate", "--seed", "-1")]
    [InlineData("render", "--cycles", "abc")]
    [InlineData("render", "--cycles", "1,5")]
    [InlineData("render", "--cycles", "1.5")]
    [InlineData("render", "--sample-rate", "44,100")]
    [InlineData("render", "--tail", "1,5")]
    [InlineData("midi", "--cycles", "2,000")]
    [InlineData("new", "--tracks", "abc")]
    [InlineData("new", "--tracks", "5,0")]
    public void A_number_that_is_not_one_is_refused_naming_the_option(string command, string option, string value)
    {
        using var cli = new CliRunner();
        string[] args = command switch
        {
            "generate" => ["generate", "kick", "-o", cli.Path("o.wav"), "--engine", option is "--top-k" or "--guidance" ? "musicgen" : "synth", option, value],
            "new" => ["new", "-o", cli.Path("o.json"), option, value],
            _ => [command, Pattern(cli), "-o", cli.Path("o.out"), option, value],
        };
        var (code, _, err) = cli.Run(args);
        Assert.True(code == ExitCodes.Usage, err);
        Assert.Contains(option, err);
        Assert.Contains(value, err);
        Assert.DoesNotContain("   at ", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(cli.Path("o.wav")) || File.Exists(cli.Path("o.out")) || File.Exists(cli.Path("o.json")));
    }

    [Fact]
    public void Decimal_points_and_exponents_are_read_with_the_invariant_culture()
    {
        using var cli = new CliRunner();
        var (code, output, err) = cli.Run("generate", "kick", "-o", cli.Path("o.wav"), "--duration", "1.5", "--raw");
        Assert.True(code == 0, err);
        Assert.Contains("1.500 s", output);
        Assert.Equal(0, cli.Run("render", Pattern(cli), "-o", cli.Path("r.wav"), "--tail", "2.5e-1", "--cycles", "+1").Code);
    }

    [Fact]
    public void No_arguments_prints_the_help_and_exits_zero()
    {
        using var cli = new CliRunner();
        var (code, output, err) = cli.Run();
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("Usage:", output);
        foreach (var command in new[] { "new", "validate", "render", "midi", "generate", "model" }) Assert.Contains(command, output);
    }

    [Fact]
    public void Short_f_is_force_and_render_has_no_short_f()
    {
        using var cli = new CliRunner();
        File.WriteAllText(cli.Path("a.json"), "x");
        Assert.Equal(0, cli.Run("new", "-o", cli.Path("a.json"), "-f").Code);
        var (code, _, err) = cli.Run("render", Pattern(cli), "-o", cli.Path("o.wav"), "-f", "24");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("-f", err);
    }

    [Fact]
    public void A_midi_export_longer_than_a_delta_time_holds_succeeds()
    {
        // Before: "internal error … Maximum allowed Var Int" (69,906 cycles × 3,840 ticks > 2²⁸).
        using var cli = new CliRunner();
        var (code, _, err) = cli.Run("midi", Pattern(cli), "-o", cli.Path("long.mid"), "--cycles", "69906");
        Assert.True(code == 0, err);
        Assert.Equal("MThd", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(cli.Path("long.mid")), 0, 4));
    }
}
