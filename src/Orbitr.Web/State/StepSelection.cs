namespace Orbitr.Web.State;

/// <summary>A snapshot of <see cref="PatternState"/>'s selection: the selected track, the focused step and the
/// selected steps. <see cref="Version"/> tells two snapshots apart cheaply (it is the store's SelectionVersion).</summary>
public sealed record StepSelection(int Version, int Track, StepAddress? Focused, IReadOnlySet<StepAddress> Steps)
{
    public static readonly StepSelection None = new(-1, 0, null, new HashSet<StepAddress>());

    public int Count => Steps.Count;

    public bool Contains(StepAddress step) => Steps.Contains(step);
}
