using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Orbitr.Web.Audio;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>Test host: renders one component as the page would, handing it its slice of the pattern, selection and
/// transport as parameters (those of <see cref="Slices"/> it declares), again on every change of the store or the
/// audio. The page's own <c>OrbitrApp</c> needs the whole start-up (JS modules, storage) to render.</summary>
public sealed class Live<T> : ComponentBase, IDisposable where T : IComponent
{
    private static readonly HashSet<string> Declared = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.IsDefined(typeof(ParameterAttribute))).Select(p => p.Name).ToHashSet();

    [Inject] private PatternState Store { get; set; } = null!;
    [Inject] private AudioEngine Audio { get; set; } = null!;

    protected override void OnInitialized()
    {
        Store.Changed += Refresh;
        Audio.StateChanged += Refresh;
    }

    private void Refresh() => _ = InvokeAsync(StateHasChanged);

    /// <summary>The parameters OrbitrApp passes, by name.</summary>
    public static IEnumerable<(string Name, object? Value)> Slices(PatternState store, AudioEngine audio)
    {
        var p = store.Pattern;
        var s = store.SelectionState;
        var t = Math.Clamp(s.Track, 0, p.Tracks.Count - 1);
        return
        [
            ("Pattern", p), ("Selection", s), ("Tracks", p.Tracks), ("Samples", p.Samples), ("SelectedTrack", s.Track),
            ("HasSelection", s.Count > 0), ("Bpm", p.Bpm), ("Swing", p.Swing), ("Length", p.Length),
            ("MasterVolume", p.Master.Volume), ("Master", p.Master), ("TimeSignature", p.TimeSignature), ("Playing", audio.Playing), ("MetronomeOn", audio.MetronomeOn),
            ("CanUndo", store.CanUndo), ("CanRedo", store.CanRedo), ("PatternName", p.Name),
            ("Index", t), ("Track", p.Tracks[t]), ("TrackCount", p.Tracks.Count),
        ];
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<T>(0);
        var sequence = 1;
        foreach (var (name, value) in Slices(Store, Audio))
        {
            if (Declared.Contains(name)) builder.AddAttribute(sequence, name, value);
            sequence++;
        }
        builder.CloseComponent();
    }

    public void Dispose()
    {
        Store.Changed -= Refresh;
        Audio.StateChanged -= Refresh;
    }
}
