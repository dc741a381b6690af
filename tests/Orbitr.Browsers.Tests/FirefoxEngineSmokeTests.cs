using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Orbitr.Browsers.Tests.Engines;

namespace Orbitr.Browsers.Tests;

/// <summary>The Firefox engine against a one-page local server: every page operation, audio and profile isolation.</summary>
public sealed class FirefoxEngineSmokeTests
{
    // The button sits below the fold so the click has to scroll it into view first.
    private const string Page = """
        <!doctype html>
        <html><head><title>smoke</title></head>
        <body style="margin:0">
          <div style="height:2000px">tall</div>
          <button id="toggle" data-on="false" style="width:120px;height:40px">Toggle</button>
          <script>
            const button = document.getElementById('toggle');
            button.addEventListener('click', e => {
              button.dataset.on = button.dataset.on === 'true' ? 'false' : 'true';
              window.trusted = e.isTrusted;
            });
            window.audio = new AudioContext();
          </script>
        </body></html>
        """;

    [SkippableFact]
    public async Task Firefox_engine_evaluates_clicks_plays_audio_reloads_screenshots_and_isolates_profiles()
    {
        Skip.IfNot(File.Exists(FirefoxEngine.DefaultExecutable), "Firefox ESR is not installed.");
        using var server = new OnePageServer(Page);
        await using var engine = new FirefoxEngine();

        await using (var page = await engine.OpenAsync(server.Url, 800, 600))
        {
            Assert.Equal("firefox", engine.Name);
            Assert.Equal(5, (await page.EvaluateAsync("(a, b) => a + b", 2, 3)).GetInt32());
            Assert.Equal("smoke", (await page.EvaluateAsync("() => document.title")).GetString());
            var shape = await page.EvaluateAsync("(o) => ({ doubled: o.n * 2, tag: o.s + '!', list: [1, 2] })",
                new { n = 21, s = "hi" });
            Assert.Equal(42, shape.GetProperty("doubled").GetInt32());
            Assert.Equal("hi!", shape.GetProperty("tag").GetString());
            Assert.Equal(2, shape.GetProperty("list").GetArrayLength());
            Assert.Equal(7, (await page.EvaluateAsync("async () => { await new Promise(r => setTimeout(r, 50)); return 7; }")).GetInt32());
            Assert.Equal(JsonValueKind.Null, (await page.EvaluateAsync("() => { }")).ValueKind);
            Assert.Equal(800, (await page.EvaluateAsync("() => innerWidth")).GetInt32());
            var thrown = await Assert.ThrowsAsync<PageScriptException>(() => page.EvaluateAsync("() => { throw new Error('boom'); }"));
            Assert.Contains("boom", thrown.Message, StringComparison.Ordinal);

            await page.ClickAsync("#toggle");
            Assert.Equal("true", (await page.EvaluateAsync("() => document.getElementById('toggle').dataset.on")).GetString());
            Assert.True((await page.EvaluateAsync("() => window.trusted")).GetBoolean(), "the click was not a trusted (real) event");
            await page.ClickAsync("#toggle");
            Assert.Equal("false", (await page.EvaluateAsync("() => document.getElementById('toggle').dataset.on")).GetString());
            await Assert.ThrowsAnyAsync<InvalidOperationException>(() => page.ClickAsync("#missing"));

            var audio = await page.EvaluateAsync("""
                async () => {
                  const ctx = new AudioContext();
                  await ctx.resume();
                  const t0 = ctx.currentTime;
                  await new Promise(r => setTimeout(r, 500));
                  await window.audio.resume();
                  return { state: ctx.state, t0, t1: ctx.currentTime, page: window.audio.state };
                }
                """);
            Assert.Equal("running", audio.GetProperty("state").GetString());
            Assert.True(audio.GetProperty("t1").GetDouble() > audio.GetProperty("t0").GetDouble() + 0.1,
                $"the audio clock did not advance: {audio}");
            Assert.Equal("running", audio.GetProperty("page").GetString());

            await page.EvaluateAsync("() => { localStorage.setItem('kept', 'yes'); document.body.dataset.marker = 'before'; }");
            await page.ReloadAsync();
            Assert.Equal(JsonValueKind.Null, (await page.EvaluateAsync("() => document.body.dataset.marker ?? null")).ValueKind);
            Assert.Equal("yes", (await page.EvaluateAsync("() => localStorage.getItem('kept')")).GetString());

            await page.NavigateAsync(server.Url + "?again");
            Assert.Equal("?again", (await page.EvaluateAsync("() => location.search")).GetString());

            var png = await page.ScreenshotAsync();
            Assert.True(png.Length > 8);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }

        await using (var fresh = await engine.OpenAsync(server.Url))
        {
            Assert.Equal(0, (await fresh.EvaluateAsync("() => localStorage.length")).GetInt32());
            Assert.Equal(1280, (await fresh.EvaluateAsync("() => innerWidth")).GetInt32());
        }
    }

    /// <summary>Serves one HTML page for every path on a free loopback port.</summary>
    private sealed class OnePageServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly byte[] _body;

        public OnePageServer(string html)
        {
            _body = Encoding.UTF8.GetBytes(html);
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = ServeAsync();
        }

        public string Url { get; }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return; // stopped
                }
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength64 = _body.Length;
                await context.Response.OutputStream.WriteAsync(_body);
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        public void Dispose() => _listener.Close();
    }
}
