using NAudio.Midi;
using Orbitr.Core.Kit;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Core.Midi;

/// <summary>Type-1 Standard MIDI File of a pattern: a conductor track (tempo, time signature), then one track per
/// ring ("ring - sound") with its notes on channel 10 at the times the scheduler plays them (swing, micro-timing,
/// polymeter, mute/solo and probability included). Every track ends at exactly N cycles: a note sounding past that
/// is cut there. Ticks come from the tempo as written (whole µs per quarter), so a player's clock never drifts
/// from the pattern's.</summary>
public static class MidiExport
{
    public const int TicksPerQuarter = 960;
    public const int DrumChannel = 10;
    /// <summary>The largest delta time a variable-length quantity holds (28 bits); longer gaps get an empty text event.</summary>
    public const long MaxDelta = 0x0FFFFFFF;
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
        var tempo = MicrosecondsPerQuarter(pattern.Bpm);
        var events = new MidiEventCollection(1, TicksPerQuarter);
        var conductor = events.AddTrack();
        conductor.Add(new TextEvent(pattern.Name, MetaEventType.SequenceTrackName, 0));
        conductor.Add(new TempoEvent(tempo, 0));
        conductor.Add(new TimeSignatureEvent(0, pattern.TimeSignature.Numerator, (int)Math.Log2(pattern.TimeSignature.Denominator), 24, 8));

        var notes = Scheduler.EventsForCycles(pattern, cycles);
        var map = NoteMap(pattern);
        var end = Ticks(cycles * pattern.CycleSeconds, tempo);
        for (var t = 0; t < pattern.Tracks.Count; t++)
        {
            var track = events.AddTrack();
            track.Add(new TextEvent(TrackName(pattern, t), MetaEventType.SequenceTrackName, 0));
            var mine = notes.Where(n => n.TrackIndex == t).ToList();
            for (var i = 0; i < mine.Count; i++)
            {
                var e = mine[i];
                var velocity = pattern.Tracks[t].Steps[e.StepIndex].Velocity;
                if (velocity == 0) continue; // a note-on with velocity 0 would be a note-off
                var note = map[(t, e.SampleKey)];
                // A late last step (swing + micro-timing at a fast tempo) may start after the span: it is still one of
                // the N cycles' notes, so it stays, on the last tick.
                var start = Math.Min(Ticks(e.Time, tempo), end - 1);
                // A sixteenth long, shorter when the same note sounds again sooner, and never past the end.
                var length = Math.Min(SixteenthTicks, end - start);
                for (var j = i + 1; j < mine.Count; j++)
                {
                    if (map[(t, mine[j].SampleKey)] != note) continue;
                    length = Math.Min(length, Math.Max(1, Ticks(mine[j].Time, tempo) - start));
                    break;
                }
                var on = new NoteOnEvent(start, DrumChannel, note, velocity, (int)length);
                track.Add(on);
                track.Add(on.OffEvent!);
            }
        }
        for (var t = 0; t < events.Tracks; t++) Finish(events.GetTrackEvents(t), end);
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

    /// <summary>Ends a track at <paramref name="end"/>, with an empty text event wherever two events would be more than
    /// <see cref="MaxDelta"/> ticks apart (about 69,900 cycles of 16 steps of silence), which no delta time can say.</summary>
    private static void Finish(IList<MidiEvent> track, long end)
    {
        var times = track.Select(e => e.AbsoluteTime).Append(end).Order().ToList();
        var previous = 0L;
        foreach (var time in times)
        {
            for (; time - previous > MaxDelta; previous += MaxDelta)
                track.Add(new TextEvent("", MetaEventType.TextEvent, previous + MaxDelta));
            previous = time;
        }
        track.Add(new MetaEvent(MetaEventType.EndTrack, 0, end));
    }

    /// <summary>The tempo event's value: 60,000,000 / BPM rounded to whole microseconds per quarter.</summary>
    public static int MicrosecondsPerQuarter(double bpm) => (int)Math.Round(60_000_000 / bpm);

    /// <summary>Seconds to ticks at 960 PPQ and the written tempo: round(t × 10⁶ / µs-per-quarter × 960).</summary>
    public static long Ticks(double seconds, int microsecondsPerQuarter) =>
        (long)Math.Round(seconds * 1_000_000 * TicksPerQuarter / microsecondsPerQuarter, MidpointRounding.AwayFromZero);

    /// <summary>"O - Kick": the ring's name and its sound (the kit sound's label, else the sample's key).</summary>
    public static string TrackName(Pattern pattern, int trackIndex)
    {
        var track = pattern.Tracks[trackIndex];
        return track.Sample is { } key ? $"{track.Name} - {SoundName(pattern, key)}" : track.Name;
    }

    private static string SoundName(Pattern pattern, string key) =>
        pattern.FindSample(key) is { Kind: SampleSourceKind.Builtin } s && BuiltinSounds.Find(s.Value) is { } b ? b.Label : key;

    /// <summary>The note of every (track, sample) a step can play: a kit sound's General MIDI drum note; anything else
    /// a note of its own, distinct from every other track's notes (lowest free from 36 up, then below).</summary>
    public static IReadOnlyDictionary<(int Track, string Sample), int> NoteMap(Pattern pattern)
    {
        var map = new Dictionary<(int, string), int>();
        var others = new List<(int, string)>();
        for (var t = 0; t < pattern.Tracks.Count; t++)
        {
            var track = pattern.Tracks[t];
            foreach (var key in new[] { track.Sample }.Concat(track.Steps.Select(s => s.Sample)))
            {
                if (key is null || map.ContainsKey((t, key)) || others.Contains((t, key))) continue;
                if (GeneralMidiNote(pattern, key) is { } gm) map[(t, key)] = gm;
                else others.Add((t, key));
            }
        }
        var used = new HashSet<int>(map.Values);
        var candidates = Enumerable.Range(36, 128 - 36).Concat(Enumerable.Range(0, 36).Reverse()).ToList();
        foreach (var other in others)
        {
            // 128 notes run out only with more than ~100 different non-kit sounds; then the last note is shared.
            var note = candidates.FirstOrDefault(n => !used.Contains(n), 127);
            used.Add(note);
            map[other] = note;
        }
        return map;
    }

    private static int? GeneralMidiNote(Pattern pattern, string sampleKey) =>
        pattern.FindSample(sampleKey) is { Kind: SampleSourceKind.Builtin } sample ? BuiltinSounds.Find(sample.Value)?.MidiDrumNote : null;
}
