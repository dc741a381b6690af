using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Playwright;
using Orbitr.Dsp.Master;

namespace Orbitr.EndToEnd.Tests;

/// <summary>The browser's limiter (wwwroot/js/limiter.worklet.js) against the export's (LookAheadLimiter): the same
/// float32 signal through both, in Chromium's OfflineAudioContext and in C#, must come out the same, the worklet's
/// output later by its latency. No Orbitr server: the page and the worklet are served by Playwright's routing.</summary>
public sealed class LimiterWorkletTests(LimiterWorkletBrowser browser) : IClassFixture<LimiterWorkletBrowser>
{
    private static readonly double MaxResidual = Math.Pow(10, -90 / 20.0);

    [Fact]
    public async Task Worklet_limiter_matches_the_dsp_limiter_while_working_hard()
    {
        const int rate = 48_000;
        const double ceilingDb = -1;
        var ceiling = (float)Math.Pow(10, ceilingDb / 20);
        var (left, right) = HardSignal(rate, (int)(2.5 * rate));

        var render = await browser.RenderAsync(left, right, rate, ceilingDb);
        var (expectedL, expectedR) = DspLimiter(left, right, ceilingDb, rate);

        Assert.Equal(Latency(rate), render.Latency);
        Assert.True(Peak(left, right) >= 2 * ceiling, $"input peak {Peak(left, right)} is not 6 dB over the ceiling");
        Assert.True(Peak(expectedL, expectedR) <= ceiling, $"C# output peak {Peak(expectedL, expectedR)} is over the ceiling");
        // Somewhere the gain is down by more than 9 dB: the limiter is really working, not passing through.
        var minGain = 1.0;
        for (var t = 0; t < left.Length; t++)
        {
            if (Math.Abs(left[t]) > 0.5) minGain = Math.Min(minGain, Math.Abs(expectedL[t] / left[t]));
        }
        Assert.True(minGain < 0.35, $"smallest gain {minGain}");

        var residual = Residual(render, expectedL, expectedR);
        Console.WriteLine($"limiter worklet vs LookAheadLimiter at {rate} Hz, {ceilingDb} dBFS: residual {Dbfs(residual)}, latency {render.Latency} frames");
        Assert.True(residual <= MaxResidual, $"residual {Dbfs(residual)}");
        // The port is exact: a float rounding left out (c's release step in double, say) stays under −90 dBFS but not
        // under this.
        AssertSameSamples(render, expectedL, expectedR);
        AssertSilentHead(render);
    }

    [Fact]
    public async Task In_true_peak_mode_the_worklet_matches_the_dsp_limiter_and_both_stay_under_the_ceiling_in_dbtp()
    {
        // Issue 25: the same 4× interpolation (BS.1770) in C# and in the worklet, sample for sample.
        const int rate = 44_100;
        const double ceilingDb = -1;
        var ceiling = (float)Math.Pow(10, ceilingDb / 20);
        var (left, right) = HardSignal(rate, 2 * rate);
        // Near-Nyquist tones, whose peaks fall between samples: a sample-peak limiter lets them through at +dBTP.
        for (var t = 0; t < left.Length; t++)
        {
            left[t] += (float)(0.9 * Math.Sin(2 * Math.PI * rate / 4.0 * t / rate + Math.PI / 4));
            right[t] += (float)(0.8 * Math.Sin(2 * Math.PI * 19_000.0 * t / rate));
        }
        var render = await browser.RenderAsync(left, right, rate, ceilingDb, truePeak: true);
        var (expectedL, expectedR) = DspLimiter(left, right, ceilingDb, rate, truePeak: true);
        Assert.Equal(Latency(rate) + 11, render.Latency);
        AssertSameSamples(render, expectedL, expectedR);
        AssertSilentHead(render);
        var truePeak = TruePeak.Of(expectedL, expectedR);
        var (samplePeakL, samplePeakR) = DspLimiter(left, right, ceilingDb, rate);
        var samplePeakMode = TruePeak.Of(samplePeakL, samplePeakR);
        Console.WriteLine($"true-peak limiter at {ceilingDb} dBTP: {20 * Math.Log10(truePeak):F2} dBTP (the sample-peak limiter: {20 * Math.Log10(samplePeakMode):F2} dBTP)");
        Assert.True(20 * Math.Log10(samplePeakMode) > ceilingDb + 0.5, "the signal has inter-sample overs for a sample-peak limiter");
        Assert.True(20 * Math.Log10(truePeak) <= ceilingDb + 0.05, $"{20 * Math.Log10(truePeak):F3} dBTP");
        Assert.True(truePeak >= ceiling * 0.9f, "the limiter is not just turning everything down");
    }

    [Fact]
    public async Task Worklet_limiter_passes_a_signal_under_the_ceiling_bit_identical_only_delayed()
    {
        const int rate = 44_100;
        const double ceilingDb = -3;
        var ceiling = (float)Math.Pow(10, ceilingDb / 20);
        var frames = rate;
        var left = new float[frames];
        var right = new float[frames];
        var random = new Random(7);
        for (var t = 0; t < frames; t++)
        {
            left[t] = (float)(0.4 * Math.Sin(2 * Math.PI * 220 * t / rate) + 0.2 * Math.Sin(2 * Math.PI * 3_001 * t / rate) + 0.05 * (random.NextDouble() - 0.5));
            right[t] = (float)(0.5 * Math.Sin(2 * Math.PI * 331 * t / rate + 1) + 0.1 * (random.NextDouble() - 0.5));
        }
        Assert.True(Peak(left, right) is > 0.6f and <= 0.7f && ceiling > 0.7f);

        var render = await browser.RenderAsync(left, right, rate, ceilingDb);
        var (expectedL, expectedR) = DspLimiter(left, right, ceilingDb, rate);

        Assert.Equal(Latency(rate), render.Latency);
        Assert.Equal(left, expectedL);
        Assert.Equal(right, expectedR);
        Assert.Equal(left, render.Left.AsSpan(render.Latency, frames).ToArray());
        Assert.Equal(right, render.Right.AsSpan(render.Latency, frames).ToArray());
        Console.WriteLine($"limiter worklet under the ceiling at {rate} Hz, {ceilingDb} dBFS: residual {Dbfs(Residual(render, expectedL, expectedR))}, latency {render.Latency} frames");
        AssertSilentHead(render);
    }

    [Fact]
    public async Task Worklet_limiter_takes_a_new_ceiling_from_its_port()
    {
        const int rate = 48_000;
        var (left, right) = HardSignal(rate, rate / 2);

        // Built at −1 dBFS, told −6 dBFS before rendering: the output must be C#'s at −6 dBFS.
        var render = await browser.RenderAsync(left, right, rate, ceilingDb: -1, messageCeilingDb: -6);
        var (expectedL, expectedR) = DspLimiter(left, right, -6, rate);

        var ceiling = (float)Math.Pow(10, -6 / 20.0);
        Assert.True(Peak(render.Left, render.Right) <= ceiling, $"worklet peak {Peak(render.Left, render.Right)} over −6 dBFS");
        var residual = Residual(render, expectedL, expectedR);
        Console.WriteLine($"limiter worklet after a port message to −6 dBFS: residual {Dbfs(residual)}");
        Assert.True(residual <= MaxResidual, $"residual {Dbfs(residual)}");
        AssertSameSamples(render, expectedL, expectedR);
    }

    // Sines, with kicks and clicks 7–13 dB over a −1 dBFS ceiling; a second of sines alone in the middle lets the
    // limiter recover fully (and both implementations take their idle path) before the last kicks.
    private static (float[] Left, float[] Right) HardSignal(int rate, int frames)
    {
        var left = new float[frames];
        var right = new float[frames];
        var random = new Random(1234);
        for (var t = 0; t < frames; t++)
        {
            var s = (double)t / rate;
            left[t] = (float)(0.3 * Math.Sin(2 * Math.PI * 110 * s) + 0.15 * Math.Sin(2 * Math.PI * 1_234.5 * s));
            right[t] = (float)(0.25 * Math.Sin(2 * Math.PI * 87 * s + 0.5) + 0.2 * Math.Sin(2 * Math.PI * 2_345.6 * s));
        }
        var quiet = (Start: rate, End: 2 * rate);
        for (var k = 0; k * rate / 4 < frames; k++)
        {
            var at = k * rate / 4;
            if (at >= quiet.Start && at < quiet.End) continue;
            var amplitude = 2.0 + 1.5 * random.NextDouble();
            for (var i = 0; i < rate * 3 / 100 && at + i < frames; i++)
            {
                // A kick: a falling pitch under a fast decay.
                var s = (double)i / rate;
                var kick = amplitude * Math.Exp(-s * 120) * Math.Sin(2 * Math.PI * (50 * s + 1_500 * s * Math.Exp(-s * 40) / 40 + 0.25));
                left[at + i] += (float)kick;
                right[at + i] += (float)(0.8 * kick);
            }
            // A click between kicks: a few samples, on one channel only.
            var click = at + rate / 8 + random.Next(rate / 16);
            for (var i = 0; i < 3 && click + i < frames; i++) right[click + i] = (float)(i == 1 ? -3.2 : 2.4);
        }
        return (left, right);
    }

    private static int Latency(int rate) => Orbitr.Dsp.Master.LookAheadLimiter.WindowFrames(rate) - 1;

    private static (float[] Left, float[] Right) DspLimiter(float[] left, float[] right, double ceilingDb, int rate, bool truePeak = false)
    {
        var l = (float[])left.Clone();
        var r = (float[])right.Clone();
        Limiter.Process(l, r, ceilingDb, rate, truePeak);
        return (l, r);
    }

    // Largest |worklet[t + latency] − C#[t]| over both channels.
    private static double Residual(LimiterWorkletBrowser.Render render, float[] expectedL, float[] expectedR)
    {
        var worst = 0.0;
        for (var t = 0; t < expectedL.Length; t++)
        {
            worst = Math.Max(worst, Math.Abs((double)render.Left[t + render.Latency] - expectedL[t]));
            worst = Math.Max(worst, Math.Abs((double)render.Right[t + render.Latency] - expectedR[t]));
        }
        return worst;
    }

    private static void AssertSameSamples(LimiterWorkletBrowser.Render render, float[] expectedL, float[] expectedR)
    {
        var differing = 0;
        for (var t = 0; t < expectedL.Length; t++)
        {
            if (BitConverter.SingleToInt32Bits(render.Left[t + render.Latency]) != BitConverter.SingleToInt32Bits(expectedL[t])) differing++;
            if (BitConverter.SingleToInt32Bits(render.Right[t + render.Latency]) != BitConverter.SingleToInt32Bits(expectedR[t])) differing++;
        }
        Assert.True(differing == 0, $"{differing} of {2 * expectedL.Length} samples differ from C#'s");
    }

    private static void AssertSilentHead(LimiterWorkletBrowser.Render render)
    {
        for (var t = 0; t < render.Latency; t++) Assert.True(render.Left[t] == 0 && render.Right[t] == 0, $"frame {t} before the latency is not silent");
    }

    private static float Peak(float[] left, float[] right)
    {
        var peak = 0f;
        for (var t = 0; t < left.Length; t++) peak = MathF.Max(peak, MathF.Max(MathF.Abs(left[t]), MathF.Abs(right[t])));
        return peak;
    }

    private static string Dbfs(double x) => x == 0 ? "−∞ dBFS (bit-identical)" : $"{20 * Math.Log10(x):F1} dBFS";
}

/// <summary>One headless Chromium for <see cref="LimiterWorkletTests"/>, rendering through the worklet in an
/// OfflineAudioContext on a page served by routing (http://localhost is a secure context, so audioWorklet exists).</summary>
public sealed class LimiterWorkletBrowser : IAsyncLifetime
{
    private const string Origin = "http://localhost:9";
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly string _worklet = File.ReadAllText(Path.Combine(FindRepoRoot(), "src", "Orbitr.Web", "wwwroot", "js", "limiter.worklet.js"));

    /// <summary>The worklet's output (frames + latency long) and the latency its port reported.</summary>
    public sealed record Render(float[] Left, float[] Right, int Latency);

    private sealed record PageResult(string Left, string Right, int Latency);

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("ORBITR_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-gpu"],
        });
    }

    /// <summary>Renders the stereo signal through an orbitr-limiter node built with <paramref name="ceilingDb"/>,
    /// then sent { ceilingDb: messageCeilingDb } when given.</summary>
    public async Task<Render> RenderAsync(float[] left, float[] right, int rate, double ceilingDb, double? messageCeilingDb = null, bool truePeak = false)
    {
        var context = await _browser!.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.RouteAsync($"{Origin}/**", route => new Uri(route.Request.Url).AbsolutePath switch
            {
                "/" => route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = "<!doctype html><title>limiter</title>" }),
                "/limiter.worklet.js" => route.FulfillAsync(new() { Status = 200, ContentType = "text/javascript", Body = _worklet }),
                _ => route.FulfillAsync(new() { Status = 404 }),
            });
            await page.GotoAsync($"{Origin}/");
            var latency = Orbitr.Dsp.Master.LookAheadLimiter.WindowFrames(rate) - 1 + (truePeak ? 11 : 0);
            var json = await page.EvaluateAsync<string>(Script, new
            {
                left = Convert.ToBase64String(MemoryMarshal.AsBytes(left.AsSpan())),
                right = Convert.ToBase64String(MemoryMarshal.AsBytes(right.AsSpan())),
                frames = left.Length,
                rate,
                latency,
                ceilingDb,
                messageCeilingDb,
                truePeak,
                windowSeconds = Orbitr.Dsp.Master.LookAheadLimiter.WindowSeconds, // the window's one home, as audio.js sends it
            });
            var result = JsonSerializer.Deserialize<PageResult>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            return new Render(Floats(result.Left), Floats(result.Right), result.Latency);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static float[] Floats(string base64) => MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(base64)).ToArray();

    // The context is latency frames longer than the signal, so the worklet's output holds all of it. The latency query
    // goes after the ceiling message: its answer means the processor has the new ceiling before rendering starts.
    private const string Script = """
        async ({ left, right, frames, rate, latency, ceilingDb, messageCeilingDb, truePeak, windowSeconds }) => {
          const decode = (b64) => {
            const bin = atob(b64);
            const bytes = new Uint8Array(bin.length);
            for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
            return new Float32Array(bytes.buffer);
          };
          const encode = (f) => {
            const bytes = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
            let s = '';
            for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
            return btoa(s);
          };
          const ctx = new OfflineAudioContext(2, frames + latency, rate);
          // Chromium loads worklet modules past Playwright's routing (a network error here): the page's own fetch is
          // routed, so the module goes in as a blob of the same file.
          const source = await (await fetch('/limiter.worklet.js')).text();
          const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
          await ctx.audioWorklet.addModule(url);
          URL.revokeObjectURL(url);
          const buffer = ctx.createBuffer(2, frames, rate);
          buffer.copyToChannel(decode(left), 0);
          buffer.copyToChannel(decode(right), 1);
          const player = new AudioBufferSourceNode(ctx, { buffer });
          const limiter = new AudioWorkletNode(ctx, 'orbitr-limiter', {
            numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2],
            channelCount: 2, channelCountMode: 'explicit', processorOptions: { ceilingDb, windowSeconds, truePeak },
          });
          player.connect(limiter).connect(ctx.destination);
          if (messageCeilingDb !== null && messageCeilingDb !== undefined) limiter.port.postMessage({ ceilingDb: messageCeilingDb });
          const reported = await new Promise((resolve) => {
            limiter.port.onmessage = (e) => resolve(e.data.latency);
            limiter.port.postMessage({ query: 'latency' });
          });
          player.start(0);
          const out = await ctx.startRendering();
          return JSON.stringify({ left: encode(out.getChannelData(0)), right: encode(out.getChannelData(1)), latency: reported });
        }
        """;

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orbitr.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Orbitr.slnx not found above the test folder");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
