using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orbitr.Core.Editing;
using Orbitr.Core.Json;
using Orbitr.Core.Model;
using Orbitr.Core.Sharing;
using Orbitr.Core.Validation;
using Xunit.Abstractions;

namespace Orbitr.Core.Tests;

public class ShareCodeTests(ITestOutputHelper log)
{
    [Fact]
    public void Random_patterns_are_valid() =>
        Assert.All(Enumerable.Range(0, 300).Select(RandomPatterns.Create), p => Assert.Empty(PatternValidator.Validate(p)));

    [Property(MaxTest = 500)]
    public Property Every_valid_pattern_round_trips_through_a_share_code() =>
        Prop.ForAll(RandomPatterns.Valid, p =>
        {
            var code = ShareCode.Encode(p);
            return ShareCode.TryDecode(code, out var back, out _) && back == p && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        });

    [Property(MaxTest = 500)]
    public Property Every_valid_pattern_round_trips_through_json() =>
        Prop.ForAll(RandomPatterns.Valid, p =>
        {
            var read = PatternJson.Read(PatternJson.Write(p));
            return read.Ok && read.Pattern == p;
        });

    [Fact]
    public void A_six_by_sixteen_pattern_with_twenty_steps_fits_in_200_characters()
    {
        var p = PatternFactory.Create(6, seed: 12345);
        p = PatternEditor.EuclideanFill(p, 0, 4);
        p = PatternEditor.EuclideanFill(p, 1, 2, 4);
        p = PatternEditor.EuclideanFill(p, 2, 8);
        p = PatternEditor.EuclideanFill(p, 3, 2, 2);
        p = PatternEditor.EuclideanFill(p, 4, 3);
        p = PatternEditor.EuclideanFill(p, 5, 1, 14);
        p = PatternEditor.SetStepVelocity(p, 2, 2, 64);
        p = PatternEditor.SetStepVelocity(p, 2, 6, 72);
        p = PatternEditor.SetStepVelocity(p, 0, 12, 120);
        Assert.Equal(20, p.Tracks.Sum(t => t.ActiveSteps));
        var code = ShareCode.Encode(p);
        log.WriteLine($"6×16 with 20 active steps: {code.Length} characters");
        Assert.True(code.Length <= 200, $"{code.Length} characters");
        Assert.True(ShareCode.TryDecode(code, out var back, out _));
        Assert.Equal(p, back);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("abc$def", "'$'")]
    [InlineData("A", "truncated")]
    [InlineData("____", "does not unpack")]
    public void Bad_codes_give_a_clear_error(string code, string fragment)
    {
        Assert.False(ShareCode.TryDecode(code, out var p, out var error));
        Assert.Null(p);
        Assert.Contains(fragment, error);
    }

    [Fact]
    public void A_newer_version_says_so()
    {
        var code = ShareCode.Encode(PatternFactory.Create(4, 1));
        using var raw = new MemoryStream();
        using (var inflate = new System.IO.Compression.DeflateStream(new MemoryStream(Base64Url(code)), System.IO.Compression.CompressionMode.Decompress)) inflate.CopyTo(raw);
        var bytes = raw.ToArray();
        bytes[0] = 9;
        Assert.False(ShareCode.TryDecode(Pack(bytes), out _, out var error));
        Assert.Contains("newer Orbitr", error);
    }

    [Fact]
    public void A_zip_bomb_is_refused()
    {
        var bomb = new byte[10_000_000];
        bomb[0] = ShareCode.Version;
        Assert.False(ShareCode.TryDecode(Pack(bomb), out _, out var error));
        Assert.Contains("more data than any pattern", error);
    }

    [Fact]
    public void Ten_thousand_mutated_codes_never_throw()
    {
        var rng = new Random(42);
        var codes = Enumerable.Range(0, 20).Select(i => ShareCode.Encode(RandomPatterns.Create(i))).ToArray();
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var decoded = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var chars = codes[i % codes.Length].ToCharArray().ToList();
            for (var m = 0; m < 1 + rng.Next(3); m++)
            {
                var at = rng.Next(chars.Count);
                switch (rng.Next(3))
                {
                    case 0: chars[at] = alphabet[rng.Next(alphabet.Length)]; break;
                    case 1: chars.RemoveRange(at, chars.Count - at); break;
                    default: chars.Insert(at, alphabet[rng.Next(alphabet.Length)]); break;
                }
                if (chars.Count == 0) break;
            }
            if (ShareCode.TryDecode(new string([.. chars]), out var p, out var error))
            {
                Assert.Empty(PatternValidator.Validate(p!));
                decoded++;
            }
            else Assert.False(string.IsNullOrWhiteSpace(error));
        }
        log.WriteLine($"{decoded} of 10,000 mutated codes still decoded to a valid pattern");
    }

    private static byte[] Base64Url(string code)
    {
        var s = code.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }

    private static string Pack(byte[] raw)
    {
        using var packed = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(packed, System.IO.Compression.CompressionLevel.Optimal, true)) deflate.Write(raw);
        return Convert.ToBase64String(packed.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
