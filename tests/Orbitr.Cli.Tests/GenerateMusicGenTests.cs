using Orbitr.Dsp.Finishing;
using Orbitr.Dsp.Wav;
using Orbitr.Tests.Shared;

namespace Orbitr.Cli.Tests;

/// <summary><c>orbitr generate --engine musicgen</c> on the tiny stand-in export: --raw writes the decoder's audio
/// exactly (32-bit float, 32 kHz), the default output is finished like the server's, and mistakes get one clear line.</summary>
public sealed class GenerateMusicGenTests
{
    [Theory]
    [InlineData("draft")]
    [InlineData("hq")]
    public void Raw_output_is_the_models_audio_sample_for_sample(string quality)
    {
        using var cli = new CliRunner();
        var model = TinyMusicGen.Folder();
        var run = cli.Run("generate", "dusty lo-fi kick", "-o", cli.Path("k.wav"), "--engine", "musicgen", "--model", model, "--duration", "0.5",
            "--top-k", "1", "--quality", quality, "--raw");
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("with musicgen", run.Out);
        var wav = WavReader.Read(File.ReadAllBytes(cli.Path("k.wav")));
        Assert.Equal(32000, wav.SampleRate);
        Assert.Equal(25 * 640, wav.Length);
        Assert.Equal(3, BitConverter.ToInt16(File.ReadAllBytes(cli.Path("k.wav")), 20));   // WAVE_FORMAT_IEEE_FLOAT

        using var loaded = Orbitr.MusicGen.Model.MusicGenModel.Load(model);
        var textSum = TinyMusicGen.TextSum(loaded.Tokenizer.Encode("dusty lo-fi kick"));
        var expected = TinyMusicGen.ExpectedAudio(TinyMusicGen.Undelay(TinyMusicGen.ExpectedTokens(textSum, 25), 25));
        Assert.Equal(expected, wav.Channel(0));
    }

    [Fact]
    public void The_seed_decides_the_sound_and_the_default_output_is_finished()
    {
        using var cli = new CliRunner();
        var model = TinyMusicGen.Folder();
        string[] Args(string file, string seed) => ["generate", "warm bass", "-o", cli.Path(file), "--engine", "musicgen", "--model", model, "--duration", "2", "--seed", seed, "--top-k", "5"];
        Assert.Equal(0, cli.Run(Args("a.wav", "1")).Code);
        Assert.Equal(0, cli.Run(Args("b.wav", "1")).Code);
        Assert.Equal(0, cli.Run(Args("c.wav", "2")).Code);
        Assert.Equal(File.ReadAllBytes(cli.Path("a.wav")), File.ReadAllBytes(cli.Path("b.wav")));
        Assert.NotEqual(File.ReadAllBytes(cli.Path("a.wav")), File.ReadAllBytes(cli.Path("c.wav")));
        var wav = WavReader.Read(File.ReadAllBytes(cli.Path("a.wav")));
        Assert.Equal(1, BitConverter.ToInt16(File.ReadAllBytes(cli.Path("a.wav")), 20));   // PCM 16-bit
        var lufs = LoudnessMeter.Integrated([wav.Channel(0)], wav.SampleRate);
        var peak = 20 * Math.Log10(wav.Peak());
        Assert.True(Math.Abs(lufs + 16) < 0.2 || Math.Abs(peak + 1) < 0.05, $"{lufs:0.00} LUFS, peak {peak:0.00} dBFS");
    }

    [Theory]
    [InlineData(1, "--top-k applies to --engine musicgen", "--top-k", "3")]
    [InlineData(1, "--guidance applies to --engine musicgen", "--guidance", "3")]
    [InlineData(1, "--top-k must be a whole number 1–4096", "--engine", "musicgen", "--top-k", "0")]
    [InlineData(1, "--guidance must be a number 1–20", "--engine", "musicgen", "--guidance", "0.5")]
    [InlineData(1, "--raw works on this machine only", "--raw", "--server", "http://127.0.0.1:9")]
    [InlineData(5, "does not exist", "--engine", "musicgen", "--model", "/nonexistent/musicgen")]
    public void Mistakes_get_one_line_and_an_exit_code(int code, string message, params string[] args)
    {
        using var cli = new CliRunner();
        var run = cli.Run(["generate", "kick", "-o", cli.Path("x.wav"), .. args]);
        Assert.Equal(code, run.Code);
        Assert.Contains(message, run.Err);
        Assert.Single(run.Err.Trim().Split('\n'));
        Assert.False(File.Exists(cli.Path("x.wav")));
    }

    [Fact]
    public void A_model_that_returns_NaN_fails_with_the_generation_exit_code()
    {
        using var cli = new CliRunner();
        var run = cli.Run("generate", "kick", "-o", cli.Path("x.wav"), "--engine", "musicgen", "--model", TinyMusicGen.Folder("nan"));
        Assert.Equal(5, run.Code);
        Assert.Contains("NaN", run.Err);
        Assert.False(File.Exists(cli.Path("x.wav")));
    }
}
