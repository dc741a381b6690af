namespace Orbitr.Synthesis.Prompting;

/// <summary>What <see cref="PromptReader.Interpret"/> made of a prompt: the sound's parameters and, in prompt order
/// (normalized, each word once), the words that shaped them and the words it has no sound for.</summary>
public sealed record PromptReading(SoundSpec Spec, IReadOnlyList<string> Understood, IReadOnlyList<string> Ignored)
{
    /// <summary>The kind of sound the prompt named; null when it named none and the synth made a generic tone.</summary>
    public SoundKind? NamedKind => Spec.Recognized ? Spec.Kind : null;

    /// <summary>The named kind as a word ("kick"), as the API and the CLI report it; null for a generic tone.</summary>
    public string? NamedSound => NamedKind?.ToString().ToLowerInvariant();
}
