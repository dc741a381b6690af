using Orbitr.Core.Editing;
using Orbitr.Core.Model;

namespace Orbitr.Web.State;

/// <summary>What a first visit shows: the six O R B I T R rings with a simple groove, so Play makes a beat at once.</summary>
public static class StarterPattern
{
    public static Pattern Create(uint? seed = null)
    {
        var p = PatternFactory.Create(6, seed);
        foreach (var s in new[] { 0, 4, 8, 12 }) p = PatternEditor.SetStepActive(p, 0, s, true);
        foreach (var s in new[] { 4, 12 }) p = PatternEditor.SetStepActive(p, 1, s, true);
        for (var s = 0; s < 16; s += 2) p = PatternEditor.SetStepActive(p, 3, s, true);
        return p;
    }
}
