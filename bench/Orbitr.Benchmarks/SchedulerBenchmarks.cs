using BenchmarkDotNet.Attributes;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Benchmarks;

/// <summary>Scheduler events for 8 tracks × 64 steps, all on, over 10 minutes of music: once for the whole span
/// (the renderer's call) and as the browser asks, in 25 ms ticks with a 100 ms look-ahead.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class SchedulerBenchmarks
{
    private Pattern _pattern = null!;
    private readonly List<NoteEvent> _window = new(1024);

    [GlobalSetup]
    public void Setup() => _pattern = BenchPatterns.Busy(64, effects: false);

    [Benchmark]
    public int WholeSpan() => Scheduler.EventsBetween(_pattern, 0, 600).Count;

    [Benchmark]
    public int LookAheadTicks()
    {
        // Each tick asks for [scheduledUntil, now + 100 ms): adjacent windows, 24,000 ticks in 10 minutes.
        var count = 0;
        var until = 0.0;
        for (var now = 0.0; now < 600; now += 0.025)
        {
            _window.Clear();
            Scheduler.AddEventsBetween(_pattern, until, now + 0.1, _window);
            until = now + 0.1;
            count += _window.Count;
        }
        return count;
    }
}
