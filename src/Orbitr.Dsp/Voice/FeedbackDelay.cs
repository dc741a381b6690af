using Orbitr.Core.Model;

namespace Orbitr.Dsp.Voice;

/// <summary>The wet half of the Web Audio graph input → DelayNode ⇄ feedback gain, DelayNode → mix gain, as Chromium
/// renders it: wet[n] = x[n−D] + fb·wet[n−D−Q], added to the output as mix·wet (the dry path is the caller's).
/// Q = <see cref="CycleLatency"/>: Chromium breaks a cycle through a DelayNode with one render quantum, so every trip
/// round the feedback loop is 128 frames longer than the delay time (the first echo is on time). Measured by the
/// browser-export null test: without Q the second echo is 128 frames early. Fractional delays are read with linear
/// interpolation. Delay is linear and time-invariant, so many voices can share one line.</summary>
public sealed class FeedbackDelay
{
    /// <summary>Extra frames per trip round a Web Audio feedback cycle (one render quantum).</summary>
    public const int CycleLatency = 128;

    private readonly float[] _line;
    private readonly float[] _recent = new float[CycleLatency]; // wet output of the last Q frames
    private readonly double _delaySamples;
    private readonly float _feedback, _mix;
    private int _write;
    private int _recentIndex;
    private int _quietFrames;

    /// <summary>Level under which what circulates counts as silence (−100 dBFS).</summary>
    public const float SilenceLevel = 1e-5f;

    public FeedbackDelay(DelayEffect settings, int sampleRate)
    {
        if (!(settings.Time >= DelayEffect.MinTime && settings.Time <= DelayEffect.MaxTime)) throw new ArgumentOutOfRangeException(nameof(settings), "delay time must be 0.01–2 s");
        if (!(settings.Feedback >= 0 && settings.Feedback <= DelayEffect.MaxFeedback)) throw new ArgumentOutOfRangeException(nameof(settings), "feedback must be 0–0.95");
        _delaySamples = settings.Time * sampleRate;
        _line = new float[(int)Math.Ceiling(_delaySamples) + 2];
        _feedback = (float)settings.Feedback;
        _mix = (float)Math.Clamp(settings.Mix, 0, 1);
    }

    /// <summary>Feeds <paramref name="send"/> into the line and adds mix·wet to <paramref name="output"/>.</summary>
    public void Process(ReadOnlySpan<float> send, Span<float> output)
    {
        var line = _line;
        var len = line.Length;
        var whole = (int)_delaySamples;
        var frac = (float)(_delaySamples - whole);
        var w = _write;
        var q = _recentIndex;
        var recent = _recent;
        var quiet = _quietFrames;
        for (var i = 0; i < send.Length; i++)
        {
            var r0 = w - whole;
            if (r0 < 0) r0 += len;
            var r1 = r0 - 1;
            if (r1 < 0) r1 += len;
            var wet = line[r0] + frac * (line[r1] - line[r0]);
            var v = send[i] + _feedback * recent[q]; // recent[q] is wet[n−Q]
            recent[q] = wet;
            if (++q == CycleLatency) q = 0;
            line[w] = v;
            quiet = MathF.Abs(v) > SilenceLevel ? 0 : quiet + 1;
            output[i] += _mix * wet;
            if (++w == len) w = 0;
        }
        _write = w;
        _recentIndex = q;
        _quietFrames = quiet;
    }

    /// <summary>True once a whole line's length has been written below <see cref="SilenceLevel"/>: nothing audible is left.</summary>
    public bool IsSilent => _quietFrames >= _line.Length + CycleLatency;
}
