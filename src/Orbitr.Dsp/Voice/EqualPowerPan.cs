namespace Orbitr.Dsp.Voice;

/// <summary>Web Audio's StereoPannerNode: equal-power gains for a mono source (pan 0 → 0.7071 each side), and the
/// spec's stereo algorithm for a stereo source, so browser and renderer agree.</summary>
public static class EqualPowerPan
{
    public static (float Left, float Right) MonoGains(double pan)
    {
        var x = (Math.Clamp(pan, -1, 1) + 1) / 2;
        return ((float)Math.Cos(x * Math.PI / 2), (float)Math.Sin(x * Math.PI / 2));
    }

    /// <summary>Pans a mono source into a stereo pair.</summary>
    public static void Mono(ReadOnlySpan<float> input, float gain, double pan, Span<float> left, Span<float> right)
    {
        var (gl, gr) = MonoGains(pan);
        gl *= gain;
        gr *= gain;
        for (var i = 0; i < input.Length; i++)
        {
            left[i] = input[i] * gl;
            right[i] = input[i] * gr;
        }
    }

    /// <summary>Pans a stereo source (Web Audio spec, StereoPannerNode with two input channels).</summary>
    public static void Stereo(ReadOnlySpan<float> inL, ReadOnlySpan<float> inR, float gain, double pan, Span<float> left, Span<float> right)
    {
        pan = Math.Clamp(pan, -1, 1);
        var x = pan <= 0 ? pan + 1 : pan;
        var gl = (float)Math.Cos(x * Math.PI / 2);
        var gr = (float)Math.Sin(x * Math.PI / 2);
        for (var i = 0; i < inL.Length; i++)
        {
            float l = inL[i] * gain, r = inR[i] * gain;
            if (pan <= 0)
            {
                left[i] = l + r * gl;
                right[i] = r * gr;
            }
            else
            {
                left[i] = l * gl;
                right[i] = r + l * gr;
            }
        }
    }
}
