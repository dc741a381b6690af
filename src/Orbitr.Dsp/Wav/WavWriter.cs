using System.Numerics.Tensors;
using System.Buffers.Binary;
using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Wav;

/// <summary>Writes canonical RIFF/WAVE: 16- or 24-bit PCM (rounded, clipped) or 32-bit IEEE float (as-is).</summary>
public static class WavWriter
{
    public static byte[] ToBytes(AudioBuffer buffer, WavSampleFormat format)
    {
        using var ms = new MemoryStream();
        Write(ms, buffer, format);
        return ms.ToArray();
    }

    public static void Write(Stream output, AudioBuffer buffer, WavSampleFormat format)
    {
        var bits = format switch { WavSampleFormat.Pcm16 => 16, WavSampleFormat.Pcm24 => 24, _ => 32 };
        var bytesPerSample = bits / 8;
        var channels = buffer.ChannelCount;
        var blockAlign = channels * bytesPerSample;
        var dataBytes = (long)buffer.Length * blockAlign;
        if (dataBytes > uint.MaxValue - 44) throw new ArgumentException("audio too long for a WAV file", nameof(buffer));

        Span<byte> header = stackalloc byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(36 + dataBytes));
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], (ushort)(format == WavSampleFormat.Float32 ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)buffer.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(buffer.SampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)bits);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)dataBytes);
        output.Write(header);

        const int FramesPerChunk = 4096;
        var chunk = new byte[FramesPerChunk * blockAlign];
        var scratch = new float[FramesPerChunk];
        for (var start = 0; start < buffer.Length; start += FramesPerChunk)
        {
            var frames = Math.Min(FramesPerChunk, buffer.Length - start);
            // One tight loop per channel and format (the browser's WebAssembly runtime is slow on per-sample switches).
            for (var c = 0; c < channels; c++)
            {
                var source = buffer.Channel(c).AsSpan(start, frames);
                var o = c * bytesPerSample;
                switch (format)
                {
                    case WavSampleFormat.Pcm16:
                        TensorPrimitives.Multiply(source, 32768f, scratch.AsSpan(0, frames));
                        for (var i = 0; i < frames; i++, o += blockAlign)
                        {
                            var q = Quantize(scratch[i], 32767, -32768);
                            chunk[o] = (byte)q;
                            chunk[o + 1] = (byte)(q >> 8);
                        }
                        break;
                    case WavSampleFormat.Pcm24:
                        TensorPrimitives.Multiply(source, 8388608f, scratch.AsSpan(0, frames));
                        for (var i = 0; i < frames; i++, o += blockAlign)
                        {
                            var q = Quantize(scratch[i], 8388607, -8388608);
                            chunk[o] = (byte)q;
                            chunk[o + 1] = (byte)(q >> 8);
                            chunk[o + 2] = (byte)(q >> 16);
                        }
                        break;
                    default:
                        for (var i = 0; i < frames; i++, o += blockAlign) BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(o), source[i]);
                        break;
                }
            }
            output.Write(chunk, 0, frames * blockAlign);
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
