using System.IO.Compression;
using System.Text;
using Orbitr.Core.Model;
using Orbitr.Core.Validation;

namespace Orbitr.Core.Sharing;

/// <summary>A compact URL-safe text form of a whole pattern: a versioned binary encoding that stores only what
/// differs from defaults, raw-deflated, in base64url without padding. Every valid pattern round-trips exactly.</summary>
public static class ShareCode
{
    public const byte Version = 2;
    /// <summary>Inflated size limit: far above any valid pattern, far below a zip bomb.</summary>
    public const int MaxInflatedBytes = 256 * 1024;
    public const int MaxCodeLength = 200_000;

    public static string Encode(Pattern pattern)
    {
        using var raw = new MemoryStream();
        ShareCodeWriter.Write(pattern, raw);
        using var packed = new MemoryStream();
        using (var deflate = new DeflateStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
            deflate.Write(raw.GetBuffer(), 0, (int)raw.Length);
        return Convert.ToBase64String(packed.GetBuffer(), 0, (int)packed.Length).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Decodes and validates; never throws on any input.</summary>
    public static bool TryDecode(string code, out Pattern? pattern, out string? error)
    {
        pattern = null;
        error = Decode(code, ref pattern);
        return error is null;
    }

    private static string? Decode(string code, ref Pattern? pattern)
    {
        if (string.IsNullOrWhiteSpace(code)) return "the share code is empty";
        if (code.Length > MaxCodeLength) return "the share code is too long";
        var b64 = new StringBuilder(code.Length + 3);
        foreach (var ch in code.Trim())
        {
            if (ch is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9') b64.Append(ch);
            else if (ch == '-') b64.Append('+');
            else if (ch == '_') b64.Append('/');
            else return $"the share code contains '{ch}', which is not a share-code character";
        }
        if (b64.Length % 4 == 1) return "the share code is truncated";
        while (b64.Length % 4 != 0) b64.Append('=');
        byte[] packed;
        try
        {
            packed = Convert.FromBase64String(b64.ToString());
        }
        catch (FormatException)
        {
            return "the share code is not valid base64url";
        }

        byte[] raw;
        try
        {
            using var input = new DeflateStream(new MemoryStream(packed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[8192];
            int n;
            while ((n = input.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + n > MaxInflatedBytes) return "the share code unpacks to more data than any pattern holds";
                output.Write(chunk, 0, n);
            }
            raw = output.ToArray();
        }
        catch (InvalidDataException)
        {
            return "the share code is damaged (it does not unpack)";
        }

        if (raw.Length == 0) return "the share code is truncated";
        if (raw[0] > Version) return $"this share code is version {raw[0]}, made by a newer Orbitr; update Orbitr to open it";
        if (raw[0] < 1) return $"unknown share code version {raw[0]}"; // version 1 codes read as they always did
        Pattern decoded;
        try
        {
            decoded = ShareCodeReader.Read(raw);
        }
        catch (ShareCodeFormatException ex)
        {
            return $"the share code is damaged: {ex.Message}";
        }
        var errors = PatternValidator.Validate(decoded);
        if (errors.Count > 0) return $"the shared pattern is not valid: {errors[0]}";
        pattern = decoded;
        return null;
    }
}

internal sealed class ShareCodeFormatException(string message) : Exception(message);
