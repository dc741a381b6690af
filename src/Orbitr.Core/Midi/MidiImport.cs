using NAudio.Midi;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;

namespace Orbitr.Core.Midi;

/// <summary>How a MIDI file becomes steps: its name, whether every bar is a cycle of its own (a one-bar pattern, or a
/// song of one-bar sections), and an optional hard quantize to 1/Q notes (no micro-timing kept).</summary>
public sealed record MidiImportOptions(string Name = "Imported", bool CyclesFromBars = false, int? Quantize = null)
{
    public static readonly IReadOnlyList<int> Quantizes = [1, 2, 4, 8, 16];
}

/// <summary>What a MIDI file became: its distinct patterns and the sections that play them (one section of one
/// pattern for a file of up to 64 steps), what the import had to change (each a sentence for the user), and whether
/// it was Orbitr's own pattern, read back exactly.</summary>
public sealed record MidiImportResult(
    IReadOnlyList<Pattern> Patterns, IReadOnlyList<(int Pattern, int Repeat)> Sections, IReadOnlyList<string> Reports, bool Exact)
{
    public bool IsSong => Sections.Count > 1;

    /// <summary>The first section's pattern: the whole import when it is not a song.</summary>
    public Pattern Pattern => Patterns[Sections[0].Pattern];

    public IReadOnlyList<SongPart> Parts => Sections.Select(s => new SongPart(Patterns[s.Pattern], s.Repeat)).ToList();
}

/// <summary>A file that can't be imported; the message says why, for the user.</summary>
public sealed class MidiImportException(string message) : Exception(message);

/// <summary>A Standard MIDI File (type 0 or 1, any PPQ, tempo and time signature meta) as a pattern (issue 25): one
/// ring per distinct note (up to 8, the busiest), each GM drum note on its family's kit sound, notes on the 16th grid
/// with their offset kept as micro-timing within ±50 ms, velocities kept, the length from the file's bars; a file
/// longer than 64 steps, or whose tempo or time signature changes, becomes a song of patterns (a run of identical
/// ones one section with a repeat). A file Orbitr exported carries its pattern (<see cref="OrbitrMeta"/>): that is
/// read instead, exactly.</summary>
public static class MidiImport
{
    /// <summary>Largest file read: far above any drum part (a 64-bar file of 16ths on 8 notes is ~50 KB).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;
    /// <summary>Micro-timing kept: an offset beyond it moves the note to the nearest step (and is reported).</summary>
    public const double MaxOffsetMs = Step.MaxTiming;
    private const int DefaultTempo = 500_000;
    private const int MaxTotalSteps = Song.MaxSections * SongSection.MaxRepeat * Pattern.MaxLength;

    public static MidiImportResult Import(byte[] data, MidiImportOptions? options = null)
    {
        options ??= new MidiImportOptions();
        options = options with { Name = CleanName(options.Name) };
        if (options.Quantize is { } q && !MidiImportOptions.Quantizes.Contains(q))
            throw new MidiImportException($"--quantize takes 1, 2, 4, 8 or 16 (a step is a 16th), not {q}");
        if (data.Length > MaxBytes) throw new MidiImportException($"the file is {data.Length:N0} bytes; at most {MaxBytes:N0} are read");
        var file = Parse(data);
        var events = Enumerable.Range(0, file.Tracks).SelectMany(t => file.Events[t]).ToList();

        var reports = new List<string>();
        if (events.OfType<SequencerSpecificEvent>().FirstOrDefault(e => OrbitrMeta.IsOurs(e.Data)) is { } ours)
        {
            if (OrbitrMeta.TryDecode(ours.Data) is { } exact) return new([exact], [(0, 1)], [], Exact: true);
            if (OrbitrMeta.TryDecodeSong(ours.Data) is { Patterns.Count: > 0 } song)
            {
                // Orbitr's own song: its patterns (one each) and sections, exactly.
                var keys = song.Patterns.Items.Select(p => p.Key).ToList();
                return new(song.Patterns.Items.Select(p => p.Pattern).ToList(),
                    song.Sections.Items.Select(s => (keys.IndexOf(s.Pattern[Song.BundlePrefix.Length..]), s.Repeat)).ToList(), [], Exact: true);
            }
            reports.Add("the Orbitr pattern stored in the file is damaged: read from its notes instead");
        }
        return new Reader(file, events, options, reports).Read();
    }

    /// <summary>A pattern name from a file name: no control characters, at most 100 characters, never empty.</summary>
    public static string CleanName(string name)
    {
        var clean = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length > Pattern.MaxNameLength) clean = clean[..Pattern.MaxNameLength].TrimEnd();
        return clean.Length == 0 ? "Imported" : clean;
    }

    /// <summary>Walks the file's chunks and events before NAudio reads it: a meta or sysex event (or a chunk) that says
    /// it is longer than what is left of the file would make the reader allocate that much (up to 256 MB from a tiny
    /// file), so it is refused here. Only lengths are checked; NAudio still reads (and judges) everything else.</summary>
    internal static void CheckLengths(ReadOnlySpan<byte> data)
    {
        if (!data.StartsWith("MThd"u8)) return; // NAudio says what it is not
        var at = 0;
        while (at + 8 <= data.Length)
        {
            var length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data[(at + 4)..]);
            if (length > data.Length - at - 8) throw new MidiImportException($"not a Standard MIDI File (a chunk says it is {length:N0} bytes long, more than the file holds: truncated?)");
            var isTrack = data.Slice(at, 4).SequenceEqual("MTrk"u8);
            var end = at + 8 + (int)length;
            if (isTrack)
            {
                var i = at + 8;
                byte status = 0;
                while (i < end)
                {
                    if (!Vlq(data, ref i, end, out _)) break; // delta time
                    if (i >= end) break;
                    var b = data[i];
                    if (b >= 0x80) { status = b; i++; }
                    if (status is 0xFF)
                    {
                        if (i >= end) break;
                        i++; // meta type
                        if (!Vlq(data, ref i, end, out var n) || n > end - i) throw new MidiImportException($"a meta event says it is {n:N0} bytes long, more than its track holds");
                        i += (int)n;
                        status = 0;
                    }
                    else if (status is 0xF0 or 0xF7)
                    {
                        if (!Vlq(data, ref i, end, out var n) || n > end - i) throw new MidiImportException($"a system-exclusive event says it is {n:N0} bytes long, more than its track holds");
                        i += (int)n;
                        status = 0;
                    }
                    else if (status >= 0x80) i += status is >= 0xC0 and < 0xE0 ? 1 : 2;
                    else i++; // data without a status: NAudio reports it
                }
            }
            at = end;
        }
    }

    private static bool Vlq(ReadOnlySpan<byte> data, ref int i, int end, out long value)
    {
        value = 0;
        for (var k = 0; k < 4; k++)
        {
            if (i >= end) return false;
            var b = data[i++];
            value = (value << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    private static MidiFile Parse(byte[] data)
    {
        CheckLengths(data);
        MidiFile file;
        try
        {
            file = new MidiFile(new MemoryStream(data, writable: false), strictChecking: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // NAudio reports a broken file with whatever its reader hit (format, end of stream, a bad length).
            throw new MidiImportException($"not a Standard MIDI File ({e.Message.TrimEnd('.')})");
        }
        if (file.FileFormat == 2) throw new MidiImportException("a type-2 MIDI file (independent sequences) can't be imported: type 0 or 1 can");
        if (file.DeltaTicksPerQuarterNote is <= 0 or >= 0x8000)
            throw new MidiImportException("the file counts time in SMPTE frames; only ticks per quarter note can be imported");
        return file;
    }

    private readonly record struct Bar(long StartStep, int Steps, TimeSignature Signature, int Tempo);

    private readonly record struct Hit(long Step, int Note, int Velocity, double OffsetTicks);

    private sealed class Reader(MidiFile file, List<MidiEvent> events, MidiImportOptions options, List<string> reports)
    {
        private readonly double _ppq = file.DeltaTicksPerQuarterNote;
        private double StepTicks => _ppq / 4;

        public MidiImportResult Read()
        {
            var notes = Notes();
            var rings = Rings(notes);
            var tempos = Tempos();
            // Where the file ends: its last event, a note-off (which may ring past the bar line) apart.
            var lastOn = notes.Max(n => n.AbsoluteTime);
            var end = Math.Max(events.Where(e => e is not NoteEvent).Select(e => e.AbsoluteTime).DefaultIfEmpty(0).Max(), lastOn + 1);
            var bars = Bars(end, lastOn, tempos);
            var total = bars[^1].StartStep + bars[^1].Steps;
            var hits = Place(notes, rings, total);
            var chunks = Chunks(bars);
            return Build(chunks, hits, rings);
        }

        private List<NoteOnEvent> Notes()
        {
            var all = events.OfType<NoteOnEvent>().Where(n => n.CommandCode == MidiCommandCode.NoteOn && n.Velocity > 0).ToList();
            if (all.Count == 0) throw new MidiImportException("the file has no notes");
            var drums = all.Where(n => n.Channel == MidiExport.DrumChannel).ToList();
            if (drums.Count > 0)
            {
                if (drums.Count < all.Count) reports.Add($"{all.Count - drums.Count} note(s) on channels other than 10 (drums) were left out");
                return drums;
            }
            reports.Add("no notes are on channel 10 (drums): the notes of every channel were read as drums");
            return all;
        }

        /// <summary>The notes that get a ring, lowest first: all of them, or the 8 busiest.</summary>
        private List<int> Rings(List<NoteOnEvent> notes)
        {
            var counts = notes.GroupBy(n => n.NoteNumber).Select(g => (Note: g.Key, Count: g.Count()))
                .OrderByDescending(x => x.Count).ThenBy(x => x.Note).ToList();
            foreach (var (note, count) in counts.Skip(Pattern.MaxTracks))
                reports.Add($"{GeneralMidiDrums.Name(note)} (note {note}, {count} hit(s)) was left out: a pattern has at most {Pattern.MaxTracks} rings");
            var rings = counts.Take(Pattern.MaxTracks).Select(x => x.Note).Order().ToList();
            foreach (var note in rings.Where(n => !GeneralMidiDrums.IsExact(n)))
                reports.Add($"{GeneralMidiDrums.Name(note)} (note {note}) plays the kit's {GeneralMidiDrums.Sound(note).Label}");
            return rings;
        }

        private List<(long Tick, int Tempo)> Tempos()
        {
            var list = events.OfType<TempoEvent>().Where(t => t.MicrosecondsPerQuarterNote > 0)
                .Select(t => (t.AbsoluteTime, t.MicrosecondsPerQuarterNote)).OrderBy(t => t.AbsoluteTime).ToList();
            if (list.Count == 0 || list[0].AbsoluteTime > 0) list.Insert(0, (0, DefaultTempo));
            return list;
        }

        private static int TempoAt(List<(long Tick, int Tempo)> tempos, double tick)
        {
            var tempo = tempos[0].Tempo;
            foreach (var (t, value) in tempos)
            {
                if (t > tick) break;
                tempo = value;
            }
            return tempo;
        }

        /// <summary>The file's bars up to its end, each with the time signature and tempo in force where it starts (a
        /// tempo event within a bar's first step counts as at its start; a later one is followed from the next bar).</summary>
        private List<Bar> Bars(long end, long lastOn, List<(long Tick, int Tempo)> tempos)
        {
            var signatures = events.OfType<TimeSignatureEvent>().OrderBy(s => s.AbsoluteTime).ToList();
            var bars = new List<Bar>();
            var unsupported = new HashSet<string>();
            long step = 0;
            var signature = TimeSignature.Common;
            var next = 0;
            while (step * StepTicks < end)
            {
                for (; next < signatures.Count && signatures[next].AbsoluteTime <= (step + 0.5) * StepTicks; next++)
                    signature = Signature(signatures[next], unsupported);
                var steps = signature.StepsPerBar;
                // A time signature change inside a bar starts a new bar where it falls (on the step grid).
                if (next < signatures.Count)
                    steps = (int)Math.Clamp(Math.Round(signatures[next].AbsoluteTime / StepTicks) - step, 1, steps);
                bars.Add(new(step, steps, signature, TempoAt(tempos, (step + 0.5) * StepTicks)));
                step += steps;
                if (step > MaxTotalSteps) throw new MidiImportException($"the file is longer than a song holds ({MaxTotalSteps:N0} steps)");
            }
            // A track that ends a little past the last bar line (within a beat, and no note there) ends at that line.
            if (bars.Count > 1 && bars[^1].StartStep * StepTicks > lastOn && end - bars[^1].StartStep * StepTicks <= _ppq) bars.RemoveAt(bars.Count - 1);
            foreach (var s in unsupported) reports.Add($"the time signature {s} is not one Orbitr has: its bars were read as 4/4");
            var changes = tempos.Where((t, i) => i > 0 && t.Tempo != tempos[i - 1].Tempo);
            var moved = changes.Where(t => bars.All(b => Math.Abs(b.StartStep * StepTicks - t.Tick) > StepTicks / 2 + 1e-9)).Count();
            if (moved > 0) reports.Add($"{moved} tempo change(s) inside a bar now start at the next bar (a pattern has one tempo)");
            return bars;
        }

        private static TimeSignature Signature(TimeSignatureEvent e, HashSet<string> unsupported)
        {
            var denominator = e.Denominator is >= 0 and < 8 ? 1 << e.Denominator : 0;
            if (e.Numerator is >= TimeSignature.MinNumerator and <= TimeSignature.MaxNumerator && TimeSignature.Denominators.Contains(denominator))
                return new TimeSignature(e.Numerator, denominator);
            unsupported.Add($"{e.Numerator}/{(denominator > 0 ? denominator : $"2^{e.Denominator}")}");
            return TimeSignature.Common;
        }

        /// <summary>Each kept note on its step of the whole file (a note past the last step wraps to the first, as a
        /// loop plays it), with its offset from that step in ticks; on a step another note of the ring already has, the
        /// louder one stays.</summary>
        private Dictionary<(int Ring, long Step), Hit> Place(List<NoteOnEvent> notes, List<int> rings, long total)
        {
            var grid = options.Quantize is { } q ? 16 / q : 1;
            var hits = new Dictionary<(int, long), Hit>();
            var taken = 0;
            foreach (var n in notes.OrderBy(n => n.AbsoluteTime))
            {
                var ring = rings.IndexOf(n.NoteNumber);
                if (ring < 0) continue;
                var step = (long)Math.Round(n.AbsoluteTime / StepTicks / grid, MidpointRounding.AwayFromZero) * grid;
                var offset = n.AbsoluteTime - step * StepTicks;
                if (step >= total) step -= total;
                var hit = new Hit(step, n.NoteNumber, n.Velocity, options.Quantize is null ? offset : 0);
                if (hits.TryGetValue((ring, step), out var had))
                {
                    taken++;
                    if (had.Velocity >= hit.Velocity) continue;
                }
                hits[(ring, step)] = hit;
            }
            if (taken > 0) reports.Add($"{taken} note(s) fell on a step the same ring already had: the louder one was kept");
            return hits;
        }

        /// <summary>Bars grouped into patterns: a new one where the tempo or time signature changes, where 64 steps
        /// would be passed, and at every bar with <see cref="MidiImportOptions.CyclesFromBars"/>. A bar longer than
        /// 64 steps (16/2) is split.</summary>
        private List<(long Start, int Steps, TimeSignature Signature, int Tempo)> Chunks(List<Bar> bars)
        {
            var chunks = new List<(long Start, int Steps, TimeSignature Signature, int Tempo)>();
            foreach (var bar in bars)
            {
                for (var done = 0; done < bar.Steps;)
                {
                    var steps = Math.Min(bar.Steps - done, Pattern.MaxLength);
                    var last = chunks.Count > 0 ? chunks[^1] : default;
                    if (chunks.Count > 0 && !options.CyclesFromBars && done == 0 && last.Signature == bar.Signature && last.Tempo == bar.Tempo
                        && last.Steps + steps <= Pattern.MaxLength)
                        chunks[^1] = last with { Steps = last.Steps + steps };
                    else
                        chunks.Add((bar.StartStep + done, steps, bar.Signature, bar.Tempo));
                    done += steps;
                }
            }
            return chunks;
        }

        private MidiImportResult Build(List<(long Start, int Steps, TimeSignature Signature, int Tempo)> chunks,
            Dictionary<(int Ring, long Step), Hit> hits, List<int> rings)
        {
            var byStep = hits.ToLookup(h => h.Key.Step);
            var samples = rings.Select(n => GeneralMidiDrums.Sound(n).Name).Distinct()
                .Select(s => new SampleEntry(s, SampleRef.Builtin(s))).ToList();
            var names = RingNames(rings);
            var patterns = new List<Pattern>();
            var sections = new List<(int Pattern, int Repeat)>();
            var far = 0;
            var clamped = new SortedSet<double>();
            foreach (var chunk in chunks)
            {
                var bpm = Math.Round(60_000_000.0 / chunk.Tempo, 2);
                if (bpm is < Pattern.MinBpm or > Pattern.MaxBpm) clamped.Add(bpm);
                bpm = Math.Clamp(bpm, Pattern.MinBpm, Pattern.MaxBpm);
                var msPerTick = chunk.Tempo / 1000.0 / _ppq;
                var steps = new Step[rings.Count][];
                for (var r = 0; r < rings.Count; r++) steps[r] = Enumerable.Repeat(Step.Off, chunk.Steps).ToArray();
                for (var i = 0; i < chunk.Steps; i++)
                {
                    foreach (var (key, hit) in byStep[chunk.Start + i])
                    {
                        var timing = Math.Round(hit.OffsetTicks * msPerTick, 3);
                        if (Math.Abs(timing) > MaxOffsetMs)
                        {
                            far++;
                            timing = 0;
                        }
                        steps[key.Ring][i] = new Step(Active: true, Velocity: hit.Velocity, Timing: timing == 0 ? 0 : timing);
                    }
                }
                var tracks = rings.Select((note, r) => new Track(names[r], PatternFactory.DefaultColor(r), GeneralMidiDrums.Sound(note).Name,
                    Track.DefaultVolume, 0, false, false, chunk.Steps, new EquatableArray<Step>(steps[r]))).ToList();
                var pattern = new Pattern(options.Name, bpm, 0, chunk.Steps, chunk.Signature, 1, MasterSettings.Default,
                    new EquatableArray<SampleEntry>(samples), new EquatableArray<Track>(tracks));
                var index = patterns.IndexOf(pattern);
                if (index < 0)
                {
                    patterns.Add(pattern);
                    index = patterns.Count - 1;
                }
                if (sections.Count > 0 && sections[^1].Pattern == index && sections[^1].Repeat < SongSection.MaxRepeat)
                    sections[^1] = (index, sections[^1].Repeat + 1);
                else
                    sections.Add((index, 1));
            }
            if (far > 0) reports.Add($"{far} note(s) more than {MaxOffsetMs} ms off the 16th grid were put on the nearest step");
            foreach (var bpm in clamped) reports.Add($"the tempo {bpm} BPM is outside {Pattern.MinBpm}–{Pattern.MaxBpm}: it plays at {Math.Clamp(bpm, Pattern.MinBpm, Pattern.MaxBpm)}");
            if (sections.Count > Song.MaxSections)
                throw new MidiImportException($"the file makes {sections.Count} sections; a song holds at most {Song.MaxSections}");
            if (patterns.Count > 1)
            {
                var width = patterns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
                var stem = options.Name.Length > Pattern.MaxNameLength - width - 1 ? options.Name[..(Pattern.MaxNameLength - width - 1)] : options.Name;
                for (var i = 0; i < patterns.Count; i++)
                    patterns[i] = patterns[i] with { Name = $"{stem} {(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0')}" };
            }
            return new MidiImportResult(patterns, sections, reports, Exact: false);
        }

        /// <summary>Ring names: the kit sound's label, with the note when two rings play the same sound.</summary>
        private static List<string> RingNames(List<int> rings)
        {
            var labels = rings.Select(n => GeneralMidiDrums.Sound(n).Label).ToList();
            return labels.Select((l, i) => labels.Count(x => x == l) > 1 ? $"{l} {rings[i]}" : l).ToList();
        }
    }
}
