using System.Numerics.Tensors;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        for (var start = 0; start < buffer.Length; start += FramesPerChunk)
        {
            var frames = Math.Min(FramesPerChunk, buffer.Length - start);
            for (var c = 0; c < channels; c++)
                Encode(buffer.Channel(c).AsSpan(start, frames), format, chunk, c * bytesPerSample, blockAlign);
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
    /// <paramref name="offset"/> + i × <paramref name="blockAlign"/>.</summary>
    public static void Encode(ReadOnlySpan<float> source, WavSampleFormat format, Span<byte> chunk, int offset, int blockAlign)
    {
        var frames = source.Length;
        var o = offset;
        switch (format)
        {
            case WavSampleFormat.Pcm16:
            {
                Span<int> q = stackalloc int[Math.Min(frames, 4096)];
                for (var start = 0; start < frames; start += q.Length)
                {
                    var n = Math.Min(q.Length, frames - start);
                    Quantize(source.Slice(start, n), 32768f, q[..n]);
                    if (BitConverter.IsLittleEndian && offset % 2 == 0 && blockAlign % 2 == 0)
                    {
                        // Whole 16-bit stores into the interleaved frames.
                        var shorts = MemoryMarshal.Cast<byte, short>(chunk);
                        var stride = blockAlign / 2;
                        var at = o / 2;
                        for (var i = 0; i < n; i++, at += stride) shorts[at] = (short)q[i];
                        o = at * 2;
                    }
                    else
                    {
                        for (var i = 0; i < n; i++, o += blockAlign)
                        {
                            chunk[o] = (byte)q[i];
                            chunk[o + 1] = (byte)(q[i] >> 8);
                        }
                    }
                }
                break;
            }
            case WavSampleFormat.Pcm24:
            {
                Span<int> q = stackalloc int[Math.Min(frames, 4096)];
                for (var start = 0; start < frames; start += q.Length)
                {
                    var n = Math.Min(q.Length, frames - start);
                    Quantize(source.Slice(start, n), 8388608f, q[..n]);
                    for (var i = 0; i < n; i++, o += blockAlign)
                    {
                        chunk[o] = (byte)q[i];
                        chunk[o + 1] = (byte)(q[i] >> 8);
                        chunk[o + 2] = (byte)(q[i] >> 16);
                    }
                }
                break;
            }
            default:
                for (var i = 0; i < frames; i++, o += blockAlign) BinaryPrimitives.WriteSingleLittleEndian(chunk[o..], source[i]);
                break;
        }
    }

    /// <summary>scale·x rounded half away from zero and clipped to the format's range, NaN → 0, four samples at a time
    /// (the per-sample MathF.Round this replaces was 40 % of a render). Rounding: trunc(v + copysign(0.5⁻, v)) with 0.5⁻
    /// the float just below ½ is exact for |v| &lt; 2²³, which the clip guarantees.</summary>
    private static void Quantize(ReadOnlySpan<float> source, float scale, Span<int> destination)
    {
        var n = source.Length;
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var s = Vector128.Create(scale);
            var max = Vector128.Create(scale - 1);
            var min = Vector128.Create(-scale);
            var half = Vector128.Create(0.49999997f);
            ref var from = ref MemoryMarshal.GetReference(source);
            ref var to = ref MemoryMarshal.GetReference(destination);
            for (; i <= n - 4; i += 4)
            {
                var v = Vector128.LoadUnsafe(ref from, (nuint)i) * s;                  // exact: the scales are powers of two
                v = Vector128.ConditionalSelect(Vector128.Equals(v, v), v, Vector128<float>.Zero); // NaN → 0
                v = Vector128.Min(Vector128.Max(v, min), max);
                v += Vector128.CopySign(half, v);
                Vector128.ConvertToInt32Native(v).StoreUnsafe(ref to, (nuint)i);     // truncates; in range after the clip
            }
        }
        for (; i < n; i++)
        {
            var v = source[i] * scale;
            destination[i] = float.IsNaN(v) ? 0 : (int)Math.Clamp(v >= 0 ? v + 0.5 : v - 0.5, -scale, scale - 1);
        }
    }
}
