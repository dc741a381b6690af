namespace Orbitr.Web.Settings;

/// <summary>The Web Audio latencyHint the AudioContext is created with: lowest latency (interactive) to fewest dropouts
/// on a busy machine (playback).</summary>
public enum LatencyHint
{
    Interactive,
    Balanced,
    Playback,
}
