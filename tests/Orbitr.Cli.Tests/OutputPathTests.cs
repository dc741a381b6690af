using Orbitr.Cli.Io;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;

namespace Orbitr.Cli.Tests;

/// <summary>Where <c>-o</c> writes: files atomically (links kept, modes kept), pipes and devices as they are, <c>-</c>
/// to standard output; folders, missing folders and the input itself refused before any work.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class OutputPathTests
{
    private static string Pattern(CliRunner cli, string name = "p.json")
    {
        var path = cli.Path(name);
        File.WriteAllBytes(path, PatternJson.WriteUtf8(PatternEditor.EuclideanFill(PatternFactory.Create(4, 1), 0, 4)));
        return path;
    }

    private static bool IsRoot => Environment.UserName == "root";

    [Fact]
    public void Dash_writes_the_file_to_standard_output_and_nothing_else()
    {
        using var cli = new CliRunner();
        var p = Pattern(cli);
        var (code, output, err) = cli.Run("render", p, "-o", "-", "--tail", "0");
        Assert.True(code == 0, err);
        Assert.Equal("", output); // the summary would corrupt the WAV
        var piped = cli.Stdout;
        Assert.Equal(0, cli.Run("render", p, "-o", cli.Path("file.wav"), "--tail", "0").Code);
        Assert.Equal(File.ReadAllBytes(cli.Path("file.wav")), piped);
        Assert.Equal(0, cli.Run("midi", p, "-o", "-").Code);
        Assert.Equal("MThd", System.Text.Encoding.ASCII.GetString(cli.Stdout, 0, 4));
        Assert.Equal(0, cli.Run("new", "-o", "-").Code);
        Assert.True(PatternJson.Read(cli.Stdout).Ok);
        Assert.Empty(Directory.GetFiles(cli.Dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_symbolic_link_stays_a_link_and_its_target_gets_the_file()
    {
        using var cli = new CliRunner();
        var p = Pattern(cli);
        File.WriteAllText(cli.Path("real.wav"), "old");
        File.CreateSymbolicLink(cli.Path("link.wav"), "real.wav");
        var (code, _, err) = cli.Run("render", p, "-o", cli.Path("link.wav"), "--tail", "0");
        Assert.True(code == 0, err);
        Assert.Equal("real.wav", new FileInfo(cli.Path("link.wav")).LinkTarget);
        Assert.Equal(44100 * 2, WavReader.ReadFile(cli.Path("real.wav")).Length);
        Assert.Empty(Directory.GetFiles(cli.Dir, "*.tmp"));
    }

    [Fact]
    public void A_device_is_written_as_it_is_not_replaced()
    {
        using var cli = new CliRunner();
        var p = Pattern(cli);
        var before = new FileInfo("/dev/null");
        var (code, _, err) = cli.Run("render", p, "-o", "/dev/null", "--tail", "0");
        Assert.True(code == 0, err);
        Assert.Equal(0, cli.Run("midi", p, "-o", "/dev/null").Code);
        Assert.Equal(FileKind.Other, FileStat.Of("/dev/null").Kind); // still the device (as root the old code replaced it)
        Assert.Equal(before.Exists, new FileInfo("/dev/null").Exists);
    }

    [Fact]
    public async Task A_fifo_is_written_as_it_is()
    {
        using var cli = new CliRunner();
        var p = Pattern(cli);
        var fifo = cli.Path("pipe.mid");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync();
        Assert.Equal(FileKind.Other, FileStat.Of(fifo).Kind);
        var reader = Task.Run(() => File.ReadAllBytes(fifo));
        var (code, _, err) = cli.Run("midi", p, "-o", fifo);
        Assert.True(code == 0, err);
        var bytes = await reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("MThd", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(FileKind.Other, FileStat.Of(fifo).Kind);
    }

    [Fact]
    public void Overwriting_a_file_keeps_its_permissions()
    {
        using var cli = new CliRunner();
        var p = Pattern(cli);
        var o = cli.Path("o.mid");
        File.WriteAllText(o, "old");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(o, mode);
        Assert.Equal(0, cli.Run("midi", p, "-o", o).Code);
        Assert.Equal(mode, File.GetUnixFileMode(o));
        Assert.Equal("MThd", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(o), 0, 4));
    }

    [Fact]
    public void The_output_may_not_be_the_input_even_through_a_link()
    {
        using var cli = new CliRunner();
        var p = Pattern(cli);
        var original = File.ReadAllBytes(p);
        File.CreateSymbolicLink(cli.Path("alias.json"), p);
        foreach (var output in new[] { p, cli.Path("alias.json"), Path.Combine(cli.Dir, ".", "p.json") })
            foreach (var command in new[] { "render", "midi" })
            {
                var (code, _, err) = cli.Run(command, p, "-o", output);
                Assert.Equal(ExitCodes.Usage, code);
                Assert.Contains("is the input p.json", err);
            }
        Assert.Equal(1, cli.Run("render", cli.Path("alias.json"), "-o", p).Code);
        Assert.Equal(original, File.ReadAllBytes(p));
    }

    [Fact]
    public void A_folder_as_output_is_refused_before_rendering()
    {
        using var cli = new CliRunner();
        var p = Pattern(cli);
        Directory.CreateDirectory(cli.Path("out"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // 10,000 cycles take seconds to render: a refusal before the render is instant.
        var (code, _, err) = cli.Run("render", p, "-o", cli.Path("out"), "--cycles", "10000", "-r", "8000");
        Assert.Equal(ExitCodes.Io, code);
        Assert.Contains($"cannot write {cli.Path("out")}: it is a folder", err);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Empty(Directory.GetFiles(cli.Dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Validate_of_a_folder_says_it_is_a_folder()
    {
        using var cli = new CliRunner();
        var (code, _, err) = cli.Run("validate", cli.Dir);
        Assert.Equal(ExitCodes.Io, code);
        Assert.Contains("is a folder, not a pattern file", err);
        Assert.DoesNotContain("does not exist", err);
    }

    [Fact]
    public void An_unwritable_folder_is_reported_with_the_given_path_not_the_temporary_name()
    {
        using var cli = new CliRunner();
        var p = Pattern(cli);
        // /proc refuses new files even to root.
        var (code, _, err) = cli.Run("midi", p, "-o", "/proc/orbitr-test.mid");
        Assert.Equal(ExitCodes.Io, code);
        Assert.Contains("cannot write /proc/orbitr-test.mid", err);
        Assert.DoesNotContain(".tmp", err);
        if (IsRoot) return; // root writes into a mode-555 folder
        Directory.CreateDirectory(cli.Path("ro"));
        File.SetUnixFileMode(cli.Path("ro"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var ro = cli.Run("render", p, "-o", cli.Path("ro/o.wav"));
        Assert.Equal(ExitCodes.Io, ro.Code);
        Assert.Contains($"cannot write {cli.Path("ro/o.wav")}: permission denied", ro.Err);
        Assert.DoesNotContain(".tmp", ro.Err);
    }
}
