using Microsoft.JSInterop;
using Orbitr.Core.Model;
using Orbitr.Web.Audio.Interop;
using Orbitr.Core.Scheduling;
using Orbitr.Web.Audio.Samples;
using Orbitr.Web.State;

namespace Orbitr.Web.Audio.Playback;

/// <summary>Live playback: the <see cref="Transport"/> (and through it the <see cref="Scheduler"/>) decides which
/// notes play and when; each worker tick audio.js calls <see cref="Tick"/>, which is synchronous and cheap: no I/O,
/// no await, one answer of float64 bytes (<see cref="TickMessage"/>). A note whose sample is not loaded yet is skipped
/// and counted (<see cref="SkippedNotes"/>). Any edit of what plays (and a sample arriving) makes audio.js tick at once:
/// it cancels the voices not yet started and the notes are handed out again from the clock.</summary>
public sealed class LivePlayback : IDisposable
{
    private readonly Transport _transport = new();
    private readonly PatternState _store;
    private readonly SampleRegistry _samples;
    private readonly List<NoteEvent> _notes = [];
    private readonly List<Click> _clicks = [];
    private readonly List<double> _message = [];
    private readonly List<(int Track, long Sixteenth)> _spared = [];
    private bool _countInPending;
    private Pattern? _scheduled;         // the pattern the voices handed out so far came from
    private Pattern? _current;           // a queued pattern that has begun, until the store shows it
    private double _lastNow;
    private bool _rewind, _playheadSent;
    private double _lastBpm;
    private int _lastLength;
    private int[] _lastLengths = [];

    private readonly AudioModule _module;

    public LivePlayback(AudioModule module, PatternState store, SampleRegistry samples)
    {
        (_module, _store, _samples) = (module, store, samples);
        _store.PatternChanged += OnPatternChanged;
        _samples.Loaded += OnSampleLoaded;
    }

    public bool Playing => _transport.Playing;
    public bool MetronomeOn { get; set; }

    /// <summary>The fill switch: changing it reschedules from the clock, like an edit.</summary>
    public bool Fill
    {
        get => _transport.Fill;
        set
        {
            if (_transport.Fill == value) return;
            _transport.Fill = value;
            if (Playing) RewindNow();
        }
    }
    public double MetronomeLevel { get; set; } = 0.7;

    /// <summary>A tempo nudge (issue 26: [ and ] held, as a DJ's pitch bend): the tempo plays at this factor of the
    /// pattern's while it is not 1; the pattern's BPM stays as it is. A change retimes from the clock, keeping the
    /// loop's position, like a tempo edit.</summary>
    public double Nudge
    {
        get => _nudge;
        set
        {
            if (_nudge == value) return;
            _nudge = value;
            if (Playing) RewindNow();
        }
    }

    private double _nudge = 1;

    /// <summary>The tempo of an incoming MIDI clock while following it (null: the pattern's): a change retimes from
    /// the clock like a tempo edit; the pattern's BPM stays as it is.</summary>
    public double? FollowedBpm
    {
        get => _followed;
        set
        {
            if (_followed == value) return;
            _followed = value;
            if (Playing) RewindNow();
        }
    }

    private double? _followed;

    /// <summary>The length of a sixteenth at the tempo the transport plays <paramref name="pattern"/> at.</summary>
    public double StepSeconds(Pattern pattern) => Nudged(pattern).StepSeconds;

    // The pattern the transport plays: a followed clock sets its tempo, the nudge scales it.
    private Pattern Nudged(Pattern p) => _nudge == 1 && _followed is null ? p
        : p with { Bpm = Math.Clamp((_followed ?? p.Bpm) * _nudge, Pattern.MinBpm, Pattern.MaxBpm) };

    /// <summary>Notes not played because their sample was not loaded (or cannot be) when they were handed out.</summary>
    public long SkippedNotes { get; private set; }

    /// <summary>Starts playing; with <paramref name="countIn"/> one bar of metronome clicks plays first and the pattern
    /// starts after it (recording's count-in, issue 26).</summary>
    /// <remarks><paramref name="fromSeconds"/>, <paramref name="originAt"/>: see <see cref="Transport.Start"/> (MIDI Start and Continue).</remarks>
    public void Start(Pattern pattern, double fromSeconds = 0, double? originAt = null, bool countIn = false)
    {
        // Warm the tick's code (scheduler, message) before the first tick, which has to beat its notes' start.
        _notes.Clear();
        _notes.AddRange(Scheduler.EventsBetween(pattern, 0, Transport.HorizonSeconds));
        Build(pattern, double.NaN, false, count: false);
        _transport.Start(Nudged(pattern), fromSeconds, originAt, countIn ? BarSeconds(pattern) : 0);
        _countInPending = countIn;
        _spared.Clear();
        _scheduled = pattern;
        _current = null;
        _rewind = false;
        _playheadSent = false;
    }

    public void Stop()
    {
        _transport.Stop();
        _current = null;
    }

    // One bar of the pattern's time signature (the metronome's beats).
    private static double BarSeconds(Pattern p) => Math.Max(1, p.TimeSignature.Numerator) * p.StepSeconds * 16.0 / p.TimeSignature.Denominator;

    /// <summary>The pattern playing (at its nudged tempo) and the pattern time (seconds from its start, negative during
    /// a count-in) of audio-clock time <paramref name="audioTime"/>; false until the first tick has anchored the clock.</summary>
    public bool TryPatternTime(double audioTime, out Pattern playing, out double seconds)
    {
        playing = Nudged(_current ?? _store.Pattern);
        seconds = audioTime - _transport.Origin;
        return _transport.Anchored;
    }

    /// <summary>The audio clock at the last tick.</summary>
    public double LastTickClock => _lastNow;

    /// <summary>A note the musician has just played on a pad (and recording wrote into its step) is not played again by
    /// the pattern: the step of <paramref name="track"/> on grid sixteenth <paramref name="sixteenth"/> is skipped once.</summary>
    public void Spare(int track, long sixteenth)
    {
        if (_spared.Count >= 64) _spared.RemoveAt(0);
        _spared.Add((track, sixteenth));
    }

    private bool IsSpared(Pattern pattern, NoteEvent e)
    {
        if (_spared.Count == 0) return false;
        var length = pattern.Tracks[e.TrackIndex].Steps.Count;
        foreach (var (track, n) in _spared)
            if (track == e.TrackIndex && n / length == e.Cycle && n % length == e.StepIndex) return true;
        return false;
    }

    /// <summary>The pattern queued to start where the current cycle ends (null: none).</summary>
    public Pattern? Queued => _transport.Queued;

    /// <summary>A queued pattern began (raised after the tick that started it, never inside it): the app opens it,
    /// and its notes are already playing.</summary>
    public event Action<Pattern>? QueuedStarted;

    /// <summary>Queues <paramref name="next"/> to start exactly where the cycle playing now ends (issue 25).</summary>
    /// <remarks><paramref name="afterCycles"/>: a song section's repeats (see <see cref="Transport.Queue"/>).</remarks>
    public void Queue(Pattern next, int afterCycles = 0)
    {
        if (!Playing) return;
        // The clock of the last tick, a tick later: a boundary within that tick counts as passed.
        _transport.Queue(next, Nudged(_current ?? _store.Pattern), _lastNow + AudioConstants.TickMilliseconds / 1000.0, afterCycles);
        RewindNow();
    }

    /// <summary>The cycle of the current pattern playing at the last tick (from 0 where it started).</summary>
    public int CurrentCycle => _transport.CycleAt(_lastNow, Nudged(_current ?? _store.Pattern));

    public void Unqueue()
    {
        if (_transport.Queued is null) return;
        _transport.Unqueue();
        RewindNow();
    }

    private void OnPatternChanged(Pattern pattern)
    {
        if (!Playing || _scheduled is null) return;
        if (_current is not null && (ReferenceEquals(pattern, _current) || pattern.Equals(_current))) _current = null; // the app caught up
        var mixOnly = MixOnly(_scheduled, pattern);
        _scheduled = pattern;
        if (!mixOnly) RewindNow();
    }

    private void OnSampleLoaded()
    {
        if (Playing) RewindNow();
    }

    // The edit is heard at once: audio.js runs a tick right now (synchronously, in WebAssembly), before the page goes
    // on to re-render and save; without an in-process module the next worker tick does it.
    private void RewindNow()
    {
        _rewind = true;
        (_module.Loaded as IJSInProcessObjectReference)?.InvokeVoid("tickNow");
    }

    // Volumes only change the mix (setMix), not which voices are scheduled.
    private static bool MixOnly(Pattern a, Pattern b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Tracks.Count != b.Tracks.Count || !(a with { Tracks = b.Tracks, Master = b.Master }).Equals(b)) return false;
        for (var i = 0; i < a.Tracks.Count; i++)
            if (!(a.Tracks[i] with { Volume = b.Tracks[i].Volume }).Equals(b.Tracks[i])) return false;
        return true;
    }

    /// <summary>Called by audio.js on every worker tick (25 ms) with the audio clock.</summary>
    public byte[] Tick(double now)
    {
        if (!Playing) return [];
        _lastNow = now;
        var pattern = Nudged(_current ?? _store.Pattern);
        _notes.Clear();
        _clicks.Clear();
        var origin = _transport.Origin;
        var cancelFrom = _transport.Tick(now, pattern, _notes, MetronomeOn ? _clicks : null, _rewind);
        _rewind = false;
        if (_countInPending) CountIn(pattern);
        if (_transport.Switched)
        {
            // The queued pattern took over on the audio clock; the store still shows the one before until the app opens it.
            pattern = _current = _scheduled = _transport.LastQueued!;
            pattern = Nudged(pattern);
            _ = RaiseStartedAsync(pattern);
        }
        var changed = !_playheadSent || origin != _transport.Origin || pattern.Bpm != _lastBpm || pattern.Length != _lastLength || !SameLengths(pattern);
        if (_notes.Count == 0 && _clicks.Count == 0 && double.IsNaN(cancelFrom) && !changed) return [];
        return Build(pattern, cancelFrom, changed, count: true);
    }

    // The count-in bar's clicks, before the pattern's start (pattern time −bar to 0), handed out with the first tick.
    private void CountIn(Pattern pattern)
    {
        _countInPending = false;
        var beats = Math.Max(1, pattern.TimeSignature.Numerator);
        var beat = BarSeconds(pattern) / beats;
        for (var k = 0; k < beats; k++) _clicks.Insert(k, new Click((k - beats) * beat, k, k == 0));
    }

    private async Task RaiseStartedAsync(Pattern pattern)
    {
        await Task.Yield(); // after the tick: the handler opens the pattern, which would otherwise re-enter it
        QueuedStarted?.Invoke(pattern);
    }

    private byte[] Build(Pattern pattern, double cancelFrom, bool changed, bool count)
    {
        TickMessage.Begin(_message, cancelFrom, 0);
        if (changed) Playhead(pattern);
        var origin = _transport.Origin;
        foreach (var e in _notes)
        {
            if (pattern.FindSample(e.SampleKey) is not { } sample || IsSpared(pattern, e)) continue;
            if (!_samples.TryGetBuffer(sample.Source, out var buffer))
            {
                if (!count) continue;
                SkippedNotes++;
                _samples.Request(new SampleEntry(e.SampleKey, sample));
                continue;
            }
            var curve = e.Effects?.Distortion is { Amount: > 0 } d ? _samples.Curve(d.Amount) : -1;
            VoiceMessage.Append(_message, origin, e, buffer, curve);
        }
        foreach (var click in _clicks)
            VoiceMessage.Append(_message, origin + click.Time, VoiceMessage.MetronomeTrack, 0, click.Beat,
                click.Accent ? SampleRegistry.AccentBuffer : SampleRegistry.ClickBuffer, MetronomeLevel, 0, null, -1);
        _message[1] = SkippedNotes;
        return TickMessage.Bytes(_message);
    }

    private void Playhead(Pattern pattern)
    {
        _playheadSent = true;
        _lastBpm = pattern.Bpm;
        _lastLength = pattern.Length;
        _lastLengths = pattern.Tracks.Select(t => t.Steps.Count).ToArray();
        TickMessage.Playhead(_message, _transport.Origin, pattern.StepSeconds, pattern.Length, _lastLengths);
    }

    private bool SameLengths(Pattern pattern)
    {
        if (_lastLengths.Length != pattern.Tracks.Count) return false;
        for (var i = 0; i < _lastLengths.Length; i++)
            if (_lastLengths[i] != pattern.Tracks[i].Steps.Count) return false;
        return true;
    }

    public void Dispose()
    {
        _store.PatternChanged -= OnPatternChanged;
        _samples.Loaded -= OnSampleLoaded;
    }
}
