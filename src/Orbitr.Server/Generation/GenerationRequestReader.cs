using System.Text.Json;
using Orbitr.Contracts;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Server.Generation;

/// <summary>Reads and validates the body of POST /api/generations (ARCHITECTURE §4) into a <see cref="GenerationRequest"/>
/// (the API's record, in Orbitr.Contracts) whose seed is always set.</summary>
public static class GenerationRequestReader
{
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>Reads the JSON body by hand so that every problem is reported by field, never as an exception.
    /// Unreadable is true when the body is not JSON text at all (not JSON, invalid UTF-8, a lone surrogate escape), false
    /// when it is JSON with a wrong field.</summary>
    public static (GenerationRequest? Request, string? Problem, bool Unreadable) Read(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBodyBytes) return (null, $"the body is {utf8.Length:N0} bytes; at most {MaxBodyBytes:N0}", false);
        // JSON is UTF-8 (RFC 8259 §8.1); the reader below would only notice bad bytes where it decodes a string.
        if (!System.Text.Unicode.Utf8.IsValid(utf8)) return (null, Apis.Problems.NotUnicode, true);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            // The reader's message says where (line, byte) and what; it quotes none of the body.
            return (null, $"the body is not JSON: {e.Message}", true);
        }
        using (doc)
        {
            try
            {
                var (request, problem) = Read(doc.RootElement);
                return (request, problem, false);
            }
            catch (InvalidOperationException)
            {
                // A name or string escaping a lone surrogate ("\ud800") cannot become .NET text.
                return (null, Apis.Problems.NotUnicode, true);
            }
        }
    }

    private static (GenerationRequest? Request, string? Problem) Read(JsonElement root)
    {
        {
            if (root.ValueKind != JsonValueKind.Object) return (null, "the body must be a JSON object");
            string? prompt = null;
            string engine = "auto", quality = "draft";
            double duration = PromptSynthesizer.DefaultDuration;
            uint seed = 0;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "prompt":
                        if (p.Value.ValueKind != JsonValueKind.String) return (null, "prompt must be a string");
                        prompt = p.Value.GetString();
                        break;
                    case "engine":
                        if (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() is not ("auto" or "synth" or "musicgen"))
                            return (null, "engine must be \"auto\", \"synth\" or \"musicgen\"");
                        engine = p.Value.GetString()!;
                        break;
                    case "durationSeconds":
                        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out duration) ||
                            !(duration >= PromptSynthesizer.MinDuration && duration <= PromptSynthesizer.MaxDuration))
                            return (null, $"durationSeconds must be a number {PromptSynthesizer.MinDuration}–{PromptSynthesizer.MaxDuration}");
                        break;
                    case "quality":
                        if (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() is not ("draft" or "hq"))
                            return (null, "quality must be \"draft\" or \"hq\"");
                        quality = p.Value.GetString()!;
                        break;
                    case "seed":
                        if (p.Value.ValueKind == JsonValueKind.Null) break;
                        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetUInt32(out seed))
                            return (null, "seed must be a whole number 0–4294967295");
                        break;
                    default:
                        return (null, $"unknown field \"{(p.Name.Length > 40 ? p.Name[..40] + "…" : p.Name)}\"");
                }
            }
            if (PromptReader.Problem(prompt) is { } problem) return (null, problem);
            // Round so that 2 and 2.0000000001 are the same request (and the same cache entry).
            return (new GenerationRequest(prompt!.Trim(), engine, Math.Round(duration, 3), quality, seed), null);
        }
    }
}
