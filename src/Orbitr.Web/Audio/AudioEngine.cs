using System.Runtime.InteropServices;
using Microsoft.JSInterop;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Master;
using Orbitr.Dsp.Rendering;
using Orbitr.Dsp.Voice;
using Orbitr.Dsp.Wav;
using Orbitr.Synthesis.Kit;
using Orbitr.Web.State;

namespace Orbitr.Web.Audio;

/// <summary>The C# side of the audio engine. The C# <see cref="Transport"/> and <see cref="Scheduler"/> decide which
/// notes play and when; wwwroot/js/audio.js owns the AudioContext, the worker clock and the nodes, and only plays
/// what it is handed. Samples and waveshaper curves are made here and sent once, by number.</summary>
public sealed class AudioEngine(IJSRuntime js, PatternStore store, Notices notices, SampleLibrary library) : IAsyncDisposable
{
    private readonly Transport _transport = new();
    private readonly Dictionary<string, int> _buffers = [];   // sample source → buffer id in audio.js
    private readonly Dictionary<int, string> _sources = [];   // buffer id → sample source
    private readonly SampleCache _cache = new();
    private int _nextBuffer = 2;                              // 0 and 1 are the metronome's clicks
    private readonly HashSet<string> _unavailable = [];
    private readonly Dictionary<double, int> _curves = [];     // distortion amount → curve id in audio.js
    private readonly List<NoteEvent> _notes = [];
    private readonly List<Click> _clicks = [];
    private readonly List<double> _message = [];
    private IJSObjectReference? _module;
    private DotNetObjectReference<AudioEngine>? _self;
    private int _clickBuffer = -1, _accentBuffer = -1;
    private double _lastBpm;
    private int[] _lastLengths = [];
    private int _lastLength;

    public bool Started { get; private set; }
    public bool Playing => _transport.Playing;
    public bool MetronomeOn { get; set; }

    /// <summary>Gain of the metronome's clicks, 0 to 1 (set from the settings).</summary>
    public double MetronomeLevel { get; set; } = 0.7;

    /// <summary>The Web Audio latencyHint for the AudioContext ("interactive", "balanced", "playback"); it is
    /// created once per page, so a change applies after a reload.</summary>
    public string LatencyHint { get; set; } = "interactive";

    /// <summary>The latencyHint the running AudioContext was created with (null before audio starts).</summary>
    public string? ActiveLatencyHint { get; private set; }

    /// <summary>Playing started or stopped.</summary>
    public event Action? StateChanged;

    private async ValueTask<IJSObjectReference> ModuleAsync() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/audio.js");

    /// <summary>Creates the AudioContext (call from a user gesture). On failure the user sees error 1001 and editing goes on.</summary>
    public async Task<bool> EnsureStartedAsync()
    {
        if (Started) return true;
        var module = await ModuleAsync();
        _self ??= DotNetObjectReference.Create(this);
        var hint = LatencyHint;
        var result = await module.InvokeAsync<StartResult>("start", _self, hint);
        if (!result.Ok)
        {
            notices.Error(ErrorCodes.AudioContextFailed, "Audio could not start",
                result.Message ?? "the browser refused to create an audio context", "Editing and saving still work. Press Play to try again.");
            return false;
        }
        Started = true;
        ActiveLatencyHint ??= hint;
        notices.DismissCode(ErrorCodes.AudioContextFailed);
        await PushMixAsync(store.Pattern);
        return true;
    }

    /// <summary>Synthesizes and sends every sample the pattern uses that audio.js does not have yet.</summary>
    public async Task PrepareSamplesAsync(Pattern pattern)
    {
        var module = await ModuleAsync();
        foreach (var entry in pattern.Samples)
        {
            var source = entry.Ref.Source;
            if (_buffers.ContainsKey(source) || _unavailable.Contains(source)) continue;
            await LoadAsync(module, entry);
            await Task.Yield(); // keep the page responsive between sounds
        }
        if (_clickBuffer < 0)
        {
            await RegisterAsync(module, 0, MetronomeClick.Render(false, SampleLibrary.SampleRate));
            await RegisterAsync(module, 1, MetronomeClick.Render(true, SampleLibrary.SampleRate));
            (_clickBuffer, _accentBuffer) = (0, 1);
        }
    }

    /// <summary>Resolves one sample and sends it to audio.js, releasing the least recently used ones past 100 MB.</summary>
    private async Task<int?> LoadAsync(IJSObjectReference module, SampleEntry entry)
    {
        var source = entry.Ref.Source;
        if (_buffers.TryGetValue(source, out var known)) return known;
        if (_unavailable.Contains(source)) return null;
        var result = await library.ResolveAsync(entry.Ref);
        if (result.Audio is null)
        {
            if (!result.Retry) _unavailable.Add(source);
            notices.Error(ErrorCodes.AudioDecodeFailed, $"Sample \"{entry.Key}\" cannot be played",
                result.Error ?? "its audio could not be decoded", "The rest of the pattern keeps playing.");
            return null;
        }
        var id = _nextBuffer++;
        await RegisterAsync(module, id, result.Audio);
        _buffers[source] = id;
        _sources[id] = source;
        foreach (var old in _cache.Add(id, (long)result.Audio.Length * result.Audio.ChannelCount * sizeof(float)))
        {
            await module.InvokeVoidAsync("releaseSample", old);
            _buffers.Remove(_sources[old]);
            _sources.Remove(old);
        }
        return id;
    }

    /// <summary>Plays one sample on its own (library preview). Starts audio if needed; false when it cannot play.</summary>
    public async Task<bool> PreviewAsync(SampleRef sample)
    {
        if (!await EnsureStartedAsync()) return false;
        var module = await ModuleAsync();
        var id = await LoadAsync(module, new SampleEntry("preview", sample));
        return id is not null && await module.InvokeAsync<bool>("preview", id.Value);
    }

    public async Task PlayAsync()
    {
        if (Playing || !await EnsureStartedAsync()) return;
        var pattern = store.Pattern;
        await PrepareSamplesAsync(pattern);
        var module = await ModuleAsync();
        Scheduler.EventsBetween(pattern, 0, Transport.LookAheadSeconds); // warm the scheduler's code before the first tick
        _transport.Start(pattern);
        _lastLengths = [];                                                 // the first tick sends the playhead
        await module.InvokeVoidAsync("play");
        StateChanged?.Invoke();
    }

    public async Task StopAsync()
    {
        if (!Playing) return;
        _transport.Stop();
        if (_module is not null) await _module.InvokeVoidAsync("stop");
        StateChanged?.Invoke();
    }

    public Task TogglePlayAsync() => Playing ? StopAsync() : PlayAsync();

    /// <summary>Called by audio.js on every worker tick (25 ms) with the audio clock: the notes of the next window.</summary>
    [JSInvokable]
    public async Task<TickResult> Tick(double now)
    {
        var pattern = store.Pattern;
        if (!Playing) return new TickResult();
        _notes.Clear();
        _clicks.Clear();
        var origin = _transport.Origin;
        _transport.Tick(now, pattern, _notes, MetronomeOn ? _clicks : null);
        _message.Clear();
        await AppendNotesAsync(pattern, _transport.Origin, _notes);
        foreach (var click in _clicks)
            VoiceMessage.Append(_message, _transport.Origin + click.Time, VoiceMessage.MetronomeTrack, 0, click.Beat,
                click.Accent ? _accentBuffer : _clickBuffer, MetronomeLevel, 0, null, -1);
        var changed = origin != _transport.Origin || pattern.Bpm != _lastBpm || pattern.Length != _lastLength || !SameLengths(pattern);
        return new TickResult { Events = _message.ToArray(), Playhead = changed ? Playhead(pattern) : null, Until = _transport.ScheduledUntil };
    }

    /// <summary>Track volumes, master volume, compressor and limiter follow the pattern (called on every edit).</summary>
    public async Task PushMixAsync(Pattern pattern)
    {
        if (!Started || _module is null) return;
        await _module.InvokeVoidAsync("setMix", Mix(pattern));
        if (!_buffers.Keys.ToHashSet().IsSupersetOf(pattern.Samples.Select(s => s.Ref.Source).Where(s => !_unavailable.Contains(s))))
            await PrepareSamplesAsync(pattern);
    }

    /// <summary>Reports an export's progress (0–1) while it renders.</summary>
    public event Action<double>? ExportProgress;

    /// <summary>Exports <paramref name="cycles"/> cycles as a WAV download: audio.js renders them in an OfflineAudioContext
    /// on the playback graph (compressor and limiter worklet included, as Orbitr.Dsp's OfflineRenderer ends a render),
    /// trims the tail and encodes in a worker, and downloads the file. No sample comes back here.</summary>
    public async Task<ExportResult> ExportWavAsync(Pattern pattern, int cycles, WavSampleFormat format, string fileName)
    {
        var module = await ModuleAsync();
        await PrepareSamplesAsync(pattern);
        var rate = SampleLibrary.SampleRate;
        _message.Clear();
        // Start every voice on a whole sample frame, where OfflineRenderer puts it (Timing.ToSampleIndex): Chromium
        // starts buffers sub-sample accurately, and half a sample of a hi-hat is a loud difference.
        var notes = Scheduler.EventsForCycles(pattern, cycles);
        for (var i = 0; i < notes.Count; i++) notes[i] = notes[i] with { Time = Timing.ToSampleIndex(notes[i].Time, rate) / (double)rate };
        await AppendNotesAsync(pattern, 0, notes);
        var spanFrames = (int)OfflineRenderer.SpanFrames(pattern, new RenderOptions(rate, cycles));
        var frames = spanFrames + (int)Math.Round(RenderOptions.MaxAutoTail * rate);
        _self ??= DotNetObjectReference.Create(this);
        return await module.InvokeAsync<ExportResult>("exportWav", new ExportRequest
        {
            // The notes as raw float64 bytes: a binary transfer, not thousands of JSON numbers through the interpreter.
            SampleRate = rate, Frames = frames, SpanFrames = spanFrames, Events = MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_message)).ToArray(), Mix = Mix(pattern),
            Bits = WavWriter.BytesPerSample(format) * 8, FileName = fileName,
        }, _self);
    }

    /// <summary>Stops the running export (nothing is downloaded).</summary>
    public async Task CancelExportAsync()
    {
        if (_module is not null) await _module.InvokeVoidAsync("cancelExport");
    }

    [JSInvokable]
    public void OnExportProgress(double fraction) => ExportProgress?.Invoke(Math.Clamp(fraction, 0, 1));

    private async Task AppendNotesAsync(Pattern pattern, double origin, List<NoteEvent> notes)
    {
        foreach (var e in notes)
        {
            var sample = pattern.FindSample(e.SampleKey);
            if (sample is null) continue;
            if (!_buffers.TryGetValue(sample.Source, out var buffer))
            {
                // Not loaded yet or released from the cache: load it now (an unavailable one is reported once).
                if (await LoadAsync(await ModuleAsync(), new SampleEntry(e.SampleKey, sample)) is not { } loaded) continue;
                buffer = loaded;
            }
            _cache.Touch(buffer);
            var curve = -1;
            if (e.Effects?.Distortion is { Amount: > 0 } distortion) curve = await CurveAsync(distortion.Amount);
            VoiceMessage.Append(_message, origin, e, buffer, curve);
        }
    }

    private async ValueTask<int> CurveAsync(double amount)
    {
        if (_curves.TryGetValue(amount, out var id)) return id;
        id = _curves.Count;
        var curve = DistortionCurve.Create(amount);
        await (await ModuleAsync()).InvokeVoidAsync("registerCurve", id, MemoryMarshal.AsBytes(curve.AsSpan()).ToArray());
        _curves[amount] = id;
        return id;
    }

    private static async Task RegisterAsync(IJSObjectReference module, int id, AudioBuffer audio)
    {
        var channels = new byte[audio.ChannelCount][];
        for (var c = 0; c < audio.ChannelCount; c++) channels[c] = MemoryMarshal.AsBytes(audio.Channel(c).AsSpan()).ToArray();
        await module.InvokeVoidAsync("registerSample", id, audio.SampleRate, channels);
    }

    private MixState Mix(Pattern pattern)
    {
        var c = pattern.Master.Compressor;
        var l = pattern.Master.Limiter;
        return new MixState
        {
            Tracks = pattern.Tracks.Select(t => t.Volume).ToArray(),
            Master = pattern.Master.Volume,
            Compressor = new CompressorState
            {
                Enabled = c.Enabled, Threshold = c.Threshold, Knee = c.Knee, Ratio = c.Ratio, Attack = c.Attack, Release = c.Release,
            },
            Limiter = l.Enabled ? l.Ceiling : null,
        };
    }

    private PlayheadState Playhead(Pattern pattern)
    {
        _lastBpm = pattern.Bpm;
        _lastLength = pattern.Length;
        _lastLengths = pattern.Tracks.Select(t => t.Steps.Count).ToArray();
        return new PlayheadState { Origin = _transport.Origin, StepSeconds = pattern.StepSeconds, Length = pattern.Length, Lengths = _lastLengths };
    }

    private bool SameLengths(Pattern pattern)
    {
        if (_lastLengths.Length != pattern.Tracks.Count) return false;
        for (var i = 0; i < _lastLengths.Length; i++)
            if (_lastLengths[i] != pattern.Tracks[i].Steps.Count) return false;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null)
            {
                await _module.InvokeVoidAsync("dispose");
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException) { }
        _self?.Dispose();
    }
}

// Interop messages are classes with settable properties, not positional records: trimming drops constructor
// parameter names, and System.Text.Json then cannot bind a record's constructor in the published app.

public sealed class StartResult
{
    public bool Ok { get; set; }
    public string? Message { get; set; }
    public double SampleRate { get; set; }
}

/// <summary>A tick's notes; <see cref="Until"/> is the pattern time up to which notes have now been handed out.</summary>
public sealed class TickResult
{
    public double[] Events { get; set; } = [];
    public PlayheadState? Playhead { get; set; }
    public double Until { get; set; }
}

public sealed class PlayheadState
{
    public double Origin { get; set; }
    public double StepSeconds { get; set; }
    public int Length { get; set; }
    public int[] Lengths { get; set; } = [];
}

public sealed class CompressorState
{
    public bool Enabled { get; set; }
    public double Threshold { get; set; }
    public double Knee { get; set; }
    public double Ratio { get; set; }
    public double Attack { get; set; }
    public double Release { get; set; }
}

public sealed class MixState
{
    public double[] Tracks { get; set; } = [];
    public double Master { get; set; }
    public CompressorState Compressor { get; set; } = new();
    /// <summary>The limiter's ceiling in dBFS; null when the limiter is off.</summary>
    public double? Limiter { get; set; }
}

/// <summary>An export for audio.js: the notes (sample-frame aligned), the mix, how many frames to render (the span
/// plus the longest auto tail), the span that is always kept, and the WAV's bits (16, 24 or 32 = float).</summary>
public sealed class ExportRequest
{
    public int SampleRate { get; set; }
    public int Frames { get; set; }
    public int SpanFrames { get; set; }
    /// <summary><see cref="VoiceMessage"/> numbers as little-endian float64 bytes.</summary>
    public byte[] Events { get; set; } = [];
    public MixState Mix { get; set; } = new();
    public int Bits { get; set; }
    public string FileName { get; set; } = "";
}

public sealed class ExportResult
{
    public bool Cancelled { get; set; }
    public int Frames { get; set; }
    public double Peak { get; set; }
    public double RenderMs { get; set; }
    public double TotalMs { get; set; }
}
