namespace Orbitr.Contracts;

/// <summary>One sound of a generated kit: its role (kick, snare, closed-hat, open-hat, clap, perc, bass), the prompt
/// made from the kit's prompt and the role, and its generation.</summary>
public sealed record KitSoundDto(string Role, string Prompt, GenerationDto Generation);

/// <summary>A kit made from one prompt (POST /api/kits, GET /api/kits/{id}): seven sounds with one seed, queued as
/// generations; status queued → running → succeeded (all made) or failed (one failed or was cancelled); progress is
/// the mean of the sounds'.</summary>
public sealed record KitDto(string Id, string Prompt, string Engine, uint Seed, string Status, double Progress, IReadOnlyList<KitSoundDto> Sounds)
{
    public bool Finished => Status is "succeeded" or "failed";
}
