namespace Orbitr.Server.Kits;

/// <summary>A kit's sounds: each role's words (added to the kit's prompt to make the sound's prompt) and length.
/// The web app puts them on rings in this order, with the two hats in one choke group.</summary>
public static class KitRoles
{
    public sealed record Role(string Name, string Words, double Seconds);

    public static readonly IReadOnlyList<Role> All =
    [
        new("kick", "kick drum", 0.6),
        new("snare", "snare drum", 0.5),
        new("closed-hat", "closed hi-hat", 0.2),
        new("open-hat", "open hi-hat", 0.8),
        new("clap", "hand clap", 0.5),
        new("perc", "percussion hit", 0.4),
        new("bass", "bass note", 1.0),
    ];

    /// <summary>"dusty boom bap" + kick → "dusty boom bap kick drum".</summary>
    public static string PromptFor(string kitPrompt, Role role) => $"{kitPrompt.Trim()} {role.Words}";
}
