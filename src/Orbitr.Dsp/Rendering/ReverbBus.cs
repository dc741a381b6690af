using System.Numerics.Tensors;
using Orbitr.Core.Model;
using Orbitr.Dsp.Reverb;

namespace Orbitr.Dsp.Rendering;

/// <summary>The master reverb during an offline render: the rings' sends (their signal after volume and pan, times
/// their <see cref="Track.Reverb"/>) summed into one stereo input, convolved with <see cref="ReverbImpulse"/>'s response
/// (as the browser's ConvolverNode with normalization off), times the return, added to the master bus before the
/// master gain and compressor.</summary>
internal sealed class ReverbBus
{
    private readonly PartitionedConvolver _convolver;
    private readonly float _return;
    private readonly float[] _wetL, _wetR;

    public ReverbBus(ReverbSettings settings, int sampleRate, int blockSize)
    {
        _convolver = new PartitionedConvolver(ReverbImpulse.Create(settings, sampleRate));
        _return = (float)settings.Return;
        InL = new float[blockSize];
        InR = new float[blockSize];
        _wetL = new float[blockSize];
        _wetR = new float[blockSize];
    }

    public float[] InL { get; }
    public float[] InR { get; }

    public void Clear(int frames)
    {
        Array.Clear(InL, 0, frames);
        Array.Clear(InR, 0, frames);
    }

    public void MixInto(Span<float> left, Span<float> right)
    {
        var frames = left.Length;
        _convolver.Process(InL.AsSpan(0, frames), InR.AsSpan(0, frames), _wetL.AsSpan(0, frames), _wetR.AsSpan(0, frames));
        TensorPrimitives.MultiplyAdd(_wetL.AsSpan(0, frames), _return, left, left);
        TensorPrimitives.MultiplyAdd(_wetR.AsSpan(0, frames), _return, right, right);
    }

    /// <summary>Nothing went in for a whole impulse response: nothing more comes out.</summary>
    public bool Silent => _convolver.IsSilent;
}
