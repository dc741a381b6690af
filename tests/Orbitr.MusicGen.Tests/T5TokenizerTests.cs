using System.Text;
using Orbitr.MusicGen.Text;

namespace Orbitr.MusicGen.Tests;

/// <summary>The unigram tokenizer on a tiny vocabulary written in the export's tokenizer.json format, checked against
/// segmentations worked out by hand.</summary>
public class T5TokenizerTests
{
    // id: 0 <pad>, 1 </s>, 2 <unk>, 3 ▁, 4 ▁a, 5 ▁ab, 6 b, 7 c, 8 ▁c, 9 ▁kick, 10 ▁ki, 11 ck, 12 a
    private const string Json = """
        {
          "version": "1.0",
          "added_tokens": [ {"id": 0, "content": "<pad>"}, {"id": 1, "content": "</s>"}, {"id": 2, "content": "<unk>"} ],
          "normalizer": {"type": "Sequence", "normalizers": []},
          "pre_tokenizer": {"type": "Sequence", "pretokenizers": [ {"type": "WhitespaceSplit"}, {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always"} ]},
          "post_processor": {"type": "TemplateProcessing"},
          "model": {
            "type": "Unigram", "unk_id": 2,
            "vocab": [ ["<pad>", 0], ["</s>", 0], ["<unk>", 0], ["▁", -2], ["▁a", -3], ["▁ab", -4], ["b", -3], ["c", -3],
                       ["▁c", -3.5], ["▁kick", -5], ["▁ki", -3], ["ck", -3], ["a", -2.5] ]
          }
        }
        """;

    private static T5Tokenizer Tokenizer() => T5Tokenizer.Load(new MemoryStream(Encoding.UTF8.GetBytes(Json)));

    [Theory]
    [InlineData("ab", new long[] { 5, 1 })]            // ▁ab (−4) beats ▁a + b (−6)
    [InlineData("a b", new long[] { 4, 3, 6, 1 })]     // ▁a, then ▁ + b (no ▁b piece)
    [InlineData("kick", new long[] { 9, 1 })]          // ▁kick (−5) beats ▁ki + ck (−6)
    [InlineData("  c   c ", new long[] { 8, 8, 1 })]   // whitespace runs collapse, ends trimmed
    [InlineData("ｃ", new long[] { 8, 1 })]            // NFKC: full-width c is c
    [InlineData("axyz", new long[] { 4, 2, 1 })]       // unknown characters fuse into one <unk>
    [InlineData("a🥁b", new long[] { 4, 2, 6, 1 })]     // a surrogate pair is one unknown character
    [InlineData("", new long[] { 1 })]
    public void Prompts_segment_into_the_most_probable_pieces_and_end_with_eos(string prompt, long[] expected) =>
        Assert.Equal(expected, Tokenizer().Encode(prompt));

    [Fact]
    public void The_special_ids_and_metaspace_come_from_the_file()
    {
        var t = Tokenizer();
        Assert.Equal(2, t.UnknownId);
        Assert.Equal(1, t.EndId);
        Assert.Equal('▁', t.Metaspace);
        Assert.Equal(13, t.VocabularySize);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {}}}""")]
    [InlineData("""{"model": {"type": "Unigram", "vocab": []}}""")]
    [InlineData("""{"model": {"type": "Unigram", "vocab": [["a"]]}}""")]
    public void A_file_that_is_not_a_unigram_tokenizer_is_refused_with_a_reason(string json)
    {
        var e = Assert.Throws<InvalidDataException>(() => T5Tokenizer.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }
}
