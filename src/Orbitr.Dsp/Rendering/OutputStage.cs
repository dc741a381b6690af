using System.Numerics.Tensors;
using Orbitr.Core.Model;
using Orbitr.Dsp.Master;

namespace Orbitr.Dsp.Rendering;

/// <summary>The end of every render, in one place: look-ahead limiter (when the pattern enables it) → auto tail →
/// the caller's sink. The C# renderer streams its blocks through it; the browser export runs the same limiter as an
/// AudioWorklet and the same tail rule in wav.worker.js (the end-to-end null test holds them together).</summary>
public sealed class OutputStage : IAudioSink
{
    private readonly LookAheadLimiter? _limiter;
    private readonly TailTrim _tail;
    private readonly int _sampleRate;

    /// <param name="keepFrames">frames always kept (the pattern's span); after them the output ends at its last frame
    /// above −90 dBFS. Pass the whole length for an explicit tail.</param>
    public OutputStage(LimiterSettings limiter, int sampleRate, long keepFrames, IAudioSink sink, int maxBlock = 8192)
    {
        _sampleRate = sampleRate;
        _tail = new TailTrim(keepFrames, (float)Math.Pow(10, RenderOptions.SilenceDb / 20), sink);
        _limiter = limiter.Enabled ? new LookAheadLimiter(limiter.Ceiling, sampleRate, _tail, maxBlock, limiter.TruePeak) : null;
    }

    /// <summary>Largest |sample| of the last block written (before the limiter): the renderer's "is it quiet yet".</summary>
    public float LastPeak { get; private set; }

    public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        // One scan serves the renderer's auto tail and the limiter's fast path.
        LastPeak = MathF.Max(MathF.Abs(TensorPrimitives.MaxMagnitude(left)), MathF.Abs(TensorPrimitives.MaxMagnitude(right)));
        if (_limiter is not null) _limiter.Write(left, right, LastPeak);
        else _tail.Write(left, right);
    }

    /// <summary>Sends the limiter's look-ahead on, drops the quiet end of the tail, and says what went out.</summary>
    public RenderResult Complete()
    {
        _limiter?.Flush();
        _tail.Complete();
        return new RenderResult(_tail.Frames, _tail.Peak, _sampleRate);
    }
}
