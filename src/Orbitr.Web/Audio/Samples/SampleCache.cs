namespace Orbitr.Web.Audio.Samples;

/// <summary>Which decoded sample buffers audio.js keeps: least recently used first out once their total size passes
/// <see cref="Capacity"/> bytes (100 MB by default). An evicted sample is simply decoded and sent again when a note
/// needs it. Pure bookkeeping; the audio engine does the sending and releasing.</summary>
public sealed class SampleCache(long capacity = SampleCache.DefaultCapacity)
{
    public const long DefaultCapacity = 100L * 1024 * 1024;

    private readonly LinkedList<(int Id, long Bytes)> _order = new(); // most recently used last
    private readonly Dictionary<int, LinkedListNode<(int Id, long Bytes)>> _nodes = [];

    public long Capacity { get; } = capacity;
    public long Bytes { get; private set; }
    public int Count => _nodes.Count;

    public bool Contains(int id) => _nodes.ContainsKey(id);

    /// <summary>Marks a sample as just used.</summary>
    public void Touch(int id)
    {
        if (!_nodes.TryGetValue(id, out var node)) return;
        _order.Remove(node);
        _order.AddLast(node);
    }

    /// <summary>Adds a sample and returns the ids to release so the total fits (never the one just added).</summary>
    public List<int> Add(int id, long bytes)
    {
        if (_nodes.TryGetValue(id, out var existing))
        {
            Bytes -= existing.Value.Bytes;
            _order.Remove(existing);
        }
        _nodes[id] = _order.AddLast((id, bytes));
        Bytes += bytes;
        var evicted = new List<int>();
        while (Bytes > Capacity && _order.First is { } oldest && oldest.Value.Id != id)
        {
            _order.RemoveFirst();
            _nodes.Remove(oldest.Value.Id);
            Bytes -= oldest.Value.Bytes;
            evicted.Add(oldest.Value.Id);
        }
        return evicted;
    }
}
