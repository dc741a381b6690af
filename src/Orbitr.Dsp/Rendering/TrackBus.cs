using System.Numerics.Tensors;
using Orbitr.Core.Model;
using Orbitr.Dsp.Voice;

namespace Orbitr.Dsp.Rendering;

/// <summary>A ring's bus during an offline render: the dry sum of its voices, one stereo send and delay line per
/// distinct delay setting, and the track gain applied when mixing into the master (and, times the ring's reverb send,
/// into the reverb's input).</summary>
internal sealed class TrackBus(float volume, float reverb = 0)
{
    private readonly List<DelaySend> _sends = [];

    public float[] DryL { get; private set; } = [];
    public float[] DryR { get; private set; } = [];

    private sealed class DelaySend(DelayEffect settings, int sampleRate)
    {
        public DelayEffect Settings { get; } = settings;
        public FeedbackDelay Left { get; } = new(settings, sampleRate);
        public FeedbackDelay Right { get; } = new(settings, sampleRate);
        public float[] L { get; set; } = [];
        public float[] R { get; set; } = [];
    }

    public int SendFor(DelayEffect settings, int sampleRate)
    {
        for (var i = 0; i < _sends.Count; i++)
            if (_sends[i].Settings == settings) return i;
        _sends.Add(new DelaySend(settings, sampleRate));
        return _sends.Count - 1;
    }

    public void Allocate(int blockSize)
    {
        DryL = new float[blockSize];
        DryR = new float[blockSize];
        foreach (var s in _sends)
        {
            s.L = new float[blockSize];
            s.R = new float[blockSize];
        }
    }

    public float[] SendL(int send) => _sends[send].L;

    public float[] SendR(int send) => _sends[send].R;

    public void Clear(int frames)
    {
        Array.Clear(DryL, 0, frames);
        Array.Clear(DryR, 0, frames);
        foreach (var s in _sends)
        {
            Array.Clear(s.L, 0, frames);
            Array.Clear(s.R, 0, frames);
        }
    }

    public void MixInto(Span<float> left, Span<float> right, ReverbBus? reverbBus)
    {
        var frames = left.Length;
        foreach (var s in _sends)
        {
            s.Left.Process(s.L.AsSpan(0, frames), DryL.AsSpan(0, frames));
            s.Right.Process(s.R.AsSpan(0, frames), DryR.AsSpan(0, frames));
        }
        var dryL = DryL.AsSpan(0, frames);
        var dryR = DryR.AsSpan(0, frames);
        if (reverbBus is not null && reverb > 0)
        {
            // Volume first, then the send, as the browser's bus gain → send gain: (x·volume)·reverb.
            TensorPrimitives.Multiply(dryL, volume, dryL);
            TensorPrimitives.Multiply(dryR, volume, dryR);
            TensorPrimitives.Add(dryL, left, left);
            TensorPrimitives.Add(dryR, right, right);
            TensorPrimitives.MultiplyAdd(dryL, reverb, reverbBus.InL.AsSpan(0, frames), reverbBus.InL.AsSpan(0, frames));
            TensorPrimitives.MultiplyAdd(dryR, reverb, reverbBus.InR.AsSpan(0, frames), reverbBus.InR.AsSpan(0, frames));
            return;
        }
        TensorPrimitives.MultiplyAdd(dryL, volume, left, left);
        TensorPrimitives.MultiplyAdd(dryR, volume, right, right);
    }

    public bool Silent()
    {
        foreach (var s in _sends)
            if (!s.Left.IsSilent || !s.Right.IsSilent) return false;
        return true;
    }
}
