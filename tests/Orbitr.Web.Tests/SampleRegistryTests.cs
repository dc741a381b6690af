using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Model;
using Orbitr.Synthesis.Kit;
using Orbitr.Web.Audio.Interop;
using Orbitr.Web.Audio.Samples;
using Orbitr.Web.Sounds;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>The sample registry's bookkeeping holds when loads finish on other threads while edits and ticks read it
/// (bUnit resumes awaits on the thread pool; CI once failed with "Operations that change non-concurrent collections
/// must have exclusive access" in Prepared).</summary>
public class SampleRegistryTests : AppTestContext
{
    [Fact]
    public async Task Loads_finishing_on_other_threads_while_edits_and_ticks_read_keep_one_buffer_per_sample()
    {
        // The engine's own registry is private: one more over the same store, as the engine builds it.
        var module = new AudioModule(JSInterop.JSRuntime);
        using var registry = new SampleRegistry(module, Store, Services.GetRequiredService<Notices>(), Services.GetRequiredService<SampleResolver>());
        await module.GetAsync(); // edits now prepare what they use
        var names = KitSynthesizer.Names;
        var entries = names.Select(n => new SampleEntry(n, SampleRef.Builtin(n))).ToArray();

        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
        {
            var i = r;
            while (!stop.IsCancellationRequested)
            {
                var entry = entries[i++ % entries.Length];
                registry.TryGetBuffer(entry.Ref.Source, out _); // what a tick asks
                registry.Request(entry);                         // what a tick does on a miss
                registry.Curve((1 + i % 7) * 0.1);
                if (i % 5 == 0) await registry.PrepareAsync(Store.Pattern);
                await Task.Yield();
            }
        })).ToArray();

        // Edits on this thread: every ring in turn gets every sound, each change prepares in the background.
        for (var round = 0; round < 4; round++)
            for (var k = 0; k < names.Count; k++)
                Assert.True(Sounds.Assign(new SoundTarget.Track((k + round) % Store.Pattern.Tracks.Count), entries[k].Ref));
        await Task.WhenAll(entries.Select(e => registry.LoadAsync(e)));
        await stop.CancelAsync();
        await Task.WhenAll(readers); // a reader that threw fails here

        var ids = entries.Select(e => Assert.IsType<int>(registry.TryGetBuffer(e.Ref.Source, out var id) ? id : (int?)null)).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());              // one buffer per sample
        Assert.DoesNotContain(SampleRegistry.ClickBuffer, ids);
        Assert.DoesNotContain(SampleRegistry.AccentBuffer, ids);
        Assert.Equal(ids.Cast<int?>(), await Task.WhenAll(entries.Select(e => registry.LoadAsync(e)))); // loaded ones answer at once
        var curves = Enumerable.Range(1, 7).Select(k => registry.Curve(k * 0.1)).ToArray();
        Assert.All(curves, c => Assert.InRange(c, 0, 6));
        Assert.Equal(7, curves.Distinct().Count());                    // one curve id per amount
    }

    [Fact]
    public async Task Curves_registered_from_many_threads_at_once_each_get_their_own_id()
    {
        var module = new AudioModule(JSInterop.JSRuntime);
        using var registry = new SampleRegistry(module, Store, Services.GetRequiredService<Notices>(), Services.GetRequiredService<SampleResolver>());
        await module.GetAsync();
        const int threads = 4, each = 400;
        using var start = new Barrier(threads);
        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var k = 0; k < each; k++)
            {
                registry.Curve((t * each + k + 1) / 10_000.0);
                registry.Curve(1 / 10_000.0); // and reads of one all share
            }
        })));
        var ids = Enumerable.Range(1, threads * each).Select(k => registry.Curve(k / 10_000.0)).ToArray();
        Assert.Equal(Enumerable.Range(0, threads * each), ids.Order());
    }
}
