using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Web.Audio;

/// <summary>The look-ahead transport: maps the audio clock to pattern time and, on each worker tick, asks the
/// <see cref="Scheduler"/> for the notes of the next window. It never sees audio nodes (the clock is apart
/// from what it schedules), so tests drive it with a fake clock.</summary>
public sealed class Transport
{
    /// <summary>How far ahead of the audio clock notes are handed to Web Audio.</summary>
    public const double LookAheadSeconds = 0.1;

    /// <summary>Delay between the first tick and the first note, so the first window's notes reach Web Audio before
    /// they are due even when that first round trip is slow.</summary>
    public const double StartDelaySeconds = 0.08;

    private double _bpm;
    private bool _anchored;

    public bool Playing { get; private set; }

    /// <summary>Audio-clock time of the pattern's start (pattern time 0).</summary>
    public double Origin { get; private set; }

    /// <summary>Pattern time up to which notes have been handed out.</summary>
    public double ScheduledUntil { get; private set; }

    /// <summary>Starts playing; the pattern's start is anchored to the first tick's clock (see <see cref="StartDelaySeconds"/>).</summary>
    public void Start(Pattern pattern)
    {
        ScheduledUntil = 0;
        _bpm = pattern.Bpm;
        _anchored = false;
        Playing = true;
    }

    public void Stop() => Playing = false;

    /// <summary>Adds the notes (and metronome clicks) that start in [ScheduledUntil, now − Origin + look-ahead).
    /// A tempo change since the last tick re-anchors the clock so the loop keeps its position.</summary>
    public void Tick(double now, Pattern pattern, List<NoteEvent> notes, List<Click>? clicks = null)
    {
        if (!Playing) return;
        if (!_anchored)
        {
            Origin = now + StartDelaySeconds;
            _anchored = true;
        }
        if (pattern.Bpm != _bpm) Retime(now, pattern.Bpm);
        var to = now - Origin + LookAheadSeconds;
        if (!(to > ScheduledUntil)) return;
        Scheduler.AddEventsBetween(pattern, ScheduledUntil, to, notes);
        if (clicks is not null) Metronome.AddClicksBetween(pattern, ScheduledUntil, to, clicks);
        ScheduledUntil = to;
    }

    /// <summary>Pattern position (in sixteenth steps, unswung) at audio-clock time <paramref name="now"/>.</summary>
    public double PositionInSteps(double now, Pattern pattern) => (now - Origin) / pattern.StepSeconds;

    // Same step position before and after: pattern time scales by oldBpm/newBpm around "now".
    private void Retime(double now, double newBpm)
    {
        var scale = _bpm / newBpm;
        var elapsed = now - Origin;
        Origin = now - elapsed * scale;
        ScheduledUntil *= scale;
        _bpm = newBpm;
    }
}
