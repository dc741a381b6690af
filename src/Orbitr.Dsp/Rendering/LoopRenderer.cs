using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Master;

namespace Orbitr.Dsp.Rendering;

/// <summary>A seamless loop (issue 25): exactly N × cycle frames that, repeated end to end, are the pattern playing on.
/// The mix before the master bus is rendered with its tails (up to <see cref="MaxTailSeconds"/>) and folded onto
/// itself (frame i adds to frame i mod N·C), which for the linear part (voices, delays, reverb) is the steady state;
/// the master's compressor, DC blocker and limiter, which are not linear, then run over the folded loop round and
/// round and the pass after two is kept, so their state too is the state they have when the loop comes round. Probability and
/// trig conditions are those of the first N cycles (the loop is those cycles, repeated).</summary>
public static class LoopRenderer
{
    public const double MaxTailSeconds = 30;
    /// <summary>Longest loop: it is held in memory (5 minutes of 32-bit stereo at 48 kHz is 110 MB).</summary>
    public const double MaxLoopSeconds = 300;
    private const int BlockSize = 2048;

    public static RenderResult Render(Pattern pattern, IReadOnlyDictionary<string, AudioBuffer> samples, RenderOptions options, IAudioSink sink,
        CancellationToken cancel = default)
    {
        var period = OfflineRenderer.SpanFrames(pattern, options);
        if (period < 1) throw new ArgumentException("a loop is at least one frame long", nameof(options));
        if (period > MaxLoopSeconds * options.SampleRate)
            throw new RenderLimitException("loop", $"a loop is at most {MaxLoopSeconds / 60:0} minutes long; loop fewer cycles");
        var master = pattern.Master;
        var plain = pattern with { Master = master with { Compressor = master.Compressor with { Enabled = false }, Limiter = master.Limiter with { Enabled = false } } };
        var mix = new FoldSink(period);
        OfflineRenderer.Render(plain, samples, options with { TailSeconds = null, AutoTailLimit = MaxTailSeconds, Stems = null }, mix, cancel);

        var compressor = master.Compressor.Enabled ? new Compressor(master.Compressor, options.SampleRate) : null;
        var dcBlocker = compressor is null ? null : new DcBlocker(options.SampleRate);
        // The folded loop, round and round, as one stream: two periods' warm-up, the kept period, then a block more
        // for the limiter's look-ahead (it sees the loop's start coming round).
        var kept = 2 * period;
        const long phase = 0;
        var keep = new WindowSink(kept, period, sink);
        var total = kept + period + BlockSize;
        var output = new OutputStage(master.Limiter, options.SampleRate, total, keep, BlockSize);
        var left = new float[BlockSize];
        var right = new float[BlockSize];
        for (long at = 0; at < total; at += BlockSize)
        {
            cancel.ThrowIfCancellationRequested();
            var n = (int)Math.Min(BlockSize, total - at);
            for (var i = 0; i < n;)
            {
                var j = (int)((at + i + phase) % period);
                var run = (int)Math.Min(n - i, period - j);
                mix.Left.AsSpan(j, run).CopyTo(left.AsSpan(i));
                mix.Right.AsSpan(j, run).CopyTo(right.AsSpan(i));
                i += run;
            }
            compressor?.Process(left.AsSpan(0, n), right.AsSpan(0, n));
            dcBlocker?.Process(left.AsSpan(0, n), right.AsSpan(0, n));
            output.Write(left.AsSpan(0, n), right.AsSpan(0, n));
        }
        output.Complete();
        return new RenderResult(period, keep.Peak, options.SampleRate);
    }

    /// <summary>The render folded into one period: frame i lands on frame i mod period.</summary>
    private sealed class FoldSink(long period) : IAudioSink
    {
        public float[] Left { get; } = new float[period];
        public float[] Right { get; } = new float[period];
        private long _at;

        public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            for (var i = 0; i < left.Length; i++, _at++)
            {
                var j = (int)(_at % period);
                Left[j] += left[i];
                Right[j] += right[i];
            }
        }
    }

    /// <summary>Passes on only the frames [from, from + length).</summary>
    private sealed class WindowSink(long from, long length, IAudioSink next) : IAudioSink
    {
        private long _at;

        public float Peak { get; private set; }

        public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            var start = (int)Math.Clamp(from - _at, 0, left.Length);
            var end = (int)Math.Clamp(from + length - _at, 0, left.Length);
            _at += left.Length;
            if (end <= start) return;
            var l = left[start..end];
            var r = right[start..end];
            Peak = MathF.Max(Peak, MathF.Max(MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(l)), MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(r))));
            next.Write(l, r);
        }
    }
}
