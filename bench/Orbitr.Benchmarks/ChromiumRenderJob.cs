using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Dsp.Voice;

namespace Orbitr.Benchmarks;

/// <summary>The job `bench/web-render/wwwroot/render.js` renders in an OfflineAudioContext: the scheduler's notes of
/// N cycles with their distortion curves, filters and delays, the samples, track and master volumes.</summary>
public static class ChromiumRenderJob
{
    public static object Build(Pattern pattern, int cycles, int sampleRate, IReadOnlyDictionary<string, float[]> samples)
    {
        var curves = new List<float[]>();
        var curveIndex = new Dictionary<double, int>();
        var notes = Scheduler.EventsForCycles(pattern, cycles).Select(e =>
        {
            var amount = e.Effects?.Distortion?.Amount ?? 0;
            var curve = -1;
            if (amount > 0 && !curveIndex.TryGetValue(amount, out curve))
            {
                curve = curveIndex[amount] = curves.Count;
                curves.Add(DistortionCurve.Create(amount));
            }
            var f = e.Effects?.Filter;
            var d = e.Effects?.Delay;
            return new
            {
                time = e.Time, track = e.TrackIndex, sample = e.SampleKey, gain = e.Gain, pan = e.Pan, curve,
                filter = f is null ? null : new { type = f.Type.ToString().ToLowerInvariant(), frequency = f.Frequency, q = f.Q },
                delay = d is null ? null : new { time = d.Time, feedback = d.Feedback, mix = d.Mix },
            };
        }).ToList();
        return new
        {
            sampleRate,
            frames = (int)Math.Round(cycles * pattern.CycleSeconds * sampleRate),
            samples,
            curves,
            tracks = pattern.Tracks.Select(t => new { volume = t.Volume }).ToArray(),
            notes,
            masterVolume = pattern.Master.Volume,
        };
    }
}
