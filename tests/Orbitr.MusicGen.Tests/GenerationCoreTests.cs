using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orbitr.MusicGen.Generation;

namespace Orbitr.MusicGen.Tests;

/// <summary>The pure parts of MusicGen generation: delay pattern, guidance, top-k sampling.</summary>
public class GenerationCoreTests
{
    private const long Pad = 2048;

    [Fact]
    public void Four_codebooks_and_three_frames_take_seven_positions_with_the_delay_worked_by_hand()
    {
        var delay = new DelayPattern(4, Pad);
        Assert.Equal(7, delay.PositionsFor(3));   // start token + 3 frames + 3 steps of delay
        long[][] codes = [[10, 11, 12], [20, 21, 22], [30, 31, 32], [40, 41, 42]];
        var tokens = delay.Apply(codes);
        long P = Pad;
        Assert.Equal([P, 10, 11, 12, P, P, P], tokens[0]);
        Assert.Equal([P, P, 20, 21, 22, P, P], tokens[1]);
        Assert.Equal([P, P, P, 30, 31, 32, P], tokens[2]);
        Assert.Equal([P, P, P, P, 40, 41, 42], tokens[3]);
        Assert.Equal(codes, delay.Undo(tokens));
    }

    [Fact]
    public void Inputs_are_forced_to_the_pad_token_at_the_start_and_while_the_delay_has_not_reached_a_codebook()
    {
        var delay = new DelayPattern(4, Pad);
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(Pad, delay.InputId(0, k, 7));
            for (var j = 1; j < 8; j++) Assert.Equal(j <= k ? Pad : 7, delay.InputId(j, k, 7));
        }
    }

    [Property(MaxTest = 200)]
    public Property Undoing_the_delay_gives_back_every_frame_of_every_codebook()
    {
        var gen = from codebooks in Gen.Choose(1, 8)
                  from frames in Gen.Choose(1, 60)
                  from seed in Gen.Choose(0, int.MaxValue)
                  select (codebooks, frames, seed);
        return Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var rng = new Random(x.seed);
            var codes = Enumerable.Range(0, x.codebooks).Select(_ => Enumerable.Range(0, x.frames).Select(_ => (long)rng.Next(2048)).ToArray()).ToArray();
            var delay = new DelayPattern(x.codebooks, Pad);
            var tokens = delay.Apply(codes);
            var positions = tokens[0].Length;
            // Every position the delay forces holds the pad token: what the decoder is fed there.
            var forcedOk = Enumerable.Range(0, x.codebooks).All(k => Enumerable.Range(0, positions).All(j =>
                j > k && j <= k + x.frames || tokens[k][j] == Pad));
            return positions == x.frames + x.codebooks && delay.FramesIn(positions) == x.frames && forcedOk
                && delay.Undo(tokens).Zip(codes).All(p => p.First.SequenceEqual(p.Second));
        });
    }

    [Theory]
    [InlineData(3.0f)]
    [InlineData(1.0f)]
    [InlineData(0.0f)]
    [InlineData(-0.5f)]
    public void Guidance_is_uncond_plus_scale_times_the_difference(float scale)
    {
        float[] cond = [1, -2, 3.5f, 0];
        float[] uncond = [0.5f, 1, -1, 0];
        var guided = new float[4];
        ClassifierFreeGuidance.Combine(cond, uncond, scale, guided);
        for (var i = 0; i < 4; i++) Assert.Equal(uncond[i] + scale * (cond[i] - uncond[i]), guided[i], 5);
        if (scale == 1) Assert.Equal(cond, guided);
    }

    [Fact]
    public void Top_one_is_the_argmax_with_ties_to_the_lower_index()
    {
        var sampler = new TopKSampler(1);
        var rng = new SplitMix64(1);
        Assert.Equal(2, sampler.Sample([0f, 1f, 5f, 5f, -3f], ref rng));
    }

    [Fact]
    public void Top_k_draws_only_the_k_best_in_proportion_to_their_softmax()
    {
        float[] logits = [0f, 2f, -1f, 1f, 3f, -5f];
        var sampler = new TopKSampler(3); // keeps indices 4 (3), 1 (2), 3 (1)
        var rng = new SplitMix64(42);
        var counts = new int[logits.Length];
        const int draws = 60_000;
        for (var i = 0; i < draws; i++) counts[sampler.Sample(logits, ref rng)]++;
        Assert.Equal(0, counts[0] + counts[2] + counts[5]);
        var z = Math.Exp(3) + Math.Exp(2) + Math.Exp(1);
        foreach (var (index, logit) in new[] { (4, 3.0), (1, 2.0), (3, 1.0) })
        {
            var p = Math.Exp(logit) / z;
            var sigma = Math.Sqrt(draws * p * (1 - p));
            Assert.InRange(counts[index], draws * p - 5 * sigma, draws * p + 5 * sigma);
        }
    }

    [Fact]
    public void The_same_seed_draws_the_same_tokens_and_another_seed_others()
    {
        var logits = Enumerable.Range(0, 2048).Select(i => (float)Math.Sin(i * 0.37) * 4).ToArray();
        int[] Draw(ulong seed)
        {
            var sampler = new TopKSampler(250);
            var rng = new SplitMix64(seed);
            return Enumerable.Range(0, 100).Select(_ => sampler.Sample(logits, ref rng)).ToArray();
        }
        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
        Assert.True(Draw(7).Distinct().Count() > 20, "top-250 sampling should spread over many tokens");
    }

    [Fact]
    public void Nan_logits_fail_the_generation()
    {
        var sampler = new TopKSampler(5);
        var rng = new SplitMix64(1);
        Assert.Throws<InvalidModelOutputException>(() => sampler.Sample([0f, float.NaN, 1f], ref rng));
    }

    [Fact]
    public void SplitMix64_matches_its_reference_values()
    {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var rng = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, rng.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.Next());
        Assert.Equal(0x06C45D188009454FUL, rng.Next());
    }
}

/// <summary>The sampler's quickselect against a full sort: every draw is one of the k best (ties at the k-th value
/// resolved to the lower indices), for random logits with many ties.</summary>
public class TopKSamplerPropertyTests
{
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public FsCheck.Property Every_draw_is_among_the_k_best_by_a_full_sort() =>
        FsCheck.Fluent.Prop.ForAll(FsCheck.Fluent.Arb.From(
            from n in FsCheck.Fluent.Gen.Choose(1, 300)
            from k in FsCheck.Fluent.Gen.Choose(1, 320)
            from values in FsCheck.Fluent.Gen.ArrayOf(FsCheck.Fluent.Gen.Choose(-20, 20), n)
            from seed in FsCheck.Fluent.Gen.Choose(0, int.MaxValue)
            select (values.Select(v => v / 4f).ToArray(), k, (ulong)seed)), c =>
        {
            var (logits, k, seed) = c;
            var allowed = logits.Select((v, i) => (v, i)).OrderByDescending(x => x.v).ThenBy(x => x.i).Take(k).Select(x => x.i).ToHashSet();
            var sampler = new TopKSampler(k);
            var rng = new SplitMix64(seed);
            return Enumerable.Range(0, 20).All(_ => allowed.Contains(sampler.Sample(logits, ref rng)));
        });
}
