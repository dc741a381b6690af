using Orbitr.Dsp.Resampling;

namespace Orbitr.Dsp.Audio;

/// <summary>Takes decoded audio block by block (interleaved floats, as decoders give it) and keeps it as it will be
/// stored: downmixed (<see cref="ChannelDownmix"/>) to at most <c>outputChannels</c> and resampled
/// (<see cref="StreamingResampler"/>) to at most <c>outputRate</c>. A source longer than <c>maxFrames</c> is refused
/// at the block that crosses it, so at most that much is ever held; the buffer grows with what actually arrives
/// (starting from the header's claim, which is trusted only up to the cap), never from a claim alone.</summary>
public sealed class AudioCollector
{
    private const int BlockFrames = 4096;
    private const int InitialUnboundedFrames = 1 << 16;

    private readonly int _channels, _outChannels, _outRate;
    private readonly long _maxFrames;
    private readonly double _maxSeconds;
    private readonly float[][]? _weights;
    private readonly StreamingResampler[]? _resamplers;
    private readonly float[][] _mix, _resampled;
    private readonly int _capacityCap;
    private float[][] _out;
    private int _length;

    /// <param name="expectedFrames">The source length the header claims, if it gives one (already checked against the limits).</param>
    public AudioCollector(int channels, int rate, ChannelOrder order, long maxFrames, double maxSeconds, long? expectedFrames,
        int outputChannels, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputChannels, 1);
        _channels = channels;
        SourceRate = rate;
        _maxFrames = maxFrames;
        _maxSeconds = maxSeconds;
        _outChannels = Math.Min(channels, outputChannels);
        if (_outChannels < channels)
        {
            if (_outChannels != 2) throw new ArgumentOutOfRangeException(nameof(outputChannels), "only a downmix to stereo is defined");
            _weights = ChannelDownmix.Weights(channels, order);
        }
        _outRate = Math.Min(rate, outputRate);
        var ratio = (double)_outRate / rate;
        if (_outRate < rate) _resamplers = [.. Enumerable.Range(0, _outChannels).Select(_ => new StreamingResampler(rate, _outRate))];
        _mix = [.. Enumerable.Range(0, _outChannels).Select(_ => new float[BlockFrames])];
        _resampled = _resamplers is null ? [] : [.. _resamplers.Select(r => new float[r.MaxOutput(BlockFrames)])];
        var bounded = maxFrames < long.MaxValue / 2;
        _capacityCap = bounded ? (int)Math.Min(Array.MaxLength, (long)Math.Ceiling(maxFrames * ratio) + 64) : Array.MaxLength;
        var initial = expectedFrames is > 0 ? (long)Math.Ceiling(expectedFrames.Value * ratio) + 64 : _outRate;
        initial = Math.Min(initial, bounded ? _capacityCap : InitialUnboundedFrames);
        _out = [.. Enumerable.Range(0, _outChannels).Select(_ => new float[initial])];
    }

    public int SourceRate { get; }

    /// <summary>Source frames taken so far.</summary>
    public long SourceFrames { get; private set; }

    /// <summary>Frames the output buffer can hold now (what is allocated, per channel).</summary>
    public int Capacity => _out[0].Length;

    /// <summary>Takes whole frames of interleaved samples.</summary>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        if (interleaved.Length % _channels != 0) throw new ArgumentException("a block must hold whole frames", nameof(interleaved));
        while (interleaved.Length > 0)
        {
            var frames = Math.Min(BlockFrames, interleaved.Length / _channels);
            WriteBlock(interleaved[..(frames * _channels)], frames);
            interleaved = interleaved[(frames * _channels)..];
        }
    }

    private void WriteBlock(ReadOnlySpan<float> x, int frames)
    {
        if (SourceFrames + frames > _maxFrames)
            throw new AudioDecodeException($"the sound is longer than {_maxSeconds:0.#} s; at most {_maxSeconds:0.#} s");
        foreach (var v in x)
            if (!float.IsFinite(v)) throw new AudioDecodeException("the audio contains invalid samples");
        SourceFrames += frames;
        for (var o = 0; o < _outChannels; o++)
        {
            var mix = _mix[o];
            if (_weights is null)
                for (int i = 0, j = o; i < frames; i++, j += _channels) mix[i] = x[j];
            else
            {
                var w = _weights[o];
                for (int i = 0, j = 0; i < frames; i++, j += _channels)
                {
                    var sum = 0f;
                    for (var c = 0; c < _channels; c++) sum += w[c] * x[j + c];
                    mix[i] = sum;
                }
            }
        }
        if (_resamplers is null)
        {
            Append(_mix, frames);
            return;
        }
        var n = 0;
        for (var o = 0; o < _outChannels; o++) n = _resamplers[o].Push(_mix[o].AsSpan(0, frames), _resampled[o]);
        Append(_resampled, n);
    }

    private void Append(float[][] block, int frames)
    {
        if (frames == 0) return;
        var needed = (long)_length + frames;
        if (needed > _out[0].Length)
        {
            if (needed > _capacityCap) throw new AudioDecodeException($"the sound is longer than {_maxSeconds:0.#} s; at most {_maxSeconds:0.#} s");
            var size = (int)Math.Min(_capacityCap, Math.Max(needed, Math.Min((long)Array.MaxLength, _out[0].Length * 2L)));
            for (var o = 0; o < _outChannels; o++) Array.Resize(ref _out[o], size);
        }
        for (var o = 0; o < _outChannels; o++) block[o].AsSpan(0, frames).CopyTo(_out[o].AsSpan(_length));
        _length += frames;
    }

    /// <summary>The end of the sound: what was collected, at the output rate and channel count.</summary>
    public AudioBuffer Finish()
    {
        if (_resamplers is not null)
        {
            var n = 0;
            for (var o = 0; o < _outChannels; o++)
            {
                var pending = _resamplers[o].PendingOnFlush;
                if (_resampled[o].Length < pending) _resampled[o] = new float[pending];
                n = _resamplers[o].Flush(_resampled[o]);
            }
            Append(_resampled, n);
        }
        if (_length != _out[0].Length)
            for (var o = 0; o < _outChannels; o++) Array.Resize(ref _out[o], _length);
        return new AudioBuffer(_out, _outRate);
    }
}
