using Microsoft.Playwright;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

/// <summary>What the bench's phases share: the dense pattern, and importing a pattern the way a user drops a file.</summary>
internal static class BenchPage
{
    /// <summary>8 tracks × 64 steps, every step on, 200 BPM.</summary>
    public static Pattern Dense()
    {
        var pattern = PatternEditor.SetLength(PatternFactory.Create(8, seed: 1, name: "Bench 200") with { Bpm = 200 }, 64);
        for (var t = 0; t < 8; t++)
            for (var s = 0; s < 64; s++) pattern = PatternEditor.SetStepActive(pattern, t, s, true);
        return pattern;
    }

    /// <summary>Drops the pattern's JSON file on the page (a new library pattern) and waits for its steps.</summary>
    public static async Task DropAsync(IPage page, string name, Pattern pattern)
    {
        await page.EvaluateAsync("""
            ([name, text]) => {
              const dt = new DataTransfer();
              dt.items.add(new File([text], name, { type: 'application/json' }));
              document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
            }
            """, new object[] { name, PatternJson.Write(pattern) });
        await Assertions.Expect(page.Locator("[data-step]")).ToHaveCountAsync(pattern.Tracks.Sum(t => t.Steps.Count));
    }

    /// <summary>Resident set (bytes) of every renderer process of the browser by process id, from CDP's process list
    /// and /proc.</summary>
    public static async Task<Dictionary<int, long>> RendererRssAsync(IBrowser browser)
    {
        var session = await browser.NewBrowserCDPSessionAsync();
        var info = await session.SendAsync("SystemInfo.getProcessInfo");
        var rss = new Dictionary<int, long>();
        foreach (var p in info!.Value.GetProperty("processInfo").EnumerateArray())
        {
            if (p.GetProperty("type").GetString() != "renderer") continue;
            var status = $"/proc/{p.GetProperty("id").GetInt32()}/status";
            if (!File.Exists(status)) continue;
            var line = File.ReadAllLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is not null) rss[p.GetProperty("id").GetInt32()] = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        await session.DetachAsync();
        return rss;
    }
}
