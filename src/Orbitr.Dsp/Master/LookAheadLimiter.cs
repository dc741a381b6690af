using System.Numerics.Tensors;
using Orbitr.Dsp.Rendering;

namespace Orbitr.Dsp.Master;

/// <summary>A streaming look-ahead peak limiter: blocks in, the same frames out <see cref="Latency"/> frames later,
/// holding only its look-ahead. Per frame the wanted gain is ceiling/peak (1 under the ceiling); its minimum over the
/// next L frames (1.5 ms), averaged over L frames, ramps the gain down linearly ahead of each over and is never above
/// the wanted gain at the over itself (every frame of the average's window has a minimum that includes it). The gain
/// recovers with a 50 ms release and a final clamp guarantees the ceiling. A signal whose peak stays at or under the
/// ceiling passes bit-identical, and costs one vectorized scan per block.
/// True-peak mode (issue 25): a frame's peak is also every inter-sample peak near it, as ITU-R BS.1770's 4×
/// oversampling reads it (<see cref="TruePeak"/>): each 4-phase interpolation over frames [j − 11, j] counts for all
/// twelve of them, so the gain is at or under the wanted one wherever an interpolated value is made. That costs 11
/// frames more latency.</summary>
public sealed class LookAheadLimiter : IAudioSink
{
    /// <summary>The look-ahead (and averaging) window L in seconds: L = max(1, ⌊WindowSeconds × rate⌋) frames. The
    /// browser's limiter worklet takes it from here (sent to audio.js at start).</summary>
    public const double WindowSeconds = 0.0015;

    private readonly IAudioSink _next;
    private readonly float _ceiling, _release;
    private readonly bool _truePeak;
    private readonly int _delay;           // frames a peak waits for its inter-sample neighbours: 11 in true-peak mode
    private readonly float[] _tp = new float[TruePeak.Taps]; // the last 12 interpolated peaks (true-peak mode)
    private int _tpAt;
    private float _previousPeak = float.PositiveInfinity; // the last block's peak: the fast path needs both quiet
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

    public LookAheadLimiter(double ceilingDb, int sampleRate, IAudioSink next, int maxBlock = 8192, bool truePeak = false)
    {
        _truePeak = truePeak;
        _delay = truePeak ? TruePeak.Taps - 1 : 0;
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
    public int Latency => _window - 1 + _delay;

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
        // In true-peak mode an interpolated value can be up to TruePeak.Bound × the samples it is made of, which
        // reach back into the block before.
        var quiet = _truePeak ? peak * TruePeak.Bound <= _ceiling && _previousPeak * TruePeak.Bound <= _ceiling && n >= 2 * TruePeak.Taps : !(peak > _ceiling);
        _previousPeak = peak;
        if (Idle && quiet)
        {
            // Nothing over the ceiling within reach: the delayed input is the output, untouched. (The interpolated
            // peaks skipped were all under the ceiling, as zeros are: they would have wanted no gain either.)
            _received += n;
            if (_truePeak) Array.Clear(_tp);
        }
        else
        {
            var firstNew = _received;
            for (var k = 0; k < n; k++)
            {
                var slot = pending + k;
                var j = firstNew + k;
                if (!_truePeak) Push(j, MathF.Max(MathF.Abs(_l[slot]), MathF.Abs(_r[slot])));
                else
                {
                    _tp[_tpAt] = TruePeak.At(_l, _r, slot);
                    _tpAt = (_tpAt + 1) % TruePeak.Taps;
                    var q = slot - _delay; // the frame whose twelve interpolations are all in now
                    if (j >= _delay)
                    {
                        var p = MathF.Max(MathF.Abs(_l[q]), MathF.Abs(_r[q]));
                        foreach (var t in _tp) p = MathF.Max(p, t);
                        Push(j - _delay, p);
                    }
                }
                // This frame completes the look-ahead of the frame Latency before it.
                if (slot >= Latency) Apply(slot - Latency);
            }
            _received = firstNew + n;
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

    // Input frame at absolute index j, whose peak is p, enters the sliding minimum.
    private void Push(long j, float p)
    {
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
