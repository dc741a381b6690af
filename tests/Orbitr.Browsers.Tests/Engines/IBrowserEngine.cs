using System.Text.Json;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>One browser engine, driven the way it can be on this machine. Each <see cref="OpenAsync"/> is a fresh
/// profile (no storage, no service worker), so a page opened after another is a new user.</summary>
public interface IBrowserEngine : IAsyncDisposable
{
    /// <summary>"chromium", "firefox" or "webkit".</summary>
    string Name { get; }

    Task<IEnginePage> OpenAsync(string url, int width = 1280, int height = 900);
}

/// <summary>A page (tab) of its own profile.</summary>
public interface IEnginePage : IAsyncDisposable
{
    /// <summary>Calls a JavaScript function expression in the page (for example <c>"async (a, b) => a + b"</c>) with
    /// JSON-serializable arguments, awaits it if it returns a promise, and returns its JSON-serialized result.</summary>
    Task<JsonElement> EvaluateAsync(string function, params object?[] args);

    /// <summary>A real pointer click (mouse move, down, up) at the centre of the first element matching the CSS
    /// selector, scrolled into view first. Throws if no element matches.</summary>
    Task ClickAsync(string selector);

    /// <summary>Navigates and waits for the load event.</summary>
    Task NavigateAsync(string url);

    /// <summary>Reloads and waits for the load event.</summary>
    Task ReloadAsync();

    /// <summary>A PNG of the viewport.</summary>
    Task<byte[]> ScreenshotAsync();
}
