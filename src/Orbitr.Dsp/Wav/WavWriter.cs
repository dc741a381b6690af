using System.Numerics.Tensors;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Wav;

/// <summary>Writes canonical RIFF/WAVE: 16- or 24-bit PCM (rounded, clipped) or 32-bit IEEE float (as-is). PCM has the
/// 44-byte header; float has an 18-byte fmt (cbSize 0) and a fact chunk (frames per channel), which the RIFF spec
/// requires for non-PCM data and sox warns without.</summary>
public static class WavWriter
{
    /// <summary>The PCM header: RIFF, a 16-byte fmt, data.</summary>
    public const int PcmHeaderBytes = 44;
    /// <summary>The float header: RIFF, an 18-byte fmt, fact, data.</summary>
    public const int FloatHeaderBytes = 58;
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
        Span<byte> header = stackalloc byte[HeaderBytes(format)];
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

    public static int HeaderBytes(WavSampleFormat format) => format == WavSampleFormat.Float32 ? FloatHeaderBytes : PcmHeaderBytes;

    /// <summary>The most sample bytes a file of this format can hold: the RIFF size (header − 8 + data) is 32-bit.</summary>
    public static long MaxDataBytes(WavSampleFormat format) => uint.MaxValue - (HeaderBytes(format) - 8);

    /// <summary>The header (<see cref="HeaderBytes"/> long) of a file holding <paramref name="dataBytes"/> bytes of samples.</summary>
    public static void WriteHeader(Span<byte> header, WavSampleFormat format, int channels, int sampleRate, long dataBytes)
    {
        if (dataBytes > MaxDataBytes(format)) throw new ArgumentException("audio too long for a WAV file (4 GB)", nameof(dataBytes));
        var length = HeaderBytes(format);
        if (header.Length < length) throw new ArgumentException($"the header needs {length} bytes", nameof(header));
        var isFloat = format == WavSampleFormat.Float32;
        var bytesPerSample = BytesPerSample(format);
        var blockAlign = channels * bytesPerSample;
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(length - 8 + dataBytes));
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], isFloat ? 18u : 16u);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], (ushort)(isFloat ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)(bytesPerSample * 8));
        var at = 36;
        if (isFloat)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[36..], 0); // cbSize: no extension
            "fact"u8.CopyTo(header[38..]);
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(header[46..], (uint)(dataBytes / blockAlign)); // frames per channel
            at = 50;
        }
        "data"u8.CopyTo(header[at..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[(at + 4)..], (uint)dataBytes);
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
