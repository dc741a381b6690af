namespace Orbitr.MusicGen.Generation;

/// <summary>MusicGen's codebook delay pattern (shared/musicgen-onnx.md): codebook k runs k steps behind codebook 0.
/// Decoder positions hold one token per codebook; position 0 is the start token for every codebook, and at position j
/// codebook k is forced to the pad token while j ≤ k. After generation codebook k's frames are the tokens at positions
/// k + 1 … k + F, where F = positions − codebooks.</summary>
public sealed class DelayPattern
{
    public DelayPattern(int codebooks, long padToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codebooks, 1);
        Codebooks = codebooks;
        PadToken = padToken;
    }

    public int Codebooks { get; }

    /// <summary>Also the decoder's start token in MusicGen's config (both 2048 for musicgen-small).</summary>
    public long PadToken { get; }

    /// <summary>Decoder positions (start token included) needed for <paramref name="frames"/> frames of audio.</summary>
    public int PositionsFor(int frames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        return frames + Codebooks;
    }

    /// <summary>Frames of audio that <paramref name="positions"/> decoder positions (start token included) hold.</summary>
    public int FramesIn(int positions) => Math.Max(0, positions - Codebooks);

    /// <summary>The id fed for codebook <paramref name="codebook"/> at <paramref name="position"/>: the start/pad token
    /// at position 0 and wherever the delay has not reached the codebook yet, else the sampled token.
    /// With <paramref name="frames"/> given, positions past codebook k's last frame (k + frames) are pads too, as
    /// transformers' delay-pattern mask makes them.</summary>
    public long InputId(int position, int codebook, long sampled, int frames = int.MaxValue) =>
        position == 0 || position <= codebook || position - codebook > frames ? PadToken : sampled;

    /// <summary>Undoes the delay: <paramref name="tokens"/>[k][j] is codebook k's token at position j (all codebooks
    /// the same length P); the result [k][f] is frame f of codebook k, f &lt; P − codebooks.</summary>
    public long[][] Undo(IReadOnlyList<long[]> tokens)
    {
        if (tokens.Count != Codebooks) throw new ArgumentException($"expected {Codebooks} codebooks, got {tokens.Count}", nameof(tokens));
        var positions = tokens[0].Length;
        if (tokens.Any(t => t.Length != positions)) throw new ArgumentException("every codebook must have as many positions", nameof(tokens));
        var frames = FramesIn(positions);
        var codes = new long[Codebooks][];
        for (var k = 0; k < Codebooks; k++) codes[k] = tokens[k].AsSpan(k + 1, frames).ToArray();
        return codes;
    }

    /// <summary>The positions a set of frames occupies once delayed (pads where the delay forces them): the inverse of
    /// <see cref="Undo"/>, used by tests and by stand-in models.</summary>
    public long[][] Apply(IReadOnlyList<long[]> codes)
    {
        if (codes.Count != Codebooks) throw new ArgumentException($"expected {Codebooks} codebooks, got {codes.Count}", nameof(codes));
        var frames = codes[0].Length;
        var positions = PositionsFor(Math.Max(1, frames));
        var tokens = new long[Codebooks][];
        for (var k = 0; k < Codebooks; k++)
        {
            tokens[k] = Enumerable.Repeat(PadToken, positions).ToArray();
            codes[k].AsSpan().CopyTo(tokens[k].AsSpan(k + 1));
        }
        return tokens;
    }
}
