using Orbitr.Core.Model;

namespace Orbitr.Dsp.Master;

/// <summary>A stereo-linked feed-forward compressor with the parameters of Web Audio's DynamicsCompressorNode
/// (threshold, knee, ratio in dB; attack, release in seconds) and its automatic make-up gain
/// ((1/curve(0 dBFS))^0.6, as the Web Audio spec describes). It follows the spec's static curve; the detector is a
/// simpler peak follower than Chromium's (frame by frame), so levels with the compressor on agree only approximately.</summary>
public sealed class Compressor
{
    private readonly float _threshold, _knee, _ratio, _attackCoef, _releaseCoef, _makeup, _kneeStart;
    private float _envelopeDb;

    public Compressor(CompressorSettings s, int sampleRate)
    {
        _threshold = (float)s.Threshold;
        _knee = (float)Math.Max(0, s.Knee);
        _ratio = (float)Math.Max(1, s.Ratio);
        _attackCoef = Coef(s.Attack, sampleRate);
        _releaseCoef = Coef(s.Release, sampleRate);
        _makeup = MathF.Pow(1 / DbToGain(Curve(0) - 0), 0.6f);
        _kneeStart = MathF.Max(1e-6f, DbToGain(_threshold - _knee / 2));
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

    /// <summary>Per frame: the louder channel's level in dB, the gain reduction the curve asks for, smoothed by the
    /// attack (when it grows) or release coefficient, applied to both channels (stereo-linked). Frame by frame, so the
    /// same audio gets the same gain wherever a block or a render starts: a pattern playing on repeats each cycle
    /// exactly, and a seamless loop equals every window of a long render (issue 25). A gain computed once per 32-frame
    /// division, as before, moved with the divisions' alignment: cycles of one render differed by up to −21 dBFS.</summary>
    public void Process(Span<float> left, Span<float> right)
    {
        var env = _envelopeDb;
        for (var i = 0; i < left.Length; i++)
        {
            var peak = MathF.Max(MathF.Abs(left[i]), MathF.Abs(right[i]));
            // Below the knee the curve is unity: no logarithm needed, and none for the gain once the envelope is 0 dB.
            var reduction = 0f;
            if (peak > _kneeStart)
            {
                var inDb = DbPerLog2 * MathF.Log2(peak);
                reduction = inDb - Curve(inDb); // ≥ 0 dB
            }
            env = reduction + (reduction > env ? _attackCoef : _releaseCoef) * (env - reduction);
            var gain = env < 1e-6f ? _makeup : MathF.Pow(2, -env * Log2PerDb) * _makeup;
            left[i] *= gain;
            right[i] *= gain;
        }
        _envelopeDb = env;
    }

    private const float DbPerLog2 = 6.0205999f;       // 20·log10(2)
    private const float Log2PerDb = 1 / DbPerLog2;
}
