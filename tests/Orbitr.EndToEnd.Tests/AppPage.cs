using Microsoft.Playwright;

namespace Orbitr.EndToEnd.Tests;

/// <summary>A page of the app with helpers named after what a musician does, and every console error it logged.</summary>
public sealed class AppPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;
    public IBrowserContext Context { get; } = context;
    public List<string> ConsoleErrors { get; } = [];

    public async Task GotoAsync()
    {
        Page.Console += (_, m) => { if (m.Type == "error") ConsoleErrors.Add(m.Text); };
        Page.PageError += (_, e) => ConsoleErrors.Add(e);
        await Page.GotoAsync("/");
        await WaitReadyAsync();
    }

    /// <summary>Waits until the Blazor app has restored its state and listens for keys.</summary>
    public async Task WaitReadyAsync() =>
        await Page.Locator(".app.ready").WaitForAsync(new() { Timeout = 60_000 });

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await WaitReadyAsync();
    }

    public ILocator Step(int track, int step) => Page.GetByRole(AriaRole.Button, new() { Name = $"Track {track} step {step}", Exact = true });

    public async Task<bool> IsOnAsync(int track, int step) => await Step(track, step).GetAttributeAsync("aria-pressed") == "true";

    public ILocator Notice(int code) => Page.Locator($".notice[data-code='{code}']");

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
