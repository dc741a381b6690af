using System.Runtime.InteropServices;
using Microsoft.JSInterop;
using Orbitr.Core.Model;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Reverb;
using Orbitr.Dsp.Voice;
using Orbitr.Synthesis.Kit;
using Orbitr.Web.Audio.Interop;
using Orbitr.Web.State;

namespace Orbitr.Web.Audio.Samples;

/// <summary>Which sample buffers (and waveshaper curves) audio.js has, by number. Driven by the pattern: whenever it
/// changes, every sample it uses that audio.js lacks is resolved (synthesized, read from the offline store or
/// fetched) and sent, one at a time, off the tick. Playback only asks <see cref="TryGetBuffer"/>, which never waits;
/// decoded samples stay under 100 MB (<see cref="SampleCache"/>), the least recently used released first.</summary>
public sealed class SampleRegistry : IDisposable
{
    /// <summary>Buffer ids of the metronome's clicks (registered with the first samples).</summary>
    public const int ClickBuffer = 0, AccentBuffer = 1;

    private readonly AudioModule _module;
    private readonly PatternState _store;
    private readonly Notices _notices;
    private readonly SampleResolver _library;
    private readonly Dictionary<string, int> _buffers = [];   // sample source → buffer id in audio.js
    private readonly Dictionary<int, string> _sources = [];   // buffer id → sample source
    private readonly Dictionary<string, Task<int?>> _loading = [];
    private readonly HashSet<string> _unavailable = [];
    private readonly Dictionary<double, int> _curves = [];    // distortion amount → curve id in audio.js
    private readonly SampleCache _cache = new();
    private int _nextBuffer = 2;                               // 0 and 1 are the metronome's clicks
    private bool _clicks;
    private (ReverbSettings Settings, int Id)? _reverb;        // the impulse response audio.js has
    private Task<int>? _reverbLoading;
    // The browser runs one thread, but a host may resume loads on other threads (bUnit, prerendering) while a change
    // or a tick reads the bookkeeping: every read and write of the fields above holds this lock.
    private readonly Lock _gate = new();

    public SampleRegistry(AudioModule module, PatternState store, Notices notices, SampleResolver library)
    {
        (_module, _store, _notices, _library) = (module, store, notices, library);
        _store.PatternChanged += OnPatternChanged;
    }

    /// <summary>A sample (or curve) reached audio.js: notes skipped for want of it can now play.</summary>
    public event Action? Loaded;

    /// <summary>The buffer id of a loaded sample (marked as just used). Never loads: see <see cref="Request"/>.</summary>
    public bool TryGetBuffer(string source, out int id)
    {
        lock (_gate)
        {
            if (!_buffers.TryGetValue(source, out id)) return false;
            _cache.Touch(id);
            return true;
        }
    }

    /// <summary>Starts loading a sample a note needed (released from the cache, or the pattern is not prepared yet);
    /// returns at once.</summary>
    public void Request(SampleEntry entry)
    {
        lock (_gate)
            if (Known(entry.Ref.Source) || _loading.ContainsKey(entry.Ref.Source)) return;
        _ = LoadAsync(entry);
    }

    /// <summary>The curve id of a distortion amount, or −1 while it is not registered yet (it is sent when the pattern
    /// changes; a note needing an unknown one starts its registration).</summary>
    public int Curve(double amount)
    {
        lock (_gate)
            if (_curves.TryGetValue(amount, out var id)) return id;
        if (_module.Loaded is { } module) _ = RegisterCurveAsync(module, amount);
        lock (_gate)
            return _curves.TryGetValue(amount, out var id) ? id : -1;
    }

    // Once the app has asked for samples (Studio at start-up, or audio has started), every change loads what is new.
    private void OnPatternChanged(Pattern pattern)
    {
        if (_module.Loaded is not null && !Prepared(pattern)) _ = PrepareAsync(pattern);
    }

    private bool Prepared(Pattern pattern)
    {
        lock (_gate)
        {
            foreach (var entry in pattern.Samples)
                if (!Known(entry.Ref.Source)) return false;
            foreach (var track in pattern.Tracks)
                foreach (var step in track.Steps)
                    if (step.Effects?.Distortion is { Amount: > 0 } d && !_curves.ContainsKey(d.Amount)) return false;
            return true;
        }
    }

    // Loaded or given up on (call under the lock).
    private bool Known(string source) => _buffers.ContainsKey(source) || _unavailable.Contains(source);

    private bool HasCurve(double amount)
    {
        lock (_gate) return _curves.ContainsKey(amount);
    }

    private bool IsKnown(string source)
    {
        lock (_gate) return Known(source);
    }

    /// <summary>Sends every sample and curve the pattern uses that audio.js does not have yet.</summary>
    public async Task PrepareAsync(Pattern pattern)
    {
        var module = await _module.GetAsync();
        await EnsureClicksAsync();
        foreach (var track in pattern.Tracks)
            foreach (var step in track.Steps)
                if (step.Effects?.Distortion is { Amount: > 0 } d && !HasCurve(d.Amount)) await RegisterCurveAsync(module, d.Amount);
        foreach (var entry in pattern.Samples)
        {
            if (IsKnown(entry.Ref.Source)) continue;
            await LoadAsync(entry);
            await Task.Yield(); // keep the page responsive between sounds
        }
    }

    /// <summary>Sends the metronome's clicks (once).</summary>
    public async Task EnsureClicksAsync()
    {
        lock (_gate)
        {
            if (_clicks) return;
            _clicks = true;
        }
        var module = await _module.GetAsync();
        await RegisterAsync(module, ClickBuffer, MetronomeClick.Render(false, SampleResolver.SampleRate));
        await RegisterAsync(module, AccentBuffer, MetronomeClick.Render(true, SampleResolver.SampleRate));
    }

    /// <summary>The buffer id of the reverb's impulse response for <paramref name="settings"/> (Orbitr.Dsp's
    /// ReverbImpulse, the renderer's own), computed and sent when the settings change; the previous one is released.
    /// While a knob turns, only the latest settings are computed once the one in progress is done.</summary>
    public async Task<int> ReverbAsync(ReverbSettings settings)
    {
        while (true)
        {
            Task<int>? running, task = null;
            lock (_gate)
            {
                if (_reverb is { } known && known.Settings == settings) return known.Id;
                running = _reverbLoading;
                if (running is null) _reverbLoading = task = LoadReverbAsync(settings);
            }
            if (running is not null)
            {
                await running;
                continue;
            }
            try
            {
                return await task!;
            }
            finally
            {
                lock (_gate) _reverbLoading = null;
            }
        }
    }

    private async Task<int> LoadReverbAsync(ReverbSettings settings)
    {
        var module = await _module.GetAsync();
        var id = NextBuffer();
        await RegisterAsync(module, id, ReverbImpulse.Create(settings, SampleResolver.SampleRate));
        (ReverbSettings, int)? previous;
        lock (_gate) (previous, _reverb) = (_reverb, (settings, id));
        if (previous is { } old) await module.InvokeVoidAsync("releaseSample", old.Item2);
        return id;
    }

    /// <summary>Resolves one sample and sends it to audio.js (once, however many ask at the same time).</summary>
    public Task<int?> LoadAsync(SampleEntry entry)
    {
        var source = entry.Ref.Source;
        lock (_gate)
        {
            if (_buffers.TryGetValue(source, out var known)) return Task.FromResult<int?>(known);
            if (_unavailable.Contains(source)) return Task.FromResult<int?>(null);
            if (_loading.TryGetValue(source, out var running)) return running;
            // Started under the lock (it is reentrant), so a load finishing on another thread removes its entry only
            // after it was recorded; one that finished at once has nothing to record.
            var task = LoadOnceAsync(entry);
            if (!task.IsCompleted) _loading[source] = task;
            return task;
        }
    }

    private async Task<int?> LoadOnceAsync(SampleEntry entry)
    {
        var source = entry.Ref.Source;
        try
        {
            var module = await _module.GetAsync();
            var result = await _library.ResolveAsync(entry.Ref);
            if (result.Audio is null)
            {
                if (!result.Retry)
                    lock (_gate) _unavailable.Add(source);
                _notices.Error(ErrorCodes.AudioDecodeFailed, $"Sample \"{entry.Key}\" cannot be played",
                    result.Error ?? "its audio could not be decoded", "The rest of the pattern keeps playing.");
                return null;
            }
            var id = NextBuffer();
            await RegisterAsync(module, id, result.Audio);
            List<int> released;
            lock (_gate)
            {
                _buffers[source] = id;
                _sources[id] = source;
                released = [.. _cache.Add(id, (long)result.Audio.Length * result.Audio.ChannelCount * sizeof(float))];
                foreach (var old in released)
                {
                    _buffers.Remove(_sources[old]);
                    _sources.Remove(old);
                }
            }
            foreach (var old in released) await module.InvokeVoidAsync("releaseSample", old);
            Loaded?.Invoke();
            return id;
        }
        finally
        {
            lock (_gate) _loading.Remove(source);
        }
    }

    private async Task RegisterCurveAsync(IJSObjectReference module, double amount)
    {
        int id;
        lock (_gate)
        {
            if (_curves.ContainsKey(amount)) return;
            id = _curves.Count;
            _curves[amount] = id;
        }
        var curve = DistortionCurve.Create(amount);
        // In WebAssembly the call reaches audio.js before this returns: a tick may use the id at once.
        await module.InvokeVoidAsync("registerCurve", id, MemoryMarshal.AsBytes(curve.AsSpan()).ToArray());
    }

    private int NextBuffer()
    {
        lock (_gate) return _nextBuffer++;
    }

    private static async Task RegisterAsync(IJSObjectReference module, int id, AudioBuffer audio)
    {
        var channels = new byte[audio.ChannelCount][];
        for (var c = 0; c < audio.ChannelCount; c++) channels[c] = MemoryMarshal.AsBytes(audio.Channel(c).AsSpan()).ToArray();
        await module.InvokeVoidAsync("registerSample", id, audio.SampleRate, channels);
    }

    public void Dispose() => _store.PatternChanged -= OnPatternChanged;
}
