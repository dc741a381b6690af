using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Orbitr.Server.Generation;

/// <summary>The cache key of a generation: SHA-256 of (engine, model version, prompt as <see cref="PromptKey"/> normalises
/// it, duration, quality, seed). Anything that could change the audio is in it — every character of every script —;
/// what does not (case, spacing, compatibility forms such as full-width letters) is not.</summary>
public static class GenerationCacheKey
{
    public static string Compute(string engine, string modelVersion, string prompt, double durationSeconds, string quality, uint seed)
    {
        var text = string.Join('\n', engine, modelVersion, PromptKey.Normalize(prompt),
            durationSeconds.ToString("0.###", CultureInfo.InvariantCulture), quality, seed.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
