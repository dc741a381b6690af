using System.Diagnostics;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Tests.Waiting;

namespace Orbitr.Cli.Tests;

/// <summary>The built CLI as a process, stopped by a signal mid-render: no temporary file stays, it says so, and it
/// exits 128 + the signal.</summary>
public class CancellationTests
{
    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task A_signal_mid_render_deletes_the_temporary_file_and_exits_128_plus_the_signal(string signal, int expected)
    {
        // A child inherits an ignored signal (a shell's background job ignores SIGINT): nothing to test then.
        if (Ignored(signal == "INT" ? 2 : 15)) return;
        using var cli = new CliRunner();
        var dll = Path.Combine(AppContext.BaseDirectory, "orbitr.dll");
        var pattern = cli.Path("p.json");
        // Every step of eight rings through filter, distortion and delay: minutes of work at 8 kHz for 10,000 cycles.
        var p = PatternFactory.Create(8, 1);
        for (var t = 0; t < 8; t++)
            for (var s = 0; s < 16; s++)
                p = PatternEditor.SetStepEffects(PatternEditor.SetStepActive(p, t, s, true), t, s,
                    new StepEffects(new FilterEffect(FilterType.Lowpass, 500 + 100 * s, 2), new DistortionEffect(0.5), new DelayEffect(0.1 + 0.01 * t, 0.6, 0.4)));
        File.WriteAllBytes(pattern, PatternJson.WriteUtf8(p));
        File.WriteAllText(cli.Path("long.wav"), "previous");
        // 10,000 cycles (5.5 hours of audio): long enough to be stopped in the middle.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = cli.Dir };
        foreach (var a in new[] { dll, "render", pattern, "-o", cli.Path("long.wav"), "--cycles", "10000", "-r", "8000" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        // Into the render: its temporary file has audio in it (the first 64 KiB written through).
        await Eventually.ValueAsync(() => Directory.GetFiles(cli.Dir, ".long.wav.*.tmp").Select(f => new FileInfo(f).Length).ToArray(),
            sizes => process.HasExited || sizes.Any(n => n > 0), TimeSpan.FromSeconds(60), "the render to write into its temporary file (sizes)");
        if (process.HasExited) Assert.Fail("the render ended before it could be stopped: " + await err + await output);
        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var (stderr, stdout) = (await err, await output);
        Assert.True(expected == process.ExitCode, $"exit {process.ExitCode}: {stderr} {stdout}");
        Assert.Equal("orbitr: cancelled", stderr.Trim());
        Assert.Equal("", stdout);
        Assert.Empty(Directory.GetFiles(cli.Dir, "*.tmp"));
        Assert.Equal("previous", File.ReadAllText(cli.Path("long.wav")));
    }

    private static bool Ignored(int signal)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line[7..].Trim(), 16) & (1UL << (signal - 1))) != 0;
    }
}
