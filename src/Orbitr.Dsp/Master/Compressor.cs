using System.Runtime.Intrinsics;
using Orbitr.Core.Model;

namespace Orbitr.Dsp.Master;

/// <summary>A stereo-linked feed-forward compressor with the parameters of Web Audio's DynamicsCompressorNode
/// (threshold, knee, ratio in dB; attack, release in seconds) and its automatic make-up gain
/// ((1/curve(0 dBFS))^0.6, as the Web Audio spec describes). It follows the spec's static curve; the detector is a
/// simpler peak follower than Chromium's, so levels with the compressor on agree only approximately.</summary>
public sealed class Compressor
{
    private readonly float _threshold, _knee, _ratio, _attackCoef, _releaseCoef, _makeup;
    private float _envelopeDb;
    private float _gain = float.NaN;

    public Compressor(CompressorSettings s, int sampleRate)
    {
        _threshold = (float)s.Threshold;
        _knee = (float)Math.Max(0, s.Knee);
        _ratio = (float)Math.Max(1, s.Ratio);
        _attackCoef = Coef(s.Attack, sampleRate);
        _releaseCoef = Coef(s.Release, sampleRate);
        _makeup = MathF.Pow(1 / DbToGain(Curve(0) - 0), 0.6f);
    }

    private static float Coef(double seconds, int rate) => seconds <= 0 ? 0 : (float)Math.Exp(-1.0 / (seconds * rate));

    private static float DbToGain(float db) => MathF.Pow(10, db / 20);

    /// <summary>Output level in dB for an input level in dB: unity below the knee, 1/ratio above it, a quadratic knee between.</summary>
    public float Curve(float inDb)
    {
        var over = inDb - _threshold;
        if (2 * over < -_knee) return inDb;
        if (_knee > 0 && 2 * Math.Abs(over) <= _knee)
        {
            var t = over + _knee / 2;
            return inDb + (1 / _ratio - 1) * t * t / (2 * _knee);
        }
        return _threshold + over / _ratio;
    }

    // Largest |sample| of a division of both channels (a hand-written loop: 32 frames are too few for TensorPrimitives'
    // per-call cost, which was a fifth of a whole render).
    private static float Peak(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        var i = 0;
        var peak = 0f;
        if (Vector128.IsHardwareAccelerated && left.Length >= 4)
        {
            var max = Vector128<float>.Zero;
            for (; i <= left.Length - 4; i += 4)
                max = Vector128.Max(max, Vector128.Max(Vector128.Abs(Vector128.Create(left.Slice(i, 4))), Vector128.Abs(Vector128.Create(right.Slice(i, 4)))));
            peak = MathF.Max(MathF.Max(max[0], max[1]), MathF.Max(max[2], max[3]));
        }
        for (; i < left.Length; i++) peak = MathF.Max(peak, MathF.Max(MathF.Abs(left[i]), MathF.Abs(right[i])));
        return peak;
    }

    /// <summary>Gain is computed once per 32 frames (as Chromium's compressor works in divisions of its render
    /// quantum) from the division's peak, and ramped linearly across the division, which keeps logarithms off the
    /// per-sample path.</summary>
    public void Process(Span<float> left, Span<float> right)
    {
        const int Division = 32;
        var env = _envelopeDb;
        var gain = float.IsNaN(_gain) ? _makeup : _gain;
        for (var start = 0; start < left.Length; start += Division)
        {
            var n = Math.Min(Division, left.Length - start);
            var peak = Peak(left.Slice(start, n), right.Slice(start, n));
            var inDb = peak > 1e-6f ? 20 * MathF.Log10(peak) : -120f;
            var reduction = inDb - Curve(inDb); // ≥ 0 dB
            var coef = MathF.Pow(reduction > env ? _attackCoef : _releaseCoef, n);
            env = reduction + coef * (env - reduction);
            var target = DbToGain(-env) * _makeup;
            var step = (target - gain) / n;
            for (var i = start; i < start + n; i++)
            {
                gain += step;
                left[i] *= gain;
                right[i] *= gain;
            }
            gain = target;
        }
        _envelopeDb = env;
        _gain = gain;
    }
}
