namespace Orbitr.Dsp.Resampling;

/// <summary><see cref="Resampler"/> block by block, for one channel: input is pushed as it is decoded and output comes
/// out as soon as the kernel has all the input it reaches, so only the kernel's reach of input is kept, never the
/// whole sound. Pushing a whole sound and flushing gives exactly (bit for bit) what <see cref="Resampler.Resample"/>
/// gives for it.</summary>
public sealed class StreamingResampler
{
    private readonly double _ratio, _reach, _stretch, _step;
    private readonly double[] _table;
    private float[] _history = new float[1024];
    private long _base;   // input index of _history[0]
    private int _count;   // input samples held
    private long _next;   // index of the next output sample
    private bool _flushed;

    public StreamingResampler(int sourceRate, int targetRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetRate, 1000);
        _ratio = (double)targetRate / sourceRate;
        _stretch = 1.0 / Math.Min(1.0, _ratio);
        _reach = Resampler.HalfWidth * _stretch;
        _step = Resampler.Phases / _stretch;
        _table = Resampler.Table;
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
        for (; _next < end && written < output.Length; _next++) output[written++] = Compute(_next / _ratio, total);
        _flushed = true;
        return written;
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
        var keepFrom = Math.Max(0, (long)Math.Ceiling(_next / _ratio - _reach));
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
