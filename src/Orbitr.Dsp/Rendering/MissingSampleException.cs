namespace Orbitr.Dsp.Rendering;

/// <summary>A note refers to a sample key with no audio given to the renderer.</summary>
public sealed class MissingSampleException(string key) : Exception($"sample \"{key}\" is missing: no audio was given for it")
{
    public string Key { get; } = key;
}
