using System.Text.Json;
using Microsoft.Playwright;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.EndToEnd.Tests;

/// <summary>A voice the app started on the live AudioContext, as tests/Shared/orbitr-instrument.js recorded it:
/// its start time, the audio clock and performance.now() when start() was called, the bus it feeds (−1: the master,
/// i.e. a metronome click), its buffer's length, its velocity gain, and whether it was stopped before it started.</summary>
public sealed record Voice(double Time, double At, double Perf, int? Track, int Frames, double Gain, double? StopAt, bool Cancelled)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static async Task<List<Voice>> ReadAsync(IPage page) =>
        JsonSerializer.Deserialize<List<Voice>>(await page.EvaluateAsync<string>("() => JSON.stringify(globalThis.__orbitrScheduled)"), s_json)!;

    /// <summary>The audio-clock time the last stop() call was made at (Stop pressed, or an edit's cancellations).</summary>
    public static Task<double> LastStopAsync(IPage page) => page.EvaluateAsync<double>("() => globalThis.__orbitrLastStopAt");

    /// <summary>Matches the voices that sounded (not cancelled, on a track) to the scheduler's notes up to
    /// <paramref name="untilClock"/> (audio clock): the pattern's origin is the first voice's time less the first
    /// note's. Returns the origin, the matched pairs, the notes without a voice and the voices without a note.</summary>
    public static (double Origin, List<(Voice Voice, NoteEvent Note)> Matched, List<NoteEvent> Missing, List<Voice> Extra) Match(
        Pattern pattern, IReadOnlyList<Voice> voices, double untilClock)
    {
        var sounded = voices.Where(v => !v.Cancelled && v.Track >= 0).OrderBy(v => v.Time).ToList();
        Assert.NotEmpty(sounded);
        var first = Scheduler.EventsBetween(pattern, 0, pattern.CycleSeconds)[0];
        var origin = sounded[0].Time - first.Time;
        var expected = Scheduler.EventsBetween(pattern, 0, untilClock - origin);
        var pool = sounded.ToList();
        var matched = new List<(Voice, NoteEvent)>();
        var missing = new List<NoteEvent>();
        foreach (var e in expected)
        {
            var i = pool.FindIndex(v => v.Track == e.TrackIndex && Math.Abs(v.Time - (origin + e.Time)) < 1e-9);
            // Stop cancels voices in a loop while the audio clock runs on: a note due between the loop's first and
            // last stop() (the last is untilClock) was cancelled before it started, rightly. It is not missing.
            if (i < 0 && voices.Any(v => v.Cancelled && v.Track == e.TrackIndex && Math.Abs(v.Time - (origin + e.Time)) < 1e-9
                                         && v.StopAt >= untilClock - 0.25)) continue;
            if (i < 0) missing.Add(e);
            else
            {
                matched.Add((pool[i], e));
                pool.RemoveAt(i);
            }
        }
        return (origin, matched, missing, pool);
    }
}
