namespace Orbitr.Synthesis.Prompting;

/// <summary>What kind of sound a prompt asks for.</summary>
public enum SoundKind
{
    Kick, Snare, Clap, Hat, Cymbal, Tom, Rim, Cowbell, Shaker,
    Bass, Sub, Pluck, Bell, Chord, Pad, Lead, Chop, Riser, Fx, Noise,
}

/// <summary>A prompt read into synthesis parameters. Levels are 0–1 unless stated; <see cref="Brightness"/> and
/// <see cref="Length"/> are −1 (dark, short) … +1 (bright, long), 0 neutral.</summary>
public sealed record SoundSpec(
    SoundKind Kind,
    double Brightness = 0,
    double Length = 0,
    double Punch = 0,
    double LoFi = 0,
    double Drive = 0,
    double Wet = 0,
    double Metallic = 0,
    double Warmth = 0,
    bool Is808 = false,
    bool Acoustic = false,
    double? Frequency = null,
    bool Minor = false,
    double? Bpm = null,
    bool Recognized = true);
