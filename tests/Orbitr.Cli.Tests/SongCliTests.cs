using NAudio.Midi;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;

namespace Orbitr.Cli.Tests;

/// <summary><c>orbitr render song.json</c> and <c>orbitr midi song.json</c> (issue 25): sections at their sums,
/// tempo changes as tempo events, and a missing or browser-only pattern named in the error.</summary>
public class SongCliTests
{
    private static Pattern Beat(double bpm, params int[] steps)
    {
        var p = PatternFactory.Create(4, 1) with { Bpm = bpm };
        foreach (var s in steps) p = PatternEditor.SetStepActive(p, 0, s, true);
        return p;
    }

    private static void Write(CliRunner cli, string name, Pattern p) => File.WriteAllBytes(cli.Path(name), PatternJson.WriteUtf8(p));

    private static string Song(CliRunner cli, string sections)
    {
        var path = cli.Path("song.json");
        File.WriteAllText(path, $$"""{"format":"orbitr.song","version":1,"name":"Demo","sections":[{{sections}}]}""");
        return path;
    }

    [Fact]
    public void A_song_renders_its_sections_one_after_the_other_and_begins_as_its_first_pattern_does()
    {
        using var cli = new CliRunner();
        Write(cli, "a.json", Beat(120, 0, 4, 8, 12));
        Write(cli, "b.json", Beat(90, 0, 6));
        var song = Song(cli, """{"pattern":"file:a.json","repeat":2},{"pattern":"file:b.json","repeat":3},{"pattern":"file:a.json"}""");
        var (code, output, err) = cli.Run("render", song, "-o", cli.Path("song.wav"), "--format", "32f", "--tail", "0");
        Assert.True(code == 0, err);
        Assert.Contains("3 section(s)", output);
        var audio = WavReader.Read(File.ReadAllBytes(cli.Path("song.wav")));
        var seconds = 2 * 2.0 + 3 * 16 * 60 / 90.0 / 4 + 2.0;
        Assert.Equal((long)Math.Round(seconds * 44100), audio.Length);

        Assert.Equal(0, cli.Run("render", cli.Path("a.json"), "-o", cli.Path("a.wav"), "--format", "32f", "--tail", "0", "--cycles", "2").Code);
        var a = WavReader.Read(File.ReadAllBytes(cli.Path("a.wav")));
        // Until section 2 begins (less the limiter's look-ahead) the song is pattern a's two cycles, sample for sample.
        var until = (int)Math.Round(4.0 * 44100) - 200;
        Assert.Equal(a.Channel(0).AsSpan(0, until).ToArray(), audio.Channel(0).AsSpan(0, until).ToArray());
        Assert.True(audio.Channel(0).AsSpan((int)Math.Round(4.0 * 44100), 2000).ToArray().Any(x => x != 0), "section 2 is silent");
    }

    [Fact]
    public void A_songs_midi_file_changes_tempo_where_each_section_begins()
    {
        using var cli = new CliRunner();
        Write(cli, "a.json", Beat(120, 0, 8));
        Write(cli, "b.json", Beat(90, 0));
        var song = Song(cli, """{"pattern":"file:a.json","repeat":2},{"pattern":"file:b.json","repeat":2},{"pattern":"file:a.json"}""");
        var (code, _, err) = cli.Run("midi", song, "-o", cli.Path("song.mid"));
        Assert.True(code == 0, err);
        var midi = new MidiFile(cli.Path("song.mid"), strictChecking: true);
        var tempos = midi.Events[0].OfType<TempoEvent>().Select(t => (t.AbsoluteTime, t.MicrosecondsPerQuarterNote)).ToList();
        // A 16-step cycle is 4 quarters = 3840 ticks at any tempo.
        Assert.Equal([(0L, 500_000), (2 * 3840L, 666_667), (4 * 3840L, 500_000)], tempos);
        var kick = midi.Events[1].OfType<NoteOnEvent>().Where(n => n.Velocity > 0).Select(n => n.AbsoluteTime).ToList();
        Assert.Equal([0L, 1920, 3840, 5760, 7680, 11520, 15360, 17280], kick);
    }

    [Fact]
    public void A_missing_pattern_file_is_named_and_nothing_is_written()
    {
        using var cli = new CliRunner();
        Write(cli, "a.json", Beat(120, 0));
        var song = Song(cli, """{"pattern":"file:a.json"},{"pattern":"file:verse.json","repeat":2}""");
        var (code, _, err) = cli.Run("render", song, "-o", cli.Path("o.wav"));
        Assert.Equal(ExitCodes.Io, code);
        Assert.Contains("sections[1].pattern", err);
        Assert.Contains("verse.json does not exist", err);
        Assert.False(File.Exists(cli.Path("o.wav")));
    }

    [Theory]
    [InlineData("""{"pattern":"library:p1"}""", "sections[0].pattern", "browser's library")]
    [InlineData("""{"pattern":"file:a.json","repeat":99}""", "sections[0].repeat", "outside 1–64")]
    [InlineData("""{"pattern":"file:bad.json"}""", "sections[0].pattern", "not a valid pattern")]
    public void A_bad_song_is_exit_2_with_the_path_of_the_problem(string sections, string path, string words)
    {
        using var cli = new CliRunner();
        Write(cli, "a.json", Beat(120, 0));
        File.WriteAllText(cli.Path("bad.json"), """{"version":1,"bpm":900}""");
        var song = Song(cli, sections);
        foreach (var command in new[] { "render", "midi" })
        {
            var (code, _, err) = cli.Run(command, song, "-o", cli.Path("o.out"));
            Assert.Equal(ExitCodes.InvalidPattern, code);
            Assert.Contains(path, err);
            Assert.Contains(words, err);
        }
    }
}

/// <summary>A song bundle (issue 25: the song with its patterns inside) renders as the same song with pattern files does.</summary>
public class SongBundleCliTests
{
    [Fact]
    public void A_bundle_renders_exactly_as_the_song_with_its_pattern_files_and_its_midi_imports_back()
    {
        using var cli = new CliRunner();
        var a = PatternEditor.EuclideanFill(PatternFactory.Create(4, 1) with { Bpm = 120 }, 0, 4);
        var b = PatternEditor.EuclideanFill(PatternFactory.Create(4, 2) with { Bpm = 95 }, 1, 3);
        File.WriteAllBytes(cli.Path("a.json"), PatternJson.WriteUtf8(a));
        File.WriteAllBytes(cli.Path("b.json"), PatternJson.WriteUtf8(b));
        File.WriteAllText(cli.Path("files.json"), """{"format":"orbitr.song","version":1,"name":"S","sections":[{"pattern":"file:a.json","repeat":2},{"pattern":"file:b.json"}]}""");
        var bundle = Core.Midi.MidiExport.Bundle([new(a, 2), new(b, 1)], "S");
        File.WriteAllText(cli.Path("bundle.json"), Core.Songs.SongJson.Write(bundle));
        Assert.Equal(0, cli.Run("render", cli.Path("files.json"), "-o", cli.Path("files.wav"), "--format", "32f").Code);
        var (code, _, err) = cli.Run("render", cli.Path("bundle.json"), "-o", cli.Path("bundle.wav"), "--format", "32f");
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllBytes(cli.Path("files.wav")), File.ReadAllBytes(cli.Path("bundle.wav")));

        // Its MIDI file carries the bundle: import-midi writes the song and its two patterns back.
        Assert.Equal(0, cli.Run("midi", cli.Path("bundle.json"), "-o", cli.Path("song.mid")).Code);
        (code, _, err) = cli.Run("import-midi", cli.Path("song.mid"), "-o", cli.Path("back.json"));
        Assert.True(code == 0, err);
        Assert.Equal(a, PatternJson.Read(File.ReadAllBytes(cli.Path("back-01.json"))).Pattern);
        Assert.Equal(b, PatternJson.Read(File.ReadAllBytes(cli.Path("back-02.json"))).Pattern);
        Assert.Equal(0, cli.Run("render", cli.Path("back.json"), "-o", cli.Path("back.wav"), "--format", "32f").Code);
        Assert.Equal(File.ReadAllBytes(cli.Path("files.wav")), File.ReadAllBytes(cli.Path("back.wav")));
    }
}
