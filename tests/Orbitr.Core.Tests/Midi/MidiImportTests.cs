using System.IO.Compression;
using FsCheck;
using FsCheck.Fluent;
using Orbitr.Core.Json;
using Orbitr.Core.Midi;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Core.Songs;

namespace Orbitr.Core.Tests.Midi;

/// <summary><c>orbitr import-midi</c> (issue 25) on hand-made Standard MIDI Files of type 0 and 1, odd PPQs and tempo
/// changes, and Orbitr's own exports read back exactly.</summary>
public class MidiImportTests
{
    private static Step At(Pattern p, int ring, int step) => p.Tracks[ring].Steps[step];

    private static double MsPerTick(double bpm, int ppq) => 60_000.0 / bpm / ppq;

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Every_pattern_Orbitr_exports_imports_back_exactly() =>
        Prop.ForAll(RandomPatterns.Valid, Gen.Choose(1, 4).ToArbitrary(), (p, cycles) =>
        {
            var result = MidiImport.Import(MidiExport.ToBytes(p, cycles));
            return result.Exact && !result.IsSong && result.Pattern == p && result.Reports.Count == 0;
        });

    [Fact]
    public void At_swing_100_a_swung_note_halfway_between_steps_comes_back_on_its_own_step()
    {
        var p = PatternFactory.Create(4, seed: 1) with { Swing = 100 };
        for (var s = 0; s < 16; s++) p = Editing.PatternEditor.SetStepActive(p, 2, s, true);
        p = Editing.PatternEditor.UpdateStep(p, 2, 3, s => s with { Timing = 50, Velocity = 9 });
        var back = MidiImport.Import(MidiExport.ToBytes(p, 1));
        Assert.True(back.Exact);
        Assert.Equal(PatternJson.Write(p), PatternJson.Write(back.Pattern));
    }

    [Fact]
    public void A_type_0_file_at_96_ppq_keeps_steps_velocities_and_a_late_hat_as_micro_timing()
    {
        var smf = new Smf(0, 96).Track(t =>
        {
            t.Tempo(0, 100).TimeSignature(0, 4, 4).Name("Beat");
            for (var beat = 0; beat < 8; beat++) t.Note(beat * 96, 36, 100 + beat);
            for (var e = 0; e < 16; e++) t.Note(e * 48 + (e == 3 ? 2 : 0), 42, 80);
            t.End(8 * 96);
        });
        var result = MidiImport.Import(smf.ToBytes(), new MidiImportOptions("beat"));
        var p = result.Pattern;
        Assert.False(result.IsSong);
        Assert.Equal("beat", p.Name);
        Assert.Equal(100, p.Bpm);
        Assert.Equal(32, p.Length);
        Assert.Equal(new[] { "Kick", "Closed hat" }, p.Tracks.Select(t => t.Name));
        Assert.Equal(new[] { "kick", "closed-hat" }, p.Tracks.Select(t => t.Sample));
        for (var s = 0; s < 32; s++)
        {
            Assert.Equal(s % 4 == 0, At(p, 0, s).Active);
            Assert.Equal(s % 2 == 0, At(p, 1, s).Active);
        }
        Assert.Equal(107, At(p, 0, 28).Velocity);
        Assert.Equal(2 * MsPerTick(100, 96), At(p, 1, 6).Timing, 9); // 12.5 ms
        Assert.Equal(0, At(p, 1, 8).Timing);
        Assert.Empty(result.Reports);
    }

    [Theory]
    [InlineData(95)]
    [InlineData(480)]
    [InlineData(1001)]
    public void A_type_1_file_with_a_conductor_track_and_an_odd_ppq_lands_every_note_on_its_step(int ppq)
    {
        double Tick(double step) => step * ppq / 4.0;
        var smf = new Smf(1, ppq)
            .Track(t => t.Tempo(0, 132).TimeSignature(0, 7, 8))
            .Track(t =>
            {
                for (var s = 0; s < 14; s += 2) t.Note((long)Math.Round(Tick(s)), 38, 90, length: ppq / 8);
            })
            .Track(t => t.Note((long)Math.Round(Tick(5)), 39, 127).Note((long)Math.Round(Tick(13)) + 1, 39, 1));
        var result = MidiImport.Import(smf.ToBytes());
        var p = result.Pattern;
        Assert.Equal(new TimeSignature(7, 8), p.TimeSignature);
        Assert.Equal(14, p.Length);
        Assert.Equal(132, p.Bpm);
        Assert.Equal(new[] { 0, 2, 4, 6, 8, 10, 12 }, p.Tracks[0].Steps.Items.Select((s, i) => (s, i)).Where(x => x.s.Active).Select(x => x.i));
        Assert.Equal(new[] { 5, 13 }, p.Tracks[1].Steps.Items.Select((s, i) => (s, i)).Where(x => x.s.Active).Select(x => x.i));
        Assert.Equal(127, At(p, 1, 5).Velocity);
        Assert.Equal(1, At(p, 1, 13).Velocity);
        // Rounding the tick to a whole one at an odd PPQ is the only offset, and it is kept.
        var late = (Math.Round(Tick(13)) + 1 - Tick(13)) * MsPerTick(132, ppq);
        Assert.InRange(At(p, 1, 13).Timing, late - 0.0005, late + 0.0005);
    }

    [Fact]
    public void A_tempo_change_makes_a_song_whose_notes_play_when_the_file_plays_them()
    {
        // Bar 1 at 120, bars 2–3 at 90 (a change on the bar line), kick on each beat and a late snare in bar 3.
        const int ppq = 384;
        var smf = new Smf(1, ppq)
            .Track(t => t.Tempo(0, 120).Tempo(4 * ppq, 90).TimeSignature(0, 4, 4))
            .Track(t =>
            {
                for (var beat = 0; beat < 12; beat++) t.Note(beat * ppq, 36, 100);
                t.Note(9 * ppq + 10, 38, 70);
            });
        var result = MidiImport.Import(smf.ToBytes(), new MidiImportOptions("two tempos"));
        Assert.True(result.IsSong);
        Assert.Equal(new[] { 120.0, 90.0 }, result.Parts.Select(x => x.Pattern.Bpm));
        Assert.Equal(new[] { 16, 32 }, result.Parts.Select(x => x.Pattern.Length));
        Assert.Equal(new[] { "two tempos 1", "two tempos 2" }, result.Patterns.Select(x => x.Name));

        // The file's clock: 0.5 s a beat for 4 beats, then 2/3 s a beat.
        static double Seconds(double tick) => tick <= 4 * ppq ? tick / ppq * 0.5 : 2 + (tick - 4 * ppq) / ppq * (60.0 / 90);
        var notes = SongTimeline.Notes(result.Parts).Select(x => x.Note).ToList();
        var expected = Enumerable.Range(0, 12).Select(b => Seconds(b * ppq)).Append(Seconds(9 * ppq + 10)).Order().ToList();
        Assert.Equal(expected.Count, notes.Count);
        foreach (var (e, n) in expected.Zip(notes.Select(n => n.Time).Order())) Assert.InRange(n, e - 1e-6, e + 1e-6); // timing kept to 1 µs
    }

    [Fact]
    public void Identical_bars_become_one_bar_with_cycles_from_bars_and_a_repeat_when_the_file_is_long()
    {
        var smf = new Smf(0, 96).Track(t =>
        {
            for (var bar = 0; bar < 8; bar++)
            {
                t.Note(bar * 384, 36, 100).Note(bar * 384 + 192, 38, 100);
                if (bar >= 4) t.Note(bar * 384 + 288, 42, 60);
            }
        });
        var bars = MidiImport.Import(smf.ToBytes(), new MidiImportOptions("b", CyclesFromBars: true));
        Assert.True(bars.IsSong);
        Assert.Equal(new[] { (0, 4), (1, 4) }, bars.Sections);
        Assert.All(bars.Patterns, p => Assert.Equal(16, p.Length));

        var whole = MidiImport.Import(smf.ToBytes(), new MidiImportOptions("w"));
        Assert.True(whole.IsSong); // 128 steps: two patterns of 64
        Assert.Equal(new[] { 64, 64 }, whole.Parts.Select(x => x.Pattern.Length));

        var four = new Smf(0, 96).Track(t =>
        {
            for (var bar = 0; bar < 4; bar++) t.Note(bar * 384, 36, 100);
        });
        var loop = MidiImport.Import(four.ToBytes(), new MidiImportOptions("l", CyclesFromBars: true));
        Assert.False(loop.IsSong);
        Assert.Equal(16, loop.Pattern.Length);
        Assert.Equal(new[] { (0, 4) }, loop.Sections);
    }

    [Fact]
    public void Only_the_8_busiest_notes_get_rings_and_the_rest_are_reported()
    {
        var notes = new[] { 35, 36, 38, 40, 42, 44, 46, 49, 51, 75 };
        var smf = new Smf(0, 96).Track(t =>
        {
            for (var i = 0; i < notes.Length; i++)
                for (var s = 0; s <= i; s++) t.Note(s * 24, notes[i], 100);
        });
        var result = MidiImport.Import(smf.ToBytes());
        var p = result.Pattern;
        Assert.Equal(8, p.Tracks.Count);
        Assert.Contains(result.Reports, r => r.Contains("Acoustic bass drum (note 35, 1 hit(s)) was left out", StringComparison.Ordinal));
        Assert.Contains(result.Reports, r => r.Contains("Bass drum (note 36, 2 hit(s)) was left out", StringComparison.Ordinal));
        // Kept, lowest first; notes off the kit's own are named with the sound they now play.
        Assert.Equal(new[] { "Snare 38", "Snare 40", "Closed hat 42", "Closed hat 44", "Open hat", "Crash 49", "Crash 51", "Rim" },
            p.Tracks.Select(t => t.Name));
        Assert.Contains(result.Reports, r => r == "Claves (note 75) plays the kit's Rim");
        Assert.Equal(10, p.Tracks[7].ActiveSteps);
    }

    [Fact]
    public void Notes_off_channel_10_are_left_out_and_a_file_without_drums_is_read_as_drums()
    {
        var mixed = new Smf(0, 96).Track(t => t.Note(0, 36, 100).Note(96, 60, 100, channel: 1).Note(192, 62, 100, channel: 2));
        var drums = MidiImport.Import(mixed.ToBytes());
        Assert.Single(drums.Pattern.Tracks);
        Assert.Contains(drums.Reports, r => r.StartsWith("2 note(s) on channels other than 10", StringComparison.Ordinal));

        var melodic = new Smf(0, 96).Track(t => t.Note(0, 60, 100, channel: 1).Note(96, 30, 100, channel: 1));
        var read = MidiImport.Import(melodic.ToBytes());
        Assert.Equal(2, read.Pattern.Tracks.Count);
        Assert.Equal(new[] { "kick", "high-tom" }, read.Pattern.Tracks.Select(t => t.Sample)); // 30: the nearest kit note (36); 60: hi bongo
        Assert.Contains(read.Reports, r => r.StartsWith("no notes are on channel 10", StringComparison.Ordinal));
    }

    [Fact]
    public void A_note_more_than_50_ms_off_the_grid_goes_to_the_nearest_step_and_quantize_snaps()
    {
        // At 40 BPM a 16th is 375 ms: 96 ticks of 384 ppq; a note 30 ticks late is 117 ms late.
        var smf = new Smf(0, 384).Track(t => t.Tempo(0, 40).Note(96 + 30, 38, 100).Note(192 + 5, 38, 100).End(1536));
        var result = MidiImport.Import(smf.ToBytes());
        Assert.Equal(0, At(result.Pattern, 0, 1).Timing);
        Assert.Equal(5 * MsPerTick(40, 384), At(result.Pattern, 0, 2).Timing, 3);
        Assert.Contains(result.Reports, r => r.StartsWith("1 note(s) more than 50 ms off", StringComparison.Ordinal));

        var q = MidiImport.Import(smf.ToBytes(), new MidiImportOptions(Quantize: 8));
        Assert.True(At(q.Pattern, 0, 2).Active);
        Assert.All(q.Pattern.Tracks[0].Steps, s => Assert.Equal(0, s.Timing));
        Assert.All(q.Pattern.Tracks[0].Steps.Items.Select((s, i) => (s, i)).Where(x => x.s.Active), x => Assert.Equal(0, x.i % 2));
        Assert.Contains(q.Reports, r => r.Contains("the louder one was kept", StringComparison.Ordinal)); // both snapped to step 2
    }

    [Fact]
    public void A_note_just_before_the_end_wraps_to_the_first_step_early()
    {
        var smf = new Smf(0, 96).Track(t => t.Note(24, 36, 100).Note(384 - 2, 38, 100, length: 1).End(384));
        var p = MidiImport.Import(smf.ToBytes()).Pattern;
        Assert.Equal(16, p.Length);
        Assert.True(At(p, 1, 0).Active);
        Assert.Equal(-2 * MsPerTick(120, 96), At(p, 1, 0).Timing, 3);
    }

    [Fact]
    public void A_damaged_orbitr_pattern_inside_falls_back_to_the_notes_and_says_so()
    {
        var p = TestPatterns.Busy();
        var bytes = MidiExport.ToBytes(p, 1);
        var at = IndexOf(bytes, "Orbitr"u8.ToArray()) + 7; // past the version byte
        bytes[at + 3] ^= 0xFF;
        bytes[at + 4] ^= 0xFF;
        var result = MidiImport.Import(bytes);
        Assert.False(result.Exact);
        Assert.Contains(result.Reports, r => r.StartsWith("the Orbitr pattern stored in the file is damaged", StringComparison.Ordinal));
        Assert.NotEmpty(result.Pattern.Tracks);
    }

    [Fact]
    public void A_tiny_meta_event_that_inflates_to_gigabytes_is_not_inflated()
    {
        using var ms = new MemoryStream();
        ms.Write([0x7D, .. "Orbitr"u8, 1]);
        using (var deflate = new DeflateStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++) deflate.Write(zeros);
        }
        Assert.True(ms.Length < 200_000);
        Assert.Null(OrbitrMeta.TryDecode(ms.ToArray()));
    }

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        // A 30-byte file whose meta event says it is 256 MB: refused before any reader allocates that.
        { "huge meta", new Smf(0, 96).Track(t => t.Add(0, 0xFF, 0x01, 0x8F, 0xFF, 0xFF, 0x7F, 0x41)).ToBytes(), "more than its track holds" },
        { "huge sysex", new Smf(0, 96).Track(t => t.Add(0, 0xF0, 0x8F, 0xFF, 0xFF, 0x7F, 0x7E)).ToBytes(), "more than its track holds" },
        { "empty", [], "not a Standard MIDI File" },
        { "text", "hello, this is not MIDI"u8.ToArray(), "not a Standard MIDI File" },
        { "truncated", new Smf(0, 96).Track(t => t.Note(0, 36, 100)).ToBytes()[..20], "not a Standard MIDI File" },
        { "type 2", Patch(new Smf(0, 96).Track(t => t.Note(0, 36, 100)).ToBytes(), 9, 2), "type-2" },
        { "SMPTE", Patch(Patch(new Smf(0, 96).Track(t => t.Note(0, 36, 100)).ToBytes(), 12, 0xE7), 13, 40), "SMPTE" },
        { "no notes", new Smf(0, 96).Track(t => t.Tempo(0, 120).End(384)).ToBytes(), "no notes" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_file_that_is_not_a_drum_part_is_refused_with_why(string what, byte[] bytes, string message)
    {
        var e = Assert.Throws<MidiImportException>(() => MidiImport.Import(bytes));
        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), $"{what}: {e.Message}");
    }

    [Fact]
    public void Options_out_of_range_and_oversized_files_are_refused()
    {
        var ok = new Smf(0, 96).Track(t => t.Note(0, 36, 100)).ToBytes();
        Assert.Contains("--quantize takes 1, 2, 4, 8 or 16", Assert.Throws<MidiImportException>(() => MidiImport.Import(ok, new MidiImportOptions(Quantize: 32))).Message, StringComparison.Ordinal);
        Assert.Contains("at most", Assert.Throws<MidiImportException>(() => MidiImport.Import(new byte[MidiImport.MaxBytes + 1])).Message, StringComparison.Ordinal);
        // A file that says it lasts 2^28 ticks at 24 ppq is ~11 million steps: more than a song holds.
        var endless = new Smf(0, 24).Track(t => t.Note(0, 36, 100).End(0x0FFFFFFF)).ToBytes();
        Assert.Contains("longer than a song holds", Assert.Throws<MidiImportException>(() => MidiImport.Import(endless)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_cleaned_for_a_pattern()
    {
        Assert.Equal("Imported", MidiImport.CleanName(" \u0001 "));
        Assert.Equal(new string('x', Pattern.MaxNameLength), MidiImport.CleanName(new string('x', 300)));
        Assert.Equal("ab", MidiImport.CleanName("a\nb"));
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Any_grid_of_notes_written_at_any_ppq_comes_back_on_its_steps() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var rng = new Random(seed);
            var ppq = new[] { 24, 95, 96, 120, 480, 960, 1001 }[rng.Next(7)];
            var bpm = rng.Next(60, 181);
            var bars = rng.Next(1, 5);
            var kit = new[] { 36, 38, 39, 42, 46, 45, 50, 37 };
            var rings = kit.OrderBy(_ => rng.Next()).Take(rng.Next(1, 9)).Order().ToArray();
            var expected = new Dictionary<(int Ring, int Step), (int Velocity, double Timing)>();
            var smf = new Smf(rng.Next(2), ppq).Track(t =>
            {
                t.Tempo(0, bpm);
                for (var r = 0; r < rings.Length; r++)
                    for (var s = 0; s < bars * 16; s++)
                    {
                        if (rng.Next(3) != 0 && s != 0) continue; // every ring plays step 0, so every ring is there
                        var exact = s * ppq / 4.0;
                        // Whole ticks, within a third of a step either side (every step is taken at most once).
                        var span = (int)Math.Floor(ppq / 12.0);
                        var tick = (long)Math.Round(exact) + (s == 0 ? 0 : rng.Next(-span, span + 1));
                        var velocity = rng.Next(1, 128);
                        t.Note(tick, rings[r], velocity, length: 1);
                        var ms = Math.Round((tick - exact) * MsPerTick(bpm, ppq), 3);
                        expected[(r, s)] = (velocity, Math.Abs(ms) > 50 ? 0 : ms);
                    }
                t.End(bars * 4L * ppq);
            });
            var result = MidiImport.Import(smf.ToBytes());
            var p = result.Pattern;
            var same = !result.IsSong && p.Length == bars * 16 && p.Tracks.Count == rings.Length && p.Bpm == Math.Round(60_000_000.0 / Math.Round(60_000_000.0 / bpm), 2);
            for (var r = 0; r < rings.Length && same; r++)
                for (var s = 0; s < p.Length && same; s++)
                {
                    var step = At(p, r, s);
                    same = expected.TryGetValue((r, s), out var e)
                        ? step.Active && step.Velocity == e.Velocity && Math.Abs(step.Timing - e.Timing) < 0.002
                        : !step.Active;
                }
            return same.Label($"ppq {ppq}, {bpm} BPM, {bars} bar(s), {rings.Length} ring(s)");
        });

    private static byte[] Patch(byte[] bytes, int at, byte value)
    {
        bytes[at] = value;
        return bytes;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }
}
