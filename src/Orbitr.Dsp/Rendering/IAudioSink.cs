namespace Orbitr.Dsp.Rendering;

/// <summary>Where a stage sends stereo audio, a block at a time: the next stage, a WAV file, a buffer.
/// The spans are only valid during the call.</summary>
public interface IAudioSink
{
    void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right);
}
