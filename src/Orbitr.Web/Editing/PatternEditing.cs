using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Audio;
using Orbitr.Web.Patterns;
using Orbitr.Web.State;

namespace Orbitr.Web.Editing;

/// <summary>The edits of the pattern that are more than one <see cref="PatternEditor"/> call: toggling a step (and
/// selecting it), editing every selected step, tap tempo and genre starter packs.</summary>
public sealed class PatternEditing(PatternState store, AudioEngine audio, PatternLibrary library, Notices notices)
{
    private readonly TapTempo _tap = new();

    public void ToggleStep(StepAddress a)
    {
        store.Dispatch(p => PatternEditor.ToggleStep(p, a.Track, a.Step));
        store.Select(a, additive: false);
    }

    /// <summary>Starts painting steps (a drag across the rings, a swipe across the zoomed ring): the first step toggles
    /// and is selected, and returns the value every step painted after it takes (<see cref="Paint"/>), all one undo
    /// level until <see cref="EndPaint"/>.</summary>
    public bool StartPaint(StepAddress a)
    {
        // A paint whose end was missed (the pointer left the window) must not merge into this one.
        store.EndGesture();
        if (!Exists(a)) return false;
        var active = !store.Pattern.Tracks[a.Track].Steps[a.Step].Active;
        Paint(a, active);
        store.Select(a, additive: false);
        return active;
    }

    public void Paint(StepAddress a, bool active)
    {
        if (Exists(a)) store.Dispatch(p => PatternEditor.SetStepActive(p, a.Track, a.Step, active), "paint");
    }

    public void EndPaint() => store.EndGesture();

    /// <summary>A velocity drag on a step (<see cref="VelocityDrag"/>): every value of one drag is one undo level under
    /// <paramref name="gesture"/>, closed by <see cref="EndPaint"/>.</summary>
    public void SetVelocity(StepAddress a, int velocity, string gesture)
    {
        if (Exists(a)) store.Dispatch(p => PatternEditor.SetStepVelocity(p, a.Track, a.Step, velocity), gesture);
    }

    // Addresses can come from the page (zoompaint.js reads them off the buttons), a render behind the pattern.
    private bool Exists(StepAddress a) =>
        a.Track >= 0 && a.Track < store.Pattern.Tracks.Count && a.Step >= 0 && a.Step < store.Pattern.Tracks[a.Track].Steps.Count;

    /// <summary>Toggles step <paramref name="step"/> of the selected ring (the number keys).</summary>
    public void ToggleStepOfSelectedTrack(int step)
    {
        var t = store.SelectedTrack;
        if (step >= 0 && step < store.Pattern.Tracks[t].Steps.Count) store.Dispatch(x => PatternEditor.ToggleStep(x, t, step));
    }

    public void ClearSelectedTrack() => store.Dispatch(x => PatternEditor.ClearTrack(x, store.SelectedTrack));

    /// <summary>Delete: the selected steps become empty steps (off, default sound and settings), one undo level.</summary>
    public void ClearSelectedSteps()
    {
        if (store.Selection.Count == 0) return;
        store.Dispatch(p =>
        {
            foreach (var a in store.Selection) p = PatternEditor.UpdateStep(p, a.Track, a.Step, _ => new Step());
            return p;
        });
    }

    /// <summary>Applies one change to every selected step (one undo level per gesture).</summary>
    public void EditSelectedSteps(Func<Step, Step> change, string gesture) => store.Dispatch(p =>
    {
        foreach (var a in store.Selection) p = PatternEditor.UpdateStep(p, a.Track, a.Step, change);
        return p;
    }, gesture);

    /// <summary>A tap at <paramref name="seconds"/> on the page's clock: the event's own time (controls.js), so a
    /// busy main thread does not bend the tempo (taps 500 ms apart read 115.8 BPM when timed in the handler).</summary>
    public void TapTempo(double seconds)
    {
        if (_tap.Tap(seconds) is { } bpm) store.Dispatch(p => PatternEditor.SetBpm(p, bpm), "tap");
    }

    /// <summary>Opens a genre's starting point as a new pattern of the library: the one being edited stays there as it
    /// was (a starter used to replace it, name and all, issue 23).</summary>
    public async Task ApplyStarterPackAsync(string id)
    {
        if (StarterPacks.Find(id) is not { } pack) return;
        await library.StartNewAsync(StarterPacks.Build(pack, store.Pattern.Seed));
        store.ClearSelection();
        notices.Info($"Started a new {pack.Name} pattern at {pack.Bpm:0} BPM; your other patterns are under Patterns",
            $"Try prompts such as \"{pack.Prompts[0]}\".");
        var pattern = store.Pattern;
        notices.Run(() => audio.PrepareSamplesAsync(pattern), ErrorCodes.AudioDecodeFailed, "The starter pack's sounds could not be loaded");
    }
}
