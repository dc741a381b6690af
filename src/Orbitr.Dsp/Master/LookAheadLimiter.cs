using System.Numerics.Tensors;
using Orbitr.Dsp.Rendering;

namespace Orbitr.Dsp.Master;

/// <summary>A streaming look-ahead peak limiter: blocks in, the same frames out <see cref="Latency"/> frames later,
/// holding only its look-ahead. Per frame the wanted gain is ceiling/peak (1 under the ceiling); its minimum over the
/// next L frames (1.5 ms), averaged over L frames, ramps the gain down linearly ahead of each over and is never above
/// the wanted gain at the over itself (every frame of the average's window has a minimum that includes it). The gain
/// recovers with a 50 ms release and a final clamp guarantees the ceiling. A signal whose peak stays at or under the
/// ceiling passes bit-identical, and costs one vectorized scan per block.</summary>
public sealed class LookAheadLimiter : IAudioSink
{
    /// <summary>The look-ahead (and averaging) window L in seconds: L = max(1, ⌊WindowSeconds × rate⌋) frames. The
    /// browser's limiter worklet takes it from here (sent to audio.js at start).</summary>
    public const double WindowSeconds = 0.0015;

    private readonly IAudioSink _next;
    private readonly float _ceiling, _release;
    private readonly int _window;          // L: look-ahead and averaging length
    private readonly float[] _l, _r;       // frames waiting for their look-ahead: [0, _pending)
    private int _pending;
    private long _received;                // frames written so far (index of the next input frame)

    // Sliding minimum of the wanted gain over the window: only gains below 1 are kept (1 is implicit), increasing.
    private readonly long[] _minIndex;
    private readonly float[] _minGain;
    private int _minHead, _minCount;

    // Moving average of the sliding minimum over the last L frames; _belowOne counts its entries under 1.
    private readonly float[] _box;
    private int _boxAt, _belowOne;
    private double _boxSum;

    private float _current = 1f;

    /// <summary>L, the look-ahead window in frames at <paramref name="sampleRate"/>; the latency is L − 1.</summary>
    public static int WindowFrames(int sampleRate) => Math.Max(1, (int)(WindowSeconds * sampleRate));

    public LookAheadLimiter(double ceilingDb, int sampleRate, IAudioSink next, int maxBlock = 8192)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlock, 1);
        _next = next;
        _ceiling = (float)Math.Pow(10, ceilingDb / 20);
        _release = (float)Math.Exp(-1.0 / (0.05 * sampleRate));
        _window = WindowFrames(sampleRate);
        _l = new float[Latency + maxBlock];
        _r = new float[Latency + maxBlock];
        _minIndex = new long[_window];
        _minGain = new float[_window];
        _box = new float[_window];
        Array.Fill(_box, 1f);
        _boxSum = _window;
        MaxBlock = maxBlock;
    }

    /// <summary>Frames between a frame going in and coming out.</summary>
    public int Latency => _window - 1;

    public int MaxBlock { get; }

    private bool Idle => _minCount == 0 && _belowOne == 0 && _current == 1f;

    public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right) => Write(left, right, float.NaN);

    /// <summary>As <see cref="Write(ReadOnlySpan{float}, ReadOnlySpan{float})"/>, with the block's peak (largest
    /// |sample| of both channels) when the caller has already measured it.</summary>
    public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right, float peak)
    {
        while (left.Length > MaxBlock)
        {
            Write(left[..MaxBlock], right[..MaxBlock]);
            left = left[MaxBlock..];
            right = right[MaxBlock..];
            peak = float.NaN;
        }
        var n = left.Length;
        if (n == 0) return;
        var pending = _pending;
        left.CopyTo(_l.AsSpan(pending));
        right.CopyTo(_r.AsSpan(pending));
        var total = pending + n;
        var ready = Math.Max(0, total - Latency);  // frames whose look-ahead is complete

        if (float.IsNaN(peak)) peak = MathF.Max(MathF.Abs(TensorPrimitives.MaxMagnitude(left)), MathF.Abs(TensorPrimitives.MaxMagnitude(right)));
        if (Idle && !(peak > _ceiling))
        {
            // Nothing over the ceiling within reach: the delayed input is the output, untouched.
            _received += n;
        }
        else
        {
            var firstNew = _received;
            for (var k = 0; k < n; k++)
            {
                var slot = pending + k;
                Push(firstNew + k, slot);
                // This frame completes the look-ahead of the frame Latency before it.
                if (slot >= Latency) Apply(slot - Latency);
            }
        }
        if (ready > 0) _next.Write(_l.AsSpan(0, ready), _r.AsSpan(0, ready));
        var keep = total - ready;
        _l.AsSpan(ready, keep).CopyTo(_l);
        _r.AsSpan(ready, keep).CopyTo(_r);
        _pending = keep;
    }

    /// <summary>Sends the last <see cref="Latency"/> frames on (the end of the stream is followed by silence).</summary>
    public void Flush()
    {
        if (_received == 0 || Latency == 0) return;
        Span<float> zeros = new float[Latency];
        Write(zeros, zeros);
        _pending = 0;
    }

    // Input frame at absolute index j (buffer slot s) enters the sliding minimum.
    private void Push(long j, int s)
    {
        var p = MathF.Max(MathF.Abs(_l[s]), MathF.Abs(_r[s]));
        var g = p > _ceiling ? _ceiling / p : 1f;
        var w = _window;
        // Drop minima that left the window [j − L + 1, j], then those no smaller than the new gain.
        while (_minCount > 0 && _minIndex[_minHead] <= j - w) { _minHead = (_minHead + 1) % w; _minCount--; }
        if (g < 1f)
        {
            while (_minCount > 0 && _minGain[(_minHead + _minCount - 1) % w] >= g) _minCount--;
            var at = (_minHead + _minCount) % w;
            _minIndex[at] = j;
            _minGain[at] = g;
            _minCount++;
        }
        _received = j + 1;
        // The minimum over [j − L + 1, j] enters the moving average.
        var h = _minCount > 0 ? _minGain[_minHead] : 1f;
        var old = _box[_boxAt];
        if (old < 1f) _belowOne--;
        if (h < 1f) _belowOne++;
        _box[_boxAt] = h;
        _boxAt = (_boxAt + 1) % w;
        _boxSum += h - old;
        if (_belowOne == 0) _boxSum = w; // exactly 1 again: no drift from the running sum
    }

    // The frame in this slot has its averaged gain complete (the last Push finished its window): scale it.
    private void Apply(int slot)
    {
        var target = _belowOne == 0 ? 1f : (float)(_boxSum / _window);
        var c = _current;
        c = target < c ? target : target + _release * (c - target);
        _current = c;
        if (c == 1f && MathF.Abs(_l[slot]) <= _ceiling && MathF.Abs(_r[slot]) <= _ceiling) return;
        _l[slot] = Math.Clamp(_l[slot] * c, -_ceiling, _ceiling);
        _r[slot] = Math.Clamp(_r[slot] * c, -_ceiling, _ceiling);
    }
}
