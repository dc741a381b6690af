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
        for (var start = 0; start < buffer.Length; start += FramesPerChunk)
        {
            var frames = Math.Min(FramesPerChunk, buffer.Length - start);
            var o = 0;
            for (var i = start; i < start + frames; i++)
            {
                for (var c = 0; c < channels; c++, o += bytesPerSample)
                {
                    var v = buffer.Channel(c)[i];
                    var dst = chunk.AsSpan(o);
                    switch (format)
                    {
                        case WavSampleFormat.Pcm16:
                            BinaryPrimitives.WriteInt16LittleEndian(dst, (short)Quantize(v, 32767, -32768, 32768));
                            break;
                        case WavSampleFormat.Pcm24:
                            var x = Quantize(v, 8388607, -8388608, 8388608);
                            dst[0] = (byte)x; dst[1] = (byte)(x >> 8); dst[2] = (byte)(x >> 16);
                            break;
                        default:
                            BinaryPrimitives.WriteSingleLittleEndian(dst, v);
                            break;
                    }
                }
            }
            output.Write(chunk, 0, o);
        }
    }

    private static int Quantize(float v, int max, int min, double scale)
    {
        if (float.IsNaN(v)) return 0;
        var q = Math.Round(v * scale, MidpointRounding.AwayFromZero);
        return q >= max ? max : q <= min ? min : (int)q;
    }
}
