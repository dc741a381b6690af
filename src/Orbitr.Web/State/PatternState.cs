using Orbitr.Core.Model;

namespace Orbitr.Web.State;

/// <summary>The app's state: the current <see cref="Pattern"/>, its undo history and the selection.
/// Components read it and dispatch edits (pure functions from Orbitr.Core's PatternEditor); audio and
/// persistence listen to <see cref="PatternChanged"/>.</summary>
public sealed class PatternState
{
    private readonly UndoHistory _history;
    private readonly HashSet<StepAddress> _selection = [];
    private string? _openGesture;

    public PatternState(Pattern initial, int undoLimit = UndoHistory.DefaultLimit)
    {
        Pattern = initial;
        _history = new UndoHistory(undoLimit);
    }

    public Pattern Pattern { get; private set; }

    /// <summary>The ring that keyboard shortcuts and the track panel address.</summary>
    public int SelectedTrack { get; private set; }

    /// <summary>The step that has keyboard focus in the rings (arrow keys move it).</summary>
    public StepAddress? FocusedStep { get; private set; }

    public IReadOnlySet<StepAddress> Selection => _selection;

    /// <summary>Changes whenever the selection, focus or selected track may have changed (cheap change detection).</summary>
    public int SelectionVersion { get; private set; }

    /// <summary>The selection as one immutable value (selected track, focus, selected steps), for components that
    /// take it as a parameter: a new value exactly when <see cref="SelectionVersion"/> moved on.</summary>
    public StepSelection SelectionState =>
        _selectionState is { } s && s.Version == SelectionVersion
            ? s
            : _selectionState = new StepSelection(SelectionVersion, SelectedTrack, FocusedStep, _selection.ToHashSet());

    private StepSelection? _selectionState;

    public bool CanUndo => _history.UndoCount > 0;
    public bool CanRedo => _history.RedoCount > 0;
    public int UndoDepth => _history.UndoCount;

    /// <summary>Anything visible changed (pattern, selection, focus).</summary>
    public event Action? Changed;

    /// <summary>The pattern changed (edit, undo, redo, load).</summary>
    public event Action<Pattern>? PatternChanged;

    /// <summary>Applies an edit. Edits that carry the same <paramref name="gesture"/> as the one before
    /// (a slider being dragged, steps being painted) make a single undo level until <see cref="EndGesture"/>.</summary>
    public void Dispatch(Func<Pattern, Pattern> edit, string? gesture = null)
    {
        var next = edit(Pattern);
        if (ReferenceEquals(next, Pattern) || next.Equals(Pattern))
        {
            _openGesture = gesture;
            return;
        }
        if (gesture is null || gesture != _openGesture) _history.Record(Pattern);
        _openGesture = gesture;
        SetPattern(next);
    }

    /// <summary>Closes the running gesture: the next edit starts a new undo level.</summary>
    public void EndGesture() => _openGesture = null;

    public bool Undo()
    {
        _openGesture = null;
        if (!_history.TryUndo(Pattern, out var previous)) return false;
        SetPattern(previous);
        return true;
    }

    public bool Redo()
    {
        _openGesture = null;
        if (!_history.TryRedo(Pattern, out var next)) return false;
        SetPattern(next);
        return true;
    }

    /// <summary>Changes the pattern and its whole undo history without an undo level of its own: for changes that are
    /// not edits (an offline upload's sample moving to its server id).</summary>
    public void Rewrite(Func<Pattern, Pattern> change)
    {
        _history.Rewrite(change);
        var next = change(Pattern);
        if (!ReferenceEquals(next, Pattern) && !next.Equals(Pattern)) SetPattern(next);
    }

    /// <summary>Replaces the pattern without an undo level (restoring the saved pattern at start-up).</summary>
    public void Load(Pattern pattern)
    {
        _openGesture = null;
        _history.Clear();
        _selection.Clear();
        FocusedStep = null;
        SelectedTrack = 0;
        SelectionVersion++;
        SetPattern(pattern);
    }

    /// <summary>Selects one step (or, with <paramref name="additive"/>, adds it to or removes it from the selection).</summary>
    public void Select(StepAddress step, bool additive)
    {
        if (!IsValid(step)) return;
        if (additive)
        {
            if (!_selection.Remove(step)) _selection.Add(step);
        }
        else
        {
            _selection.Clear();
            _selection.Add(step);
        }
        SelectedTrack = step.Track;
        FocusedStep = step;
        SelectionVersion++;
        Changed?.Invoke();
    }

    /// <summary>Selects exactly these steps (a paste selects what it wrote); the first is focused.</summary>
    public void SelectSteps(IEnumerable<StepAddress> steps)
    {
        var valid = steps.Where(IsValid).ToList();
        if (valid.Count == 0) return;
        _selection.Clear();
        foreach (var a in valid) _selection.Add(a);
        SelectedTrack = valid[0].Track;
        FocusedStep = valid[0];
        SelectionVersion++;
        Changed?.Invoke();
    }

    public void ClearSelection()
    {
        if (_selection.Count == 0) return;
        _selection.Clear();
        SelectionVersion++;
        Changed?.Invoke();
    }

    public void SelectTrack(int track)
    {
        if (track < 0 || track >= Pattern.Tracks.Count || track == SelectedTrack) return;
        SelectedTrack = track;
        SelectionVersion++;
        Changed?.Invoke();
    }

    /// <summary>Moves keyboard focus without changing the selection.</summary>
    public void Focus(StepAddress step)
    {
        if (!IsValid(step)) return;
        FocusedStep = step;
        SelectedTrack = step.Track;
        SelectionVersion++;
        Changed?.Invoke();
    }

    private bool IsValid(StepAddress a) =>
        a.Track >= 0 && a.Track < Pattern.Tracks.Count && a.Step >= 0 && a.Step < Pattern.Tracks[a.Track].Steps.Count;

    private void SetPattern(Pattern next)
    {
        Pattern = next;
        // Edits can remove tracks or shorten rings: keep only what still exists.
        var changed = _selection.RemoveWhere(a => !IsValid(a)) > 0;
        if (FocusedStep is { } f && !IsValid(f))
        {
            FocusedStep = null;
            changed = true;
        }
        if (SelectedTrack >= next.Tracks.Count)
        {
            SelectedTrack = next.Tracks.Count - 1;
            changed = true;
        }
        if (changed) SelectionVersion++;
        PatternChanged?.Invoke(next);
        Changed?.Invoke();
    }
}
