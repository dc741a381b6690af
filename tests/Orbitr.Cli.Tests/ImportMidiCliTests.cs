using NAudio.Midi;
using Orbitr.Core.Json;
using Orbitr.Core.Songs;

namespace Orbitr.Cli.Tests;

/// <summary><c>orbitr import-midi</c> (issue 25): Orbitr's own file back exactly, a long file as a song that renders,
/// and every refusal with its exit code and nothing overwritten.</summary>
public class ImportMidiCliTests
{
    /// <summary>A type-1 file: kick on every beat for <paramref name="bars"/> bars of 4/4, a hat from bar 3, a clave.</summary>
    private static void WriteDrums(string path, int bars, int ppq = 480)
    {
        var events = new MidiEventCollection(1, ppq);
        var conductor = events.AddTrack();
        conductor.Add(new TempoEvent(500_000, 0));
        conductor.Add(new TimeSignatureEvent(0, 4, 2, 24, 8));
        var drums = events.AddTrack();
        for (var beat = 0; beat < bars * 4; beat++)
        {
            var on = new NoteOnEvent(beat * (long)ppq, 10, 36, 100, ppq / 4);
            drums.Add(on);
            drums.Add(on.OffEvent!);
            if (beat < 8) continue;
            var hat = new NoteOnEvent(beat * (long)ppq + ppq / 2, 10, 42, 70, ppq / 8);
            drums.Add(hat);
            drums.Add(hat.OffEvent!);
        }
        var clave = new NoteOnEvent(ppq, 10, 75, 90, ppq / 8);
        drums.Add(clave);
        drums.Add(clave.OffEvent!);
        var end = bars * 4L * ppq;
        conductor.Add(new MetaEvent(MetaEventType.EndTrack, 0, end));
        drums.Add(new MetaEvent(MetaEventType.EndTrack, 0, end));
        events.PrepareForExport();
        MidiFile.Export(path, events);
    }

    [Fact]
    public void A_midi_file_orbitr_exported_imports_back_to_the_same_pattern_file()
    {
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("new", "-o", cli.Path("p.json")).Code);
        Assert.Equal(0, cli.Run("midi", cli.Path("p.json"), "-o", cli.Path("p.mid"), "--cycles", "3").Code);
        var (code, output, err) = cli.Run("import-midi", cli.Path("p.mid"), "-o", cli.Path("back.json"));
        Assert.True(code == 0, err);
        Assert.Contains("exported by Orbitr: its pattern exactly", output);
        Assert.Equal(File.ReadAllBytes(cli.Path("p.json")), File.ReadAllBytes(cli.Path("back.json")));
    }

    [Fact]
    public void A_short_drum_part_becomes_a_pattern_and_says_what_it_changed()
    {
        using var cli = new CliRunner();
        WriteDrums(cli.Path("drums.mid"), 4);
        var (code, output, err) = cli.Run("import-midi", cli.Path("drums.mid"), "-o", cli.Path("drums.json"));
        Assert.True(code == 0, err);
        Assert.Contains("imported drums.mid to drums.json: 3 ring(s) × 64 steps at 120 BPM", output);
        Assert.Contains("note: Claves (note 75) plays the kit's Rim", output);
        var p = PatternJson.Read(File.ReadAllBytes(cli.Path("drums.json"))).Pattern!;
        Assert.Equal("drums", p.Name);
        Assert.Equal(16, p.Tracks[0].ActiveSteps);
        Assert.Equal(8, p.Tracks[1].ActiveSteps); // hats in bars 3 and 4, on the off-beats
        Assert.True(p.Tracks[1].Steps[34].Active);

        // Written to standard output, the pattern is all there is.
        Assert.Equal(0, cli.Run("import-midi", cli.Path("drums.mid"), "-o", "-").Code);
        Assert.Equal(File.ReadAllBytes(cli.Path("drums.json")), cli.Stdout);
    }

    [Fact]
    public void A_long_part_becomes_a_song_with_its_patterns_beside_it_and_renders()
    {
        using var cli = new CliRunner();
        WriteDrums(cli.Path("long.mid"), 8);
        var (code, output, err) = cli.Run("import-midi", cli.Path("long.mid"), "-o", cli.Path("long.json"), "--cycles-from-bars");
        Assert.True(code == 0, err);
        Assert.Contains("as a song of 3 section(s): long.json and its patterns long-01.json, long-02.json, long-03.json", output);
        var song = SongJson.Read(File.ReadAllBytes(cli.Path("long.json"))).Song!;
        // Bar 1 (the clave), bar 2, then six bars with hats.
        Assert.Equal(new[] { ("file:long-01.json", 1), ("file:long-02.json", 1), ("file:long-03.json", 6) },
            song.Sections.Items.Select(s => (s.Pattern, s.Repeat)));
        var (rendered, _, renderErr) = cli.Run("render", cli.Path("long.json"), "-o", cli.Path("long.wav"), "--tail", "0");
        Assert.True(rendered == 0, renderErr);
        Assert.InRange(new FileInfo(cli.Path("long.wav")).Length, 8 * 2L * 44100 * 2 * 2, 8 * 2L * 44100 * 2 * 2 + 1000);
    }

    [Fact]
    public void Bad_files_and_options_are_refused_with_their_exit_code_and_nothing_is_overwritten()
    {
        using var cli = new CliRunner();
        File.WriteAllText(cli.Path("keep.json"), "precious");
        File.WriteAllText(cli.Path("bad.mid"), "not midi at all");
        WriteDrums(cli.Path("drums.mid"), 2);
        WriteDrums(cli.Path("long.mid"), 8);

        var (code, _, err) = cli.Run("import-midi", cli.Path("bad.mid"), "-o", cli.Path("keep.json"), "--force");
        Assert.Equal(2, code);
        Assert.Contains("bad.mid: not a Standard MIDI File", err);
        Assert.Equal(3, cli.Run("import-midi", cli.Path("missing.mid"), "-o", cli.Path("x.json")).Code);
        (code, _, err) = cli.Run("import-midi", cli.Path("drums.mid"), "-o", cli.Path("keep.json"));
        Assert.Equal(3, code);
        Assert.Contains("already exists; pass --force", err);
        Assert.Equal("precious", File.ReadAllText(cli.Path("keep.json")));
        (code, _, err) = cli.Run("import-midi", cli.Path("drums.mid"), "-o", cli.Path("q.json"), "--quantize", "3");
        Assert.Equal(2, code);
        Assert.Contains("--quantize takes 1, 2, 4, 8 or 16", err);
        Assert.Equal(1, cli.Run("import-midi", cli.Path("drums.mid"), "-o", cli.Path("q.json"), "--quantize", "32").Code);
        (code, _, err) = cli.Run("import-midi", cli.Path("long.mid"), "-o", "-", "--cycles-from-bars");
        Assert.Equal(1, code);
        Assert.Contains("give -o a file name", err);
        Assert.Equal(1, cli.Run("import-midi", cli.Path("drums.mid"), "-o", cli.Path("drums.mid")).Code);
        Assert.False(File.Exists(cli.Path("q.json")));

        // A song's pattern files are checked before anything is written.
        File.WriteAllText(cli.Path("s-02.json"), "mine");
        (code, _, err) = cli.Run("import-midi", cli.Path("long.mid"), "-o", cli.Path("s.json"), "--cycles-from-bars");
        Assert.Equal(3, code);
        Assert.Contains("s-02.json already exists", err);
        Assert.False(File.Exists(cli.Path("s.json")));
        Assert.False(File.Exists(cli.Path("s-01.json")));
        Assert.Equal("mine", File.ReadAllText(cli.Path("s-02.json")));
    }
}

/// <summary><c>orbitr midi --per-ring</c> (issue 25): one file per ring into a folder.</summary>
public class MidiPerRingCliTests
{
    [Fact]
    public void Per_ring_writes_one_file_per_ring_into_the_folder_and_refuses_what_it_cannot()
    {
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("new", "-o", cli.Path("p.json"), "--tracks", "4").Code);
        var (code, output, err) = cli.Run("midi", cli.Path("p.json"), "-o", cli.Path("rings"), "--per-ring", "--cycles", "2");
        Assert.True(code == 0, err);
        Assert.Contains("one file per ring", output);
        Assert.Equal(new[] { "01 O (Kick).mid", "02 R (Snare).mid", "03 B (Closed hat).mid", "04 I (Open hat).mid" },
            Directory.GetFiles(cli.Path("rings")).Select(Path.GetFileName).Order());
        var p = PatternJson.Read(File.ReadAllBytes(cli.Path("p.json"))).Pattern!;
        Assert.Equal(Core.Midi.MidiExport.RingToBytes(p, 2, 1), File.ReadAllBytes(Path.Combine(cli.Path("rings"), "02 R (Snare).mid")));

        Assert.Equal(1, cli.Run("midi", cli.Path("p.json"), "-o", "-", "--per-ring").Code);
        File.WriteAllText(cli.Path("file"), "x");
        (code, _, err) = cli.Run("midi", cli.Path("p.json"), "-o", cli.Path("file"), "--per-ring");
        Assert.Equal(3, code);
        Assert.Contains("that is a file", err);
        Assert.Equal(3, cli.Run("midi", cli.Path("p.json"), "-o", cli.Path("no/such/dir"), "--per-ring").Code);
    }
}
