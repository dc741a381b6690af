using Microsoft.JSInterop;
using Orbitr.Core.Editing;
using Orbitr.Web.Audio;
using Orbitr.Web.Editing;
using Orbitr.Web.Pads;
using Orbitr.Web.Recording;
using Orbitr.Web.State;

namespace Orbitr.Web.Shortcuts;

/// <summary>The keyboard contract of ARCHITECTURE §7: keys.js decides which keys are shortcuts (so it can prevent
/// the browser's default); this decides what they do.</summary>
public sealed class KeyboardShortcuts(IJSRuntime js, PatternState store, AudioEngine audio, PatternEditing editing, Notices notices, StepCopyPaste copying,
    PadMode padMode, PadPlayer pads, Recorder recorder)
    : IAsyncDisposable
{
    private DotNetObjectReference<KeyboardShortcuts>? _self;
    private IJSObjectReference? _keys;
    private IJSObjectReference? _listener;

    /// <summary>The id of a ring step's element (the arrows move focus to it).</summary>
    public static string StepId(StepAddress a) => $"step-{a.Track}-{a.Step}";

    public async Task StartAsync()
    {
        if (_listener is not null) return;
        _self ??= DotNetObjectReference.Create(this);
        _keys = await js.InvokeAsync<IJSObjectReference>("import", "./js/keys.js");
        _listener = await _keys.InvokeAsync<IJSObjectReference>("listen", _self);
        padMode.Changed += TellPadMode;
        if (padMode.On) TellPadMode();
    }

    // keys.js sends the pad keys to OnPad (with the time they were pressed) only in pad mode.
    private async void TellPadMode()
    {
        try
        {
            if (_listener is not null) await _listener.InvokeVoidAsync("pads", padMode.On);
        }
        catch (JSDisconnectedException) { }
        catch (JSException e)
        {
            notices.Error(ErrorCodes.AudioContextFailed, "Pad mode could not be switched", e.Message);
        }
    }

    /// <summary>A pad key pressed in pad mode (A S D F G H J K or 1–8: ring 1–8), with the audio time heard when it was
    /// pressed (keys.js maps the key event's time to the audio clock; negative: audio not started, so "now").</summary>
    [JSInvokable]
    public async Task OnPad(int track, double audioTime)
    {
        try
        {
            await pads.HitAsync(track, 1, audioTime >= 0 ? audioTime : null);
        }
        catch (JSException e)
        {
            notices.Error(ErrorCodes.AudioContextFailed, "The pad could not play", e.Message);
        }
    }

    [JSInvokable]
    public async Task OnKey(string key, bool shift, bool mod, int track, int step)
    {
        var p = store.Pattern;
        if (mod)
        {
            switch (key)
            {
                case "y" or "z" when key == "y" || shift: store.Redo(); break;
                case "z": store.Undo(); break;
                case "c": await copying.CopyAsync(); break;
                case "x": await copying.CutAsync(); break;
                case "v": await copying.PasteAsync(); break;
                case "d": copying.Duplicate(); break;
            }
            return;
        }
        StepAddress? focused = track >= 0 && track < p.Tracks.Count && step >= 0 && step < p.Tracks[track].Steps.Count
            ? new StepAddress(track, step) : null;
        switch (key)
        {
            case " ":
                await TogglePlayAsync();
                break;
            case "g":
                await FocusAsync("prompt");
                break;
            case "p":
                padMode.Toggle();
                break;
            case "r" when shift || padMode.On: // plain R toggles step 14 outside pad mode, as it always has
                recorder.Toggle();
                break;
            case "c" when shift:
                store.Dispatch(PatternEditor.ClearPattern); // the whole pattern, one undo level
                break;
            case "c":
                editing.ClearSelectedTrack();
                break;
            case "m":
                store.Dispatch(x => PatternEditor.SetTrackMute(x, store.SelectedTrack, !x.Tracks[store.SelectedTrack].Mute));
                break;
            case "s":
                store.Dispatch(x => PatternEditor.SetTrackSolo(x, store.SelectedTrack, !x.Tracks[store.SelectedTrack].Solo));
                break;
            case ['r', 'i', 'n', 'g', '-', var digit]:
                store.SelectTrack(digit - '1');
                break;
            case "Escape":
                store.ClearSelection();
                break;
            case "Delete" or "Backspace":
                editing.ClearSelectedSteps();
                break;
            case "Enter" when focused is { } f:
                editing.ToggleStep(f);
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
                editing.ToggleStepOfSelectedTrack("1234567890qwerty".IndexOf(key, StringComparison.Ordinal));
                break;
        }
    }

    /// <summary>How much a held [ or ] bends the tempo (issue 26).</summary>
    public const double NudgeFactor = 0.04;

    /// <summary>[ (−1) or ] (+1) held (down) or let go: the tempo plays 4 % slower or faster meanwhile.</summary>
    [JSInvokable]
    public void OnNudge(int direction, bool down) => audio.Nudge = down ? 1 + Math.Sign(direction) * NudgeFactor : 1;

    /// <summary>F held (true) or let go: the fill switch, while playing.</summary>
    [JSInvokable]
    public void OnFill(bool down) => audio.Fill = down && audio.Playing;

    private async Task TogglePlayAsync()
    {
        try
        {
            await audio.TogglePlayAsync();
        }
        catch (JSException e)
        {
            notices.Error(ErrorCodes.AudioContextFailed, "Playback could not start or stop", e.Message);
        }
    }

    private async Task FocusAsync(string id)
    {
        if (_keys is null) return;
        try
        {
            await _keys.InvokeVoidAsync("focus", id);
        }
        catch (JSDisconnectedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        padMode.Changed -= TellPadMode;
        try
        {
            if (_listener is not null) await _listener.InvokeVoidAsync("stop");
            if (_keys is not null) await _keys.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
        _self?.Dispose();
    }
}
