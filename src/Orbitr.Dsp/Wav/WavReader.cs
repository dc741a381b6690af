using System.Buffers.Binary;
using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Wav;

/// <summary>Reads RIFF/WAVE: PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE, any channel count and rate.
/// Anything malformed raises <see cref="AudioDecodeException"/> (code 1002); sizes are checked against the bytes
/// actually present, so a lying header can neither over-allocate nor hang.</summary>
public static class WavReader
{
    private const ushort FormatPcm = 1, FormatFloat = 3, FormatExtensible = 0xFFFE;
    public const int MaxChannels = 16;

    public static AudioBuffer ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new AudioDecodeException($"cannot read {Path.GetFileName(path)}: {ex.Message}");
        }
        return Read(bytes);
    }

    public static AudioBuffer Read(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Read(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    }

    public static AudioBuffer Read(ReadOnlySpan<byte> data)
    {
        var (format, offset, length) = Locate(data);
        return Decode(format, data.Slice(offset, length));
    }

    /// <summary>What the header says: channels, rate, bits and the length in frames — counted from the bytes that are
    /// really there (a data chunk claiming more than the file holds is refused).</summary>
    public readonly record struct StreamInfo(int Channels, int SampleRate, int BitsPerSample, long Frames);

    public static StreamInfo ReadInfo(ReadOnlySpan<byte> data)
    {
        var (f, _, length) = Locate(data);
        return new StreamInfo(f.Channels, f.SampleRate, f.Bits, length / f.BlockAlign);
    }

    /// <summary>Decodes into <paramref name="collector"/> (made for this file's <see cref="ReadInfo"/>) 4,096 frames at a
    /// time: nothing the size of the file is allocated here.</summary>
    public static void Decode(ReadOnlySpan<byte> data, AudioCollector collector)
    {
        var (f, offset, length) = Locate(data);
        var body = data.Slice(offset, length);
        const int block = 4096;
        var frames = body.Length / f.BlockAlign;
        var bytesPerSample = f.Bits / 8;
        var buffer = new float[Math.Min(block, Math.Max(frames, 1)) * f.Channels];
        for (var start = 0; start < frames; start += block)
        {
            var n = Math.Min(block, frames - start);
            var src = body.Slice(start * f.BlockAlign, n * f.BlockAlign);
            for (int i = 0, at = 0; i < n * f.Channels; i++, at += bytesPerSample) buffer[i] = ReadSample(f, src.Slice(at, bytesPerSample));
            collector.Write(buffer.AsSpan(0, n * f.Channels));
        }
    }

    // Finds the fmt chunk and the data chunk's bytes (checked against what is present).
    private static (Format Format, int Offset, int Length) Locate(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12 || !data[..4].SequenceEqual("RIFF"u8))
            throw new AudioDecodeException("not a WAV file: missing RIFF header");
        if (!data.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw new AudioDecodeException("not a WAV file: RIFF type is not WAVE");

        var pos = 12;
        Format? format = null;
        while (pos + 8 <= data.Length)
        {
            var id = data.Slice(pos, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(pos + 4, 4));
            var body = pos + 8;
            var available = data.Length - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size > available) throw new AudioDecodeException($"truncated: fmt chunk claims {size} bytes but only {available} remain");
                format = ReadFormat(data.Slice(body, (int)size));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is null) throw new AudioDecodeException("malformed WAV: data chunk before fmt chunk");
                if (size > available)
                    throw new AudioDecodeException($"truncated: data chunk claims {size} bytes but only {available} remain");
                return (format.Value, body, (int)size);
            }
            // Chunks are word-aligned: an odd size is followed by a pad byte.
            var next = body + (long)size + (size & 1);
            if (next > data.Length) break;
            pos = (int)next;
        }
        throw new AudioDecodeException(format is null ? "malformed WAV: no fmt chunk" : "malformed WAV: no data chunk");
    }

    private readonly record struct Format(ushort Tag, int Channels, int SampleRate, int BlockAlign, int Bits);

    private static Format ReadFormat(ReadOnlySpan<byte> fmt)
    {
        if (fmt.Length < 16) throw new AudioDecodeException($"malformed WAV: fmt chunk is {fmt.Length} bytes, at least 16 are needed");
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == FormatExtensible)
        {
            if (fmt.Length < 40) throw new AudioDecodeException("malformed WAV: WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes");
            var validBits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[18..]);
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]); // first two bytes of the sub-format GUID
            if (validBits != 0 && validBits > bits) throw new AudioDecodeException($"malformed WAV: {validBits} valid bits in a {bits}-bit container");
        }
        if (tag != FormatPcm && tag != FormatFloat)
            throw new AudioDecodeException($"unsupported format: {FormatName(tag)} ({tag}); Orbitr reads PCM and IEEE float WAV");
        if (channels is < 1 or > MaxChannels) throw new AudioDecodeException($"unsupported channel count: {channels}");
        if (rate is < 1000 or > 768_000) throw new AudioDecodeException($"unsupported sample rate: {rate} Hz");
        var valid = tag == FormatPcm ? bits is 8 or 16 or 24 or 32 : bits is 32 or 64;
        if (!valid) throw new AudioDecodeException($"unsupported format: {bits}-bit {(tag == FormatPcm ? "PCM" : "float")}");
        if (blockAlign != channels * bits / 8)
            throw new AudioDecodeException($"malformed WAV: block align {blockAlign} does not match {channels} channels of {bits} bits");
        return new Format(tag, channels, (int)rate, blockAlign, bits);
    }

    private static string FormatName(ushort tag) => tag switch
    {
        2 => "ADPCM",
        6 => "A-law",
        7 => "µ-law",
        0x11 => "IMA ADPCM",
        0x55 => "MP3",
        _ => "format",
    };

    private static AudioBuffer Decode(Format f, ReadOnlySpan<byte> data)
    {
        var frames = data.Length / f.BlockAlign;
        var buffer = new AudioBuffer(f.Channels, frames, f.SampleRate);
        var bytesPerSample = f.Bits / 8;
        for (var c = 0; c < f.Channels; c++)
        {
            var dst = buffer.Channel(c);
            var offset = c * bytesPerSample;
            for (var i = 0; i < frames; i++, offset += f.BlockAlign)
                dst[i] = ReadSample(f, data.Slice(offset, bytesPerSample));
        }
        return buffer;
    }

    private static float ReadSample(Format f, ReadOnlySpan<byte> s) => (f.Tag, f.Bits) switch
    {
        (FormatPcm, 8) => (s[0] - 128) / 128f,
        (FormatPcm, 16) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
        (FormatPcm, 24) => ((s[0] | (s[1] << 8) | ((sbyte)s[2] << 16))) / 8388608f,
        (FormatPcm, 32) => (float)(BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0),
        (_, 32) => Finite(BinaryPrimitives.ReadSingleLittleEndian(s)),
        _ => Finite((float)BinaryPrimitives.ReadDoubleLittleEndian(s)),
    };

    // A NaN or infinity in a float file would poison every mix it touches.
    private static float Finite(float v) => float.IsFinite(v) ? v : throw new AudioDecodeException("malformed WAV: a float sample is NaN or infinite");
}
