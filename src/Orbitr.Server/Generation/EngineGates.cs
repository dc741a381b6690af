using System.Collections.Concurrent;

namespace Orbitr.Server.Generation;

/// <summary>Per-engine limits on jobs running at once in this process (IGenerationEngine.MaxConcurrentJobs).</summary>
public sealed class EngineGates
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new();

    /// <summary>A slot for a job of <paramref name="engine"/>, or one with Entered false when the engine is at its limit.
    /// Null when the engine has no limit of its own.</summary>
    public Slot? TryEnter(IGenerationEngine? engine)
    {
        if (engine is null || engine.MaxConcurrentJobs <= 0) return null;
        var gate = _gates.GetOrAdd(engine.Name, _ => new SemaphoreSlim(engine.MaxConcurrentJobs, engine.MaxConcurrentJobs));
        return new Slot(gate, gate.Wait(0));
    }

    public sealed class Slot(SemaphoreSlim gate, bool entered) : IDisposable
    {
        private bool _released;
        public bool Entered => entered;

        public void Dispose()
        {
            if (!entered || _released) return;
            _released = true;
            gate.Release();
        }
    }
}
