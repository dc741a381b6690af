using Microsoft.JSInterop;
using Orbitr.Core.Model;
using Orbitr.Web.Audio;
using Orbitr.Web.Audio.Samples;
using Orbitr.Web.Api;
using Orbitr.Web.State;

namespace Orbitr.Web.Offline;

/// <summary>Uploads made while the server cannot be reached: the file is kept in the browser as a <c>local:</c> sound,
/// usable in patterns at once, and uploaded when the server is back (the browser coming online, every
/// <see cref="RetryInterval"/>, or at start-up). Then <see cref="MoveReferences"/> points every local pattern at the
/// server's sample, the server's audio is kept for offline use, and the local copy goes.</summary>
public sealed class OfflineUploads(SoundStore sounds, SampleResolver library, OrbitrApiClient api, Notices notices) : IAsyncDisposable
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(20);
    private readonly SemaphoreSlim _sync = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private DotNetObjectReference<OfflineUploads>? _self;
    private IJSObjectReference? _online;

    /// <summary>Rewrites the browser's patterns from a local source to the uploaded sample (set by AppStartup).</summary>
    public Func<string, SampleRef, Task> MoveReferences { get; set; } = (_, _) => Task.CompletedTask;

    /// <summary>Upload waiting sounds when the server is back (Settings); off, they stay in this browser until it is on.</summary>
    public bool Enabled
    {
        get => _enabled;
        set
        {
            if (_enabled == value) return;
            _enabled = value;
            if (value && _self is not null) _ = SyncAsync();
        }
    }

    private bool _enabled = true;
    // Whether uploads may be waiting: unknown (true) at start, set by KeepAsync, cleared when a sync finds none, so
    // the timer does not list the whole sound store every 20 s for nothing.
    private bool _mayBeWaiting = true;

    /// <summary>A waiting upload reached the server (local source, server sample).</summary>
    public event Action<string, SampleRef>? Uploaded;

    /// <summary>Keeps a file that could not be uploaded now; null (with the reason shown) when it cannot be used.</summary>
    public async Task<(SampleRef? Sample, AudioBufferInfo? Info)> KeepAsync(string fileName, byte[] bytes)
    {
        var decoded = await library.DecodeAsync(bytes);
        if (decoded.Audio is not { } audio)
        {
            notices.Error(ErrorCodes.AudioDecodeFailed, $"\"{fileName}\" was not added to the library", decoded.Error ?? "it cannot be decoded");
            return (null, null);
        }
        var sample = SampleRef.Local(Guid.NewGuid().ToString("N"), Path.GetFileNameWithoutExtension(fileName));
        if (!await sounds.KeepAsync(sample.Source, bytes, fileName, pending: true)) return (null, null);
        _mayBeWaiting = true;
        return (sample, new AudioBufferInfo(audio.Duration, Orbitr.Dsp.Analysis.WaveformPeaks.Compute(audio, 48)));
    }

    /// <summary>Listens for the browser coming online and retries on a timer while uploads wait.</summary>
    public async Task StartAsync()
    {
        _self ??= DotNetObjectReference.Create(this);
        _online ??= await sounds.OnOnlineAsync(_self);
        _ = RetryLoopAsync(_stop.Token);
    }

    /// <summary>The browser came online: the library re-reads the server's list.</summary>
    public event Action? Online;

    [JSInvokable]
    public Task OnOnline()
    {
        Online?.Invoke();
        return SyncAsync();
    }

    private async Task RetryLoopAsync(CancellationToken stop)
    {
        try
        {
            await SyncAsync();
            using var timer = new PeriodicTimer(RetryInterval);
            while (await timer.WaitForNextTickAsync(stop))
                if (_mayBeWaiting) await SyncAsync();
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Uploads every waiting file; stops at the first one the server cannot be reached for. Returns how many
    /// reached the server.</summary>
    public async Task<int> SyncAsync()
    {
        if (!Enabled || !await _sync.WaitAsync(0)) return 0; // off, or a sync is running
        var done = 0;
        try
        {
            var pending = (await sounds.ListAsync()).Where(s => s.Pending).OrderBy(s => s.Stored).ToList();
            _mayBeWaiting = pending.Count > 0;
            foreach (var waiting in pending)
            {
                if (await sounds.GetAsync(waiting.Source) is not { } bytes) continue;
                var name = waiting.Name ?? "upload.wav";
                var result = await api.UploadAsync(name, bytes);
                if (result.Problem is { Status: 0 }) break; // still unreachable: try later
                if (result.Problem is { } p || result.Value is not { } uploaded)
                {
                    // The server refused the file (it never will take it): it stays in this browser only.
                    var refused = result.Problem!;
                    notices.Error(refused.Code == 0 ? ErrorCodes.AudioDecodeFailed : refused.Code,
                        $"\"{name}\" could not be uploaded; it stays in this browser only", refused.Detail);
                    await sounds.KeepAsync(waiting.Source, bytes, waiting.Name, pending: false);
                    continue;
                }
                var server = SampleRef.Generated(uploaded.Id, uploaded.Name);
                if (await api.SampleAudioAsync(uploaded.Id) is { Value: { } audio }) await sounds.KeepAsync(server.Source, audio, uploaded.Name);
                await MoveReferences(waiting.Source, server);
                await sounds.RemoveAsync(waiting.Source);
                Uploaded?.Invoke(waiting.Source, server);
                done++;
            }
        }
        finally
        {
            _sync.Release();
        }
        if (done > 0) notices.Info($"{done} sound{(done == 1 ? "" : "s")} added offline {(done == 1 ? "is" : "are")} now uploaded to the library");
        return done;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_online is not null) await _online.InvokeVoidAsync("stop");
        }
        catch (JSDisconnectedException) { }
        _self?.Dispose();
    }
}

/// <summary>What the library panel shows of a sound: its length and waveform peaks.</summary>
public sealed record AudioBufferInfo(double DurationSeconds, float[] Peaks);
