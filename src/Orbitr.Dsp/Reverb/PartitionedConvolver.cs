using System.Numerics;
using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Reverb;

/// <summary>Stereo convolution with a 2-channel impulse response by uniformly partitioned overlap-save FFT (FftSharp):
/// left in ⊛ IR channel 0 → left out, right in ⊛ IR channel 1 → right out, as a Web Audio ConvolverNode does with a
/// stereo response and stereo input, with no added latency: out[n] = Σₖ h[k]·in[n − k]. It works on blocks of
/// <see cref="BlockSize"/> frames — every call but the last must hand it exactly that many (the renderer's block) —
/// and holds P = ⌈IR / BlockSize⌉ partitions' spectra and as many past input spectra (a frequency-domain delay line), so
/// memory is fixed when it is made. One complex FFT carries both channels each way (left real, right imaginary).</summary>
public sealed class PartitionedConvolver
{
    public const int BlockSize = 2048;
    private const int N = 2 * BlockSize;       // FFT size
    private const int Bins = N / 2 + 1;        // the bins a real signal's spectrum needs

    private readonly Complex[][] _hl, _hr;     // per partition: the IR's left / right spectra (bins 0 … N/2)
    private readonly Complex[][] _xl, _xr;     // the last P input blocks' left / right spectra, a ring
    private readonly Complex[] _work = new Complex[N];
    private readonly Complex[] _yl = new Complex[Bins], _yr = new Complex[Bins];
    private readonly float[] _prevL = new float[BlockSize], _prevR = new float[BlockSize];
    private readonly int _irLength;
    private int _newest = -1;                  // ring slot of the newest input spectrum
    private long _silentFrames;                // frames of zero input in a row

    public PartitionedConvolver(AudioBuffer impulse)
    {
        ArgumentNullException.ThrowIfNull(impulse);
        if (impulse.ChannelCount != 2) throw new ArgumentException("the impulse response must be stereo", nameof(impulse));
        _irLength = impulse.Length;
        var partitions = Math.Max(1, (impulse.Length + BlockSize - 1) / BlockSize);
        _hl = new Complex[partitions][];
        _hr = new Complex[partitions][];
        _xl = new Complex[partitions][];
        _xr = new Complex[partitions][];
        var left = impulse.Channel(0);
        var right = impulse.Channel(1);
        for (var p = 0; p < partitions; p++)
        {
            // Partition p: h[p·B … (p+1)·B) zero-padded to N (overlap-save keeps the last B frames of each block).
            Array.Clear(_work);
            for (var i = 0; i < BlockSize && p * BlockSize + i < impulse.Length; i++)
                _work[i] = new Complex(left[p * BlockSize + i], right[p * BlockSize + i]);
            FftSharp.FFT.Forward(_work.AsSpan());
            _hl[p] = new Complex[Bins];
            _hr[p] = new Complex[Bins];
            Split(_work, _hl[p], _hr[p]);
            _xl[p] = new Complex[Bins];
            _xr[p] = new Complex[Bins];
        }
        _silentFrames = long.MaxValue / 2;
    }

    /// <summary>Nothing but zeros has gone in for at least the impulse response's length: only zeros come out.</summary>
    public bool IsSilent => _silentFrames >= _irLength + BlockSize;

    /// <summary>Convolves one block (<see cref="BlockSize"/> frames, or fewer for the last).</summary>
    public void Process(ReadOnlySpan<float> inL, ReadOnlySpan<float> inR, Span<float> outL, Span<float> outR)
    {
        var frames = inL.Length;
        if (frames > BlockSize) throw new ArgumentException($"at most {BlockSize} frames per call", nameof(inL));
        var zero = !HasSignal(inL) && !HasSignal(inR);
        _silentFrames = zero ? _silentFrames + frames : 0;
        if (zero && IsSilent)
        {
            // Every spectrum still in the delay line is of silence or about to be: a zero one goes in without an FFT.
            outL.Clear();
            outR.Clear();
            _newest = (_newest + 1) % _xl.Length;
            Array.Clear(_xl[_newest]);
            Array.Clear(_xr[_newest]);
            ShiftIn(inL, inR, frames);
            return;
        }

        // Overlap-save input: the previous block, then this one (zero-padded when short).
        for (var i = 0; i < BlockSize; i++) _work[i] = new Complex(_prevL[i], _prevR[i]);
        for (var i = 0; i < BlockSize; i++) _work[BlockSize + i] = i < frames ? new Complex(inL[i], inR[i]) : Complex.Zero;
        FftSharp.FFT.Forward(_work.AsSpan());
        _newest = (_newest + 1) % _xl.Length;
        Split(_work, _xl[_newest], _xr[_newest]);

        Array.Clear(_yl);
        Array.Clear(_yr);
        for (var p = 0; p < _hl.Length; p++)
        {
            var slot = (_newest - p + _xl.Length) % _xl.Length;
            MultiplyAdd(_xl[slot], _hl[p], _yl);
            MultiplyAdd(_xr[slot], _hr[p], _yr);
        }
        // Both real outputs in one inverse FFT: Y = YL + i·YR, with the Hermitian halves filled in.
        for (var k = 0; k < Bins; k++) _work[k] = _yl[k] + Complex.ImaginaryOne * _yr[k];
        for (var k = Bins; k < N; k++) _work[k] = Complex.Conjugate(_yl[N - k]) + Complex.ImaginaryOne * Complex.Conjugate(_yr[N - k]);
        FftSharp.FFT.Inverse(_work.AsSpan());
        for (var i = 0; i < frames; i++)
        {
            outL[i] = (float)_work[BlockSize + i].Real;
            outR[i] = (float)_work[BlockSize + i].Imaginary;
        }
        ShiftIn(inL, inR, frames);
    }

    public void Reset()
    {
        Array.Clear(_prevL);
        Array.Clear(_prevR);
        foreach (var x in _xl) Array.Clear(x);
        foreach (var x in _xr) Array.Clear(x);
        _silentFrames = long.MaxValue / 2;
    }

    private void ShiftIn(ReadOnlySpan<float> inL, ReadOnlySpan<float> inR, int frames)
    {
        inL.CopyTo(_prevL);
        inR.CopyTo(_prevR);
        if (frames < BlockSize)
        {
            _prevL.AsSpan(frames).Clear();
            _prevR.AsSpan(frames).Clear();
        }
    }

    private static bool HasSignal(ReadOnlySpan<float> x)
    {
        foreach (var v in x) if (v != 0) return true;
        return false;
    }

    // The spectra of the real and imaginary parts of z from Z = FFT(z): L[k] = (Z[k] + conj Z[N−k]) / 2,
    // R[k] = (Z[k] − conj Z[N−k]) / 2i.
    private static void Split(Complex[] z, Complex[] left, Complex[] right)
    {
        for (var k = 0; k < Bins; k++)
        {
            var a = z[k];
            var b = Complex.Conjugate(z[(N - k) % N]);
            left[k] = (a + b) * 0.5;
            right[k] = (a - b) * new Complex(0, -0.5);
        }
    }

    private static void MultiplyAdd(Complex[] x, Complex[] h, Complex[] y)
    {
        for (var k = 0; k < y.Length; k++) y[k] += x[k] * h[k];
    }
}
