using System.Diagnostics;
using Microsoft.JSInterop;
using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Dsp.Wav;
using Orbitr.Web.Audio;
using Orbitr.Web.Files;
using Orbitr.Web.Library;
using Orbitr.Web.Offline;
using Orbitr.Web.Patterns;
using Orbitr.Web.Settings;
using Orbitr.Web.Sharing;
using Orbitr.Web.State;

namespace Orbitr.Web;

/// <summary>Wires the parts of the app together: restores the saved pattern, saves and re-mixes on every edit,
/// and turns keyboard shortcuts, imports and exports into store actions. Components call it; it holds no markup.</summary>
public sealed class Studio(PatternStore store, AudioEngine audio, PatternLibrary library, PatternFiles files, Notices notices,
    GenerationList generations, SampleShelf shelf, PatternSharing sharing, SoundStore sounds, OfflineUploads uploads, SettingsStore settings)
    : IAsyncDisposable
{
    private readonly TapTempo _tap = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private DotNetObjectReference<Studio>? _self;
    private IJSObjectReference? _keys;
    private IJSObjectReference? _keyListener;
    private IJSObjectReference? _dropListener;

    public PatternStore Store => store;
    public AudioEngine Audio => audio;
    public Notices Notices => notices;
    public GenerationList Generations => generations;
    public SampleShelf Shelf => shelf;
    public PatternSharing Sharing => sharing;
    public PatternLibrary Library => library;
    public SettingsStore Settings => settings;
    /// <summary>The library sound being dragged onto a ring or step.</summary>
    public ShelfItem? Dragging { get; set; }
    public bool Ready { get; private set; }
    public bool Exporting { get; private set; }
    /// <summary>How far the running export is (0–1).</summary>
    public double ExportProgress { get; private set; }
    /// <summary>The WAV export's sample format (16-bit by default, as `orbitr render`).</summary>
    public WavSampleFormat ExportFormat { get; set; } = WavSampleFormat.Pcm16;

    public event Action? Changed;

    /// <summary>Start-up after the first render: load the settings, restore, listen for keys and drops, synthesize the kit.</summary>
    public async Task InitializeAsync(IJSRuntime js)
    {
        await settings.LoadAsync();
        ApplySettings();
        settings.Changed += ApplySettings;
        await library.RestoreAsync();
        sharing.SwitchPattern(library.CurrentId);
        library.Changed += () => sharing.SwitchPattern(library.CurrentId);
        // A share link opens as a new pattern of the library; your own stays there as it was.
        if (await sharing.OpenLinkAsync() is { } shared) await library.AddAsync(shared);
        generations.Succeeded += job => _ = job.SampleId is { } id ? shelf.AddGeneratedAsync(id) : Task.CompletedTask;
        sounds.UsedSources = UsedSourcesAsync;
        uploads.MoveReferences = MoveReferencesAsync;
        store.PatternChanged += OnPatternChanged;
        _self = DotNetObjectReference.Create(this);
        _keys = await js.InvokeAsync<IJSObjectReference>("import", "./js/keys.js");
        _keyListener = await _keys.InvokeAsync<IJSObjectReference>("listen", _self);
        _dropListener = await files.ListenForDropsAsync(_self);
        Ready = true;
        Changed?.Invoke();
        _ = shelf.RefreshAsync();
        await audio.PrepareSamplesAsync(store.Pattern);
        await uploads.StartAsync();
    }

    /// <summary>Every sample source the browser's patterns use: their sounds are the last to leave the offline store.</summary>
    private Task<IReadOnlySet<string>> UsedSourcesAsync() => Task.FromResult(library.SampleSources());

    /// <summary>An offline upload reached the server: every local pattern refers to the server's sample from now on.</summary>
    private Task MoveReferencesAsync(string local, SampleRef server) =>
        library.RewriteAsync(p => PatternEditor.ReplaceSampleSource(p, local, server));

    private void ApplySettings()
    {
        audio.MetronomeLevel = settings.Current.MetronomeLevel;
        audio.LatencyHint = SettingsJson.Name(settings.Current.LatencyHint);
        var budget = settings.Current.SoundStorageMegabytes * 1024L * 1024;
        var lower = budget < sounds.BudgetBytes;
        sounds.BudgetBytes = budget;
        if (lower && Ready) _ = sounds.TrimAsync();
        uploads.Enabled = settings.Current.UploadOfflineSounds;
    }

    private void OnPatternChanged(Pattern pattern)
    {
        library.OnPatternChanged(pattern);
        _ = audio.PushMixAsync(pattern);
    }

    // ---- keyboard (ARCHITECTURE §7) ----

    [JSInvokable]
    public async Task OnKey(string key, bool shift, bool mod, int track, int step)
    {
        var p = store.Pattern;
        if (mod)
        {
            if (key == "y" || (key == "z" && shift)) store.Redo();
            else if (key == "z") store.Undo();
            return;
        }
        StepAddress? focused = track >= 0 && track < p.Tracks.Count && step >= 0 && step < p.Tracks[track].Steps.Count
            ? new StepAddress(track, step) : null;
        switch (key)
        {
            case " ":
                await audio.TogglePlayAsync();
                break;
            case "g":
                await FocusAsync("prompt");
                break;
            case "c":
                store.Dispatch(x => PatternEditor.ClearTrack(x, store.SelectedTrack));
                break;
            case "Escape":
                store.ClearSelection();
                break;
            case "Enter" when focused is { } f:
                ToggleStep(f);
                break;
            case "ArrowLeft" or "ArrowRight" or "ArrowUp" or "ArrowDown" when focused is { } f:
                var next = StepNavigation.Move(p, f, key);
                store.Focus(next);
                await FocusAsync(StepId(next));
                break;
            case "ArrowLeft" or "ArrowRight":
                var delta = (key == "ArrowRight" ? 1 : -1) * (shift ? 10 : 1);
                store.Dispatch(x => PatternEditor.SetBpm(x, Math.Round(x.Bpm) + delta), "bpm-keys");
                break;
            default:
                var index = "1234567890qwerty".IndexOf(key, StringComparison.Ordinal);
                var t = store.SelectedTrack;
                if (index >= 0 && index < p.Tracks[t].Steps.Count) store.Dispatch(x => PatternEditor.ToggleStep(x, t, index));
                break;
        }
    }

    public static string StepId(StepAddress a) => $"step-{a.Track}-{a.Step}";

    private async Task FocusAsync(string id)
    {
        if (_keys is not null) await _keys.InvokeVoidAsync("focus", id);
    }

    // ---- steps ----

    public void ToggleStep(StepAddress a)
    {
        store.Dispatch(p => PatternEditor.ToggleStep(p, a.Track, a.Step));
        store.Select(a, additive: false);
    }

    // ---- tempo ----

    public void TapTempo()
    {
        if (_tap.Tap(_clock.Elapsed.TotalSeconds) is { } bpm) store.Dispatch(p => PatternEditor.SetBpm(p, bpm), "tap");
    }

    // ---- samples ----

    /// <summary>A sound menu's value is a sample source ("builtin:kick", "generated:id"); one the pattern already
    /// has keeps its entry (and name).</summary>
    private SampleRef? RefOf(string source) =>
        store.Pattern.Samples.FirstOrDefault(e => e.Ref.Source == source)?.Ref ?? SampleRef.TryParse(source);

    /// <summary>Gives a track a sound from its menu (adding it to the sample table when needed).</summary>
    public void SetTrackSound(int track, string source)
    {
        if (RefOf(source) is not { } sample) return;
        store.Dispatch(p =>
        {
            p = PatternEditor.WithSample(p, sample, out var key);
            return PatternEditor.SetTrackSample(p, track, key);
        });
    }

    /// <summary>Sets the sample of every selected step: null for "the track's sample", else a sound from the menu.</summary>
    public void SetSelectedStepsSound(string? source)
    {
        var sample = source is null ? null : RefOf(source);
        if (source is not null && sample is null) return;
        store.Dispatch(p =>
        {
            string? key = null;
            if (sample is not null) p = PatternEditor.WithSample(p, sample, out key);
            foreach (var a in store.Selection) p = PatternEditor.SetStepSample(p, a.Track, a.Step, key);
            return p;
        });
    }

    /// <summary>Applies one change to every selected step (one undo level per gesture).</summary>
    public void EditSelectedSteps(Func<Step, Step> change, string gesture) => store.Dispatch(p =>
    {
        foreach (var a in store.Selection) p = PatternEditor.UpdateStep(p, a.Track, a.Step, change);
        return p;
    }, gesture);

    /// <summary>Gives a ring any library sound (kit, generated or uploaded).</summary>
    public void AssignToTrack(int track, SampleRef sample)
    {
        if (track < 0 || track >= store.Pattern.Tracks.Count) return;
        store.Dispatch(p =>
        {
            p = PatternEditor.WithSample(p, sample, out var key);
            return PatternEditor.SetTrackSample(p, track, key);
        });
        _ = audio.PrepareSamplesAsync(store.Pattern);
    }

    /// <summary>Gives one step a library sound and switches it on (a sound dropped on a step should be heard).</summary>
    public void AssignToStep(StepAddress step, SampleRef sample)
    {
        store.Dispatch(p =>
        {
            p = PatternEditor.WithSample(p, sample, out var key);
            p = PatternEditor.SetStepSample(p, step.Track, step.Step, key);
            return PatternEditor.SetStepActive(p, step.Track, step.Step, true);
        });
        store.Select(step, additive: false);
        _ = audio.PrepareSamplesAsync(store.Pattern);
    }

    /// <summary>Gives every selected step a library sound.</summary>
    public void AssignToSelection(SampleRef sample)
    {
        if (store.Selection.Count == 0) return;
        store.Dispatch(p =>
        {
            p = PatternEditor.WithSample(p, sample, out var key);
            foreach (var a in store.Selection) p = PatternEditor.SetStepSample(p, a.Track, a.Step, key);
            return p;
        });
        _ = audio.PrepareSamplesAsync(store.Pattern);
    }

    public void DropOnStep(StepAddress step)
    {
        if (Dragging is { } item) AssignToStep(step, item.Source);
        Dragging = null;
    }

    public void DropOnTrack(int track)
    {
        if (Dragging is { } item) AssignToTrack(track, item.Source);
        Dragging = null;
    }

    /// <summary>Replaces the pattern with a genre's starting point (undoable).</summary>
    public void ApplyStarterPack(string id)
    {
        if (StarterPacks.Find(id) is not { } pack) return;
        store.Dispatch(p => StarterPacks.Build(pack, p.Seed));
        store.ClearSelection();
        notices.Info($"Started a {pack.Name} pattern at {pack.Bpm:0} BPM (Ctrl+Z to undo)", $"Try prompts such as \"{pack.Prompts[0]}\".");
        _ = audio.PrepareSamplesAsync(store.Pattern);
    }

    // ---- files ----

    private static readonly string[] AudioExtensions = [".wav", ".wave", ".flac", ".ogg", ".oga", ".mp3"];

    [JSInvokable]
    public async Task OnFileDropped(string name, byte[] bytes, string? zone)
    {
        var isAudio = AudioExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
        if (zone == "library" || isAudio) await shelf.UploadAsync(name, bytes);
        else Import(name, bytes);
    }

    /// <summary>Imports a pattern file as a new pattern of the library (the one being edited stays there); a file that
    /// is not a valid pattern is listed error by error.</summary>
    public bool Import(string name, byte[] bytes)
    {
        var result = PatternFiles.Read(bytes);
        if (result.Pattern is not { } pattern)
        {
            notices.Error(ErrorCodes.InvalidPattern, $"\"{name}\" is not a valid Orbitr pattern; nothing was changed",
                result.Errors.Take(20).Select(e => e.ToString()).ToList());
            return false;
        }
        _ = library.AddAsync(pattern);
        notices.Info($"Imported \"{name}\" as \"{pattern.Name}\" into your patterns");
        return true;
    }

    public async Task ExportAsync(string format, int cycles)
    {
        if (Exporting) return;
        Exporting = true;
        ExportProgress = 0;
        Changed?.Invoke();
        audio.ExportProgress += OnExportProgress;
        try
        {
            var p = store.Pattern;
            switch (format)
            {
                case "wav":
                    if (!await files.ExportWavAsync(p, cycles, ExportFormat)) notices.Info("Export cancelled");
                    break;
                case "mid": await files.ExportMidiAsync(p, cycles); break;
                default: await files.ExportJsonAsync(p); break;
            }
        }
        catch (Exception e) when (e is JSException or InvalidOperationException or ArgumentException)
        {
            notices.Error(ErrorCodes.AudioDecodeFailed, "The export failed", e.Message);
        }
        finally
        {
            audio.ExportProgress -= OnExportProgress;
            Exporting = false;
            Changed?.Invoke();
        }
    }

    /// <summary>The export moved on (only the export box shows it: the rest of the page need not re-render).</summary>
    public event Action? ExportProgressChanged;

    private void OnExportProgress(double fraction)
    {
        ExportProgress = fraction;
        ExportProgressChanged?.Invoke();
    }

    public Task CancelExportAsync() => audio.CancelExportAsync();

    /// <summary>A new, empty pattern of the library (the one being edited stays there).</summary>
    public Task NewPatternAsync() => library.NewAsync();

    public async ValueTask DisposeAsync()
    {
        store.PatternChanged -= OnPatternChanged;
        settings.Changed -= ApplySettings;
        try
        {
            if (_keyListener is not null) await _keyListener.InvokeVoidAsync("stop");
            if (_dropListener is not null) await _dropListener.InvokeVoidAsync("stop");
        }
        catch (JSDisconnectedException) { }
        _self?.Dispose();
    }
}
