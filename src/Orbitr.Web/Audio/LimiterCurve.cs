namespace Orbitr.Web.Audio;

/// <summary>The live limiter: a WaveShaper curve that is the identity inside ±ceiling and clips outside it,
/// so (as ARCHITECTURE §2 asks) a signal whose peak stays under the ceiling passes unchanged. Exports use
/// Orbitr.Dsp's look-ahead <c>Limiter</c> on the finished render instead, as the CLI does.</summary>
public static class LimiterCurve
{
    public const int Size = 4097;

    public static float[] Create(double ceilingDb)
    {
        var ceiling = (float)Math.Pow(10, ceilingDb / 20);
        var curve = new float[Size];
        for (var i = 0; i < Size; i++)
        {
            var x = -1f + 2f * i / (Size - 1);
            curve[i] = Math.Clamp(x, -ceiling, ceiling);
        }
        return curve;
    }
}
