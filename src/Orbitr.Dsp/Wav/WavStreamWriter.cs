using System.Buffers.Binary;
using Orbitr.Dsp.Rendering;

namespace Orbitr.Dsp.Wav;

/// <summary>Streams stereo audio into a WAV file block by block: the header goes first with the sizes unknown and is
/// filled in by <see cref="Complete"/>, which needs a seekable stream (a file; a server renders to a temporary file).</summary>
public sealed class WavStreamWriter : IAudioSink
{
    private const int Channels = 2;
    private const int FramesPerChunk = 4096;
    private readonly Stream _output;
    private readonly long _start;
    private readonly WavSampleFormat _format;
    private readonly int _sampleRate, _blockAlign, _bytesPerSample;
    private readonly byte[] _chunk;
    private long _frames;

    public WavStreamWriter(Stream output, int sampleRate, WavSampleFormat format)
    {
        if (!output.CanSeek || !output.CanWrite) throw new ArgumentException("a streamed WAV needs a writable, seekable stream", nameof(output));
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        _output = output;
        _start = output.Position;
        _format = format;
        _sampleRate = sampleRate;
        _bytesPerSample = WavWriter.BytesPerSample(format);
        _blockAlign = Channels * _bytesPerSample;
        _chunk = new byte[FramesPerChunk * _blockAlign];
        Span<byte> header = stackalloc byte[WavWriter.HeaderBytes(format)];
        WavWriter.WriteHeader(header, format, Channels, sampleRate, 0);
        output.Write(header);
    }

    /// <summary>Frames written so far.</summary>
    public long Frames => _frames;

    public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        if ((_frames + left.Length) * _blockAlign > WavWriter.MaxDataBytes(_format))
            throw new InvalidOperationException("the audio is too long for a WAV file (4 GB); render fewer cycles or a smaller format");
        for (var start = 0; start < left.Length; start += FramesPerChunk)
        {
            var n = Math.Min(FramesPerChunk, left.Length - start);
            WavWriter.Encode(left.Slice(start, n), _format, _chunk, 0, _blockAlign);
            WavWriter.Encode(right.Slice(start, n), _format, _chunk, _bytesPerSample, _blockAlign);
            _output.Write(_chunk, 0, n * _blockAlign);
        }
        _frames += left.Length;
    }

    /// <summary>A loop to mark in a <c>smpl</c> chunk after the audio (first and last frame, inclusive), as samplers
    /// and DAWs read it; null writes none.</summary>
    public (long First, long Last)? Loop { get; set; }

    /// <summary>Bytes of the smpl chunk with one loop: its 8-byte header, 36 bytes of fields, one 24-byte loop.</summary>
    public const int SmplChunkBytes = 8 + 36 + 24;

    /// <summary>Writes the final sizes into the header (and the loop's smpl chunk) and leaves the stream at its end.</summary>
    public void Complete()
    {
        var extra = 0;
        if (Loop is { } loop)
        {
            Span<byte> smpl = stackalloc byte[SmplChunkBytes];
            smpl.Clear();
            "smpl"u8.CopyTo(smpl);
            BinaryPrimitives.WriteUInt32LittleEndian(smpl[4..], SmplChunkBytes - 8);
            BinaryPrimitives.WriteUInt32LittleEndian(smpl[16..], (uint)Math.Round(1e9 / _sampleRate)); // sample period, ns
            BinaryPrimitives.WriteUInt32LittleEndian(smpl[20..], 60);                                  // MIDI unity note
            BinaryPrimitives.WriteUInt32LittleEndian(smpl[36..], 1);                                   // one loop
            // The loop: cue id 0, type 0 (forward), start and end frames, no fraction, play forever.
            BinaryPrimitives.WriteUInt32LittleEndian(smpl[52..], (uint)loop.First);
            BinaryPrimitives.WriteUInt32LittleEndian(smpl[56..], (uint)loop.Last);
            _output.Write(smpl);
            extra = SmplChunkBytes;
        }
        var end = _output.Position;
        Span<byte> header = stackalloc byte[WavWriter.HeaderBytes(_format)];
        WavWriter.WriteHeader(header, _format, Channels, _sampleRate, _frames * _blockAlign);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) + (uint)extra);
        _output.Position = _start;
        _output.Write(header);
        _output.Position = end;
        _output.Flush();
    }
}
