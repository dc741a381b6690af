using FsCheck;
using FsCheck.Fluent;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Synthesis.Tests;

public class PromptReadingTests
{
    /// <summary>What the reader makes of a prompt with no word it knows (its generic kind aside).</summary>
    private static readonly SoundSpec Neutral = new(SoundKind.Pluck, Recognized: false);

    // Words the synth has no rule for: everyday sounds, and letters no rule is made of.
    private static readonly string[] Everyday = ["cat", "meowing", "rain", "crackle", "thunder", "applause", "footsteps", "siren", "dog", "birdsong"];
    private static readonly Gen<string> Unknown = Gen.OneOf(Gen.Elements(Everyday),
        Gen.Choose(2, 7).SelectMany(n => Gen.ArrayOf(Gen.Elements('q', 'j', 'x', 'z', 'v', 'w'), n)).Select(cs => new string(cs)));
    private static readonly string[] Known = ["kick", "snare", "dark", "bright", "long", "short", "lo-fi", "808", "wet", "metallic", "bell", "pad", "riser",
        "c4", "a4", "minor", "major", "eb", "120", "bpm", "warm", "distorted", "chop", "fx", "noise", "vinyl", "cowbell", "shaker", "rim", "cymbal", "sub",
        "chord", "d", "soft", "punchy", "tight", "glass", "kicks", "dusty", "lo", "fi", "jazz", "trap"];
    private static readonly string[] Grammar = ["a", "in", "the", "with"];

    /// <summary>The spec, with the generic kind (chosen from all the words' letters) set aside when no kind was named.</summary>
    private static SoundSpec Shape(SoundSpec s) => s.Recognized ? s : s with { Kind = Neutral.Kind };

    [Theory]
    [InlineData("a cat meowing", "", "cat meowing")]
    [InlineData("rain", "", "rain")]
    [InlineData("vinyl crackle", "vinyl", "crackle")]
    [InlineData("Dusty lo-fi KICK", "dusty lo-fi kick", "")]
    [InlineData("C minor chord", "c minor chord", "")]
    [InlineData("warm analog pad in d", "warm analog pad in d", "")]
    [InlineData("riser 140 bpm, very wet", "riser 140 bpm wet", "")]
    [InlineData("kick with reverb and a cat", "kick reverb", "cat")]
    [InlineData("kick snare kick", "kick", "snare")] // the first named kind wins: the snare shapes nothing
    [InlineData("kicks, an 808 bd", "kicks 808 bd", "")] // all name the kick
    [InlineData("punchy soft kick", "punchy kick", "soft")] // punch wins over softness
    [InlineData("20 bpm hats", "hats", "20 bpm")] // a tempo out of range is not used
    public void The_reading_names_the_words_that_made_the_sound_and_the_rest(string prompt, string understood, string ignored)
    {
        var reading = PromptReader.Interpret(prompt);
        Assert.Equal(understood.Split(' ', StringSplitOptions.RemoveEmptyEntries), reading.Understood);
        Assert.Equal(ignored.Split(' ', StringSplitOptions.RemoveEmptyEntries), reading.Ignored);
        Assert.Equal(PromptReader.Read(prompt), reading.Spec);
    }

    [Fact]
    public void A_generic_tone_has_no_named_sound()
    {
        Assert.Null(PromptReader.Interpret("a cat meowing").NamedSound);
        Assert.Null(PromptReader.Interpret("dusty cat").NamedSound); // an adjective alone names no sound
        Assert.Equal("noise", PromptReader.Interpret("vinyl crackle").NamedSound);
        Assert.Equal("kick", PromptReader.Interpret("808").NamedSound);
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Understood_words_make_the_whole_spec_and_ignored_words_none_of_it()
    {
        var word = Gen.Frequency((3, Gen.Elements(Known)), (2, Unknown), (1, Gen.Elements(Grammar)));
        var gen = Gen.ListOf(word).Where(ws => ws.Count > 0).Select(ws => ws.Take(12).ToArray());
        return Prop.ForAll(gen.ToArbitrary(), ws =>
        {
            var prompt = string.Join(' ', ws);
            var reading = PromptReader.Interpret(prompt);
            string Replace(IReadOnlyList<string> these) => string.Join(' ', ws.Select(w => these.Contains(w) ? "qzx" : w));
            var unknown = ws.Where(w => !Known.Contains(w) && !Grammar.Contains(w));
            var others = ws.Where(w => !reading.Understood.Contains(w)).ToList();
            return unknown.All(reading.Ignored.Contains)
                   && !reading.Understood.Intersect(reading.Ignored).Any()
                   && ws.All(w => reading.Understood.Contains(w) || reading.Ignored.Contains(w) || Grammar.Contains(w))
                   && reading.Understood.Concat(reading.Ignored).All(ws.Contains)
                   // Every other word changed for a nonsense one: the same sound, so the understood words made all of it.
                   && Shape(PromptReader.Read(Replace(others))) == Shape(reading.Spec)
                   // The understood (and grammar) words changed instead: nothing is left, unless a known word that lost
                   // (a second kind, say) now takes its turn.
                   && (reading.Ignored.Any(Known.Contains) || Shape(PromptReader.Read(Replace([.. reading.Understood, .. Grammar]))) == Neutral);
        });
    }

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public Property A_word_the_synth_knows_changes_the_spec_on_its_own() =>
        Prop.ForAll(Gen.Elements(Known.Except(["120", "bpm", "d", "eb", "major", "lo", "fi"])).ToArbitrary(), w =>
        {
            var reading = PromptReader.Interpret(w);
            return reading.Understood.SequenceEqual([w]) && reading.Ignored.Count == 0 && Shape(reading.Spec) != Neutral;
        });

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public Property A_prompt_of_unknown_words_is_all_ignored_and_a_generic_tone() =>
        Prop.ForAll(Gen.ListOf(Unknown).Where(ws => ws.Count > 0).ToArbitrary(), ws =>
        {
            var reading = PromptReader.Interpret(string.Join(' ', ws));
            return reading.Understood.Count == 0 && reading.Ignored.SequenceEqual(ws.Distinct()) && reading.NamedSound is null
                   && Shape(reading.Spec) == Neutral;
        });
}
