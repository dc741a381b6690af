using Orbitr.Dsp.Audio;

namespace Orbitr.Synthesis.Kit;

/// <summary>The metronome's two clicks: a short 1.5 kHz blip for beats and a brighter 2.5 kHz one for the bar's first beat.</summary>
public static class MetronomeClick
{
    public static AudioBuffer Render(bool accent, int sampleRate = 44100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
        var y = new float[(int)(0.05 * sampleRate)];
        Tone.AddSweep(y, sampleRate, accent ? 2500 : 1500, accent ? 2500 : 1500, 1, accent ? 0.8 : 0.5);
        Tone.Decay(y, sampleRate, 0.006, attack: 0.0005);
        return new AudioBuffer([y], sampleRate);
    }
}
