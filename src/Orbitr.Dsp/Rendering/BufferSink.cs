using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Rendering;

/// <summary>Collects streamed audio into one <see cref="AudioBuffer"/> (for callers that want the whole render).</summary>
public sealed class BufferSink(int sampleRate, int initialFrames = 0) : IAudioSink
{
    private float[] _l = new float[Math.Max(1024, initialFrames)], _r = new float[Math.Max(1024, initialFrames)];
    private int _frames;

    public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        if ((long)_frames + left.Length > Array.MaxLength) throw new InvalidOperationException("the render is too long to hold in memory; stream it to a file");
        if (_frames + left.Length > _l.Length)
        {
            var size = (int)Math.Min(Array.MaxLength, Math.Max(2L * _l.Length, _frames + left.Length));
            Array.Resize(ref _l, size);
            Array.Resize(ref _r, size);
        }
        left.CopyTo(_l.AsSpan(_frames));
        right.CopyTo(_r.AsSpan(_frames));
        _frames += left.Length;
    }

    public AudioBuffer ToBuffer() => new([_l[.._frames], _r[.._frames]], sampleRate);
}
