using System.Collections.Concurrent;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>Debian's Firefox ESR driven over WebDriver BiDi on a raw WebSocket (geckodriver and PuppeteerSharp do
/// not work on this machine). Each page is its own Firefox process with its own temporary profile, which is the
/// simplest way to make every <see cref="OpenAsync"/> a new user. Audio goes to a shared PulseAudio null sink.</summary>
public sealed class FirefoxEngine(string executable) : IBrowserEngine
{
    public const string DefaultExecutable = "/usr/bin/firefox-esr";

    public FirefoxEngine() : this(DefaultExecutable) { }

    private readonly ConcurrentDictionary<FirefoxPage, byte> _pages = new();
    private readonly SemaphoreSlim _audioGate = new(1, 1);
    private PulseAudioServer.Lease? _audio;

    public string Name => "firefox";

    public async Task<IEnginePage> OpenAsync(string url, int width = 1280, int height = 900)
    {
        var audio = await AudioAsync();
        var (firefox, bidi) = await FirefoxProcess.StartAsync(executable, audio.ServerAddress);
        var page = await FirefoxPage.OpenAsync(firefox, bidi, url, width, height, closed => _pages.TryRemove(closed, out _));
        _pages[page] = 0;
        return page;
    }

    // Started on the first page rather than in the constructor so that merely creating the engine costs nothing.
    private async Task<PulseAudioServer.Lease> AudioAsync()
    {
        await _audioGate.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return _audio ??= await PulseAudioServer.AcquireAsync(timeout.Token);
        }
        finally
        {
            _audioGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var page in _pages.Keys)
            await page.DisposeAsync();
        if (_audio is not null)
            await _audio.DisposeAsync();
        _audio = null;
        _audioGate.Dispose();
    }
}
