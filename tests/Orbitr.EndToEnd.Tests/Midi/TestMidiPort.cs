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
            if (ts.contextTime > 0 && ts.performanceTime > 0) g.__outputOffsets.push(ts.performanceTime - 1000 * ts.contextTime);
          }, 5);
        })();
        """;

    public sealed record Sent(int[] Data, double Ts, double At);

    public static async Task<List<Sent>> SentAsync(IPage page) =>
        JsonSerializer.Deserialize<List<Sent>>(await page.EvaluateAsync<string>("() => JSON.stringify(globalThis.__midiSent)"),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>The median of the page's output-timestamp readings: performance time − 1000 × audio-clock time.</summary>
    public static async Task<double> OutputOffsetAsync(IPage page)
    {
        var offsets = (await page.EvaluateAsync<double[]>("() => globalThis.__outputOffsets")).Order().ToArray();
        Assert.NotEmpty(offsets);
        return offsets[offsets.Length / 2];
    }

    /// <summary>Opens the MIDI menu and turns Web MIDI on (the menu stays open).</summary>
    public static async Task TurnOnAsync(AppPage app)
    {
        await app.OpenMenuAsync("MIDI");
        await app.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on MIDI", Exact = true }).ClickAsync();
        await Assertions.Expect(app.Page.GetByLabel("MIDI output")).ToBeVisibleAsync();
    }
}
