using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Orbitr.Browsers.Tests.Engines;
using Xunit.Abstractions;

namespace Orbitr.Browsers.Tests;

/// <summary>WebKitEngine against a real MiniBrowser: a page with an SVG target and an AudioContext, served locally.</summary>
public sealed class WebKitEngineSmokeTests(ITestOutputHelper output)
{
    private const string Page = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>smoke</title></head>
        <body style="margin:0">
          <div style="height:1500px"></div>
          <svg width="200" height="200" viewBox="0 0 200 200">
            <circle id="dot" cx="100" cy="100" r="40" fill="tomato" data-on="0"></circle>
          </svg>
          <script>
            window.loadedAt = performance.now();
            const dot = document.getElementById('dot');
            dot.addEventListener('pointerdown', e => {
              dot.dataset.on = dot.dataset.on === '1' ? '0' : '1';
              window.lastPointer = { trusted: e.isTrusted, type: e.pointerType, x: e.clientX, y: e.clientY };
            });
            window.audioAtLoad = new AudioContext();
          </script>
        </body></html>
        """;

    [Fact]
    public async Task Drives_a_real_MiniBrowser()
    {
        using var server = new TinyServer(Page);
        await using var engine = new WebKitEngine();
        Assert.Equal("webkit", engine.Name);

        await using (var page = await engine.OpenAsync(server.Url, 1280, 900))
        {
            Assert.Equal(3, (await page.EvaluateAsync("() => 1 + 2")).GetInt32());
            Assert.Equal("xy", (await page.EvaluateAsync("(a, b) => a + b", "x", "y")).GetString());
            var shape = await page.EvaluateAsync("(o) => ({ n: o.n * 2, list: [1, 'two'], nested: { t: true } })", new { n = 21 });
            Assert.Equal(42, shape.GetProperty("n").GetInt32());
            Assert.Equal("two", shape.GetProperty("list")[1].GetString());
            Assert.True(shape.GetProperty("nested").GetProperty("t").GetBoolean());
            Assert.Equal("late", (await page.EvaluateAsync("async () => { await new Promise(r => setTimeout(r, 50)); return 'late'; }")).GetString());
            Assert.Equal(JsonValueKind.Null, (await page.EvaluateAsync("() => undefined")).ValueKind);
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => page.EvaluateAsync("async () => { throw new Error('boom'); }"));
            Assert.Contains("boom", thrown.Message, StringComparison.Ordinal);

            var viewport = await page.EvaluateAsync("() => [innerWidth, innerHeight]");
            Assert.Equal([1280, 900], viewport.EnumerateArray().Select(v => v.GetInt32()).ToArray());

            // The circle starts below the fold: the click must scroll it into view and hit it with a real pointer.
            await page.ClickAsync("#dot");
            Assert.Equal("1", (await page.EvaluateAsync("() => document.getElementById('dot').dataset.on")).GetString());
            var pointer = await page.EvaluateAsync("() => window.lastPointer");
            output.WriteLine($"pointer: {pointer}");
            Assert.True(pointer.GetProperty("trusted").GetBoolean());
            Assert.Equal("mouse", pointer.GetProperty("type").GetString());
            await page.ClickAsync("#dot");
            Assert.Equal("0", (await page.EvaluateAsync("() => document.getElementById('dot').dataset.on")).GetString());
            await Assert.ThrowsAsync<InvalidOperationException>(() => page.ClickAsync("#missing"));

            var audio = await page.EvaluateAsync("""
                async () => {
                  const atLoad = window.audioAtLoad.state;
                  const ctx = new AudioContext();
                  const created = ctx.state;
                  await Promise.race([ctx.resume(), new Promise(r => setTimeout(r, 5000))]);
                  const t0 = ctx.currentTime;
                  await new Promise(r => setTimeout(r, 500));
                  return { atLoad, created, state: ctx.state, t0, t1: ctx.currentTime, rate: ctx.sampleRate };
                }
                """);
            output.WriteLine($"audio: {audio}");
            Assert.Equal("running", audio.GetProperty("state").GetString());
            Assert.True(audio.GetProperty("t1").GetDouble() > audio.GetProperty("t0").GetDouble(), $"currentTime did not advance: {audio}");

            await page.EvaluateAsync("() => { localStorage.setItem('kept', 'yes'); window.marker = 1; }");
            await page.ReloadAsync();
            var reloaded = await page.EvaluateAsync("() => ({ marker: window.marker ?? null, kept: localStorage.getItem('kept'), ready: document.readyState })");
            Assert.Equal(JsonValueKind.Null, reloaded.GetProperty("marker").ValueKind);
            Assert.Equal("yes", reloaded.GetProperty("kept").GetString());
            Assert.Equal("complete", reloaded.GetProperty("ready").GetString());

            // WebKitWebDriver serves one session at a time: a page opened meanwhile gets a driver of its own.
            await using (var meanwhile = await engine.OpenAsync(server.Url, 640, 480))
            {
                Assert.Equal(JsonValueKind.Null, (await meanwhile.EvaluateAsync("() => localStorage.getItem('kept')")).ValueKind);
                Assert.Equal("yes", (await page.EvaluateAsync("() => localStorage.getItem('kept')")).GetString());
            }

            await page.NavigateAsync(server.Url + "other");
            Assert.EndsWith("/other", (await page.EvaluateAsync("() => location.pathname")).GetString(), StringComparison.Ordinal);

            var png = await page.ScreenshotAsync();
            Assert.True(png.Length > 100);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }

        // A second page is a new user: nothing the first one stored is there.
        await using (var second = await engine.OpenAsync(server.Url, 800, 600))
        {
            var storage = await second.EvaluateAsync("async () => ({ local: localStorage.length, dbs: (await indexedDB.databases()).length, size: [innerWidth, innerHeight] })");
            output.WriteLine($"second: {storage}");
            Assert.Equal(0, storage.GetProperty("local").GetInt32());
            Assert.Equal(0, storage.GetProperty("dbs").GetInt32());
            Assert.Equal([800, 600], storage.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()).ToArray());
        }
    }

    /// <summary>Serves one HTML page on every path of a free loopback port.</summary>
    private sealed class TinyServer : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly byte[] body;

        public TinyServer(string html)
        {
            body = Encoding.UTF8.GetBytes(html);
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
            }
            listener.Prefixes.Add(Url);
            listener.Start();
            _ = ServeAsync();
        }

        public string Url { get; }

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return; // Stopped.
                }
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }

        public void Dispose() => listener.Close();
    }
}
