using System.Buffers.Binary;
using System.Diagnostics;

namespace Orbitr.Tests.HostileAudio;

/// <summary>Decompression bombs and lying headers for the upload path: small files whose headers claim (or whose
/// content expands to) far more audio than an upload may hold. Each builder says what it makes and what a safe
/// decoder must do with it. WAV and FLAC are written by hand (valid CRCs, so libFLAC accepts them too); OGG is
/// encoded by sox (Debian's sox with libsox-fmt-all, which test.sh installs) and then patched.</summary>
public static class HostileAudio
{
    // ---------------------------------------------------------------- WAV

    /// <summary>A PCM WAV of <paramref name="frames"/> frames: channel c holds the constant <c>values[c]</c> (or, without
    /// values, a 440 Hz sine at 0.5 on every channel). <paramref name="dataSizeClaim"/> and <paramref name="riffSizeClaim"/>
    /// replace the true chunk sizes in the header (the bytes present stay <paramref name="frames"/> frames).</summary>
    public static byte[] Wav(int channels, int rate, int bits, int frames, float[]? values = null, uint? dataSizeClaim = null,
        uint? riffSizeClaim = null)
    {
        var blockAlign = channels * bits / 8;
        var dataBytes = (long)frames * blockAlign;
        var bytes = new byte[44 + dataBytes];
        var s = bytes.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], riffSizeClaim ?? (uint)(36 + dataBytes));
        "WAVEfmt "u8.CopyTo(s[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)(rate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], (ushort)bits);
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], dataSizeClaim ?? (uint)dataBytes);
        var pos = 44;
        for (var i = 0; i < frames; i++)
            for (var c = 0; c < channels; c++, pos += bits / 8)
            {
                var v = values?[c] ?? (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / rate));
                if (bits == 8) bytes[pos] = (byte)Math.Clamp(Math.Round(v * 128 + 128), 0, 255);
                else BinaryPrimitives.WriteInt16LittleEndian(s[pos..], (short)Math.Clamp(Math.Round(v * 32768), -32768, 32767));
            }
        return bytes;
    }

    /// <summary>Bomb: 1 KB of real 16-bit stereo samples behind a RIFF size and a data chunk size that both claim ~4 GB.
    /// A reader that allocates by the claim asks for 4 GB; a safe one refuses (the data is truncated) or reads only
    /// the bytes present.</summary>
    public static byte[] WavLyingSizes() => Wav(2, 44100, 16, 256, dataSizeClaim: 0xFFFF_FFF0, riffSizeClaim: 0xFFFF_FFF8);

    /// <summary>Valid but big: 8 channels of 16-bit at 192 kHz filling <paramref name="bytes"/> (10 MB ≈ 3.4 s). Accepted,
    /// but stored downmixed to stereo and resampled to 48 kHz (an eighth of the channels, a quarter of the rate).</summary>
    public static byte[] WavSurround192k(int bytes = 10 * 1024 * 1024 - 1024) => Wav(8, 192_000, 16, (bytes - 44) / 16);

    /// <summary>Bomb by length: 10 MB of 8-bit mono at 8 kHz is 21 minutes; the header (and the bytes) say so, so it is
    /// refused before decoding (decoded it would be 42 MB of floats at the source rate).</summary>
    public static byte[] WavTooLong() => Wav(1, 8000, 8, 10 * 1024 * 1024 - 1024, values: [0.25f]);

    /// <summary>Out of range: a real 0.1 s stereo WAV whose header says 384 kHz (refused: 8–192 kHz are accepted).</summary>
    public static byte[] WavRate(int rate) => Wav(2, rate, 16, rate / 10);

    // ---------------------------------------------------------------- FLAC

    /// <summary>A hand-written FLAC: STREAMINFO (claiming <paramref name="claimedFrames"/>, 0 = unknown) and
    /// <paramref name="actualFrames"/> frames of 16-bit audio in blocks of <paramref name="blockSize"/>, every subframe
    /// CONSTANT (channel c = <c>values[c]</c>, default 0.25·(c+1)/channels): three bytes a channel per block, so
    /// a few kilobytes expand to minutes. Frame CRC-8 and CRC-16 are correct.</summary>
    public static byte[] Flac(int channels, int rate, long claimedFrames, long actualFrames, int blockSize = 4096, float[]? values = null)
    {
        var output = new MemoryStream();
        output.Write("fLaC"u8);
        output.Write([0x80, 0, 0, 34]); // last metadata block, STREAMINFO, 34 bytes
        var info = new BitWriter();
        info.Write((ulong)blockSize, 16);
        info.Write((ulong)blockSize, 16);
        info.Write(0, 24); // min frame size unknown
        info.Write(0, 24); // max frame size unknown
        info.Write((ulong)rate, 20);
        info.Write((ulong)(channels - 1), 3);
        info.Write(15, 5); // 16 bits per sample
        info.Write((ulong)claimedFrames, 36);
        info.Write(0, 64);
        info.Write(0, 64); // MD5 unknown
        output.Write(info.ToArray());
        var levels = Enumerable.Range(0, channels).Select(c => (short)Math.Round((values?[c] ?? 0.25f * (c + 1) / channels) * 32768)).ToArray();
        long written = 0;
        for (var frame = 0L; written < actualFrames; frame++)
        {
            var size = (int)Math.Min(blockSize, actualFrames - written);
            var header = new List<byte> { 0xFF, 0xF8, 0x70, (byte)(((channels - 1) << 4) | (4 << 1)) }; // block size: 16 bits at end; rate from STREAMINFO; independent channels; 16 bits
            header.AddRange(Utf8Number(frame));
            header.Add((byte)((size - 1) >> 8));
            header.Add((byte)(size - 1));
            header.Add(Crc8([.. header]));
            var body = new List<byte>(header);
            foreach (var level in levels)
            {
                body.Add(0x00); // subframe: CONSTANT, no wasted bits
                body.Add((byte)(level >> 8));
                body.Add((byte)level);
            }
            var crc = Crc16([.. body]);
            body.Add((byte)(crc >> 8));
            body.Add((byte)crc);
            output.Write([.. body]);
            written += size;
        }
        return output.ToArray();
    }

    /// <summary>Bomb: 4 channels at 655,350 Hz (the most STREAMINFO's frame header codes allow) for 30 s in 65,535-frame
    /// constant blocks: ≈ 6.6 KB that decode to 79 million samples (315 MB of floats; 157 MB as 16-bit WAV). Refused by
    /// its rate before decoding.</summary>
    public static byte[] FlacHighRate() => Flac(4, 655_350, 30L * 655_350, 30L * 655_350, blockSize: 65_535);

    /// <summary>Bomb: 84 bytes — STREAMINFO claiming 31 s of 8 channels at 192 kHz (47.6 million samples, which a reader
    /// preallocating by the claim would reserve: 190 MB of floats) and one 4-frame block. Refused by the claimed length
    /// before decoding.</summary>
    public static byte[] FlacClaimsTooLong() => Flac(8, 192_000, 31L * 192_000, 4, blockSize: 4);

    /// <summary>Lying header: STREAMINFO claims 30 s of 8 channels at 192 kHz (within the limits) but the file holds one
    /// 4-frame block. Accepted (4 frames), and what is allocated is bounded by the cap at the stored rate, never by
    /// 8 channels × 192 kHz × 30 s.</summary>
    public static byte[] FlacClaimsLongHoldsLittle() => Flac(8, 192_000, 30L * 192_000, 4, blockSize: 4);

    /// <summary>Bomb: no length in STREAMINFO (0 = unknown), 8 channels at 192 kHz, and 40 s of constant blocks
    /// (≈ 50 KB). Only decoding can find it too long: it must stop at 30 s, holding no more than 30 s.</summary>
    public static byte[] FlacUnknownLengthTooLong() => Flac(8, 192_000, 0, 40L * 192_000);

    /// <summary>Valid but big: 8 channels at 192 kHz for 29.5 s (≈ 35 KB of constant blocks; 45 million samples).
    /// Accepted; stored as 48 kHz stereo.</summary>
    public static byte[] FlacSurround192k() => Flac(8, 192_000, (long)(29.5 * 192_000), (long)(29.5 * 192_000));

    // FLAC's UTF-8-like coding of the frame number.
    private static byte[] Utf8Number(long n)
    {
        if (n < 0x80) return [(byte)n];
        if (n < 0x800) return [(byte)(0xC0 | (n >> 6)), (byte)(0x80 | (n & 0x3F))];
        if (n < 0x10000) return [(byte)(0xE0 | (n >> 12)), (byte)(0x80 | ((n >> 6) & 0x3F)), (byte)(0x80 | (n & 0x3F))];
        return [(byte)(0xF0 | (n >> 18)), (byte)(0x80 | ((n >> 12) & 0x3F)), (byte)(0x80 | ((n >> 6) & 0x3F)), (byte)(0x80 | (n & 0x3F))];
    }

    private static byte Crc8(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
        }
        return (byte)crc;
    }

    private static ushort Crc16(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b << 8;
            for (var i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
        }
        return (ushort)crc;
    }

    private sealed class BitWriter
    {
        private readonly List<byte> bytes = [];
        private int used = 8;

        public void Write(ulong value, int bits)
        {
            for (var i = bits - 1; i >= 0; i--)
            {
                if (used == 8)
                {
                    bytes.Add(0);
                    used = 0;
                }
                if (((value >> i) & 1) != 0) bytes[^1] |= (byte)(0x80 >> used);
                used++;
            }
        }

        public byte[] ToArray() => [.. bytes];
    }

    // ---------------------------------------------------------------- OGG Vorbis

    /// <summary>A real OGG Vorbis file encoded by sox: a 440 Hz sine on every channel (at 0.4), <paramref name="seconds"/>
    /// long at <paramref name="rate"/>.</summary>
    public static byte[] EncodeOgg(int channels, int rate, double seconds) => Encode("ogg", channels, rate, seconds);

    /// <summary>A real file of sox's making in <paramref name="format"/> (ogg, mp3, flac…): a 440 Hz sine at 0.4 on every channel.</summary>
    public static byte[] Encode(string format, int channels, int rate, double seconds)
    {
        var dir = Directory.CreateTempSubdirectory("orbitr-bomb-");
        try
        {
            var path = Path.Combine(dir.FullName, "bomb." + format);
            var start = new ProcessStartInfo("sox", ["-n", "-r", rate.ToString(), "-c", channels.ToString(), .. format == "ogg" ? ["-C", "-1"] : Array.Empty<string>(), path,
                "synth", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "sine", "440", "vol", "0.4"])
            { RedirectStandardError = true };
            using var sox = Process.Start(start) ?? throw new InvalidOperationException("sox did not start");
            var errors = sox.StandardError.ReadToEnd();
            sox.WaitForExit();
            if (sox.ExitCode != 0) throw new InvalidOperationException($"sox failed: {errors}");
            return File.ReadAllBytes(path);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Rewrites the Vorbis identification header (the first packet, on the first page): its channel count
    /// and/or sample rate, then recomputes that page's CRC so decoders accept it. Only the rate (or a channel count
    /// equal to what was encoded) keeps the stream decodable: the setup header's mappings depend on the channels.</summary>
    public static byte[] PatchVorbisHeader(byte[] ogg, int? channels = null, int? rate = null)
    {
        var copy = (byte[])ogg.Clone();
        var segments = copy[26];
        var packet = 27 + segments; // the identification header is the first page's only packet
        if (!copy.AsSpan(packet + 1, 6).SequenceEqual("vorbis"u8) || copy[packet] != 1)
            throw new InvalidOperationException("the first page does not hold a Vorbis identification header");
        if (channels is { } c) copy[packet + 11] = (byte)c;
        if (rate is { } r) BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(packet + 12), (uint)r);
        FixCrc(copy, 0);
        return copy;
    }

    /// <summary>Rewrites the granule position (the stream's length in frames, as a reader sees it at the end) of the
    /// last page, fixing its CRC: a header that lies about how long the sound is.</summary>
    public static byte[] PatchLastGranule(byte[] ogg, long granule)
    {
        var copy = (byte[])ogg.Clone();
        var last = Pages(copy).Last();
        BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(last + 6), granule);
        FixCrc(copy, last);
        return copy;
    }

    /// <summary>Bomb: 16 channels encoded at 48 kHz for 1 s (≈ 36 KB), the header patched to 384 kHz. Refused by its
    /// channels and rate before decoding (today's decoder collected 31 s × 384 kHz × 16 channels of floats).</summary>
    public static byte[] Ogg16ChannelsAt384k() => PatchVorbisHeader(EncodeOgg(16, 48_000, 1), rate: 384_000);

    /// <summary>Bomb by length: 2 s of stereo at 48 kHz whose last page's granule says 40 s. Refused on the length
    /// the stream claims, before decoding.</summary>
    public static byte[] OggClaimsTooLong() => PatchLastGranule(EncodeOgg(2, 48_000, 2), 40L * 48_000);

    /// <summary>Lying header: 40 s of mono at 48 kHz whose last granule says 1 s. The header passes; decoding must stop
    /// at the 30 s cap (refused), having held no more than 30 s. (NVorbis drops the last page's packets, whose granule
    /// is now behind them: ≈ 36 s come out.)</summary>
    public static byte[] OggClaimsShortIsLong() => PatchLastGranule(EncodeOgg(1, 48_000, 40), 48_000);

    /// <summary>Valid but big: 8 channels encoded at 48 kHz for 28 s, the header patched to 192 kHz (7 s there).
    /// Accepted; stored downmixed to stereo at 48 kHz.</summary>
    public static byte[] Ogg8ChannelsAt192k() => PatchVorbisHeader(EncodeOgg(8, 48_000, 28), rate: 192_000);

    // ---------------------------------------------------------------- MP3

    /// <summary>Bomb by length, found only by decoding: 40 s of mono MP3 at 22.05 kHz (MP3 has no length in a header).
    /// Decoding must stop at 30 s (refused), having held no more.</summary>
    public static byte[] Mp3TooLong() => Encode("mp3", 1, 22050, 40);

    private static List<int> Pages(byte[] ogg)
    {
        var pages = new List<int>();
        var pos = 0;
        while (pos + 27 <= ogg.Length && ogg.AsSpan(pos, 4).SequenceEqual("OggS"u8))
        {
            pages.Add(pos);
            var segments = ogg[pos + 26];
            var size = 27 + segments;
            for (var i = 0; i < segments; i++) size += ogg[pos + 27 + i];
            pos += size;
        }
        return pages;
    }

    private static void FixCrc(byte[] ogg, int page)
    {
        var segments = ogg[page + 26];
        var size = 27 + segments;
        for (var i = 0; i < segments; i++) size += ogg[page + 27 + i];
        ogg.AsSpan(page + 22, 4).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(ogg.AsSpan(page + 22), OggCrc(ogg.AsSpan(page, size)));
    }

    // Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial value 0, no final XOR.
    private static uint OggCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        foreach (var b in data)
        {
            crc ^= (uint)b << 24;
            for (var i = 0; i < 8; i++) crc = (crc & 0x8000_0000) != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1;
        }
        return crc;
    }
}
