using Orbitr.Dsp.Rendering;

namespace Orbitr.Dsp.Master;

/// <summary>The <see cref="LookAheadLimiter"/> over a finished stereo buffer, in place (for callers that hold the
/// whole render).</summary>
public static class Limiter
{
    public static void Process(float[] left, float[] right, double ceilingDb, int sampleRate, bool truePeak = false)
    {
        if (left.Length != right.Length) throw new ArgumentException("both channels must have the same length", nameof(right));
        // The limiter copies what it is given before it writes anything back, and writes frames in order: they can go
        // straight back over the frames they came from.
        var sink = new InPlace(left, right);
        var limiter = new LookAheadLimiter(ceilingDb, sampleRate, sink, truePeak: truePeak);
        limiter.Write(left, right);
        limiter.Flush();
    }

    private sealed class InPlace(float[] left, float[] right) : IAudioSink
    {
        private int _at;

        public void Write(ReadOnlySpan<float> l, ReadOnlySpan<float> r)
        {
            l.CopyTo(left.AsSpan(_at));
            r.CopyTo(right.AsSpan(_at));
            _at += l.Length;
        }
    }
}
