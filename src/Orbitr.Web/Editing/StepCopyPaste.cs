using Orbitr.Core.Editing;
using Orbitr.Web.State;

namespace Orbitr.Web.Editing;

/// <summary>Ctrl/⌘+C, X, V and D on steps (issue 26): the selected steps (every field, their samples) are copied to
/// this page's clipboard and to the system clipboard as <see cref="StepClipboard"/> JSON; a paste takes the system
/// clipboard's steps when it holds some (another tab's copy), else this page's, and writes them from the focused step
/// (else the first selected, else step 1 of the selected ring), selecting what it wrote. Each is one undo level.</summary>
public sealed class StepCopyPaste(SystemClipboard clipboard, PatternState store, Notices notices)
{
    private StepClip? _clip;

    /// <summary>What a paste would write when the system clipboard holds no steps.</summary>
    public StepClip? Clip => _clip;

    private List<(int Track, int Step)> Cells() =>
        [.. store.Selection.OrderBy(a => a.Track).ThenBy(a => a.Step).Select(a => (a.Track, a.Step))];

    public async Task<bool> CopyAsync()
    {
        var cells = Cells();
        if (cells.Count == 0)
        {
            notices.Info("Select steps to copy (click, Shift+click to add)");
            return false;
        }
        _clip = StepClipboard.Copy(store.Pattern, cells);
        await clipboard.WriteAsync(StepClipboard.ToJson(_clip));
        return true;
    }

    public async Task CutAsync()
    {
        if (!await CopyAsync()) return;
        var cells = Cells();
        store.Dispatch(p => StepClipboard.Clear(p, cells));
    }

    public async Task PasteAsync()
    {
        var clip = StepClipboard.FromJson(await clipboard.ReadAsync()) ?? _clip;
        if (clip is null || clip.IsEmpty)
        {
            notices.Info("Nothing to paste: copy steps first (Ctrl/⌘+C)");
            return;
        }
        var at = store.FocusedStep ?? store.Selection.OrderBy(a => a.Track).ThenBy(a => a.Step).Cast<StepAddress?>().FirstOrDefault()
            ?? new StepAddress(store.SelectedTrack, 0);
        IReadOnlyList<(int Track, int Step)> written = [];
        store.Dispatch(p => StepClipboard.Paste(p, clip, (at.Track, at.Step), out written));
        store.SelectSteps(written.Select(w => new StepAddress(w.Track, w.Step)));
    }

    public void Duplicate()
    {
        var cells = Cells();
        if (cells.Count == 0) return;
        IReadOnlyList<(int Track, int Step)> written = [];
        store.Dispatch(p => StepClipboard.Duplicate(p, cells, out written));
        store.SelectSteps(written.Select(w => new StepAddress(w.Track, w.Step)));
    }
}
