using Orbitr.Dsp.Finishing;
using Orbitr.Dsp.Wav;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Cli.Tests;

public class GenerateTests
{
    [Fact]
    public void Generate_writes_the_synth_engines_sound_and_a_seed_gives_a_variation()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("generate", "glass bell, long tail", "-o", cli.Path("bell.wav"), "--duration", "1.5", "--seed", "3");
        Assert.Equal(0, code);
        Assert.Contains("with synth", output);
        // Finished as the server finishes every engine's sound (trim, fade, loudness).
        var expected = WavWriter.ToBytes(SampleFinisher.Default.Finish(PromptSynthesizer.Generate("glass bell, long tail", 3, 1.5, 44100)), WavSampleFormat.Pcm16);
        Assert.Equal(expected, File.ReadAllBytes(cli.Path("bell.wav")));
        Assert.Equal(0, cli.Run("generate", "glass bell, long tail", "-o", cli.Path("again.wav"), "--duration", "1.5", "--seed", "3").Code);
        Assert.Equal(expected, File.ReadAllBytes(cli.Path("again.wav")));
        Assert.Equal(0, cli.Run("generate", "glass bell, long tail", "-o", cli.Path("other.wav"), "--duration", "1.5", "--seed", "4").Code);
        Assert.NotEqual(expected, File.ReadAllBytes(cli.Path("other.wav")));
        Assert.Equal(0, cli.Run("generate", "808 kick", "-o", cli.Path("hq.wav"), "-q", "hq").Code);
        Assert.Equal(2.0, WavReader.ReadFile(cli.Path("hq.wav")).Duration, 2);
    }

    [Theory]
    [InlineData("a cat meowing", "the synth has no sound for \"cat\", \"meowing\"; it made a generic tone (MusicGen is the engine for such prompts")]
    [InlineData("rain", "the synth has no sound for \"rain\"; it made a generic tone")]
    [InlineData("vinyl crackle", "the synth has no sound for \"crackle\"; it made the noise without it")]
    [InlineData("dusty", "the synth knows no sound in this prompt; it made a generic tone")]
    public void A_prompt_the_synth_has_no_sound_for_is_made_with_a_warning_and_exit_0(string prompt, string warning)
    {
        using var cli = new CliRunner();
        var (code, output, error) = cli.Run("generate", prompt, "-o", cli.Path("x.wav"), "-d", "0.5");
        Assert.Equal(0, code);
        Assert.Contains("with synth", output);
        Assert.True(File.Exists(cli.Path("x.wav")));
        Assert.StartsWith($"orbitr: warning: {warning}", error);
        Assert.DoesNotContain("warning", output); // on stderr only: stdout may be the sound itself
    }

    [Fact]
    public void A_prompt_the_synth_understands_gives_no_warning()
    {
        using var cli = new CliRunner();
        var (code, _, error) = cli.Run("generate", "dusty lo-fi kick with reverb", "-o", cli.Path("k.wav"), "-d", "0.5");
        Assert.Equal(0, code);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("", "2002")]
    [InlineData("   ", "2002")]
    [InlineData("kick\u0001", "control character")]
    public void Invalid_prompts_exit_1_with_code_2002_and_write_nothing(string prompt, string message)
    {
        using var cli = new CliRunner();
        var (code, _, error) = cli.Run("generate", prompt, "-o", cli.Path("x.wav"));
        Assert.Equal(1, code);
        Assert.Contains(message, error);
        Assert.False(File.Exists(cli.Path("x.wav")));
    }

    [Theory]
    [InlineData("--duration", "0")]
    [InlineData("--duration", "11")]
    [InlineData("--quality", "ultra")]
    [InlineData("--seed", "-4")]
    public void Bad_options_are_usage_errors(string option, string value)
    {
        using var cli = new CliRunner();
        var (code, _, error) = cli.Run("generate", "kick", "-o", cli.Path("x.wav"), option, value);
        Assert.Equal(1, code);
        Assert.StartsWith("orbitr: error:", error);
        Assert.False(File.Exists(cli.Path("x.wav")));
    }

    [Fact]
    public void An_unreachable_server_exits_5_with_code_3001()
    {
        using var cli = new CliRunner();
        var (code, _, error) = cli.Run("generate", "kick", "-o", cli.Path("x.wav"), "--server", "http://127.0.0.1:9");
        Assert.Equal(5, code);
        Assert.Contains("3001", error);
        Assert.False(File.Exists(cli.Path("x.wav")));
    }
}
