using System.Numerics.Tensors;
using System.Buffers.Binary;
using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Wav;

/// <summary>Writes canonical RIFF/WAVE: 16- or 24-bit PCM (rounded, clipped) or 32-bit IEEE float (as-is).</summary>
public static class WavWriter
{
    public const int HeaderBytes = 44;
    private const int FramesPerChunk = 4096;

    public static byte[] ToBytes(AudioBuffer buffer, WavSampleFormat format)
    {
        using var ms = new MemoryStream();
        Write(ms, buffer, format);
        return ms.ToArray();
    }

    public static void Write(Stream output, AudioBuffer buffer, WavSampleFormat format)
    {
        var bytesPerSample = BytesPerSample(format);
        var channels = buffer.ChannelCount;
        var blockAlign = channels * bytesPerSample;
        Span<byte> header = stackalloc byte[HeaderBytes];
        WriteHeader(header, format, channels, buffer.SampleRate, (long)buffer.Length * blockAlign);
        output.Write(header);

        var chunk = new byte[FramesPerChunk * blockAlign];
        var scratch = new float[FramesPerChunk];
        for (var start = 0; start < buffer.Length; start += FramesPerChunk)
        {
            var frames = Math.Min(FramesPerChunk, buffer.Length - start);
            for (var c = 0; c < channels; c++)
                Encode(buffer.Channel(c).AsSpan(start, frames), format, chunk, c * bytesPerSample, blockAlign, scratch);
            output.Write(chunk, 0, frames * blockAlign);
        }
    }

    public static int BytesPerSample(WavSampleFormat format) => format switch { WavSampleFormat.Pcm16 => 2, WavSampleFormat.Pcm24 => 3, _ => 4 };

    /// <summary>The 44-byte header of a file holding <paramref name="dataBytes"/> bytes of samples.</summary>
    public static void WriteHeader(Span<byte> header, WavSampleFormat format, int channels, int sampleRate, long dataBytes)
    {
        if (dataBytes > uint.MaxValue - 36) throw new ArgumentException("audio too long for a WAV file (4 GB)", nameof(dataBytes));
        var bytesPerSample = BytesPerSample(format);
        var blockAlign = channels * bytesPerSample;
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(36 + dataBytes));
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], (ushort)(format == WavSampleFormat.Float32 ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)(bytesPerSample * 8));
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)dataBytes);
    }

    /// <summary>Encodes one channel's samples into interleaved frames: sample i goes to
    /// <paramref name="offset"/> + i × <paramref name="blockAlign"/>. <paramref name="scratch"/> holds at least as many floats.</summary>
    public static void Encode(ReadOnlySpan<float> source, WavSampleFormat format, Span<byte> chunk, int offset, int blockAlign, Span<float> scratch)
    {
        var frames = source.Length;
        var o = offset;
        // One tight loop per format (the browser's WebAssembly runtime is slow on per-sample switches).
        switch (format)
        {
            case WavSampleFormat.Pcm16:
                TensorPrimitives.Multiply(source, 32768f, scratch[..frames]);
                for (var i = 0; i < frames; i++, o += blockAlign)
                {
                    var q = Quantize(scratch[i], 32767, -32768);
                    chunk[o] = (byte)q;
                    chunk[o + 1] = (byte)(q >> 8);
                }
                break;
            case WavSampleFormat.Pcm24:
                TensorPrimitives.Multiply(source, 8388608f, scratch[..frames]);
                for (var i = 0; i < frames; i++, o += blockAlign)
                {
                    var q = Quantize(scratch[i], 8388607, -8388608);
                    chunk[o] = (byte)q;
                    chunk[o + 1] = (byte)(q >> 8);
                    chunk[o + 2] = (byte)(q >> 16);
                }
                break;
            default:
                for (var i = 0; i < frames; i++, o += blockAlign) BinaryPrimitives.WriteSingleLittleEndian(chunk[o..], source[i]);
                break;
        }
    }

    // v is already scaled (exact: the scales are powers of two); round half away from zero, clip, NaN → 0.
    private static int Quantize(float v, int max, int min)
    {
        if (!(v < max)) return float.IsNaN(v) ? 0 : max;
        if (!(v > min)) return min;
        return (int)MathF.Round(v, MidpointRounding.AwayFromZero);
    }
}
