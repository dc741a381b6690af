using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>The app's services in bUnit: JS modules are bUnit's loose fakes, and the server is a closed port (9),
/// so every server call meets a real connection failure (offline, code 3001).</summary>
public abstract class AppTestContext : BunitContext
{
    // Waits end as soon as their condition holds; a loaded CI machine (two cores, a browser suite beside) needs more
    // than bUnit's default second for a background answer (an unreachable server's refusal, retried) to re-render.
    static AppTestContext() => DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    protected AppTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") });
        Services.AddOrbitrWeb();
    }

    protected PatternState Store => Services.GetRequiredService<PatternState>();
    protected Orbitr.Web.Sounds.SoundAssignment Sounds => Services.GetRequiredService<Orbitr.Web.Sounds.SoundAssignment>();

    // The app's services are IAsyncDisposable only (they release JS modules); xunit 2 disposes synchronously.
    protected override void Dispose(bool disposing)
    {
        if (disposing) DisposeAsyncCore().AsTask().GetAwaiter().GetResult();
        else base.Dispose(disposing);
    }
}
