namespace Orbitr.Dsp.Wav;

/// <summary>Sample formats Orbitr writes.</summary>
public enum WavSampleFormat { Pcm16, Pcm24, Float32 }
