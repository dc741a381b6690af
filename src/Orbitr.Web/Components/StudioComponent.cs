using Microsoft.AspNetCore.Components;

namespace Orbitr.Web.Components;

/// <summary>Base of the app's components: they render the <see cref="Studio"/>'s state and re-render when it changes
/// (components without parameters are not re-rendered by their parent).</summary>
public abstract class StudioComponent : ComponentBase, IDisposable
{
    [Inject] protected Studio Studio { get; set; } = null!;

    protected override void OnInitialized()
    {
        Studio.Store.Changed += Refresh;
        Studio.Notices.Changed += Refresh;
        Studio.Audio.StateChanged += Refresh;
        Studio.Changed += Refresh;
        Studio.Generations.Changed += Refresh;
        Studio.Shelf.Changed += Refresh;
        Studio.Sharing.Changed += Refresh;
    }

    private void Refresh() => InvokeAsync(StateHasChanged);

    public virtual void Dispose()
    {
        Studio.Store.Changed -= Refresh;
        Studio.Notices.Changed -= Refresh;
        Studio.Audio.StateChanged -= Refresh;
        Studio.Changed -= Refresh;
        Studio.Generations.Changed -= Refresh;
        Studio.Shelf.Changed -= Refresh;
        Studio.Sharing.Changed -= Refresh;
        GC.SuppressFinalize(this);
    }
}
