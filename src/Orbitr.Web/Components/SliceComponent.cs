using Microsoft.AspNetCore.Components;

namespace Orbitr.Web.Components;

/// <summary>Base of components that take a slice of the app's state as parameters (a pattern, a selection, some
/// tracks) and re-render only when what they show of it changed: <see cref="RenderKey"/> names that, and a parent's
/// re-render that leaves it equal is skipped. The component's own events (a click, typing in its fields) and
/// <see cref="Refresh"/> always re-render it.</summary>
public abstract class SliceComponent : ComponentBase, IHandleEvent
{
    private object?[]? _shown;
    private bool _force;

    /// <summary>What this component shows, compared element by element (by <see cref="object.Equals(object?)"/>).</summary>
    protected abstract object?[] RenderKey();

    public override Task SetParametersAsync(ParameterView parameters)
    {
        parameters.SetParameterProperties(this);
        // The first render is not asked ShouldRender: remember what it shows.
        _shown ??= RenderKey();
        return base.SetParametersAsync(ParameterView.Empty);
    }

    protected override bool ShouldRender()
    {
        if (!_force) return RingLayout.KeyChanged(ref _shown, RenderKey());
        _force = false;
        _shown = RenderKey();
        return true;
    }

    /// <summary>Re-renders even though the parameters did not change (state of the component's own, a service event).</summary>
    protected void Refresh()
    {
        _force = true;
        StateHasChanged();
    }

    /// <summary><see cref="Refresh"/> from outside the renderer's dispatcher (a service's event).</summary>
    protected void RefreshLater() => _ = InvokeAsync(Refresh);

    Task IHandleEvent.HandleEventAsync(EventCallbackWorkItem callback, object? arg)
    {
        var task = callback.InvokeAsync(arg);
        var pending = task.Status != TaskStatus.RanToCompletion && task.Status != TaskStatus.Canceled;
        Refresh();
        return pending ? RefreshAfterAsync(task) : Task.CompletedTask;
    }

    private async Task RefreshAfterAsync(Task task)
    {
        try
        {
            await task;
        }
        catch when (task.IsCanceled)
        {
            return;
        }
        Refresh();
    }
}
