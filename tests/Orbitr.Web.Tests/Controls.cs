using Bunit;
using Microsoft.AspNetCore.Components;
using Orbitr.Web.Components.Controls;

namespace Orbitr.Web.Tests;

/// <summary>Drives the design system's controls as controls.js would (a knob's drag, key step or reset).</summary>
public static class Controls
{
    public static IRenderedComponent<Knob> Knob<T>(IRenderedComponent<T> cut, string label) where T : class, IComponent =>
        cut.FindComponents<Knob>().Single(k => k.Instance.Label == label);

    /// <summary>A key step to <paramref name="value"/> (one gesture: the value, then the commit).</summary>
    public static void Turn<T>(IRenderedComponent<T> cut, string label, double value) where T : class, IComponent
    {
        var knob = Knob(cut, label);
        knob.InvokeAsync(() => knob.Instance.OnKeyStep(value)).GetAwaiter().GetResult();
    }
}
