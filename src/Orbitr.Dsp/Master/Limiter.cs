using Orbitr.Dsp.Rendering;

namespace Orbitr.Dsp.Master;

/// <summary>The <see cref="LookAheadLimiter"/> over a finished stereo buffer, in place (for callers that hold the
/// whole render, such as the browser's export after its OfflineAudioContext).</summary>
public static class Limiter
{
    public static void Process(Span<float> left, Span<float> right, double ceilingDb, int sampleRate)
    {
        if (left.Length != right.Length) throw new ArgumentException("both channels must have the same length", nameof(right));
        var sink = new SpanSink(left.Length);
        var limiter = new LookAheadLimiter(ceilingDb, sampleRate, sink);
        const int Block = 8192;
        // The limiter reads a block before it writes the frames of that block back: copy each block out first.
        var l = new float[Block];
        var r = new float[Block];
        for (var start = 0; start < left.Length; start += Block)
        {
            var n = Math.Min(Block, left.Length - start);
            left.Slice(start, n).CopyTo(l);
            right.Slice(start, n).CopyTo(r);
            limiter.Write(l.AsSpan(0, n), r.AsSpan(0, n));
            sink.Drain(left, right);
        }
        limiter.Flush();
        sink.Drain(left, right);
    }

    // Collects the limiter's output and writes it back over the source frames it came from.
    private sealed class SpanSink(int capacity) : IAudioSink
    {
        private readonly List<(float[] L, float[] R)> _chunks = [];
        private int _written;

        public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            if (_written + left.Length > capacity) throw new InvalidOperationException("the limiter wrote more frames than it was given");
            _chunks.Add((left.ToArray(), right.ToArray()));
        }

        public void Drain(Span<float> left, Span<float> right)
        {
            foreach (var (l, r) in _chunks)
            {
                l.CopyTo(left[_written..]);
                r.CopyTo(right[_written..]);
                _written += l.Length;
            }
            _chunks.Clear();
        }
    }
}
