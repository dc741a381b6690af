using Orbitr.Core.Model;

namespace Orbitr.Dsp.Voice;

/// <summary>Everything a voice's sound depends on before the delay: two notes with equal keys sound identical,
/// so the renderer renders each key once.</summary>
public readonly record struct VoiceKey(string SampleKey, double Gain, double Pan, FilterEffect? Filter, DistortionEffect? Distortion);
