using System.IO.Compression;
using Orbitr.Core.Json;
using Orbitr.Core.Model;

namespace Orbitr.Core.Midi;

/// <summary>The pattern inside an Orbitr MIDI file (issue 25): a sequencer-specific meta event (FF 7F), which other
/// tools ignore, holding 7D (the non-commercial manufacturer id) "Orbitr" 01 and the pattern's JSON, deflated. Notes
/// alone cannot always say which step they came from (at swing 100 a swung note sits halfway between steps): with
/// this, a file Orbitr exported imports back to exactly the same pattern.</summary>
public static class OrbitrMeta
{
    private static readonly byte[] Prefix = [0x7D, (byte)'O', (byte)'r', (byte)'b', (byte)'i', (byte)'t', (byte)'r', 1];
    // A song's file holds the song as a bundle (its patterns inside): the same id, body kind 2.
    private static readonly byte[] SongPrefix = [0x7D, (byte)'O', (byte)'r', (byte)'b', (byte)'i', (byte)'t', (byte)'r', 2];

    public static byte[] Encode(Pattern pattern) => Deflated(Prefix, PatternJson.WriteUtf8(pattern));

    /// <summary>A song bundle (sections naming <c>bundle:</c> patterns inside it).</summary>
    public static byte[] EncodeSong(Songs.Song bundle) => Deflated(SongPrefix, System.Text.Encoding.UTF8.GetBytes(Songs.SongJson.Write(bundle)));

    private static byte[] Deflated(byte[] prefix, byte[] body)
    {
        using var ms = new MemoryStream();
        ms.Write(prefix);
        using (var deflate = new DeflateStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
            deflate.Write(body);
        return ms.ToArray();
    }

    /// <summary>Whether the event's data is ours (a pattern or a song, of this version), whatever its body holds.</summary>
    public static bool IsOurs(ReadOnlySpan<byte> data) => data.StartsWith(Prefix) || data.StartsWith(SongPrefix);

    /// <summary>The song bundle a song's meta event holds; null when it is not one, or is damaged or invalid.</summary>
    public static Songs.Song? TryDecodeSong(byte[] data)
    {
        if (!data.AsSpan().StartsWith(SongPrefix)) return null;
        var body = Inflate(data, Songs.SongJson.MaxBytes);
        return body is null ? null : Songs.SongJson.Read(body).Song;
    }

    private static byte[]? Inflate(byte[] data, int max)
    {
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(data, Prefix.Length, data.Length - Prefix.Length), CompressionMode.Decompress);
            using var body = new MemoryStream();
            var buffer = new byte[64 * 1024];
            for (int n; (n = deflate.Read(buffer)) > 0;)
            {
                if (body.Length + n > max) return null;
                body.Write(buffer, 0, n);
            }
            return body.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The pattern an Orbitr meta event holds; null when the data is not ours, or is damaged or invalid (the
    /// importer then reads the notes). Inflates at most <see cref="PatternJson.MaxBytes"/>: a small event can't
    /// make it take unbounded memory.</summary>
    public static Pattern? TryDecode(byte[] data)
    {
        if (!data.AsSpan().StartsWith(Prefix)) return null;
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(data, Prefix.Length, data.Length - Prefix.Length), CompressionMode.Decompress);
            var buffer = new byte[PatternJson.MaxBytes + 1];
            var length = 0;
            for (int n; length < buffer.Length && (n = deflate.Read(buffer, length, buffer.Length - length)) > 0;) length += n;
            if (length > PatternJson.MaxBytes) return null;
            return PatternJson.Read(buffer.AsSpan(0, length)).Pattern;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
