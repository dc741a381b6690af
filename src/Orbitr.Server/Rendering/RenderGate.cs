namespace Orbitr.Server.Rendering;

/// <summary>How many renders run at once, in all and per client. A render holds its slot until its response has been
/// sent (the temporary file lives that long), so clients that never read cannot pile up renders or disk.</summary>
public sealed class RenderGate(RenderLimits limits)
{
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>A slot for <paramref name="client"/>, or null when the process or the client is at its limit.</summary>
    public IDisposable? TryEnter(string client)
    {
        lock (_perClient)
        {
            var mine = _perClient.GetValueOrDefault(client);
            if (_total >= limits.MaxConcurrent || mine >= limits.MaxConcurrentPerClient) return null;
            _total++;
            _perClient[client] = mine + 1;
        }
        return new Slot(this, client);
    }

    private void Leave(string client)
    {
        lock (_perClient)
        {
            _total--;
            if (--_perClient[client] == 0) _perClient.Remove(client);
        }
    }

    private sealed class Slot(RenderGate gate, string client) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) gate.Leave(client);
        }
    }
}
