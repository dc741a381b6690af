using System.Numerics.Tensors;

namespace Orbitr.MusicGen.Generation;

/// <summary>Top-k sampling with a seeded generator: keep the k largest logits, softmax them, draw one. The same logits
/// and the same generator state give the same token, so a request with a seed is reproducible. At the k-th value, ties
/// keep the lower indices. Logits that are NaN are refused (a broken model must fail the generation, not make noise).
/// The k-th largest value is found by quickselect on a scratch copy (linear time; MusicGen samples 250 of 2,048 per
/// codebook per frame), with no allocation per call.</summary>
public sealed class TopKSampler
{
    private readonly int _k;
    private readonly int[] _best;
    private readonly double[] _weights;
    private float[] _scratch = [];

    public TopKSampler(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _k = k;
        _best = new int[k];
        _weights = new double[k];
    }

    public int K => _k;

    public int Sample(ReadOnlySpan<float> logits, ref SplitMix64 random)
    {
        if (logits.Length == 0) throw new ArgumentException("no logits", nameof(logits));
        for (var i = 0; i < logits.Length; i++)
            if (float.IsNaN(logits[i])) throw new InvalidModelOutputException($"the decoder's logit {i} is NaN");
        var k = Math.Min(_k, logits.Length);
        if (k == 1) return TensorPrimitives.IndexOfMax(logits); // the first of equal maxima

        if (_scratch.Length < logits.Length) _scratch = new float[logits.Length];
        var scratch = _scratch.AsSpan(0, logits.Length);
        logits.CopyTo(scratch);
        var threshold = KthLargest(scratch, k);
        // The k best: every value above the k-th, then values equal to it by index until there are k.
        var count = 0;
        var max = float.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
            if (logits[i] > threshold)
            {
                _best[count++] = i;
                max = Math.Max(max, logits[i]);
            }
        for (var i = 0; i < logits.Length && count < k; i++)
            if (logits[i] == threshold) _best[count++] = i;
        max = Math.Max(max, threshold);

        var total = 0.0;
        for (var j = 0; j < count; j++) total += _weights[j] = Math.Exp(logits[_best[j]] - (double)max);
        var draw = random.NextDouble() * total;
        for (var j = 0; j < count; j++)
        {
            draw -= _weights[j];
            if (draw < 0) return _best[j];
        }
        return _best[count - 1];
    }

    /// <summary>The k-th largest value (1-based) of <paramref name="values"/>, which it reorders (Hoare quickselect,
    /// median-of-three pivots).</summary>
    private static float KthLargest(Span<float> values, int k)
    {
        int left = 0, right = values.Length - 1, target = k - 1;
        while (left < right)
        {
            var mid = left + (right - left) / 2;
            // Median of three as the pivot, sorted descending in place.
            if (values[mid] > values[left]) (values[mid], values[left]) = (values[left], values[mid]);
            if (values[right] > values[left]) (values[right], values[left]) = (values[left], values[right]);
            if (values[right] > values[mid]) (values[right], values[mid]) = (values[mid], values[right]);
            var pivot = values[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] > pivot) i++;
                while (values[j] < pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (target <= j) right = j;
            else if (target >= i) left = i;
            else return values[target];
        }
        return values[target];
    }
}

/// <summary>The model produced something no real model would (NaN logits, wrong shapes): the generation fails with
/// this message rather than producing noise.</summary>
public sealed class InvalidModelOutputException(string message) : Exception(message);

/// <summary>SplitMix64: a tiny, fully specified generator, so a seed means the same draws on every platform and .NET
/// version (System.Random's seeded sequence is not promised to stay the same).</summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
