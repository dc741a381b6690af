using Orbitr.Core.Model;

namespace Orbitr.Web.State;

/// <summary>Undo and redo stacks of whole patterns (patterns are immutable, so a snapshot is a reference).
/// Keeps the newest <see cref="Limit"/> levels.</summary>
public sealed class UndoHistory(int limit = UndoHistory.DefaultLimit)
{
    public const int DefaultLimit = 200;
    private readonly LinkedList<Pattern> _undo = new();
    private readonly Stack<Pattern> _redo = new();

    public int Limit { get; } = limit;
    public int UndoCount => _undo.Count;
    public int RedoCount => _redo.Count;

    /// <summary>Records the state before an edit; a new edit forgets what could be redone.</summary>
    public void Record(Pattern before)
    {
        _undo.AddLast(before);
        if (_undo.Count > Limit) _undo.RemoveFirst();
        _redo.Clear();
    }

    public bool TryUndo(Pattern current, out Pattern previous)
    {
        if (_undo.Last is not { } last) { previous = current; return false; }
        _undo.RemoveLast();
        _redo.Push(current);
        previous = last.Value;
        return true;
    }

    public bool TryRedo(Pattern current, out Pattern next)
    {
        if (!_redo.TryPop(out var popped)) { next = current; return false; }
        _undo.AddLast(current);
        next = popped;
        return true;
    }

    /// <summary>Applies a change to every recorded pattern (a sample moving to the server): undo and redo then
    /// return to the same edits, with the new reference.</summary>
    public void Rewrite(Func<Pattern, Pattern> change)
    {
        for (var node = _undo.First; node is not null; node = node.Next) node.Value = change(node.Value);
        var redo = _redo.Select(change).ToList(); // top first
        _redo.Clear();
        for (var i = redo.Count - 1; i >= 0; i--) _redo.Push(redo[i]);
    }

    public void Clear()
    {
        _undo.Clear();
        _redo.Clear();
    }
}
