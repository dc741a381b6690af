using System.Text.Json;
using Microsoft.Playwright;

namespace Orbitr.EndToEnd.Tests.Midi;

/// <summary>A page-level Web MIDI test port (no MIDI device exists on the test machine): navigator.requestMIDIAccess
/// answers one output that records every send(data, timestamp) and one input the test plays into with timestamps
/// of its choosing. Beside it the page samples the live AudioContext's getOutputTimestamp() every 5 ms, so a test
/// can map audio-clock onsets to performance time as the browser reports them.</summary>
public static class TestMidiPort
{
    public const string OutputName = "Test out", InputName = "Test in";

    public const string Script = """
        (() => {
          const g = globalThis;
          g.__midiSent = [];
          g.__outputOffsets = [];
          const output = { id: 'test-out', name: 'Test out', type: 'output', state: 'connected', connection: 'open',
            send(data, timestamp) { g.__midiSent.push({ data: Array.from(data), ts: timestamp ?? performance.now(), at: performance.now() }); } };
          const input = { id: 'test-in', name: 'Test in', type: 'input', state: 'connected', connection: 'open', onmidimessage: null };
          g.__midiIn = (bytes, timeStamp) => input.onmidimessage?.({ data: new Uint8Array(bytes), timeStamp: timeStamp ?? performance.now() });
          navigator.requestMIDIAccess = async () => ({
            inputs: new Map([[input.id, input]]), outputs: new Map([[output.id, output]]), sysexEnabled: false, onstatechange: null });
          setInterval(() => {
            const c = g.__orbitrContexts?.at(-1);
            if (!c || c.state !== 'running') return;
            const ts = c.getOutputTimestamp();
            if (ts.contextTime > 0 && ts.performanceTime > 0) g.__outputOffsets.push([ts.performanceTime, ts.performanceTime - 1000 * ts.contextTime]);
          }, 5);
        })();
        """;

    public sealed record Sent(int[] Data, double Ts, double At);

    public static async Task<List<Sent>> SentAsync(IPage page) =>
        JsonSerializer.Deserialize<List<Sent>>(await page.EvaluateAsync<string>("() => JSON.stringify(globalThis.__midiSent)"),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>Every reading: (performance time, performance time − 1000 × audio-clock time). The relation moves when
    /// the audio output glitches (its clock stops while performance time runs on), as it does on a loaded machine.</summary>
    public static async Task<List<(double Perf, double Offset)>> ReadingsAsync(IPage page) =>
        (await page.EvaluateAsync<double[][]>("() => globalThis.__outputOffsets")).Select(r => (r[0], r[1])).ToList();

    /// <summary>The relation as the browser reported it in the second before <paramref name="at"/> (performance ms).</summary>
    public static double OffsetBefore(List<(double Perf, double Offset)> readings, double at)
    {
        var window = readings.Where(r => r.Perf <= at && r.Perf >= at - 1000).Select(r => r.Offset).ToList();
        return Median(window.Count > 0 ? window : readings.Where(r => r.Perf <= at + 100).Select(r => r.Offset).DefaultIfEmpty(Median(readings.Select(x => x.Offset))));
    }

    /// <summary>Whether the relation moved by more than 0.5 ms between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static bool Moved(List<(double Perf, double Offset)> readings, double from, double to)
    {
        var window = readings.Where(r => r.Perf >= from && r.Perf <= to).Select(r => r.Offset).ToList();
        return window.Count > 1 && window.Max() - window.Min() > 0.5;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        Assert.NotEmpty(sorted);
        return sorted[sorted.Length / 2];
    }

    /// <summary>Opens the MIDI menu and turns Web MIDI on (the menu stays open).</summary>
    public static async Task TurnOnAsync(AppPage app)
    {
        await app.OpenMenuAsync("MIDI");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on MIDI", Exact = true }).ClickAsync();
        await Assertions.Expect(app.Page.GetByLabel("MIDI output")).ToBeVisibleAsync();
    }
}
