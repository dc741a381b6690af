using System.Numerics.Tensors;

namespace Orbitr.Dsp.Rendering;

/// <summary>The auto tail, decided as the audio streams past: every frame of the pattern's span goes on, and after it
/// only frames up to the last one above the silence level. Quiet frames past the span wait here until something loud
/// follows them (then they go on) or the stream ends (then they are dropped), so the output ends at its last audible
/// frame without holding more than the quiet stretch. Also measures the peak and length of what went on.</summary>
public sealed class TailTrim(long spanFrames, float silence, IAudioSink next) : IAudioSink
{
    private float[] _heldL = new float[4096], _heldR = new float[4096];
    private int _held;
    private long _received;

    /// <summary>Frames sent on.</summary>
    public long Frames { get; private set; }

    /// <summary>Largest absolute sample value sent on.</summary>
    public float Peak { get; private set; }

    public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        var n = left.Length;
        if (n == 0) return;
        var start = _received;
        _received += n;
        var lastLoud = -1;
        for (var i = n - 1; i >= 0; i--)
        {
            if (MathF.Abs(left[i]) > silence || MathF.Abs(right[i]) > silence)
            {
                lastLoud = i;
                break;
            }
        }
        // Frames before this index may go on: the span, and everything up to the last loud frame.
        var keepUntil = Math.Max(spanFrames, lastLoud >= 0 ? start + lastLoud + 1 : 0);
        if (lastLoud >= 0 && _held > 0) Release(_held); // something loud follows the held quiet frames
        var passNow = (int)Math.Clamp(keepUntil - start, 0, n);
        if (_held == 0 && passNow > 0) Send(left[..passNow], right[..passNow]);
        else if (passNow > 0) { Hold(left[..passNow], right[..passNow]); Release(_held); }
        if (passNow < n) Hold(left[passNow..], right[passNow..]);
    }

    /// <summary>The stream ended: quiet frames after the last loud one are dropped.</summary>
    public void Complete() => _held = 0;

    private void Hold(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        if (_held + left.Length > _heldL.Length)
        {
            var size = Math.Max(_heldL.Length * 2, _held + left.Length);
            Array.Resize(ref _heldL, size);
            Array.Resize(ref _heldR, size);
        }
        left.CopyTo(_heldL.AsSpan(_held));
        right.CopyTo(_heldR.AsSpan(_held));
        _held += left.Length;
    }

    private void Release(int frames)
    {
        Send(_heldL.AsSpan(0, frames), _heldR.AsSpan(0, frames));
        _heldL.AsSpan(frames, _held - frames).CopyTo(_heldL);
        _heldR.AsSpan(frames, _held - frames).CopyTo(_heldR);
        _held -= frames;
    }

    private void Send(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        Peak = MathF.Max(Peak, MathF.Max(MathF.Abs(TensorPrimitives.MaxMagnitude(left)), MathF.Abs(TensorPrimitives.MaxMagnitude(right))));
        Frames += left.Length;
        next.Write(left, right);
    }
}
