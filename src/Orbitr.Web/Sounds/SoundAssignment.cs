using Orbitr.Core.Editing;
using Orbitr.Core.Model;
using Orbitr.Web.Audio;
using Orbitr.Web.Library;
using Orbitr.Web.State;

namespace Orbitr.Web.Sounds;

/// <summary>Where a sound goes: a ring, one step, or every selected step.</summary>
public abstract record SoundTarget
{
    private SoundTarget() { }

    /// <summary>A ring's own sound.</summary>
    public sealed record Track(int Index) : SoundTarget;

    /// <summary>One step: it gets the sound and is switched on (a sound dropped on a step should be heard), and selected.</summary>
    public sealed record Step(StepAddress Address) : SoundTarget;

    /// <summary>Every selected step; no sound (null) means "the track's sound".</summary>
    public sealed record SelectedSteps : SoundTarget;

    public static readonly SoundTarget Selection = new SelectedSteps();
}

/// <summary>Sound assignment, one intent for every way of giving a sound (menus, library buttons, drag and drop): the
/// sample joins the pattern's sample table when needed and is loaded for playing.</summary>
public sealed class SoundAssignment(PatternState store, AudioEngine audio, Notices notices)
{
    /// <summary>The library sound being dragged onto a ring or step.</summary>
    public ShelfItem? Dragging { get; set; }

    /// <summary>A sound menu's value is a sample source ("builtin:kick", "generated:id"); one the pattern already has
    /// keeps its entry (and name). Null when the value is no source.</summary>
    public SampleRef? FromMenu(string? source) =>
        string.IsNullOrEmpty(source) ? null
            : store.Pattern.Samples.FirstOrDefault(e => e.Ref.Source == source)?.Ref ?? SampleRef.TryParse(source);

    /// <summary>Gives <paramref name="target"/> <paramref name="sample"/> (null only for selected steps: back to the
    /// track's sound). Returns false when nothing was changed.</summary>
    public bool Assign(SoundTarget target, SampleRef? sample)
    {
        var p = store.Pattern;
        switch (target)
        {
            case SoundTarget.Track { Index: var track } when sample is not null && track >= 0 && track < p.Tracks.Count:
                store.Dispatch(x =>
                {
                    x = PatternEditor.WithSample(x, sample, out var key);
                    return PatternEditor.SetTrackSample(x, track, key);
                });
                break;
            case SoundTarget.Step { Address: var step } when sample is not null && IsStep(p, step):
                store.Dispatch(x =>
                {
                    x = PatternEditor.WithSample(x, sample, out var key);
                    x = PatternEditor.SetStepSample(x, step.Track, step.Step, key);
                    return PatternEditor.SetStepActive(x, step.Track, step.Step, true);
                });
                store.Select(step, additive: false);
                break;
            case SoundTarget.SelectedSteps when store.Selection.Count > 0:
                store.Dispatch(x =>
                {
                    string? key = null;
                    if (sample is not null) x = PatternEditor.WithSample(x, sample, out key);
                    foreach (var a in store.Selection) x = PatternEditor.SetStepSample(x, a.Track, a.Step, key);
                    return x;
                });
                break;
            default:
                return false;
        }
        if (sample is not null)
        {
            var pattern = store.Pattern;
            notices.Run(() => audio.PrepareSamplesAsync(pattern), ErrorCodes.AudioDecodeFailed,
                $"\"{sample.Name ?? sample.Source}\" could not be loaded for playing");
        }
        return true;
    }

    /// <summary>The dragged sound was dropped on <paramref name="target"/>.</summary>
    public void Drop(SoundTarget target)
    {
        if (Dragging is { } item) Assign(target, item.Source);
        Dragging = null;
    }

    private static bool IsStep(Pattern p, StepAddress a) =>
        a.Track >= 0 && a.Track < p.Tracks.Count && a.Step >= 0 && a.Step < p.Tracks[a.Track].Steps.Count;
}
