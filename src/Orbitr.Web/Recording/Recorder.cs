using Orbitr.Core.Editing;
using Orbitr.Core.Scheduling;
using Orbitr.Web.Audio;
using Orbitr.Web.Settings;
using Orbitr.Web.State;

namespace Orbitr.Web.Recording;

/// <summary>The Record switch (issue 26). While playing, a hit writes the ring's nearest step (<see cref="HitPlacement"/>:
/// the ring's own length and swing; quantized, or its offset kept as micro-timing per the setting); stopped, it writes
/// the ring's next step (step recording: a cursor per ring from step 1 or the focused step, wrapping) and selects the
/// ring. Every write of one pass (Record on → off, or Play → Stop) is one undo level.</summary>
public sealed class Recorder : IDisposable
{
    private readonly PatternState _store;
    private readonly AudioEngine _audio;
    private readonly SettingsStore _settings;
    private readonly Dictionary<int, int> _cursors = [];
    private int _pass;

    public Recorder(PatternState store, AudioEngine audio, SettingsStore settings)
    {
        (_store, _audio, _settings) = (store, audio, settings);
        _audio.StateChanged += OnTransport;
        _settings.Changed += ArmCountIn;
    }

    public bool On { get; private set; }

    public event Action? Changed;

    public void Toggle() => Set(!On);

    public void Set(bool on)
    {
        if (On == on) return;
        On = on;
        NewPass();
        ArmCountIn();
        Changed?.Invoke();
    }

    /// <summary>Writes a hit of ring <paramref name="track"/> (velocity 0–1; <paramref name="audioTime"/>: when it was
    /// heard, on the audio clock) when recording; does nothing otherwise.</summary>
    public void Record(int track, double velocity, double? audioTime)
    {
        var p = _store.Pattern;
        if (!On || (uint)track >= (uint)p.Tracks.Count || p.Tracks[track].Steps.Count == 0) return;
        var vel = HitPlacement.StepVelocity(velocity);
        if (_audio.Playing) RecordLive(track, vel, audioTime ?? _audio.LastTickClock);
        else RecordStep(track, vel);
    }

    private string Gesture => $"record-{_pass}";

    private void RecordLive(int track, int velocity, double audioTime)
    {
        if (!_audio.TryPatternTime(audioTime, out var playing, out var seconds)) return;
        // During a count-in nothing is written, but a hit just before the first step (played a little early) is on it.
        if (seconds < -playing.StepSeconds / 2) return;
        if (HitPlacement.Place(playing, track, seconds, _settings.Current.QuantizeRecording) is not { } placed) return;
        // The pad has just sounded: the step's own note of this pass is not played again (no flam when it lies ahead).
        _audio.Spare(track, placed.Sixteenth);
        _store.Dispatch(x => track < x.Tracks.Count && placed.Step < x.Tracks[track].Steps.Count
            ? PatternEditor.RecordHit(x, track, placed.Step, velocity, placed.TimingMs) : x, Gesture);
    }

    private void RecordStep(int track, int velocity)
    {
        var length = _store.Pattern.Tracks[track].Steps.Count;
        if (!_cursors.TryGetValue(track, out var step))
            step = _store.FocusedStep is { } f && f.Track == track ? f.Step : 0;
        step %= length;
        _store.Dispatch(x => PatternEditor.RecordHit(x, track, step, velocity, 0), Gesture);
        _cursors[track] = (step + 1) % length;
        _store.SelectTrack(track);
    }

    /// <summary>The step the next stopped hit of ring <paramref name="track"/> writes (null: from step 1 or the focused step).</summary>
    public int? CursorOf(int track) => _cursors.TryGetValue(track, out var s) ? s : null;

    private void OnTransport()
    {
        if (On) NewPass();
    }

    // A new pass: its writes share a gesture of their own (one undo level), and the step cursors start again.
    private void NewPass()
    {
        _pass++;
        _cursors.Clear();
    }

    private void ArmCountIn() => _audio.CountIn = On && _settings.Current.CountIn;

    public void Dispose()
    {
        _audio.StateChanged -= OnTransport;
        _settings.Changed -= ArmCountIn;
    }
}
