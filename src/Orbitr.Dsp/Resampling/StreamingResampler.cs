namespace Orbitr.Dsp.Resampling;

/// <summary><see cref="Resampler"/> block by block, for one channel: input is pushed as it is decoded and output comes
/// out as soon as the kernel has all the input it reaches, so only the kernel's reach of input is kept, never the
/// whole sound. Pushing a whole sound and flushing gives what <see cref="Resampler.Resample"/> gives for it (the same
/// kernel): bit for bit when the rates have many phases (e.g. 191,999 → 48,000 Hz); when they have few (192 → 48 kHz
/// has one, 176.4 → 48 kHz forty) the kernel is precomputed per phase and applied as a float dot product (SIMD), which
/// differs by float rounding only and is many times faster — 30 s of 192 kHz stereo in a fraction of a second.</summary>
public sealed class StreamingResampler
{
    private readonly double _ratio, _reach, _stretch, _step;
    private readonly double[] _table;
    private float[] _history = new float[1024];
    private long _base;   // input index of _history[0]
    private int _count;   // input samples held
    private long _next;   // index of the next output sample
    private bool _flushed;

    // Polyphase form (when the rates' ratio has few phases): input position of output n is q + p / L.
    private const long MaxPolyphaseWeights = 1 << 20;
    private readonly int _m, _l;
    private readonly float[][]? _weights;  // per phase, from input offset _first[p] relative to q
    private readonly int[] _first = [];
    private long _q;
    private int _p;

    public StreamingResampler(int sourceRate, int targetRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetRate, 1000);
        _ratio = (double)targetRate / sourceRate;
        _stretch = 1.0 / Math.Min(1.0, _ratio);
        _reach = Resampler.HalfWidth * _stretch;
        _step = Resampler.Phases / _stretch;
        _table = Resampler.Table;
        var g = Gcd(sourceRate, targetRate);
        _m = sourceRate / g;
        _l = targetRate / g;
        var taps = (int)Math.Ceiling(2 * _reach) + 2;
        if ((long)_l * taps > MaxPolyphaseWeights) return;
        _weights = new float[_l][];
        _first = new int[_l];
        for (var p = 0; p < _l; p++)
        {
            var frac = (double)p / _l;
            var first = (int)Math.Ceiling(frac - _reach);
            var last = (int)Math.Floor(frac + _reach);
            var w = new float[last - first + 1];
            for (var j = first; j <= last; j++)
            {
                var pos = Math.Abs(frac - j) * _step;
                var i = (int)pos;
                w[j - first] = i >= _table.Length - 1 ? 0f : (float)((_table[i] + (_table[i + 1] - _table[i]) * (pos - i)) / _stretch);
            }
            _first[p] = first;
            _weights[p] = w;
        }
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    /// <summary>Most output samples one <see cref="Push"/> of this many input samples can give.</summary>
    public int MaxOutput(int inputLength) => (int)Math.Ceiling(inputLength * _ratio) + 2;

    /// <summary>Output samples <see cref="Flush"/> will give now.</summary>
    public int PendingOnFlush => (int)Math.Max(0, OutputLength - _next);

    private long InputLength => _base + _count;

    private long OutputLength => (long)Math.Round(InputLength * _ratio, MidpointRounding.AwayFromZero);

    /// <summary>Takes input; writes the output it completes into <paramref name="output"/> (at least
    /// <see cref="MaxOutput"/> long) and returns how many.</summary>
    public int Push(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_flushed) throw new InvalidOperationException("the resampler was flushed");
        Keep(input.Length);
        input.CopyTo(_history.AsSpan(_count));
        _count += input.Length;
        var total = InputLength;
        var written = 0;
        if (_weights is not null)
        {
            while (written < output.Length && _q + _first[_p] + _weights[_p].Length - 1 <= total - 1)
            {
                output[written++] = Polyphase();
                Advance();
            }
            return written;
        }
        while (written < output.Length)
        {
            var center = _next / _ratio;
            if ((long)Math.Floor(center + _reach) > total - 1) break;
            output[written++] = Compute(center, total);
            _next++;
        }
        return written;
    }

    /// <summary>The end of the input: writes the rest (<see cref="PendingOnFlush"/> samples) and returns how many.</summary>
    public int Flush(Span<float> output)
    {
        var total = InputLength;
        var end = OutputLength;
        var written = 0;
        if (_weights is not null)
            for (; _next < end && written < output.Length; Advance()) output[written++] = Polyphase();
        else
            for (; _next < end && written < output.Length; _next++) output[written++] = Compute(_next / _ratio, total);
        _flushed = true;
        return written;
    }

    private void Advance()
    {
        _next++;
        _p += _m;
        _q += _p / _l;
        _p %= _l;
    }

    // Output _next from the phase's weights; input before the start or past what is held counts as silence.
    private float Polyphase()
    {
        var w = _weights![_p];
        var b = _q + _first[_p] - _base;
        var from = (int)Math.Max(0, -b);
        var to = (int)Math.Min(w.Length, _count - b);
        if (to <= from) return 0f;
        return Dot(w.AsSpan(from, to - from), _history.AsSpan((int)(b + from), to - from));
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var sum = 0f;
        if (System.Numerics.Vector.IsHardwareAccelerated && a.Length >= System.Numerics.Vector<float>.Count)
        {
            var acc = System.Numerics.Vector<float>.Zero;
            var width = System.Numerics.Vector<float>.Count;
            for (; i <= a.Length - width; i += width) acc += new System.Numerics.Vector<float>(a[i..]) * new System.Numerics.Vector<float>(b[i..]);
            sum = System.Numerics.Vector.Sum(acc);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    // The same arithmetic, in the same order, as Resampler.Convolve.
    private float Compute(double center, long total)
    {
        var first = Math.Max(0, (long)Math.Ceiling(center - _reach));
        var last = Math.Min(total - 1, (long)Math.Floor(center + _reach));
        var x = _history;
        var offset = _base;
        double sum = 0;
        for (var k = first; k <= last; k++)
        {
            var pos = Math.Abs(center - k) * _step;
            var i = (int)pos;
            if (i >= _table.Length - 1) continue;
            var frac = pos - i;
            sum += x[k - offset] * (_table[i] + (_table[i + 1] - _table[i]) * frac);
        }
        return (float)(sum / _stretch);
    }

    // Drops the input no later output reaches and makes room for more.
    private void Keep(int incoming)
    {
        var keepFrom = _weights is not null ? Math.Max(0, _q + _first[_p]) : Math.Max(0, (long)Math.Ceiling(_next / _ratio - _reach));
        var drop = (int)Math.Clamp(keepFrom - _base, 0, _count);
        if (drop > 0)
        {
            Array.Copy(_history, drop, _history, 0, _count - drop);
            _base += drop;
            _count -= drop;
        }
        if (_count + incoming > _history.Length) Array.Resize(ref _history, Math.Max(_count + incoming, _history.Length * 2));
    }
}
