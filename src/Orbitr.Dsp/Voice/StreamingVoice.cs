using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Voice;

/// <summary>One voice's chain up to the delay (sample read → velocity gain → pan → filter → distortion → gate), rendered
/// block by block from the shared sample instead of into a buffer of its own: a voice then costs its filter state and
/// read position, not a copy of its sample. Sample for sample it equals <see cref="VoiceRenderer.Render"/> (the same per-frame arithmetic), and it
/// ends where that would trim the filter's ring-out, so a render is the same whichever way a voice is played.</summary>
public sealed class StreamingVoice
{
    private readonly AudioBuffer _sample;
    private readonly VoiceKey _key;
    private readonly float _gain;
    private readonly BiquadFilter? _left, _right;
    private readonly WaveShaper? _shaper;
    private readonly int _maxTail;
    private readonly SampleReader? _reader;     // null: the sample is read as it is, straight from its arrays
    private readonly int _sourceLength;         // frames read from the sample
    private readonly double? _gateStart;        // voice frame where the gate's fade starts
    private readonly long _gateEnd = long.MaxValue;
    private float[] _readL = [], _readR = [];
    private int _position;

    public StreamingVoice(AudioBuffer sample, VoiceKey key)
    {
        _sample = sample;
        _key = key;
        _gain = (float)key.Gain;
        if (!key.Shape.ReadsWholeSample) _reader = new SampleReader(sample, key.Shape);
        _sourceLength = _reader?.Length ?? sample.Length;
        if (key.Shape.Gate is { } gate)
        {
            _gateStart = gate * sample.SampleRate;
            _gateEnd = VoiceRenderer.GateEnd(gate, sample.SampleRate);
        }
        if (key.Filter is { } f)
        {
            _left = new BiquadFilter(f.Type, f.Frequency, f.Q, sample.SampleRate);
            _right = new BiquadFilter(f.Type, f.Frequency, f.Q, sample.SampleRate);
            _maxTail = VoiceRenderer.FilterTailFrames(sample.SampleRate);
        }
        if (key.Distortion is { Amount: > 0 } d) _shaper = new WaveShaper(DistortionCurve.Create(d.Amount));
        Length = Gated(_sourceLength + _maxTail);
        if (_maxTail > 0 && _sourceLength == 0) Length = Gated(TrimmedLength(0, -1));
    }

    private int Gated(long length) => (int)Math.Min(length, _gateEnd);

    /// <summary>Frames this voice sounds for; final once the sample has been played (the ring-out is known then).</summary>
    public int Length { get; private set; }

    /// <summary>Renders the next <c>left.Length</c> frames (never past <see cref="Length"/>).</summary>
    public void Render(Span<float> left, Span<float> right)
    {
        var count = left.Length;
        var inSample = Math.Clamp(_sourceLength - _position, 0, count);
        if (inSample > 0)
        {
            ReadOnlySpan<float> sourceL, sourceR = default;
            if (_reader is null)
            {
                sourceL = _sample.Span(0).Slice(_position, inSample);
                if (_sample.ChannelCount > 1) sourceR = _sample.Span(1).Slice(_position, inSample);
            }
            else
            {
                if (_readL.Length < inSample)
                {
                    _readL = new float[Math.Max(inSample, 2048)];
                    _readR = new float[_readL.Length];
                }
                _reader.Read(_readL.AsSpan(0, inSample), _readR.AsSpan(0, inSample));
                sourceL = _readL.AsSpan(0, inSample);
                sourceR = _readR.AsSpan(0, inSample);
            }
            if (_sample.ChannelCount == 1)
                EqualPowerPan.Mono(sourceL, _gain, _key.Pan, left[..inSample], right[..inSample]);
            else
                EqualPowerPan.Stereo(sourceL, sourceR, _gain, _key.Pan, left[..inSample], right[..inSample]);
        }
        left[inSample..count].Clear();
        right[inSample..count].Clear();
        _left?.Process(left);
        _right?.Process(right);
        if (_shaper is not null)
        {
            _shaper.Process(left);
            _shaper.Process(right);
        }
        var first = _position;
        if (_gateStart is { } gs) Envelopes.Apply(left, right, first, gs, _sample.SampleRate);
        var reachedEnd = first < _sourceLength && first + count >= _sourceLength;
        _position += count;
        if (!reachedEnd || _maxTail == 0) return;
        // The ring-out's end is known now: the last frame above the floor in what this block rendered past the
        // sample, or after it (the filters run on over silence). Frames of this block past that end are cleared.
        var last = _sourceLength - 1;
        for (var i = inSample; i < count; i++)
            if (MathF.Abs(left[i]) > VoiceRenderer.TailFloor || MathF.Abs(right[i]) > VoiceRenderer.TailFloor) last = first + i;
        Length = Gated(Math.Max(last + 1, TrimmedLength(_position, last)));
        if (Length - first < count)
        {
            left[(Length - first)..].Clear();
            right[(Length - first)..].Clear();
        }
    }

    // Where VoiceRenderer trims the ring-out: the last frame of the tail above the floor, found by running copies of
    // the filters on over the silence from frame <paramref name="from"/> to the end of the longest tail.
    private int TrimmedLength(int from, int last)
    {
        var left = _left!.Clone();
        var right = _right!.Clone();
        Span<float> l = stackalloc float[256];
        Span<float> r = stackalloc float[256];
        var end = _sourceLength + _maxTail;
        for (var start = from; start < end; start += l.Length)
        {
            var n = Math.Min(l.Length, end - start);
            var bl = l[..n];
            var br = r[..n];
            bl.Clear();
            br.Clear();
            left.Process(bl);
            right.Process(br);
            if (_shaper is not null)
            {
                _shaper.Process(bl);
                _shaper.Process(br);
            }
            for (var i = 0; i < n; i++)
                if (MathF.Abs(bl[i]) > VoiceRenderer.TailFloor || MathF.Abs(br[i]) > VoiceRenderer.TailFloor) last = start + i;
        }
        return last + 1;
    }
}
