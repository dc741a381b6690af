using System.Text;
using System.Text.Json;

namespace Orbitr.MusicGen.Text;

/// <summary>T5's SentencePiece unigram tokenizer, read from the export's <c>tokenizer.json</c> (Hugging Face format:
/// a <c>Unigram</c> model with scored pieces, a <c>Metaspace</c> pre-tokenizer, <c>&lt;/s&gt;</c> appended).
/// Microsoft.ML.Tokenizers builds its SentencePiece tokenizer from the <c>spiece.model</c> protobuf, which the export
/// may not ship, so this reads the JSON itself. Text gets the compatibility folding of T5's precompiled character map
/// that prompts meet (full-width forms; not full NFKC, which invariant globalization does not offer) and runs of
/// whitespace become one; then the most probable segmentation (Viterbi over piece scores) is taken, with adjacent
/// unknown characters fused into one unknown token, as SentencePiece does.</summary>
public sealed class T5Tokenizer
{
    private readonly Dictionary<string, (int Id, double Score)> _pieces;
    private readonly int _maxPieceLength;
    private readonly double _unknownScore;

    private T5Tokenizer(Dictionary<string, (int Id, double Score)> pieces, int unkId, int eosId, char metaspace)
    {
        _pieces = pieces;
        _maxPieceLength = pieces.Keys.Max(p => p.Length);
        _unknownScore = pieces.Values.Min(p => p.Score) - 10; // SentencePiece's penalty for an unknown character
        UnknownId = unkId;
        EndId = eosId;
        Metaspace = metaspace;
    }

    public int UnknownId { get; }
    public int EndId { get; }
    public char Metaspace { get; }
    public int VocabularySize => _pieces.Count;

    /// <exception cref="InvalidDataException">the file is not a unigram tokenizer.json</exception>
    public static T5Tokenizer Load(Stream tokenizerJson)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(tokenizerJson);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"tokenizer.json is not JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object
                || !model.TryGetProperty("type", out var type) || type.GetString() != "Unigram")
                throw new InvalidDataException("tokenizer.json has no Unigram model (MusicGen's text encoder is T5, a SentencePiece unigram tokenizer)");
            if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Array || vocab.GetArrayLength() == 0)
                throw new InvalidDataException("tokenizer.json's model has no vocabulary");
            var pieces = new Dictionary<string, (int, double)>(StringComparer.Ordinal);
            var id = 0;
            foreach (var entry in vocab.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2 || entry[0].ValueKind != JsonValueKind.String || entry[1].ValueKind != JsonValueKind.Number)
                    throw new InvalidDataException($"vocabulary entry {id} is not [piece, score]");
                pieces.TryAdd(entry[0].GetString()!, (id, entry[1].GetDouble()));
                id++;
            }
            var unk = model.TryGetProperty("unk_id", out var u) && u.ValueKind == JsonValueKind.Number ? u.GetInt32() : 2;
            var eos = pieces.TryGetValue("</s>", out var e) ? e.Item1 : 1;
            var metaspace = '\u2581';
            if (root.TryGetProperty("pre_tokenizer", out var pre) && FindMetaspace(pre) is { } m) metaspace = m;
            return new T5Tokenizer(pieces, unk, eos, metaspace);
        }
    }

    private static char? FindMetaspace(JsonElement pre)
    {
        if (pre.ValueKind != JsonValueKind.Object) return null;
        if (pre.TryGetProperty("type", out var t) && t.GetString() == "Metaspace" && pre.TryGetProperty("replacement", out var r)
            && r.GetString() is { Length: 1 } s)
            return s[0];
        if (pre.TryGetProperty("pretokenizers", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var p in list.EnumerateArray())
                if (FindMetaspace(p) is { } found) return found;
        return null;
    }

    /// <summary>The ids of a prompt, ending with &lt;/s&gt;.</summary>
    public long[] Encode(string text)
    {
        var normalized = Normalize(text);
        var ids = new List<long>();
        if (normalized.Length > 0) Segment(normalized, ids);
        ids.Add(EndId);
        return [.. ids];
    }

    private string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length + 1);
        var space = true; // leading whitespace is dropped
        foreach (var raw in text)
        {
            // The compatibility folding NFKC would do for prompt text: full-width ASCII forms (U+FF01–FF5E) and the
            // ideographic space. (The app runs with invariant globalization, which has no Unicode normalization.)
            var c = raw is >= '\uFF01' and <= '\uFF5E' ? (char)(raw - 0xFEE0) : raw == '\u3000' ? ' ' : raw;
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }
            if (space) sb.Append(Metaspace);
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    private void Segment(string s, List<long> ids)
    {
        var n = s.Length;
        var best = new double[n + 1];
        var from = new int[n + 1];
        var piece = new int[n + 1];
        Array.Fill(best, double.NegativeInfinity);
        best[0] = 0;
        for (var end = 1; end <= n; end++)
        {
            for (var len = 1; len <= Math.Min(_maxPieceLength, end); len++)
            {
                var start = end - len;
                if (double.IsNegativeInfinity(best[start])) continue;
                if (!_pieces.TryGetValue(s.Substring(start, len), out var p)) continue;
                if (best[start] + p.Score > best[end])
                {
                    best[end] = best[start] + p.Score;
                    from[end] = start;
                    piece[end] = p.Id;
                }
            }
            // One character (a surrogate pair counts as one) no piece covers: unknown.
            var charLen = end >= 2 && char.IsLowSurrogate(s[end - 1]) && char.IsHighSurrogate(s[end - 2]) ? 2 : 1;
            var unkStart = end - charLen;
            if (!double.IsNegativeInfinity(best[unkStart]) && best[unkStart] + _unknownScore > best[end])
            {
                best[end] = best[unkStart] + _unknownScore;
                from[end] = unkStart;
                piece[end] = -1;
            }
        }
        var reversed = new List<int>();
        for (var at = n; at > 0; at = from[at]) reversed.Add(piece[at]);
        reversed.Reverse();
        var previousUnknown = false;
        foreach (var p in reversed)
        {
            if (p < 0)
            {
                if (!previousUnknown) ids.Add(UnknownId);
                previousUnknown = true;
                continue;
            }
            previousUnknown = false;
            ids.Add(p);
        }
    }
}
