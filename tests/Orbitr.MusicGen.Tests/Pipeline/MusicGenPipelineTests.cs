using Orbitr.MusicGen.Generation;
using Orbitr.MusicGen.Model;
using Orbitr.Tests.Shared;

namespace Orbitr.MusicGen.Tests.Pipeline;

/// <summary>The real pipeline (ONNX Runtime sessions, key/value cache, guidance, sampling, delay pattern, EnCodec) on
/// tiny stand-in models whose rules make every token and sample predictable.</summary>
public sealed class MusicGenPipelineTests : IClassFixture<MusicGenPipelineTests.Loaded>, IDisposable
{
    public sealed class Loaded : IDisposable
    {
        public MusicGenModel Model { get; } = MusicGenModel.Load(TinyMusicGen.Folder());
        public void Dispose() => Model.Dispose();
    }

    private readonly MusicGenModel _model;
    public MusicGenPipelineTests(Loaded loaded) => _model = loaded.Model;
    public void Dispose() { }

    private long TextSum(string prompt) => TinyMusicGen.TextSum(_model.Tokenizer.Encode(prompt));

    [Theory]
    [InlineData("dusty lo-fi kick", 1, 3f)]
    [InlineData("jazz piano chord", 5, 3f)]
    [InlineData("cat", 12, 1f)]     // scale 1: no guidance, a batch of one
    [InlineData("warm bass", 50, 4.5f)]
    public void With_top_k_one_the_codes_and_audio_are_the_models_rule_exactly(string prompt, int frames, float guidance)
    {
        var result = new MusicGenGenerator(_model).Generate(prompt, new MusicGenSettings(frames, 7, TopK: 1, GuidanceScale: guidance));

        var expectedTokens = TinyMusicGen.ExpectedTokens(TextSum(prompt), frames);
        var expectedCodes = TinyMusicGen.Undelay(expectedTokens, frames);
        Assert.Equal(TinyMusicGen.Codebooks, result.Codes.Length);
        for (var k = 0; k < TinyMusicGen.Codebooks; k++) Assert.Equal(expectedCodes[k], result.Codes[k]);
        Assert.Equal(32000, result.SampleRate);
        Assert.Equal(frames * TinyMusicGen.SamplesPerFrame, result.Audio.Length);
        Assert.Equal(TinyMusicGen.ExpectedAudio(expectedCodes), result.Audio);
    }

    [Fact]
    public void The_text_conditions_the_result()
    {
        var g = new MusicGenGenerator(_model);
        var a = g.Generate("kick", new MusicGenSettings(8, TopK: 1));
        var b = g.Generate("snare", new MusicGenSettings(8, TopK: 1));
        Assert.NotEqual(TextSum("kick"), TextSum("snare"));
        Assert.NotEqual(a.Codes[0], b.Codes[0]);
    }

    [Fact]
    public void The_decoder_runs_once_per_position_and_its_cache_grows_by_one_each_call()
    {
        const int frames = 10;
        var lengths = new List<(int Step, long Length)>();
        var g = new MusicGenGenerator(_model) { StepObserved = (step, length) => lengths.Add((step, length)) };
        g.Generate("hat", new MusicGenSettings(frames, TopK: 1));
        // F frames need F + codebooks − 1 positions after the start token: one decoder call each.
        Assert.Equal(frames + TinyMusicGen.Codebooks - 1, lengths.Count);
        Assert.All(lengths, l => Assert.Equal(l.Step + 1, l.Length));
    }

    [Fact]
    public void The_delay_pattern_pads_the_staircase_at_both_ends()
    {
        // Hand-worked, 4 codebooks and 3 frames (7 positions): codebook k holds sampled tokens at k+1 … k+3 only.
        var delay = new DelayPattern(4, 2048);
        string Row(int k) => string.Concat(Enumerable.Range(0, 7).Select(p => delay.InputId(p, k, 5, frames: 3) == 2048 ? '.' : 'x'));
        Assert.Equal(".xxx...", Row(0));
        Assert.Equal("..xxx..", Row(1));
        Assert.Equal("...xxx.", Row(2));
        Assert.Equal("....xxx", Row(3));
    }

    [Fact]
    public void Top_k_sampling_is_seeded_and_stays_within_the_k_best()
    {
        const int frames = 40, topK = 5;
        var g = new MusicGenGenerator(_model);
        var a = g.Generate("bass", new MusicGenSettings(frames, Seed: 11, TopK: topK));
        var again = g.Generate("bass", new MusicGenSettings(frames, Seed: 11, TopK: topK));
        var other = g.Generate("bass", new MusicGenSettings(frames, Seed: 12, TopK: topK));
        Assert.Equal(a.Audio, again.Audio);
        Assert.NotEqual(a.Audio, other.Audio);
        // Replay the sampled grid: each token is one of the 5 best guided logits (−1.5|v − t| + |v − t_uncond| peaks at
        // the conditional target t and falls by at least 0.5 a step, so the 5 best lie within ±4 of it).
        var textSum = TextSum("bass");
        var tokens = Redelay(a.Codes);
        long fed = 0;
        var offTarget = 0;
        for (var p = 0; p < tokens[0].Length - 1; p++)
        {
            for (var k = 0; k < 4; k++) fed += tokens[k][p];
            for (var k = 0; k < 4; k++)
            {
                if (p + 1 <= k || p + 1 - k > frames) continue;
                var distance = Math.Abs(tokens[k][p + 1] - TinyMusicGen.Target(fed, k, p, textSum));
                Assert.InRange(distance, 0, 4);
                if (distance > 0) offTarget++;
            }
        }
        Assert.True(offTarget > 0, "with top-k 5 some tokens should not be the best one");
    }

    private static long[][] Redelay(long[][] codes) => new DelayPattern(4, 2048).Apply(codes);

    [Fact]
    public void Progress_rises_to_one_once_per_position()
    {
        var reports = new List<double>();
        new MusicGenGenerator(_model).Generate("kick", new MusicGenSettings(6, TopK: 1), new SyncProgress(reports.Add));
        Assert.Equal(6 + 4 - 1 + 1, reports.Count);
        Assert.Equal(reports.Order(), reports);
        Assert.Equal(1, reports[^1]);
    }

    [Fact]
    public void A_cancel_between_frames_stops_the_generation()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;
        var g = new MusicGenGenerator(_model) { StepObserved = (step, _) => { calls++; if (step == 3) cancel.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() => g.Generate("kick", new MusicGenSettings(100, TopK: 1), null, cancel.Token));
        Assert.Equal(4, calls);
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
