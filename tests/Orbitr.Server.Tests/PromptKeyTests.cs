using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Orbitr.Server.Generation;

namespace Orbitr.Server.Tests;

/// <summary>The generation cache key: prompts share a key exactly when their NFKC, lower-cased, whitespace-collapsed
/// forms are equal — no letter, number or symbol of any script is dropped.</summary>
public class PromptKeyTests
{
    private static string Key(string prompt) => GenerationCacheKey.Compute("synth", "1", prompt, 2, "draft", 0);

    /// <summary>The reference form: NFKC, invariant lower case, whitespace runs as one space, trimmed.</summary>
    private static string Folded(string prompt) =>
        string.Join(' ', PromptKey.Nfkc(prompt).ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Theory]
    [InlineData("楽しいドラムのループ", "悲しいピアノのバラード")]
    [InlineData("🥁 loop", "🎹 loop")]
    [InlineData("🥁", "🎹")]
    [InlineData("Müde", "M de")]
    [InlineData("Müde", "Mude")]
    [InlineData("kick!", "kick?")]
    [InlineData("kick", "kick.")]
    [InlineData("Ελληνικά", "Ελληνικη")]
    [InlineData("бочка", "бочкa")] // the last letter Latin a
    [InlineData("kick 1", "kick ١")] // Arabic-Indic one is another number
    [InlineData("c#", "c♯")]
    public void Different_prompts_get_different_keys(string a, string b) => Assert.NotEqual(Key(a), Key(b));

    [Theory]
    [InlineData("dusty lo-fi kick", "  Dusty   LO-FI kick ")]
    [InlineData("kick", "Ｋｉｃｋ")] // full-width letters are the same prompt (NFKC)
    [InlineData("Müde", "Mu\u0308de")] // composed and decomposed ü
    [InlineData("ﬁne bell", "fine bell")] // the fi ligature
    [InlineData("808 ²", "808 2")]
    [InlineData("ｶﾞ", "ガ")] // half-width katakana and its voicing mark compose
    [InlineData("한국어", "\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165")] // Hangul syllables and their jamo
    [InlineData("kick\u00a0drum", "kick drum")] // no-break space is a space
    [InlineData("ÀÉÎ", "àéî")]
    public void Equivalent_prompts_share_a_key(string a, string b) => Assert.Equal(Key(a), Key(b));

    [Fact]
    public void Nfkc_agrees_with_the_unicode_reference_vectors()
    {
        static string Text(string hex) => string.Concat(hex.Split(' ').Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "nfkc-vectors.txt")).Where(l => !l.StartsWith('#')).ToList();
        Assert.True(lines.Count > 1000);
        var wrong = new List<string>();
        foreach (var line in lines)
        {
            var (input, expected) = (line.Split('\t')[0], line.Split('\t')[1]);
            var got = PromptKey.Nfkc(Text(input));
            if (got != Text(expected))
                wrong.Add($"{input} → {string.Join(' ', got.EnumerateRunes().Select(r => r.Value.ToString("X", CultureInfo.InvariantCulture)))}, expected {expected}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(10)));
    }

    [Fact]
    public void A_lone_surrogate_does_not_throw() => Assert.NotEqual(Key("\ud800kick"), Key("kick"));

    // Characters of many scripts, marks, symbols, compatibility forms and spaces.
    private static readonly string[] Pool =
    [
        "a", "b", "k", "K", "z", "0", "7", "-", "#", "!", "?", ".", ",", " ", "  ", "\t", "\u00a0", "\u3000",
        "ü", "u\u0308", "é", "e\u0301", "ß", "ẞ", "İ", "ı", "ﬁ", "²", "½", "Ｋ", "ｋ", "ｶ", "ﾞ", "ガ", "カ", "\u3099",
        "楽", "悲", "ド", "ラ", "ム", "の", "ル", "ー", "プ", "한", "국", "\u1100", "\u1161", "\u11a8",
        "α", "Ω", "ω", "ж", "Ж", "ש", "ع", "١", "٢", "अ", "क्ष", "ก", "ไ",
        "🥁", "🎹", "🔔", "😀", "👍🏽", "♯", "♭", "€", "$", "©", "™", "℃", "Å", "Å", "\u212b",
    ];

    private static Arbitrary<string> Prompts() =>
        Gen.ListOf(Gen.Elements(Pool)).Select(parts => string.Concat(parts.Take(12))).ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Prompts_whose_folded_forms_differ_never_share_a_key() =>
        Prop.ForAll(Prompts(), Prompts(), (a, b) => Folded(a) == Folded(b) ? Key(a) == Key(b) : Key(a) != Key(b));

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Changing_one_character_changes_the_key_unless_the_folded_form_is_the_same() =>
        Prop.ForAll(Prompts(), Gen.Choose(0, 11).ToArbitrary(), Gen.Elements(Pool).ToArbitrary(), (a, at, replacement) =>
        {
            var runes = a.EnumerateRunes().Select(r => r.ToString()).ToList();
            if (runes.Count == 0) return true;
            runes[at % runes.Count] = replacement;
            var b = string.Concat(runes);
            return (Folded(a) == Folded(b)) == (Key(a) == Key(b));
        });

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property The_key_form_keeps_every_non_space_character_of_the_folded_text() =>
        Prop.ForAll(Prompts(), a =>
        {
            static string NoSpace(string s) => new(s.Where(c => !char.IsWhiteSpace(c)).ToArray());
            return NoSpace(PromptKey.Normalize(a)) == NoSpace(PromptKey.Nfkc(a).ToLowerInvariant()) &&
                   PromptKey.Normalize(a) == Folded(a);
        });
}
