using System.Text.Json;
using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

/// <summary>
/// `--profile`: where the renderer's main-thread time and memory go during dense playback (8 × 64 at 200 BPM, 20 s,
/// without the test instrumentation): CPU profile self time by function, the Performance domain's busy time, the JS
/// and WASM heaps and the renderer's largest memory mappings.
/// </summary>
internal static class Profile
{
    public static async Task RunAsync(IBrowser browser, string url, int seconds)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = url, ViewportSize = new() { Width = 1280, Height = 900 } });
        // The WASM memory of the .NET runtime, caught where the module is instantiated.
        await context.AddInitScriptAsync("""
            (() => {
              const keep = (r) => { const i = r.instance ?? r; for (const v of Object.values(i.exports ?? {})) if (v instanceof WebAssembly.Memory) (window.__wasmMemories ??= []).push(v); return r; };
              const s = WebAssembly.instantiateStreaming, p = WebAssembly.instantiate;
              WebAssembly.instantiateStreaming = (...a) => s.apply(WebAssembly, a).then(keep);
              WebAssembly.instantiate = (...a) => p.apply(WebAssembly, a).then(keep);
              // The bytes of every AudioBuffer made with the constructor (the app's samples).
              window.__bufferBytes = 0; window.__buffers = 0;
              const B = AudioBuffer;
              window.AudioBuffer = class extends B { constructor(o) { super(o); window.__bufferBytes += o.length * o.numberOfChannels * 4; window.__buffers++; } };
            })();
            """);
        var page = await context.NewPageAsync();
        // PROFILE_QUERY=gc=…&opts=…: start Blazor by hand with Mono GC parameters or runtime options (experiments).
        if (Environment.GetEnvironmentVariable("PROFILE_QUERY") is { } query)
        {
            var q = System.Web.HttpUtility.ParseQueryString(query);
            await page.RouteAsync(url + "/", async route =>
            {
                var response = await route.FetchAsync();
                var html = (await response.TextAsync()).Replace("<script src=\"_framework/blazor.webassembly.js\"></script>",
                    "<script src=\"_framework/blazor.webassembly.js\" autostart=\"false\"></script><script type=\"module\" src=\"js/boot-exp.js\"></script>");
                await route.FulfillAsync(new() { Response = response, Body = html });
            });
            await page.RouteAsync(url + "/js/boot-exp.js", route => route.FulfillAsync(new()
            {
                ContentType = "text/javascript",
                Body = "Blazor.start({ configureRuntime: (d) => { " +
                    (q["gc"] is { } gc ? $"d.withEnvironmentVariable('MONO_GC_PARAMS', '{gc}'); " : "") +
                    (q["opts"] is { } opts ? $"d.withRuntimeOptions({JsonSerializer.Serialize(opts.Split(','))}); " : "") + "} });",
            }));
        }
        var cdp = await context.NewCDPSessionAsync(page);
        page.Console += (_, m) => { if (m.Type is "error" or "warning") Console.WriteLine($"console {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => Console.WriteLine($"page error: {e}");
        await page.GotoAsync("/");
        await page.Locator(".app.ready").WaitForAsync(new() { Timeout = 60_000 });
        await page.WaitForTimeoutAsync(3000);
        Console.WriteLine($"app ready (default pattern): largest renderer {(await BenchPage.RendererRssAsync(browser)).Values.Max() / 1e6:0} MB; {await MemoryAsync(page)}");
        var pattern = BenchPage.Dense();
        await BenchPage.DropAsync(page, "bench.json", pattern);
        await page.WaitForTimeoutAsync(2000);
        Console.WriteLine($"before play (8 × 64): largest renderer {(await BenchPage.RendererRssAsync(browser)).Values.Max() / 1e6:0} MB; {await MemoryAsync(page)}");

        await cdp.SendAsync("Performance.enable");
        await cdp.SendAsync("Profiler.enable");
        await cdp.SendAsync("Profiler.setSamplingInterval", new() { ["interval"] = 200 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await page.WaitForTimeoutAsync(2_000);
        var before = await MetricsAsync(cdp);
        await cdp.SendAsync("Profiler.start");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await page.WaitForTimeoutAsync(seconds * 1000);
        var profile = await cdp.SendAsync("Profiler.stop");
        var wall = clock.Elapsed.TotalSeconds;
        var after = await MetricsAsync(cdp);
        Console.WriteLine($"while playing: largest renderer {(await BenchPage.RendererRssAsync(browser)).Values.Max() / 1e6:0} MB; {await MemoryAsync(page)}");
        foreach (var (name, value) in after.OrderBy(kv => kv.Key))
            if (name.EndsWith("Duration", StringComparison.Ordinal))
                Console.WriteLine($"  {name}: {100 * (value - before[name]) / wall:0.0} % of wall time");
        foreach (var name in new[] { "Nodes", "JSEventListeners", "LayoutCount", "RecalcStyleCount", "Documents" })
            if (after.TryGetValue(name, out var v)) Console.WriteLine($"  {name}: {v} (+{v - before.GetValueOrDefault(name)})");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "orbitr-playing.png") });
        Summarize(profile!.Value.GetProperty("profile"), wall);
        await TraceAsync(browser, page, seconds: 5);
        Console.WriteLine($"largest renderer before a forced GC: {(await BenchPage.RendererRssAsync(browser)).Values.Max() / 1e6:0} MB");
        await cdp.SendAsync("HeapProfiler.collectGarbage");
        await page.WaitForTimeoutAsync(2000);
        Console.WriteLine($"largest renderer 2 s after a forced GC (still playing): {(await BenchPage.RendererRssAsync(browser)).Values.Max() / 1e6:0} MB; {await MemoryAsync(page)}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        await RendererMappingsAsync(browser);
        await context.CloseAsync();
    }

    static async Task<string> MemoryAsync(IPage page) => await page.EvaluateAsync<string>("""
        () => {
          const wasm = (window.__wasmMemories ?? []).map(m => (m.buffer.byteLength / 1e6).toFixed(0) + ' MB').join(' + ');
          const js = performance.memory ? (performance.memory.usedJSHeapSize / 1e6).toFixed(1) + ' MB used / ' + (performance.memory.totalJSHeapSize / 1e6).toFixed(1) + ' MB' : '?';
          return `WASM memory ${wasm || '?'}, JS heap ${js}, DOM elements ${document.getElementsByTagName('*').length}, AudioBuffers ${window.__buffers} (${(window.__bufferBytes / 1e6).toFixed(1)} MB)`;
        }
        """);

    static async Task<Dictionary<string, double>> MetricsAsync(ICDPSession cdp)
    {
        var m = await cdp.SendAsync("Performance.getMetrics");
        return m!.Value.GetProperty("metrics").EnumerateArray().ToDictionary(x => x.GetProperty("name").GetString()!, x => x.GetProperty("value").GetDouble());
    }

    // Self time per function (sampling profile): sample counts × the mean interval.
    static void Summarize(JsonElement profile, double wall)
    {
        var nodes = profile.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetInt32());
        var counts = new Dictionary<int, int>();
        foreach (var s in profile.GetProperty("samples").EnumerateArray()) counts[s.GetInt32()] = counts.GetValueOrDefault(s.GetInt32()) + 1;
        var total = counts.Values.Sum();
        var self = new Dictionary<string, int>();
        foreach (var (id, n) in counts)
        {
            var f = nodes[id].GetProperty("callFrame");
            var file = f.GetProperty("url").GetString() ?? "";
            var key = $"{f.GetProperty("functionName").GetString()} {Path.GetFileName(file)}:{f.GetProperty("lineNumber").GetInt32()}";
            self[key] = self.GetValueOrDefault(key) + n;
        }
        Console.WriteLine($"CPU profile: {total} samples over {wall:0.0} s; self time by function (% of samples):");
        foreach (var (key, n) in self.OrderByDescending(kv => kv.Value).Take(30))
            Console.WriteLine($"  {100.0 * n / total,5:0.0} %  {key}");
        // By file, for the whole picture.
        var byFile = new Dictionary<string, int>();
        foreach (var (id, n) in counts)
        {
            var f = nodes[id].GetProperty("callFrame");
            var file = Path.GetFileName(f.GetProperty("url").GetString() ?? "");
            if (file.Length == 0) file = f.GetProperty("functionName").GetString() ?? "";
            byFile[file] = byFile.GetValueOrDefault(file) + n;
        }
        Console.WriteLine("by file:");
        foreach (var (key, n) in byFile.OrderByDescending(kv => kv.Value).Take(12))
            Console.WriteLine($"  {100.0 * n / total,5:0.0} %  {key}");
    }

    // A Chromium trace of a few seconds of playback: the renderer main thread's events by summed duration (nested
    // events count in their parents too), and one memory-infra dump: each process's allocators.
    static async Task TraceAsync(IBrowser browser, IPage page, int seconds)
    {
        var session = await browser.NewBrowserCDPSessionAsync();
        var events = new List<JsonElement>();
        var complete = new TaskCompletionSource();
        session.Event("Tracing.dataCollected").OnEvent += (_, e) =>
        {
            if (e is { } j) lock (events) events.AddRange(j.GetProperty("value").EnumerateArray().Select(x => x.Clone()));
        };
        session.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
        await session.SendAsync("Tracing.start", new()
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object>
            {
                ["includedCategories"] = new[] { "devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "cc", "v8", "disabled-by-default-memory-infra", "toplevel" },
                ["memoryDumpConfig"] = new Dictionary<string, object> { ["triggers"] = Array.Empty<object>() },
            },
        });
        await page.WaitForTimeoutAsync(seconds * 1000);
        await session.SendAsync("Tracing.requestMemoryDump", new() { ["deterministic"] = true, ["levelOfDetail"] = "detailed" });
        await session.SendAsync("Tracing.end");
        await complete.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var threads = events.Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "thread_name")
            .ToDictionary(e => (e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32()), e => e.GetProperty("args").GetProperty("name").GetString() ?? "");
        var byThread = events.Where(e => e.GetProperty("ph").GetString() == "X" && e.TryGetProperty("dur", out _))
            .GroupBy(e => (e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32()))
            .Select(g => (Key: g.Key, Name: threads.GetValueOrDefault(g.Key, "?"), Events: g.ToList(), Top: g.Where(e => e.GetProperty("name").GetString() is "ThreadControllerImpl::RunTask" or "RunTask").Sum(e => e.GetProperty("dur").GetDouble())))
            .OrderByDescending(t => t.Top).ToList();
        foreach (var t in byThread.Take(6))
        {
            Console.WriteLine($"trace thread {t.Name} (pid {t.Key.Item1}): tasks {100 * t.Top / (seconds * 1e6):0.0} % of {seconds} s; events by summed duration:");
            foreach (var g in t.Events.GroupBy(e => e.GetProperty("name").GetString()).Select(g => (g.Key, Dur: g.Sum(e => e.GetProperty("dur").GetDouble()), N: g.Count())).OrderByDescending(g => g.Dur).Take(t.Name == "CrRendererMain" ? 30 : 6))
                Console.WriteLine($"  {100 * g.Dur / (seconds * 1e6),5:0.0} %  {g.N,6}×  {g.Key}");
        }
        foreach (var dump in events.Where(e => e.GetProperty("ph").GetString() == "v"))
        {
            if (!dump.GetProperty("args").TryGetProperty("dumps", out var d) || !d.TryGetProperty("allocators", out var allocators)) continue;
            var sizes = allocators.EnumerateObject()
                .Where(a => !a.Name.Contains('/', StringComparison.Ordinal) && a.Value.TryGetProperty("attrs", out var at) && at.TryGetProperty("size", out _))
                .Select(a => (a.Name, Bytes: Convert.ToInt64(a.Value.GetProperty("attrs").GetProperty("size").GetProperty("value").GetString(), 16)))
                .OrderByDescending(a => a.Bytes).Take(10).ToList();
            Console.WriteLine($"memory dump pid {dump.GetProperty("pid").GetInt32()}: " + string.Join(", ", sizes.Select(s => $"{s.Name} {s.Bytes / 1e6:0.0} MB")));
            if (sizes.Sum(s => s.Bytes) < 50_000_000) continue;
            // One level down in the big ones.
            foreach (var top in sizes.Take(6))
            {
                var parts = allocators.EnumerateObject()
                    .Where(a => a.Name.StartsWith(top.Name + "/", StringComparison.Ordinal) && a.Name.Count(c => c == '/') <= 2 && a.Value.TryGetProperty("attrs", out var at) && at.TryGetProperty("size", out _))
                    .Select(a => (a.Name, Bytes: Convert.ToInt64(a.Value.GetProperty("attrs").GetProperty("size").GetProperty("value").GetString(), 16)))
                    .Where(a => a.Bytes > 500_000).OrderByDescending(a => a.Bytes).Take(8);
                Console.WriteLine("    " + string.Join(", ", parts.Select(s => $"{s.Name} {s.Bytes / 1e6:0.0} MB")));
            }
        }
        await session.DetachAsync();
    }

    // The renderer processes' largest mappings by resident size (/proc/PID/smaps).
    static async Task RendererMappingsAsync(IBrowser browser)
    {
        var session = await browser.NewBrowserCDPSessionAsync();
        var info = await session.SendAsync("SystemInfo.getProcessInfo");
        foreach (var p in info!.Value.GetProperty("processInfo").EnumerateArray())
        {
            if (p.GetProperty("type").GetString() != "renderer") continue;
            var pid = p.GetProperty("id").GetInt32();
            var smaps = $"/proc/{pid}/smaps";
            if (!File.Exists(smaps)) continue;
            var rows = new List<(string Name, long Rss)>();
            string? name = null;
            foreach (var line in File.ReadLines(smaps))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 5 && parts[0].Contains('-', StringComparison.Ordinal) && !line.StartsWith("Rss", StringComparison.Ordinal) && parts[0].Length > 12)
                    name = parts.Length >= 6 ? parts[5] : $"[anon {parts[0]}]";
                else if (parts[0] == "Rss:" && name is not null) rows.Add((name, long.Parse(parts[1]) * 1024));
            }
            Console.WriteLine($"renderer {pid}: {rows.Sum(r => r.Rss) / 1e6:0} MB resident; largest:");
            foreach (var g in rows.GroupBy(r => r.Name.StartsWith("[anon", StringComparison.Ordinal) ? r.Name : r.Name).Select(g => (g.Key, Rss: g.Sum(r => r.Rss))).OrderByDescending(g => g.Rss).Take(12))
                Console.WriteLine($"  {g.Rss / 1e6,7:0.0} MB  {g.Key}");
        }
        await session.DetachAsync();
    }
}
