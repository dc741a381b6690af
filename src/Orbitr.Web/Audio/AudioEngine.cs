using Microsoft.JSInterop;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;
using Orbitr.Web.Audio.Export;
using Orbitr.Web.Audio.Interop;
using Orbitr.Web.Audio.Mix;
using Orbitr.Web.Audio.Playback;
using Orbitr.Web.Audio.Samples;
using Orbitr.Web.State;

namespace Orbitr.Web.Audio;

/// <summary>The UI's audio facade. The pieces: <see cref="SampleRegistry"/> (Samples/: what audio.js has, loaded when
/// the pattern changes), <see cref="LivePlayback"/> (Playback/: transport, ticks, edits), <see cref="WavExport"/>
/// (Export/), <see cref="MixMessage"/> (Mix/) and the interop messages (Interop/). wwwroot/js/audio.js owns the
/// AudioContext, the worker clock and the nodes, and only plays what it is handed.</summary>
public sealed class AudioEngine : IAsyncDisposable
{
    private readonly PatternState _store;
    private readonly Notices _notices;
    private readonly AudioModule _module;
    private readonly SampleRegistry _samples;
    private readonly LivePlayback _playback;
    private readonly WavExport _export;
    private DotNetObjectReference<AudioEngine>? _self;

    public AudioEngine(IJSRuntime js, PatternState store, Notices notices, SampleResolver library)
    {
        (_store, _notices) = (store, notices);
        _module = new AudioModule(js);
        _samples = new SampleRegistry(_module, store, notices, library);
        _playback = new LivePlayback(_module, store, _samples);
        _export = new WavExport(_module, _samples);
    }

    public bool Started { get; private set; }
    public bool Playing => _playback.Playing;

    public bool MetronomeOn
    {
        get => _playback.MetronomeOn;
        set => _playback.MetronomeOn = value;
    }

    /// <summary>The fill switch (held while playing): steps with a "fill" condition play, "!fill" steps rest; heard at
    /// the next tick.</summary>
    public bool Fill
    {
        get => _playback.Fill;
        set
        {
            if (_playback.Fill == value) return;
            _playback.Fill = value;
            FillChanged?.Invoke();
        }
    }

    /// <summary>The tempo nudge factor (1: none; 0.96 or 1.04 while [ or ] is held).</summary>
    public double Nudge
    {
        get => _playback.Nudge;
        set => _playback.Nudge = value;
    }

    /// <summary>The tempo of a followed MIDI clock (null: the pattern's own).</summary>
    public double? FollowedBpm
    {
        get => _playback.FollowedBpm;
        set => _playback.FollowedBpm = value;
    }

    /// <summary>The JS module of the audio engine (midi.js shares its clock).</summary>
    internal AudioModule Module => _module;

    /// <summary>The fill switch was pressed or let go (by the Fill button or the F key).</summary>
    public event Action? FillChanged;

    /// <summary>Gain of the metronome's clicks, 0 to 1 (set from the settings).</summary>
    public double MetronomeLevel
    {
        get => _playback.MetronomeLevel;
        set => _playback.MetronomeLevel = value;
    }

    /// <summary>Notes skipped because their sample was not loaded yet when they came due to be scheduled.</summary>
    public long SkippedNotes => _playback.SkippedNotes;

    /// <summary>The Web Audio latencyHint for the AudioContext ("interactive", "balanced", "playback"); it is
    /// created once per page, so a change applies after a reload.</summary>
    public string LatencyHint { get; set; } = "interactive";

    /// <summary>The latencyHint the running AudioContext was created with (null before audio starts).</summary>
    public string? ActiveLatencyHint { get; private set; }

    /// <summary>Playing started or stopped.</summary>
    public event Action? StateChanged;

    /// <summary>Reports an export's progress (0–1) while it renders.</summary>
    public event Action<double>? ExportProgress
    {
        add => _export.Progress += value;
        remove => _export.Progress -= value;
    }

    private DotNetObjectReference<AudioEngine> Self => _self ??= DotNetObjectReference.Create(this);

    /// <summary>Creates the AudioContext (call from a user gesture). On failure the user sees error 1001 and editing goes on.</summary>
    public async Task<bool> EnsureStartedAsync()
    {
        if (Started) return true;
        var module = await _module.GetAsync();
        var hint = LatencyHint;
        var result = await module.InvokeAsync<StartResult>("start", Self, hint);
        if (!result.Ok)
        {
            _notices.Error(ErrorCodes.AudioContextFailed, "Audio could not start",
                result.Message ?? "the browser refused to create an audio context",
                // A context that stays suspended is what a machine with no output device (or a tab muted by the
                // browser) gives: say what to check, not only that it failed (issue 22).
                "Check that a sound output (speakers, headphones) is connected and enabled, and that this site may play sound " +
                "(the browser's site settings). Editing and saving still work. Press Play to try again.");
            return false;
        }
        Started = true;
        ActiveLatencyHint ??= hint;
        _notices.DismissCode(ErrorCodes.AudioContextFailed);
        await PushMixAsync(_store.Pattern);
        return true;
    }

    /// <summary>Synthesizes and sends every sample the pattern uses that audio.js does not have yet (the registry also
    /// does this by itself whenever the pattern changes).</summary>
    public Task PrepareSamplesAsync(Pattern pattern) => _samples.PrepareAsync(pattern);

    /// <summary>Plays one sample on its own (library preview). Starts audio if needed; false when it cannot play.</summary>
    public async Task<bool> PreviewAsync(SampleRef sample)
    {
        if (!await EnsureStartedAsync()) return false;
        var module = await _module.GetAsync();
        var id = await _samples.LoadAsync(new SampleEntry("preview", sample));
        return id is not null && await module.InvokeAsync<bool>("preview", id.Value);
    }

    /// <summary>Plays one step once, whatever is playing (<see cref="StepAudition"/>). Starts audio if needed.</summary>
    public async Task<bool> AuditionAsync(int track, int step)
    {
        var pattern = _store.Pattern;
        if ((uint)track >= (uint)pattern.Tracks.Count || (uint)step >= (uint)pattern.Tracks[track].Steps.Count) return false;
        var notes = StepAudition.Notes(pattern, track, step);
        if (notes.Count == 0 || !await EnsureStartedAsync()) return false;
        var id = await _samples.LoadAsync(new SampleEntry(notes[0].SampleKey, pattern.FindSample(notes[0].SampleKey)!));
        if (id is null) return false;
        var message = new List<double>();
        foreach (var e in notes)
        {
            var curve = e.Effects?.Distortion is { Amount: > 0 } d ? _samples.Curve(d.Amount) : -1;
            VoiceMessage.Append(message, 0, e, id.Value, curve);
        }
        var module = await _module.GetAsync();
        return await module.InvokeAsync<bool>("audition", TickMessage.Bytes(message));
    }

    /// <summary>Plays ring <paramref name="track"/>'s sound at once at <paramref name="velocity"/> (0–1), a pad hit
    /// (<see cref="PadHit"/>). Answers the audio time being heard as it started (where a hit without a time of its own
    /// is recorded), or null when nothing played. With its sample loaded and audio running nothing here waits: the
    /// call into audio.js is synchronous in the browser.</summary>
    public async Task<double?> PlayHitAsync(int track, double velocity)
    {
        var pattern = _store.Pattern;
        if (PadHit.Note(pattern, track, velocity) is not { } note) return null;
        if (!Started && !await EnsureStartedAsync()) return null;
        var sample = pattern.FindSample(note.SampleKey)!;
        int? id = _samples.TryGetBuffer(sample.Source, out var loaded) ? loaded : await _samples.LoadAsync(new SampleEntry(note.SampleKey, sample));
        if (id is null) return null;
        var message = new List<double>(VoiceMessage.Stride);
        VoiceMessage.Append(message, 0, note, id.Value, -1);
        var bytes = TickMessage.Bytes(message);
        var heard = _module.Loaded is IJSInProcessObjectReference sync
            ? sync.Invoke<double>("hit", bytes)
            : await (await _module.GetAsync()).InvokeAsync<double>("hit", bytes);
        return heard >= 0 ? heard : null;
    }

    /// <summary>The next Play starts with one bar of metronome clicks, the pattern after it (recording's count-in).</summary>
    public bool CountIn { get; set; }

    /// <summary>The pattern playing (nudged tempo) and the pattern time of an audio-clock time (see
    /// <see cref="LivePlayback.TryPatternTime"/>); false when not playing or before the first tick.</summary>
    public bool TryPatternTime(double audioTime, out Pattern playing, out double seconds)
    {
        var ok = _playback.TryPatternTime(audioTime, out playing, out seconds);
        return ok && Playing;
    }

    /// <summary>The audio clock at the last tick (a hit's time when audio.js could not tell one).</summary>
    public double LastTickClock => _playback.LastTickClock;

    /// <summary>The step of a ring on a grid sixteenth just played on a pad is not played again (see <see cref="LivePlayback.Spare"/>).</summary>
    public void Spare(int track, long sixteenth) => _playback.Spare(track, sixteenth);

    /// <summary>Starts playing from the pattern's start, or from <paramref name="fromSeconds"/> into it (MIDI Continue),
    /// that point at audio-clock time <paramref name="originAt"/> when given (a MIDI Start's time).
    /// <paramref name="songSixteenths"/>: sixteenths of a song before this pattern's start (MIDI clock out's Song Position).</summary>
    public async Task PlayAsync(double fromSeconds = 0, double? originAt = null, int songSixteenths = 0)
    {
        if (Playing || !await EnsureStartedAsync()) return;
        var pattern = _store.Pattern;
        // Play waits for no download: the registry has been loading the pattern's samples since it changed, and a
        // note whose sample has not arrived yet is skipped (counted) until it has.
        await _samples.EnsureClicksAsync();
        _ = _samples.PrepareAsync(pattern);
        var module = await _module.GetAsync();
        _playback.Start(pattern, fromSeconds, originAt, CountIn && originAt is null && fromSeconds == 0);
        var step = _playback.StepSeconds(pattern);
        await module.InvokeVoidAsync("play", new StartPoint { Sixteenths = songSixteenths + Math.Round(fromSeconds / step), Seconds = fromSeconds });
        StateChanged?.Invoke();
    }

    public async Task StopAsync()
    {
        if (!Playing) return;
        _playback.Stop();
        if (_module.Loaded is { } module) await module.InvokeVoidAsync("stop");
        StateChanged?.Invoke();
    }

    public Task TogglePlayAsync() => Playing ? StopAsync() : PlayAsync();

    /// <summary>Queues a pattern to start exactly where the cycle playing now ends, at its own tempo (issue 25).</summary>
    /// <remarks><paramref name="afterCycles"/>: not before that many cycles from the current pattern's start (a song section).</remarks>
    public void QueuePattern(Pattern next, int afterCycles = 0) => _playback.Queue(next, afterCycles);

    /// <summary>The cycle of the pattern playing (from 0 where it started), as of the last tick.</summary>
    public int CurrentCycle => _playback.CurrentCycle;

    /// <summary>Forgets the queued pattern: the current one plays on.</summary>
    public void Unqueue() => _playback.Unqueue();

    /// <summary>The queued pattern, until it starts.</summary>
    public Pattern? QueuedPattern => _playback.Queued;

    /// <summary>A queued pattern has started (on the audio clock; the app then opens it).</summary>
    public event Action<Pattern>? QueuedPatternStarted
    {
        add => _playback.QueuedStarted += value;
        remove => _playback.QueuedStarted -= value;
    }

    /// <summary>Called by audio.js on every worker tick (25 ms), synchronously, with the audio clock: a
    /// <see cref="TickMessage"/> (empty when there is nothing new).</summary>
    [JSInvokable]
    public byte[] Tick(double now) => _playback.Tick(now);

    /// <summary>Track volumes, master volume, compressor, limiter and reverb follow the pattern (called on every edit).</summary>
    public async Task PushMixAsync(Pattern pattern)
    {
        if (!Started || _module.Loaded is not { } module) return;
        int? reverb = pattern.UsesReverb ? await _samples.ReverbAsync(pattern.Master.Reverb) : null;
        await module.InvokeVoidAsync("setMix", MixMessage.From(pattern, reverb));
    }

    /// <summary>Exports <paramref name="cycles"/> cycles as a WAV download (see <see cref="WavExport"/>).</summary>
    public Task<ExportResult> ExportWavAsync(Pattern pattern, int cycles, WavSampleFormat format, string fileName, bool loop = false) =>
        _export.RunAsync(pattern, cycles, format, fileName, Self, loop);

    /// <summary>Renders one WAV per ring (and the reverb's return) in the browser and downloads them zipped (issue 25).</summary>
    public Task<ExportResult> ExportStemsAsync(Pattern pattern, int cycles, WavSampleFormat format, string zipName, IReadOnlyList<string> names) =>
        _export.RunAsync(pattern, cycles, format, zipName, Self, stems: names);

    /// <summary>Stops the running export (nothing is downloaded).</summary>
    public Task CancelExportAsync() => _export.CancelAsync();

    /// <summary>Renders a song's WAV in the browser and downloads it (issue 25).</summary>
    public Task<ExportResult> ExportSongWavAsync(IReadOnlyList<Core.Songs.SongPart> parts, WavSampleFormat format, string fileName) =>
        _export.RunSongAsync(parts, format, fileName, Self);

    [JSInvokable]
    public void OnExportProgress(double fraction) => _export.OnProgress(fraction);

    public async ValueTask DisposeAsync()
    {
        _playback.Dispose();
        _samples.Dispose();
        await _module.DisposeAsync();
        _self?.Dispose();
    }
}
