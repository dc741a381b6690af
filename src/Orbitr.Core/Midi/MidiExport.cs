using NAudio.Midi;
using Orbitr.Core.Kit;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Core.Midi;

/// <summary>Type-1 Standard MIDI File of a pattern: a conductor track (tempo, time signature), then one track per
/// ring with its notes on channel 10 at the times the scheduler plays them (swing, micro-timing, polymeter,
/// mute/solo and probability included).</summary>
public static class MidiExport
{
    public const int TicksPerQuarter = 960;
    public const int DrumChannel = 10;
    private const int SixteenthTicks = TicksPerQuarter / 4;

    public static byte[] ToBytes(Pattern pattern, int cycles)
    {
        using var ms = new MemoryStream();
        Write(pattern, cycles, ms);
        return ms.ToArray();
    }

    public static void Write(Pattern pattern, int cycles, Stream output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cycles, 1);
        var events = new MidiEventCollection(1, TicksPerQuarter);
        var conductor = events.AddTrack();
        conductor.Add(new TextEvent(pattern.Name, MetaEventType.SequenceTrackName, 0));
        conductor.Add(new TempoEvent((int)Math.Round(60_000_000 / pattern.Bpm), 0));
        conductor.Add(new TimeSignatureEvent(0, pattern.TimeSignature.Numerator, (int)Math.Log2(pattern.TimeSignature.Denominator), 24, 8));

        var notes = Scheduler.EventsForCycles(pattern, cycles);
        var end = Ticks(cycles * pattern.CycleSeconds, pattern.Bpm);
        for (var t = 0; t < pattern.Tracks.Count; t++)
        {
            var track = events.AddTrack();
            track.Add(new TextEvent(pattern.Tracks[t].Name, MetaEventType.SequenceTrackName, 0));
            var mine = notes.Where(n => n.TrackIndex == t).ToList();
            for (var i = 0; i < mine.Count; i++)
            {
                var e = mine[i];
                var velocity = pattern.Tracks[t].Steps[e.StepIndex].Velocity;
                if (velocity == 0) continue; // a note-on with velocity 0 would be a note-off
                var note = NoteNumber(pattern, e.SampleKey, t);
                var start = Ticks(e.Time, pattern.Bpm);
                // A sixteenth long, or shorter when the same note sounds again sooner.
                var length = (long)SixteenthTicks;
                for (var j = i + 1; j < mine.Count; j++)
                {
                    if (NoteNumber(pattern, mine[j].SampleKey, t) != note) continue;
                    length = Math.Min(length, Math.Max(1, Ticks(mine[j].Time, pattern.Bpm) - start));
                    break;
                }
                var on = new NoteOnEvent(start, DrumChannel, note, velocity, (int)length);
                track.Add(on);
                track.Add(on.OffEvent!);
            }
        }
        foreach (var list in Enumerable.Range(0, events.Tracks).Select(events.GetTrackEvents))
        {
            var last = list.Count == 0 ? 0 : list.Max(e => e.AbsoluteTime);
            list.Add(new MetaEvent(MetaEventType.EndTrack, 0, Math.Max(last, end)));
        }
        events.PrepareForExport();
        // NAudio writes to a path; go through a temporary file so callers can hand us any stream.
        var temp = Path.GetTempFileName();
        try
        {
            MidiFile.Export(temp, events);
            using var file = File.OpenRead(temp);
            file.CopyTo(output);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Seconds to ticks at 960 PPQ: round(t × bpm/60 × 960).</summary>
    public static long Ticks(double seconds, double bpm) => (long)Math.Round(seconds * bpm / 60 * TicksPerQuarter, MidpointRounding.AwayFromZero);

    /// <summary>The General MIDI drum note of a built-in sound, or 36 + track index for anything else.</summary>
    public static int NoteNumber(Pattern pattern, string sampleKey, int trackIndex)
    {
        var sample = pattern.FindSample(sampleKey);
        if (sample is { Kind: SampleSourceKind.Builtin } && BuiltinSounds.Find(sample.Value)?.MidiDrumNote is { } gm) return gm;
        return Math.Min(127, 36 + trackIndex);
    }
}
