using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

/// <summary>
/// `--first-load [--runs N] [--no-publish]` (issue 23): cold first visits of Orbitr against a trimmed Blazor
/// WebAssembly hello-world (bench/web/HelloWorld, published with Orbitr.Web's size settings) in one run. Orbitr is
/// served by its own published Orbitr.Server, the hello-world by a Kestrel host in this process with the same static
/// asset endpoints (MapStaticAssets on the publish manifest: precompressed brotli chosen by Accept-Encoding). Each
/// visit is a fresh browser context (empty cache, service workers blocked); it measures the bytes transferred (CDP
/// Network.loadingFinished encodedDataLength, until the network is idle after the click), LCP, CLS, and the time from
/// navigation start until a first click has taken effect, and for both apps a start-up timeline from Resource Timing
/// and marks set in the page by a MutationObserver.
/// </summary>
internal static class FirstLoad
{
    // The visit's marks in the page: a MutationObserver on the whole document from before the first script runs.
    // appRendered: Blazor's first render is in the DOM; restored/ready: Orbitr's start-up states; effect: the click
    // target's state (__STATE__: its text or aria-pressed) differs from what it was when the first trusted pointerdown
    // reached the window (capture phase: before the app's handler). Plus LCP, layout shifts, when
    // blazor.webassembly.js set window.Blazor (the script ran) and when the runtime's WebAssembly module was compiled
    // and instantiated.
    const string MarksScript = """
        (() => {
          const fl = window.__fl = { marks: {}, lcp: null, shifts: [], clicks: 0, pointerDowns: [], history: [] };
          const mark = (name) => { if (!(name in fl.marks)) fl.marks[name] = performance.now(); };
          const state = () => __STATE__;
          performance.setResourceTimingBufferSize(10000);
          const describe = (el) => !el ? null : el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
            (el.textContent ? ' "' + el.textContent.trim().slice(0, 30) + '"' : '');
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) fl.lcp = { time: e.startTime, size: e.size, element: describe(e.element) ?? e.url };
          }).observe({ type: 'largest-contentful-paint', buffered: true });
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) if (!e.hadRecentInput) fl.shifts.push([e.startTime, e.value]);
          }).observe({ type: 'layout-shift', buffered: true });
          addEventListener('pointerdown', (e) => {
            if (!e.isTrusted) return;
            if (!fl.clicks) fl.stateAtClick = state();
            fl.clicks++;
            fl.pointerDowns.push(performance.now());
            mark('firstPointerDown');
          }, true);
          let blazor;
          Object.defineProperty(window, 'Blazor', { configurable: true, enumerable: true, get: () => blazor, set: (v) => { mark('blazorScriptRan'); blazor = v; } });
          // dotnet.js compiles dotnet.native.wasm while it downloads (compileStreaming), then instantiates the module.
          for (const [api, name] of [['compileStreaming', 'wasmCompiled'], ['compile', 'wasmCompiled'], ['instantiateStreaming', 'wasmInstantiated'], ['instantiate', 'wasmInstantiated']]) {
            const f = WebAssembly[api];
            WebAssembly[api] = function (...a) { return f.apply(this, a).then((r) => { mark(name); return r; }); };
          }
          const checks = __CHECKS__;
          checks.effect = () => fl.clicks > 0 && state() !== fl.stateAtClick;
          const check = () => {
            const now = state();
            if (fl.history.at(-1)?.[1] !== now) fl.history.push([performance.now(), now]);
            let open = 0;
            for (const [name, test] of Object.entries(checks)) {
              if (name in fl.marks) continue;
              if (test()) { mark(name); if (name === 'effect') fl.effectAfter = fl.pointerDowns.at(-1); } else open++;
            }
            if (!open) observer.disconnect();
          };
          const observer = new MutationObserver(check);
          observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
        })();
        """;

    // Orbitr's first ring's step 1. The default pattern has it on: the first click turns it off (aria-pressed false).
    const string OrbitrTarget = "[data-track=\"0\"][data-step=\"0\"]";

    static readonly App[] Apps =
    [
        new("hello-world", "#counter", """
            {
              appRendered: () => !!document.querySelector('#counter'),
              targetExists: () => !!document.querySelector('#counter'),
            }
            """, "document.querySelector('#counter')?.textContent ?? null"),
        // The static shell in index.html has rings without data-step and a .stage without .loading: Blazor's first
        // render is the first .stage.loading or [data-step].
        new("Orbitr", OrbitrTarget, $$"""
            {
              appRendered: () => !!document.querySelector('#app .stage.loading, #app [data-step]'),
              restored: () => !!document.querySelector('#app [data-step]') && !document.querySelector('.stage.loading'),
              ready: () => !!document.querySelector('.app.ready'),
              targetExists: () => !!document.querySelector('{{OrbitrTarget}}'),
            }
            """, $"document.querySelector('{OrbitrTarget}')?.getAttribute('aria-pressed') ?? null"),
    ];

    public static async Task RunAsync(string root, string[] args)
    {
        var runs = 5;
        if (Array.IndexOf(args, "--runs") is var r and >= 0)
        {
            if (r + 1 >= args.Length || !int.TryParse(args[r + 1], out runs) || runs < 1)
                throw new ArgumentException("--runs takes a positive number");
        }
        // Outputs of their own (per worktree), apart from the default mode's orbitr-bench-web.
        var work = Path.Combine(Path.GetTempPath(), $"orbitr-bench-first-load-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..8]}");
        var orbitrPublish = Path.Combine(work, "orbitr");
        var helloPublish = Path.Combine(work, "hello");
        if (args.Contains("--no-publish") is false)
        {
            foreach (var dir in new[] { orbitrPublish, helloPublish })
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            Console.WriteLine("publishing Orbitr.Server…");
            Run("dotnet", $"publish \"{Path.Combine(root, "src", "Orbitr.Server")}\" -c Release -o \"{orbitrPublish}\" -nologo -v q");
            Console.WriteLine("publishing the hello-world (bench/web/HelloWorld)…");
            Run("dotnet", $"publish \"{Path.Combine(root, "bench", "web", "HelloWorld", "HelloWorld.csproj")}\" -c Release -o \"{helloPublish}\" -nologo -v q");
        }

        var orbitrUrl = $"http://127.0.0.1:{FreePort()}";
        using var server = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(orbitrPublish, "Orbitr.Server.dll"), "--urls", orbitrUrl])
        {
            WorkingDirectory = orbitrPublish, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["Logging__LogLevel__Default"] = "Warning", ["Orbitr__DataPath"] = Directory.CreateTempSubdirectory().FullName },
        })!;
        using var stopServer = new ServerStop(server);
        await using var hello = await StartHelloHostAsync(helloPublish);
        var helloUrl = hello.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using (var http = new HttpClient())
            for (var i = 0; ; i++)
            {
                try { if ((await http.GetAsync($"{orbitrUrl}/api/health")).IsSuccessStatusCode) break; }
                catch (HttpRequestException) when (i < 200) { await Task.Delay(100); }
            }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var urls = new[] { helloUrl, orbitrUrl };
        var loadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        // One visit of each first, not counted: the servers' own first requests (JIT, file handles) are not the app's.
        Console.WriteLine("warm-up visit of each server (not counted)…");
        for (var a = 0; a < Apps.Length; a++) await VisitAsync(browser, Apps[a], urls[a]);
        var visits = Apps.Select(_ => new List<Visit>()).ToArray();
        for (var run = 0; run < runs; run++)
            for (var a = 0; a < Apps.Length; a++)
            {
                var v = await VisitAsync(browser, Apps[a], urls[a]);
                visits[a].Add(v);
                Console.WriteLine($"  {Apps[a].Name,-11} run {run + 1}: {v.Bytes / 1e6:0.000} MB in {v.Requests.Count} requests, LCP {v.Lcp:0} ms, " +
                    $"CLS {v.Cls:0.000}, click effect {v.Effect:0} ms ({v.Clicks} click{(v.Clicks == 1 ? "" : "s")}, " +
                    $"{v.Effect - v.EffectAfter:0} ms after the pointerdown; {v.Change})");
            }

        Console.WriteLine();
        Console.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores ({CpuModel()}), Chromium {browser.Version}, load average {loadAverage} at the start");
        Console.WriteLine($"first load: {runs} cold visits of each app, alternating (fresh context, empty cache, service workers blocked, 1280×900, loopback, no throttling)");
        Console.WriteLine($"{"",-34}{"hello-world: median (min–max)",-32}{"Orbitr: median (min–max)",-32}{"Orbitr/hello",-14}target");
        Row("transferred, MB (CDP, wire)", v => v.Bytes / 1e6, "0.000", 1.15);
        Row("encoded bodies, MB (Res. Timing)", v => v.BodyBytes / 1e6, "0.000", null);
        Row("  requested after the click, MB", v => v.Resources.Where(x => x.Start >= v.Mark("firstPointerDown")).Sum(x => x.Body) / 1e6, "0.000", null);
        Row("requests", v => v.Requests.Count, "0", null);
        Row("FCP, ms", v => v.Fcp, "0", null);
        Row("LCP, ms", v => v.Lcp, "0", 1.0);
        Row("CLS", v => v.Cls, "0.000", null);
        Row("first click takes effect, ms", v => v.Effect, "0", 1.5);
        Row("  of which pointerdown → effect", v => v.Effect - v.EffectAfter, "0", null);
        foreach (var (app, vs) in Apps.Zip(visits))
            Console.WriteLine($"LCP element, {app.Name}: {string.Join(" | ", vs.Select(v => v.LcpElement).Distinct())}");
        foreach (var (app, vs) in Apps.Zip(visits))
            if (vs.Any(v => v.Failed > 0)) Console.WriteLine($"failed requests, {app.Name}: {string.Join(", ", vs.Select(v => v.Failed))}");

        Console.WriteLine();
        Console.WriteLine("start-up timeline, ms from navigation start: median (min–max)");
        var milestones = new (string Name, Func<Visit, double?> Of)[]
        {
            ("first paint", v => v.FirstPaint),
            ("first contentful paint", v => v.Fcp),
            ("blazor.webassembly.js requested", v => v.FindResource(@"/_framework/blazor\.webassembly(\.[a-z0-9]+)?\.js$")?.Start),
            ("blazor.webassembly.js downloaded", v => v.FindResource(@"/_framework/blazor\.webassembly(\.[a-z0-9]+)?\.js$")?.End),
            ("blazor.webassembly.js ran (window.Blazor set)", v => v.Mark("blazorScriptRan")),
            ("dotnet.js downloaded", v => v.FindResource(@"/_framework/dotnet(\.[a-z0-9]+)?\.js$")?.End),
            ("dotnet.native.wasm requested", v => v.FindResource(@"/_framework/dotnet\.native(\.[a-z0-9]+)?\.wasm$")?.Start),
            ("dotnet.native.wasm downloaded", v => v.FindResource(@"/_framework/dotnet\.native(\.[a-z0-9]+)?\.wasm$")?.End),
            ("dotnet.native.wasm compiled (compileStreaming)", v => v.Mark("wasmCompiled")),
            ("dotnet.native.wasm instantiated", v => v.Mark("wasmInstantiated")),
            ("last assembly downloaded", v => v.Resources.Where(x => Regex.IsMatch(x.Path, @"/_framework/(?!dotnet\.native).*\.wasm$")).Select(x => (double?)x.End).Max()),
            ("first Blazor render in the DOM", v => v.Mark("appRendered")),
            ("Orbitr: .stage loses .loading", v => v.Mark("restored")),
            ("Orbitr: .app.ready", v => v.Mark("ready")),
            ("click target exists", v => v.Mark("targetExists")),
            ("click target clickable (visible, topmost)", v => v.Mark("clickable")),
            ("click target painted (2 frames later)", v => v.Mark("painted")),
            ("first click lands (pointerdown)", v => v.Mark("firstPointerDown")),
            ("the click that took effect lands", v => v.EffectAfter),
            ("first click takes effect", v => v.Effect),
            ("LCP", v => v.Lcp),
            ("last response ends (Resource Timing)", v => v.Resources.Select(x => (double?)x.End).Append(v.NavigationEnd).Max()),
        };
        Console.WriteLine($"{"",-48}{"hello-world",-26}Orbitr");
        foreach (var (name, of) in milestones)
        {
            var cells = visits.Select(vs => vs.Select(of).Where(x => x is not null).Select(x => x!.Value).ToList())
                .Select(xs => xs.Count == 0 ? "—" : Cell(xs, "0")).ToArray();
            Console.WriteLine($"{name,-48}{cells[0],-26}{cells[1]}");
        }

        Console.WriteLine();
        Console.WriteLine("requests by kind (median visit's count and MB on the wire):");
        foreach (var (app, vs) in Apps.Zip(visits))
        {
            var kinds = vs.Select(v => v.Requests.GroupBy(q => Kind(new Uri(q.Url).AbsolutePath)).ToDictionary(g => g.Key, g => (g.Count(), g.Sum(q => q.Bytes)))).ToList();
            Console.WriteLine($"  {app.Name,-11} " + string.Join(", ", kinds.SelectMany(k => k.Keys).Distinct().Order()
                .Select(k => $"{k} {Median(kinds.Select(d => (double)d.GetValueOrDefault(k).Item1)):0} ({Median(kinds.Select(d => d.GetValueOrDefault(k).Item2)) / 1e6:0.000})")));
        }
        var others = visits[1].SelectMany(v => v.Requests).Select(q => new Uri(q.Url).AbsolutePath).Where(a => Kind(a) is not ("_framework wasm" or "_framework js")).Distinct().Order();
        Console.WriteLine($"  Orbitr outside _framework: {string.Join(" ", others)}");

        Console.WriteLine();
        var orbitr = visits[1];
        var total = Median(orbitr.Select(v => v.Bytes));
        Console.WriteLine($"Orbitr: top 10 transferred resources (median of {runs} visits; total {total / 1e6:0.000} MB)");
        var top = orbitr.SelectMany(v => v.Requests).GroupBy(q => q.Url)
            .Select(g => (Url: g.Key, Bytes: Median(g.Select(q => q.Bytes)), g.First().Encoding, g.First().Decoded))
            .OrderByDescending(x => x.Bytes).Take(10);
        foreach (var (url, bytes, encoding, decoded) in top)
            Console.WriteLine($"  {bytes / 1e3,9:0.0} KB {100 * bytes / total,5:0.0} %  {(encoding is "" ? "identity" : encoding),-8} " +
                $"{(decoded > 0 ? $"{decoded / 1e3,9:0.0} KB decoded" : ""),-19} {new Uri(url).PathAndQuery}");

        Console.WriteLine();
        Console.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        if (!Notes.IsEmpty)
        {
            Console.WriteLine();
            Console.WriteLine("the pages said (times, over all visits with the warm-up):");
            foreach (var (text, count) in Notes.OrderBy(n => n.Key)) Console.WriteLine($"  {count}× {text}");
        }
        server.Kill(entireProcessTree: true);
        return;

        void Row(string name, Func<Visit, double> of, string format, double? target)
        {
            var medians = visits.Select(vs => Median(vs.Select(of))).ToArray();
            var ratio = medians[0] == 0 ? double.NaN : medians[1] / medians[0];
            var verdict = target is { } t ? $"≤ {t:0.00}× {(ratio <= t ? "met" : "MISSED")}" : "";
            Console.WriteLine($"{name,-34}{Cell(visits[0].Select(of).ToList(), format),-32}{Cell(visits[1].Select(of).ToList(), format),-32}{(double.IsNaN(ratio) ? "—" : ratio.ToString("0.00")),-14}{verdict}");
        }
    }

    static string Kind(string path) => path switch
    {
        _ when path.StartsWith("/_framework/", StringComparison.Ordinal) && path.EndsWith(".wasm", StringComparison.Ordinal) => "_framework wasm",
        _ when path.StartsWith("/_framework/", StringComparison.Ordinal) => "_framework js",
        _ when path.StartsWith("/api/", StringComparison.Ordinal) => "api",
        _ when path.EndsWith(".js", StringComparison.Ordinal) => "js",
        _ when path.EndsWith(".css", StringComparison.Ordinal) => "css",
        "/" or "/index.html" => "page",
        _ => "other",
    };

    static readonly ConcurrentDictionary<string, int> Notes = new();

    /// <summary>What the pages said (errors, warnings, failed responses), printed once with a count at the end.</summary>
    static void Note(string text) => Notes.AddOrUpdate(text, 1, (_, n) => n + 1);

    static string Cell(List<double> xs, string format) =>
        $"{Median(xs).ToString(format)} ({xs.Min().ToString(format)}–{xs.Max().ToString(format)})";

    static double Median(IEnumerable<double> values)
    {
        var xs = values.Order().ToList();
        return xs.Count == 0 ? double.NaN : xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[xs.Count / 2 - 1] + xs[xs.Count / 2]) / 2;
    }

    /// <summary>One cold visit: a fresh context, navigate, click the target as soon as it can be clicked until the
    /// click takes effect, then wait for the network to be idle (500 ms without a request in flight, at most 10 s).</summary>
    static async Task<Visit> VisitAsync(IBrowser browser, App app, string url)
    {
        await using var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1280, Height = 900 }, ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        await context.AddInitScriptAsync(MarksScript.Replace("__CHECKS__", app.Checks).Replace("__STATE__", app.State));

        var page = await context.NewPageAsync();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") Note($"{app.Name}: console {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => Note($"{app.Name}: page error: {e.Split('\n')[0]}");
        var cdp = await context.NewCDPSessionAsync(page);
        var requests = new ConcurrentDictionary<string, Request>();
        var open = new ConcurrentDictionary<string, bool>();
        var failed = 0;
        var lastActivity = Stopwatch.StartNew();
        cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) =>
        {
            if (e is not { } j) return;
            var id = j.GetProperty("requestId").GetString()!;
            requests[id] = new(j.GetProperty("request").GetProperty("url").GetString()!, 0, "", 0);
            open[id] = true;
            lastActivity.Restart();
        };
        cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
        {
            if (e is not { } j) return;
            var id = j.GetProperty("requestId").GetString()!;
            if (j.GetProperty("response").GetProperty("status").GetInt32() is var status and >= 400)
                Note($"{app.Name}: HTTP {status} {new Uri(j.GetProperty("response").GetProperty("url").GetString()!).AbsolutePath}");
            var encoding = j.GetProperty("response").GetProperty("headers").EnumerateObject()
                .FirstOrDefault(h => h.Name.Equals("content-encoding", StringComparison.OrdinalIgnoreCase)).Value;
            if (requests.TryGetValue(id, out var q)) requests[id] = q with { Encoding = encoding.ValueKind == JsonValueKind.String ? encoding.GetString()! : "" };
        };
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
        {
            if (e is not { } j) return;
            var id = j.GetProperty("requestId").GetString()!;
            if (requests.TryGetValue(id, out var q)) requests[id] = q with { Bytes = j.GetProperty("encodedDataLength").GetDouble() };
            open.TryRemove(id, out bool _);
            lastActivity.Restart();
        };
        cdp.Event("Network.loadingFailed").OnEvent += (_, e) =>
        {
            if (e is not { } j) return;
            Interlocked.Increment(ref failed);
            open.TryRemove(j.GetProperty("requestId").GetString()!, out bool _);
            lastActivity.Restart();
        };
        await cdp.SendAsync("Network.enable");

        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        // Click as soon as a user could: the target is in the page, visible (Orbitr's steps are hidden until the
        // pattern is restored), not inert and the topmost element at its centre, and painted (two frames later); the
        // mouse goes down there at once (CDP input events, no actionability waits). Once the target is clickable its handler is attached (Blazor
        // rendered it), so a click is queued, not lost, while the main thread is busy: it is repeated only when it has
        // not taken effect in 2 s (a repeated click that lands before the first takes effect would undo it: the visit
        // then reports the target's final state).
        var clock = Stopwatch.StartNew();
        while (!await page.EvaluateAsync<bool>("() => 'effect' in window.__fl.marks"))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException($"{app.Name}: no click took effect in 90 s");
            var at = await page.WaitForFunctionAsync("""
                (selector) => {
                  const el = document.querySelector(selector);
                  if (!el || !el.checkVisibility({ visibilityProperty: true }) || el.closest('[inert]')) return null;
                  const r = el.getBoundingClientRect();
                  const x = r.left + r.width / 2, y = r.top + r.height / 2;
                  if (!el.contains(document.elementFromPoint(x, y))) return null;
                  if (!('clickable' in window.__fl.marks)) window.__fl.marks.clickable = performance.now();
                  return [x, y];
                }
                """, app.Target, new() { Timeout = 90_000, PollingInterval = 10 });
            var xy = await at.JsonValueAsync<double[]>();
            // A user sees it first: two animation frames later it has been painted (and its paint is an LCP candidate
            // before the click ends LCP).
            await page.EvaluateAsync("""
                () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
                  if (!('painted' in window.__fl.marks)) window.__fl.marks.painted = performance.now();
                  resolve();
                })))
                """);
            await page.Mouse.ClickAsync((float)xy[0], (float)xy[1]);
            try { await page.WaitForFunctionAsync("() => 'effect' in window.__fl.marks", null, new() { Timeout = 2000, PollingInterval = 10 }); }
            catch (TimeoutException) { }
        }
        var idle = Stopwatch.StartNew();
        while (!(open.IsEmpty && lastActivity.ElapsedMilliseconds >= 500) && idle.ElapsedMilliseconds < 10_000) await Task.Delay(50);
        var data = JsonDocument.Parse(await page.EvaluateAsync<string>("""
            () => JSON.stringify({
              marks: window.__fl.marks, clicks: window.__fl.clicks, effectAfter: window.__fl.effectAfter ?? null,
              before: window.__fl.stateAtClick, after: __STATE__, lcp: window.__fl.lcp, shifts: window.__fl.shifts,
              paints: performance.getEntriesByType('paint').map(p => [p.name, p.startTime]),
              navigation: (n => ({ end: n.responseEnd, body: n.encodedBodySize, decoded: n.decodedBodySize, name: n.name }))(performance.getEntriesByType('navigation')[0]),
              resources: performance.getEntriesByType('resource').map(r => ({ name: r.name, start: r.startTime, end: r.responseEnd, body: r.encodedBodySize, decoded: r.decodedBodySize })),
            })
            """.Replace("__STATE__", app.State))).RootElement;
        var marks = data.GetProperty("marks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        var paints = data.GetProperty("paints").EnumerateArray().ToDictionary(p => p[0].GetString()!, p => p[1].GetDouble());
        var navigation = data.GetProperty("navigation");
        var resources = data.GetProperty("resources").EnumerateArray()
            .Select(r => new Resource(new Uri(r.GetProperty("name").GetString()!).AbsolutePath, r.GetProperty("start").GetDouble(), r.GetProperty("end").GetDouble(),
                r.GetProperty("body").GetDouble(), r.GetProperty("decoded").GetDouble())).ToList();
        var lcp = data.GetProperty("lcp");
        var shifts = data.GetProperty("shifts").EnumerateArray().Select(s => (Time: s[0].GetDouble(), Value: s[1].GetDouble())).ToList();
        // The decoded size of each request from Resource Timing (the navigation's from its own entry).
        var decoded = resources.GroupBy(x => x.Path).ToDictionary(g => g.Key, g => g.First().Decoded);
        decoded[new Uri(navigation.GetProperty("name").GetString()!).AbsolutePath] = navigation.GetProperty("decoded").GetDouble();
        var finished = requests.Values.Where(q => q.Bytes > 0)
            .Select(q => q with { Decoded = decoded.GetValueOrDefault(new Uri(q.Url).AbsolutePath) }).ToList();
        if (await page.Locator(app.Target).CountAsync() == 0) throw new InvalidOperationException($"{app.Name}: the target left the page");
        return new Visit(
            Bytes: finished.Sum(q => q.Bytes),
            BodyBytes: resources.Sum(x => x.Body) + navigation.GetProperty("body").GetDouble(),
            Requests: finished,
            Failed: failed,
            FirstPaint: paints.TryGetValue("first-paint", out var fp) ? fp : null,
            Fcp: paints.GetValueOrDefault("first-contentful-paint", double.NaN),
            Lcp: lcp.ValueKind == JsonValueKind.Object ? lcp.GetProperty("time").GetDouble() : double.NaN,
            LcpElement: lcp.ValueKind == JsonValueKind.Object ? $"{lcp.GetProperty("element").GetString()} ({lcp.GetProperty("size").GetDouble():0} px²)" : "none",
            Cls: SessionWindowCls(shifts),
            Effect: marks["effect"],
            Clicks: data.GetProperty("clicks").GetInt32(),
            Change: $"{data.GetProperty("before")} → {data.GetProperty("after")}",
            EffectAfter: data.GetProperty("effectAfter") is { ValueKind: JsonValueKind.Number } after ? after.GetDouble() : double.NaN,
            Marks: marks,
            Resources: resources,
            NavigationEnd: navigation.GetProperty("end").GetDouble());
    }

    /// <summary>CLS as Chromium reports it: the largest session window (shifts less than 1 s apart, at most 5 s).</summary>
    static double SessionWindowCls(List<(double Time, double Value)> shifts)
    {
        double best = 0, sum = 0, start = double.NegativeInfinity, last = double.NegativeInfinity;
        foreach (var (time, value) in shifts.OrderBy(s => s.Time))
        {
            if (time - last > 1000 || time - start > 5000) { sum = 0; start = time; }
            sum += value;
            last = time;
            best = Math.Max(best, sum);
        }
        return best;
    }

    /// <summary>The hello-world's published wwwroot on loopback with the static asset endpoints Orbitr.Server uses
    /// (MapStaticAssets: precompressed brotli or gzip by Accept-Encoding, ETags), "/" answered with index.html as
    /// Orbitr.Server's app-shell fallback does.</summary>
    static async Task<WebApplication> StartHelloHostAsync(string publish)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = publish, WebRootPath = Path.Combine(publish, "wwwroot"), EnvironmentName = Environments.Production,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Path == "/") context.Request.Path = "/index.html";
            return next(context);
        });
        app.UseRouting();
        app.MapStaticAssets(Path.Combine(publish, "HelloWorld.staticwebassets.endpoints.json"));
        await app.StartAsync();
        return app;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";

    static void Run(string file, string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arguments))!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} exited with {p.ExitCode}");
    }

    sealed record App(string Name, string Target, string Checks, string State);

    sealed record Request(string Url, double Bytes, string Encoding, double Decoded);

    sealed record Resource(string Path, double Start, double End, double Body, double Decoded);

    sealed record Visit(double Bytes, double BodyBytes, List<Request> Requests, int Failed, double? FirstPaint, double Fcp, double Lcp,
        string LcpElement, double Cls, double Effect, int Clicks, string Change, double EffectAfter, Dictionary<string, double> Marks, List<Resource> Resources, double NavigationEnd)
    {
        public double? Mark(string name) => Marks.TryGetValue(name, out var t) ? t : null;

        /// <summary>The first resource whose path matches.</summary>
        public Resource? FindResource(string pattern) => Resources.FirstOrDefault(r => Regex.IsMatch(r.Path, pattern));
    }
}
