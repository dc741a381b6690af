using NAudio.Midi;
using Orbitr.Core.Kit;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Core.Midi;

/// <summary>Type-1 Standard MIDI File of a pattern: a conductor track (tempo, time signature), then one track per
/// ring ("ring - sound") with its notes on channel 10 at the times the scheduler plays them (swing, micro-timing,
/// polymeter, mute/solo and probability included). Every track ends at exactly N cycles: a note sounding past that
/// is cut there. Ticks come from the tempo as written (whole µs per quarter), so a player's clock never drifts
/// from the pattern's. Every ratchet hit is a note. On a pitched ring (its sound has no General MIDI drum note: the
/// bass, an upload, a generated sound) a step's pitch moves its note by round(pitch) semitones; drum notes stay.
/// A gated step's note lasts its gate (or less, as any note). The conductor track also carries the pattern itself
/// (<see cref="OrbitrMeta"/>), so Orbitr imports its own files back exactly.</summary>
public static class MidiExport
{
    public const int TicksPerQuarter = 960;
    public const int DrumChannel = 10;
    /// <summary>The largest delta time a variable-length quantity holds (28 bits); longer gaps get an empty text event.</summary>
    public const long MaxDelta = 0x0FFFFFFF;
    private const int SixteenthTicks = TicksPerQuarter / 4;

    public static byte[] ToBytes(Pattern pattern, int cycles, bool fill = false)
    {
        using var ms = new MemoryStream();
        Write(pattern, cycles, ms, fill);
        return ms.ToArray();
    }

    public static void Write(Pattern pattern, int cycles, Stream output, bool fill = false) => Write(pattern, cycles, output, fill, onlyRing: null);

    /// <summary>One file per ring (issue 25, for DAWs that import a drum part per track): the conductor track and ring
    /// <paramref name="ring"/>'s track, its notes as in the whole file's (same note numbers). It carries no Orbitr
    /// pattern: it is one ring of it.</summary>
    public static byte[] RingToBytes(Pattern pattern, int cycles, int ring, bool fill = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ring);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ring, pattern.Tracks.Count);
        using var ms = new MemoryStream();
        Write(pattern, cycles, ms, fill, ring);
        return ms.ToArray();
    }

    /// <summary>The per-ring files' names: <c>NN Ring name (sound).mid</c>, with characters a file name can't hold replaced.</summary>
    public static string RingFileName(Pattern pattern, int ring)
    {
        var track = pattern.Tracks[ring];
        var name = track.Sample is { } key ? $"{ring + 1:00} {track.Name} ({SoundName(pattern, key)}).mid" : $"{ring + 1:00} {track.Name}.mid";
        return new string(name.Select(c => c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(c) ? '_' : c).ToArray());
    }

    private static void Write(Pattern pattern, int cycles, Stream output, bool fill, int? onlyRing)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cycles, 1);
        var tempo = MicrosecondsPerQuarter(pattern.Bpm);
        var events = new MidiEventCollection(1, TicksPerQuarter);
        var conductor = events.AddTrack();
        conductor.Add(new TextEvent(pattern.Name, MetaEventType.SequenceTrackName, 0));
        conductor.Add(new TempoEvent(tempo, 0));
        conductor.Add(new TimeSignatureEvent(0, pattern.TimeSignature.Numerator, (int)Math.Log2(pattern.TimeSignature.Denominator), 24, 8));
        if (onlyRing is null) conductor.Add(new SequencerSpecificEvent(OrbitrMeta.Encode(pattern), 0));

        var notes = Scheduler.EventsForCycles(pattern, cycles, fill);
        var map = NoteMap(pattern);
        var end = Ticks(cycles * pattern.CycleSeconds, tempo);
        for (var t = 0; t < pattern.Tracks.Count; t++)
        {
            if (onlyRing is { } only && t != only) continue;
            var track = events.AddTrack();
            track.Add(new TextEvent(TrackName(pattern, t), MetaEventType.SequenceTrackName, 0));
            var mine = new List<RingNote>();
            foreach (var e in notes)
            {
                if (e.TrackIndex != t) continue;
                var velocity = pattern.Tracks[t].Steps[e.StepIndex].Velocity;
                // A late last step (swing + micro-timing at a fast tempo) may start after the span: it is still one of
                // the N cycles' notes, so it stays, on the last tick.
                mine.Add(new(Math.Min(Ticks(e.Time, tempo), end - 1), NoteOf(pattern, map, e), velocity, GateTicks(e, tempo)));
            }
            AddNotes(track, mine, end);
        }
        for (var t = 0; t < events.Tracks; t++) Finish(events.GetTrackEvents(t), end);
        Export(events, output);
    }

    /// <summary>A song as one type-1 file (issue 25): a tempo (and time signature) event where each section starts,
    /// section k starting at tick K_k = Σ_{j&lt;k} ticks(repeat_j × cycle seconds_j at tempo_j), its notes at
    /// K_k + ticks(t at tempo_k); ring r of every section on track r (named by the first section that has it). Notes
    /// are as in a pattern's file; every track ends at the song's end.</summary>
    public static void WriteSong(IReadOnlyList<Songs.SongPart> parts, string name, Stream output, bool fill = false)
    {
        if (parts.Count == 0) throw new ArgumentException("a song has at least one section", nameof(parts));
        var events = new MidiEventCollection(1, TicksPerQuarter);
        var conductor = events.AddTrack();
        conductor.Add(new TextEvent(name, MetaEventType.SequenceTrackName, 0));
        conductor.Add(new SequencerSpecificEvent(OrbitrMeta.EncodeSong(Bundle(parts, name)), 0));
        var starts = Songs.SongTimeline.Starts(parts);
        var tempos = parts.Select(x => MicrosecondsPerQuarter(x.Pattern.Bpm)).ToArray();
        var startTicks = new long[parts.Count + 1];
        for (var k = 0; k < parts.Count; k++)
        {
            startTicks[k + 1] = startTicks[k] + Ticks(Songs.SongTimeline.SectionSeconds(parts[k]), tempos[k]);
            var sig = parts[k].Pattern.TimeSignature;
            if (k == 0 || tempos[k] != tempos[k - 1]) conductor.Add(new TempoEvent(tempos[k], startTicks[k]));
            if (k == 0 || sig != parts[k - 1].Pattern.TimeSignature)
                conductor.Add(new TimeSignatureEvent(startTicks[k], sig.Numerator, (int)Math.Log2(sig.Denominator), 24, 8));
        }
        var end = startTicks[^1];
        var maps = parts.Select(x => NoteMap(x.Pattern)).ToArray();
        var rings = parts.Max(x => x.Pattern.Tracks.Count);
        var perRing = Enumerable.Range(0, rings).Select(_ => new List<RingNote>()).ToArray();
        foreach (var (k, e) in Songs.SongTimeline.Notes(parts, fill))
        {
            var pattern = parts[k].Pattern;
            var velocity = pattern.Tracks[e.TrackIndex].Steps[e.StepIndex].Velocity;
            var start = Math.Min(startTicks[k] + Ticks(e.Time - starts[k], tempos[k]), end - 1);
            perRing[e.TrackIndex].Add(new(start, NoteOf(pattern, maps[k], e), velocity, GateTicks(e, tempos[k])));
        }
        for (var t = 0; t < rings; t++)
        {
            var track = events.AddTrack();
            var named = parts.First(x => x.Pattern.Tracks.Count > t).Pattern;
            track.Add(new TextEvent(TrackName(named, t), MetaEventType.SequenceTrackName, 0));
            AddNotes(track, [.. perRing[t].OrderBy(n => n.Start)], end);
        }
        for (var t = 0; t < events.Tracks; t++) Finish(events.GetTrackEvents(t), end);
        Export(events, output);
    }

    /// <summary>The song as a bundle: each distinct pattern once (keys 1, 2, … in order of first use).</summary>
    public static Songs.Song Bundle(IReadOnlyList<Songs.SongPart> parts, string name)
    {
        var patterns = new List<Pattern>();
        var sections = new List<Songs.SongSection>();
        foreach (var part in parts)
        {
            var index = patterns.IndexOf(part.Pattern);
            if (index < 0) patterns.Add(part.Pattern);
            sections.Add(new($"{Songs.Song.BundlePrefix}{(index < 0 ? patterns.Count : index + 1)}", part.Repeat));
        }
        var clean = name.Length > Songs.Song.MaxNameLength ? name[..Songs.Song.MaxNameLength] : name;
        return new Songs.Song(clean, new EquatableArray<Songs.SongSection>(sections))
        {
            Patterns = new EquatableArray<Songs.SongPattern>(patterns.Select((p, i) => new Songs.SongPattern($"{i + 1}", p))),
        };
    }

    private readonly record struct RingNote(long Start, int Note, int Velocity, long? Gate);

    private static long? GateTicks(Scheduling.NoteEvent e, int tempo) => e.Step?.Gate is { } g ? Math.Max(1, Ticks(g, tempo)) : null;

    /// <summary>A ring's notes (in start order) onto its track: a sixteenth long (or the gate), shorter when the same
    /// note sounds again sooner, and never past the end.</summary>
    private static void AddNotes(IList<MidiEvent> track, List<RingNote> notes, long end)
    {
        for (var i = 0; i < notes.Count; i++)
        {
            var (start, note, velocity, gate) = notes[i];
            if (velocity == 0) continue; // a note-on with velocity 0 would be a note-off (it still ends the one before)
            var length = Math.Min(gate ?? SixteenthTicks, end - start);
            for (var j = i + 1; j < notes.Count; j++)
            {
                if (notes[j].Note != note) continue;
                length = Math.Min(length, Math.Max(1, notes[j].Start - start));
                break;
            }
            var on = new NoteOnEvent(start, DrumChannel, note, velocity, (int)length);
            track.Add(on);
            track.Add(on.OffEvent!);
        }
    }

    // NAudio seeks back to patch each track's length: through memory, so callers can hand us any stream.
    private static void Export(MidiEventCollection events, Stream output)
    {
        events.PrepareForExport();
        using var buffer = new MemoryStream();
        MidiFile.Export(buffer, events);
        buffer.Position = 0;
        buffer.CopyTo(output);
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

    /// <summary>A note's MIDI note number: the (track, sample)'s, moved by the step's rounded pitch on a pitched ring.</summary>
    private static int NoteOf(Pattern pattern, IReadOnlyDictionary<(int Track, string Sample), int> map, Scheduling.NoteEvent e)
    {
        var note = map[(e.TrackIndex, e.SampleKey)];
        if (e.Step is not { Pitch: not 0 } step || GeneralMidiNote(pattern, e.SampleKey) is not null) return note;
        return Math.Clamp(note + (int)Math.Round(step.Pitch, MidpointRounding.AwayFromZero), 0, 127);
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
