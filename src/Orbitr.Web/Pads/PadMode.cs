namespace Orbitr.Web.Pads;

/// <summary>Pad mode (issue 26): while on, A S D F G H J K and 1–8 play rings 1–8 instead of their usual meanings,
/// and the pads are shown. Off, every key does what it always did.</summary>
public sealed class PadMode
{
    public bool On { get; private set; }

    public event Action? Changed;

    public void Toggle() => Set(!On);

    public void Set(bool on)
    {
        if (On == on) return;
        On = on;
        Changed?.Invoke();
    }
}
