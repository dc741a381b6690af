using Orbitr.Core.Editing;
using Orbitr.Core.Model;

namespace Orbitr.Web.State;

/// <summary>A genre's starting point: tempo, swing, one ring per sound with its rhythm, and prompts that suit it.</summary>
public sealed record StarterPack(string Id, string Name, double Bpm, double Swing, IReadOnlyList<(string Sound, string Steps)> Rings,
    IReadOnlyList<string> Prompts);

/// <summary>The genre starter packs. Rhythms are written as 16 characters, <c>x</c> = on (velocity 110),
/// <c>o</c> = on soft (velocity 70), <c>.</c> = off.</summary>
public static class StarterPacks
{
    public static IReadOnlyList<StarterPack> All { get; } =
    [
        new("lofi", "Lo-fi", 82, 35,
            [("kick", "x......x..x....."), ("snare", "....x.......x..."), ("closed-hat", "x.o.x.o.x.o.x.oo"), ("rim", "...........o...."), ("bass", "x.........x.....")],
            ["dusty lo-fi kick", "vinyl crackle noise", "warm rhodes chord C minor", "soft brushed snare", "tape-wobbled keys stab"]),
        new("techno", "Techno", 130, 0,
            [("kick", "x...x...x...x..."), ("clap", "....x.......x..."), ("open-hat", "..x...x...x...x."), ("closed-hat", "xxxxxxxxxxxxxxxx"), ("bass", "..x...x...x...x.")],
            ["distorted 909 kick", "metallic industrial hat", "dark rumble sub", "acid lead 303", "reverb clap"]),
        new("trap", "Trap", 140, 0,
            [("kick", "x......x..x....."), ("snare", "........x......."), ("closed-hat", "x.x.x.xxx.x.x.xx"), ("bass", "x......x..x....."), ("clap", "........x.......")],
            ["808 sub bass long", "crispy trap snare", "rolling hi-hat", "dark bell melody F minor", "vocal chop"]),
        new("house", "House", 124, 20,
            [("kick", "x...x...x...x..."), ("clap", "....x.......x..."), ("open-hat", "..x...x...x...x."), ("shaker", "oxoxoxoxoxoxoxox"), ("cowbell", "......x.......x.")],
            ["deep house chord stab", "punchy house kick", "shaker loop", "organ bass", "bright piano chord"]),
        new("ambient", "Ambient", 70, 0,
            [("low-tom", "x.......x......."), ("shaker", "..o...o...o...o."), ("rim", "......o.......o."), ("crash", "x...............")],
            ["glass bell, long tail", "warm pad, reverb", "wind noise sweep", "soft pluck C major", "distant drone"]),
        new("dnb", "Drum & bass", 174, 0,
            [("kick", "x.........x....."), ("snare", "....x.......x..."), ("closed-hat", "x.x.x.x.x.x.x.x."), ("bass", "x.....x...x....."), ("open-hat", "......o.......o.")],
            ["punchy dnb snare", "reese bass", "tight break kick", "riser sweep", "metallic ride"]),
    ];

    public static StarterPack? Find(string id) => All.FirstOrDefault(p => p.Id == id);

    /// <summary>A fresh pattern for the pack, keeping the current pattern's seed (so probabilities stay reproducible).</summary>
    public static Pattern Build(StarterPack pack, uint seed)
    {
        var rings = Math.Clamp(pack.Rings.Count, Pattern.MinTracks, Pattern.MaxTracks);
        var p = PatternFactory.Create(rings, seed, pack.Name) with { Bpm = pack.Bpm, Swing = pack.Swing };
        for (var t = 0; t < rings; t++)
        {
            var sound = t < pack.Rings.Count ? pack.Rings[t].Sound : PatternFactory.DefaultSound(t);
            p = PatternEditor.WithSample(p, SampleRef.Builtin(sound), out var key);
            p = PatternEditor.SetTrackSample(p, t, key);
            if (t >= pack.Rings.Count) continue;
            var steps = pack.Rings[t].Steps;
            for (var s = 0; s < steps.Length && s < p.Tracks[t].Steps.Count; s++)
            {
                if (steps[s] == '.') continue;
                p = PatternEditor.SetStepActive(p, t, s, true);
                p = PatternEditor.SetStepVelocity(p, t, s, steps[s] == 'o' ? 70 : 110);
            }
        }
        return p;
    }
}
