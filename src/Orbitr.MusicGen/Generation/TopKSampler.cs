namespace Orbitr.MusicGen.Generation;

/// <summary>Top-k sampling with a seeded generator: keep the k largest logits, softmax them, draw one. The same logits
/// and the same generator state give the same token, so a request with a seed is reproducible. Ties keep the lower
/// index. Logits that are NaN are refused (a broken model must fail the generation, not make noise).</summary>
public sealed class TopKSampler
{
    private readonly int _k;
    private readonly int[] _best;
    private readonly double[] _weights;

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
        var k = Math.Min(_k, logits.Length);
        // Insertion into a sorted top-k list: k is small (MusicGen uses 250 of 2048), and no allocation per step.
        var count = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var v = logits[i];
            if (float.IsNaN(v)) throw new InvalidModelOutputException($"the decoder's logit {i} is NaN");
            if (count == k && !(v > logits[_best[k - 1]])) continue;
            var at = count < k ? count++ : k - 1;
            while (at > 0 && v > logits[_best[at - 1]])
            {
                _best[at] = _best[at - 1];
                at--;
            }
            _best[at] = i;
        }
        if (k == 1) return _best[0];
        var max = (double)logits[_best[0]];
        var total = 0.0;
        for (var j = 0; j < count; j++) total += _weights[j] = Math.Exp(logits[_best[j]] - max);
        var draw = random.NextDouble() * total;
        for (var j = 0; j < count; j++)
        {
            draw -= _weights[j];
            if (draw < 0) return _best[j];
        }
        return _best[count - 1];
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
