using FsCheck;
using FsCheck.Fluent;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Core.Songs;

namespace Orbitr.Core.Tests.Songs;

/// <summary>orbitr.song v1 (issue 25): the file round-trips, every error has its path, and the timeline puts each
/// section at T_k = Σ repeat × cycle seconds with cycles counted afresh.</summary>
public class SongTests
{
    private static readonly Arbitrary<Song> Songs = (
        from name in Gen.Elements("Song", "Night drive", "ü→★", "")
        from count in Gen.Choose(1, 20)
        from sections in Gen.ListOf(
            from file in Gen.Elements("file:verse.json", "file:sub dir/chorus.json", "library:p-123", "library:ab")
            from repeat in Gen.Choose(SongSection.MinRepeat, SongSection.MaxRepeat)
            select new SongSection(file, repeat), count)
        select new Song(name, new EquatableArray<SongSection>(sections))).ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property A_written_song_reads_back_equal() =>
        Prop.ForAll(Songs, song => SongJson.Read(SongJson.Write(song)).Song == song);

    [Fact]
    public void The_example_of_the_design_reads()
    {
        var read = SongJson.Read("""
            { "format": "orbitr.song", "version": 1, "name": "Demo", "sections": [ { "pattern": "file:verse.json", "repeat": 4 }, { "pattern": "file:chorus.json" } ] }
            """);
        Assert.True(read.Ok, string.Join("; ", read.Errors));
        Assert.Equal([new SongSection("file:verse.json", 4), new SongSection("file:chorus.json", 1)], read.Song!.Sections.Items.ToArray());
        Assert.Equal(["file:verse.json", "file:chorus.json"], read.Song.References);
    }

    [Fact]
    public void Every_error_is_reported_with_its_path()
    {
        var read = SongJson.Read("""
            { "format": "orbitr.pattern", "version": 1, "tempo": 3, "sections": [
              { "pattern": "file:a.json", "repeat": 0 },
              { "repeat": 2 },
              { "pattern": "verse.json", "repeat": 65 },
              { "pattern": "file:b.json", "repeat": 1.5, "mute": true },
              7 ] }
            """);
        Assert.False(read.Ok);
        var paths = read.Errors.Select(e => e.Path).ToHashSet();
        Assert.Equal(["format", "tempo", "sections[0].repeat", "sections[1].pattern", "sections[2].pattern", "sections[2].repeat",
            "sections[3].repeat", "sections[3].mute", "sections[4]"], paths);
        Assert.Contains(read.Errors, e => e.Path == "sections[0].repeat" && e.Message.Contains("outside 1–64"));
        Assert.Contains(read.Errors, e => e.Path == "sections[2].pattern" && e.Message.Contains("file:<path>, library:<id> or bundle:<key>"));
    }

    [Theory]
    [InlineData("""{"format":"orbitr.song","version":1,"sections":[]}""", "sections", "a song has 1–256")]
    [InlineData("""{"format":"orbitr.song","version":1}""", "sections", "missing")]
    [InlineData("""{"format":"orbitr.song","sections":[{"pattern":"file:a.json"}]}""", "version", "missing")]
    [InlineData("""{"format":"orbitr.song","version":2,"sections":[{"pattern":"file:a.json"}]}""", "", "newer Orbitr")]
    [InlineData("""[1,2]""", "", "JSON object")]
    [InlineData("""{"format":"orbitr.song",""", "", "not valid JSON")]
    [InlineData("""{"format":"orbitr.song","version":1,"version":1,"sections":[{"pattern":"file:a.json"}]}""", "version", "twice")]
    public void Bad_files_say_what_is_wrong(string json, string path, string words)
    {
        var read = SongJson.Read(json);
        Assert.False(read.Ok);
        Assert.Contains(read.Errors, e => e.Path == path && e.Message.Contains(words, StringComparison.Ordinal));
    }

    [Fact]
    public void More_than_256_sections_is_one_error_and_reading_stops_early()
    {
        var sections = string.Join(",", Enumerable.Repeat("""{"pattern":"file:a.json"}""", 5000));
        var read = SongJson.Read($$"""{"format":"orbitr.song","version":1,"sections":[{{sections}}]}""");
        Assert.Contains(read.Errors, e => e.Path == "sections" && e.Message.Contains("1–256"));
        Assert.True(read.Errors.Count < 5);
    }

    [Fact]
    public void Never_throws_on_mutated_bytes()
    {
        var good = System.Text.Encoding.UTF8.GetBytes(SongJson.Write(new Song("x", new([new SongSection("file:a.json", 3), new SongSection("library:b", 2)]))));
        var rng = new Random(25);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])good.Clone();
            for (var m = rng.Next(1, 4); m > 0; m--) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
            var read = SongJson.Read(bytes);
            Assert.True(read.Ok ^ read.Errors.Count > 0);
        }
    }

    private static Pattern At(double bpm, int length) =>
        PatternEditor.SetLength(PatternFactory.Create(4, 1) with { Bpm = bpm }, length);

    [Fact]
    public void Sections_start_at_the_sum_of_the_earlier_sections_and_count_their_cycles_from_zero()
    {
        var a = PatternEditor.SetStepActive(At(120, 16), 0, 0, true); // 2 s a cycle
        var b = PatternEditor.UpdateStep(At(90, 12), 1, 3, s => s with { Active = true, Condition = TrigCondition.First }); // 2 s a cycle
        b = PatternEditor.SetStepActive(b, 0, 0, true);
        var parts = new[] { new SongPart(a, 3), new SongPart(b, 2), new SongPart(a, 1) };
        Assert.Equal([0, 6, 10, 12], SongTimeline.Starts(parts));
        var notes = SongTimeline.Notes(parts).ToList();
        // Only the rings' own active steps: drop the starter groove the factory adds.
        var ring0 = notes.Where(n => n.Note.TrackIndex == 0 && n.Note.StepIndex == 0).ToList();
        Assert.Equal([0.0, 2, 4, 6, 8, 10], ring0.Select(n => n.Note.Time));
        Assert.Equal([0, 0, 0, 1, 1, 2], ring0.Select(n => n.Section));
        Assert.Equal([0L, 1, 2, 0, 1, 0], ring0.Select(n => n.Note.Cycle));
        // "first" holds in the section's first cycle only.
        Assert.Equal([6 + 3 * 60 / 90.0 / 4], notes.Where(n => n.Section == 1 && n.Note.TrackIndex == 1 && n.Note.StepIndex == 3).Select(n => n.Note.Time));
    }

    [Fact]
    public void A_late_last_step_of_one_section_is_merged_in_time_order_with_the_next()
    {
        // 200 BPM, swing 100, +50 ms on step 15: it starts after its cycle ends, inside the next section.
        var a = PatternEditor.UpdateStep(At(200, 16) with { Swing = 100 }, 0, 15, s => s with { Active = true, Timing = 50 });
        var b = PatternEditor.SetStepActive(At(200, 16), 1, 0, true);
        var parts = new[] { new SongPart(a, 1), new SongPart(b, 1) };
        var notes = SongTimeline.Notes(parts).ToList();
        Assert.Equal(notes.OrderBy(n => n.Note.Time).Select(n => n.Note.Time), notes.Select(n => n.Note.Time));
        var late = notes.Single(n => n.Section == 0 && n.Note.StepIndex == 15 && n.Note.TrackIndex == 0);
        Assert.True(late.Note.Time > SongTimeline.Starts(parts)[1]);
        Assert.Contains(notes, n => n.Section == 1 && n.Note.Time < late.Note.Time);
    }
}

/// <summary>Song bundles (issue 25): a song with its patterns inside, as the browser exports it and an Orbitr song's
/// MIDI file carries it.</summary>
public class SongBundleTests
{
    private static Song Bundle(params Pattern[] patterns) =>
        new Song("Bundle", new EquatableArray<SongSection>(patterns.Select((_, i) => new SongSection($"bundle:{i + 1}", i + 1))))
        {
            Patterns = new EquatableArray<SongPattern>(patterns.Select((p, i) => new SongPattern($"{i + 1}", p))),
        };

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property A_bundle_reads_back_equal_patterns_and_all() =>
        Prop.ForAll(RandomPatterns.Valid, RandomPatterns.Valid, (a, b) =>
        {
            var song = Bundle(a, b);
            var read = SongJson.Read(SongJson.Write(song));
            return read.Ok && read.Song == song && read.Song!.Bundled("bundle:2") == b;
        });

    [Fact]
    public void A_bundle_names_what_is_wrong_inside_its_patterns_and_a_missing_key()
    {
        var json = SongJson.Write(Bundle(PatternFactory.Create(4, 1)))
            .Replace("\"bpm\": 120", "\"bpm\": 900", StringComparison.Ordinal)
            .Replace("\"pattern\": \"bundle:1\"", "\"pattern\": \"bundle:7\"", StringComparison.Ordinal);
        var read = SongJson.Read(json);
        Assert.False(read.Ok);
        Assert.Contains(read.Errors, e => e.Path == "patterns.1.bpm");
        var fixedBpm = SongJson.Read(json.Replace("\"bpm\": 900", "\"bpm\": 120", StringComparison.Ordinal));
        Assert.Contains(fixedBpm.Errors, e => e.Path == "sections[0].pattern" && e.Message.Contains("names no pattern of this bundle", StringComparison.Ordinal));
        Assert.Contains(SongJson.Read("""{"format":"orbitr.song","version":1,"sections":[{"pattern":"bundle:1"}],"patterns":[]}""").Errors,
            e => e.Path == "patterns");
    }

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property A_songs_midi_file_imports_back_to_its_patterns_and_sections() =>
        Prop.ForAll(RandomPatterns.Valid, RandomPatterns.Valid, Gen.Choose(1, 4).ToArbitrary(), (a, b, repeat) =>
        {
            var parts = new List<SongPart> { new(a, repeat), new(b, 1), new(a, 2) };
            using var ms = new MemoryStream();
            Orbitr.Core.Midi.MidiExport.WriteSong(parts, "Round trip", ms);
            var back = Orbitr.Core.Midi.MidiImport.Import(ms.ToArray());
            var distinct = a == b ? 1 : 2;
            return back.Exact && back.Patterns.Count == distinct && back.Parts.Select(p => (p.Pattern, p.Repeat)).SequenceEqual(parts.Select(p => (p.Pattern, p.Repeat)));
        });
}
