using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orbitr.Synthesis.Prompting;

namespace Orbitr.Server.Generation;

/// <summary>The cache key of a generation: SHA-256 of (engine, model version, normalized prompt, duration, quality,
/// seed). Anything that changes the audio is in it; anything that does not (case, spacing) is not.</summary>
public static class GenerationCacheKey
{
    public static string Compute(string engine, string modelVersion, string prompt, double durationSeconds, string quality, uint seed)
    {
        var text = string.Join('\n', engine, modelVersion, PromptReader.Normalize(prompt),
            durationSeconds.ToString("0.###", CultureInfo.InvariantCulture), quality, seed.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
