using Orbitr.Contracts;

namespace Orbitr.Web.Library;

/// <summary>What a synth job's row says about its prompt (<see cref="GenerationDto.Reading"/>), so a prompt the synth
/// has no sound for is not silently a generic tone: the words it understood, and where the engine for the rest is.</summary>
public static class SynthReadingText
{
    /// <summary>"Synth understood: dusty, kick."; null when it understood no word.</summary>
    public static string? Understood(PromptReadingDto reading) =>
        reading.Understood.Count == 0 ? null : $"Synth understood: {string.Join(", ", reading.Understood)}.";

    /// <summary>What the synth lacked and what it did, and where MusicGen is on this server (<paramref name="engines"/>,
    /// as <see cref="GenerationList.Engines"/> lists them); null when it made what was asked.</summary>
    public static string? Note(PromptReadingDto reading, IReadOnlyList<EngineDto> engines)
    {
        if (reading.Lacking is not { } lacking) return null;
        var musicGen = engines.FirstOrDefault(e => e.Name == EngineDto.MusicGen);
        var where = musicGen switch
        {
            { Available: true } => "choose it in Engine.",
            { Problem: { } problem } => $"this server has it configured but it is not available ({problem}).",
            _ => "the server needs a MusicGen model configured (Orbitr__MusicGen__ModelPath).",
        };
        return $"Synth {lacking}: {reading.Outcome}. MusicGen is the engine for prompts like this: {where}";
    }
}
