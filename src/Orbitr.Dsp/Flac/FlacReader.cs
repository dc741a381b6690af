using Orbitr.Dsp.Audio;

namespace Orbitr.Dsp.Flac;

/// <summary>Decodes FLAC (the free lossless codec; format per the IETF CELLAR spec, RFC 9639): STREAMINFO, frames
/// with constant, verbatim, fixed and LPC subframes, Rice-coded residuals, wasted bits and the three stereo
/// decorrelation modes. Hand-written because the package registry has no maintained managed FLAC decoder; every
/// read is bounds-checked so damaged input ends in an <see cref="AudioDecodeException"/>, never another exception.</summary>
public static class FlacReader
{
    /// <summary>What STREAMINFO says: channels, rate, bits per sample and the length in frames (null when it is not given).
    /// Read before anything is decoded, so a stream can be refused on its header alone.</summary>
    public readonly record struct StreamInfo(int Channels, int SampleRate, int BitsPerSample, long? Frames);

    public static StreamInfo ReadInfo(ReadOnlySpan<byte> data)
    {
        var r = new BitReader(data);
        return ReadHeader(ref r, data);
    }

    /// <param name="maxSeconds">Stop (with an error) once the sound is longer: a limit for uploads.</param>
    public static AudioBuffer Read(ReadOnlySpan<byte> data, double maxSeconds = double.PositiveInfinity)
    {
        var info = ReadInfo(data);
        var maxFrames = double.IsPositiveInfinity(maxSeconds) ? long.MaxValue : (long)Math.Ceiling(maxSeconds * info.SampleRate);
        var collector = new AudioCollector(info.Channels, info.SampleRate, ChannelOrder.Wave, maxFrames, maxSeconds, info.Frames,
            info.Channels, info.SampleRate);
        Decode(data, collector);
        return collector.Finish();
    }

    /// <summary>Decodes frame by frame into <paramref name="collector"/> (made for this stream's <see cref="ReadInfo"/>):
    /// only one frame (at most 65,536 samples a channel) is held here at a time, whatever the header claims.</summary>
    public static void Decode(ReadOnlySpan<byte> data, AudioCollector collector)
    {
        var r = new BitReader(data);
        var (channels, rate, bps, total) = ReadHeader(ref r, data);
        var scale = 1.0f / (1L << (bps - 1));
        var samples = new int[channels][];
        for (var c = 0; c < channels; c++) samples[c] = new int[4608];
        var interleaved = new float[4608 * channels];
        long frames = 0;
        while (r.BitsLeft >= 48 && (total is null || frames < total))
        {
            r.AlignToByte();
            if (r.Peek(14) != 0x3FFE)
            {
                if (frames > 0) break; // trailing bytes (tags) after the last frame
                throw new AudioDecodeException("the FLAC data does not start with a frame");
            }
            var size = ReadFrame(ref r, rate, channels, bps, samples);
            // The stream's declared length ends it, even in the middle of a frame.
            var keep = total is { } t ? (int)Math.Min(size, t - frames) : size;
            if (interleaved.Length < keep * channels) interleaved = new float[size * channels];
            for (var c = 0; c < channels; c++)
            {
                var src = samples[c];
                for (int i = 0, j = c; i < keep; i++, j += channels) interleaved[j] = src[i] * scale;
            }
            collector.Write(interleaved.AsSpan(0, keep * channels));
            frames += keep;
        }
        if (frames == 0) throw new AudioDecodeException("the FLAC file holds no audio frames");
    }

    private static StreamInfo ReadHeader(ref BitReader r, ReadOnlySpan<byte> data)
    {
        if (data.Length < 42 || !data[..4].SequenceEqual("fLaC"u8)) throw new AudioDecodeException("not a FLAC file (no fLaC marker)");
        r.Skip(32);
        int rate = 0, channels = 0, bps = 0;
        long total = 0;
        var sawInfo = false;
        var last = false;
        while (!last)
        {
            last = r.Bits(1) == 1;
            var type = (int)r.Bits(7);
            var length = (int)r.Bits(24);
            if (type == 0)
            {
                if (length < 34) throw new AudioDecodeException("the FLAC STREAMINFO block is too short");
                r.Skip(16 + 16 + 24 + 24);
                rate = (int)r.Bits(20);
                channels = (int)r.Bits(3) + 1;
                bps = (int)r.Bits(5) + 1;
                total = (long)r.Bits(36);
                r.Skip(128);
                r.Skip((length - 34) * 8L);
                sawInfo = true;
            }
            else r.Skip(length * 8L);
        }
        if (!sawInfo) throw new AudioDecodeException("the FLAC file has no STREAMINFO block");
        if (rate is < 1 or > 655350 || bps < 4) throw new AudioDecodeException($"unsupported FLAC format: {rate} Hz, {bps} bits");
        return new StreamInfo(channels, rate, bps, total > 0 ? total : null);
    }

    // Decodes one frame into samples[c][..size] (growing them when a frame is bigger) and returns its size.
    private static int ReadFrame(ref BitReader r, int rate, int channels, int bps, int[][] samples)
    {
        r.Skip(14 + 1 + 1); // sync, reserved, blocking strategy
        var sizeCode = (int)r.Bits(4);
        var rateCode = (int)r.Bits(4);
        var assignment = (int)r.Bits(4);
        var sizeBitsCode = (int)r.Bits(3);
        r.Skip(1);
        // Frame or sample number, UTF-8-like coded: its value is not needed, only its length.
        var lead = (int)r.Bits(8);
        var extra = lead < 0x80 ? 0 : lead >= 0xFE ? 6 : lead >= 0xFC ? 5 : lead >= 0xF8 ? 4 : lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : -1;
        if (extra < 0) throw new AudioDecodeException("a FLAC frame header is damaged");
        r.Skip(8L * extra);
        var size = sizeCode switch
        {
            0 => throw new AudioDecodeException("a FLAC frame header uses a reserved block size"),
            1 => 192,
            >= 2 and <= 5 => 576 << (sizeCode - 2),
            6 => (int)r.Bits(8) + 1,
            7 => (int)r.Bits(16) + 1,
            _ => 256 << (sizeCode - 8),
        };
        if (rateCode == 12) r.Skip(8);
        else if (rateCode is 13 or 14) r.Skip(16);
        else if (rateCode == 15) throw new AudioDecodeException("a FLAC frame header is damaged (sample rate code 15)");
        var frameBps = sizeBitsCode switch { 0 => bps, 1 => 8, 2 => 12, 4 => 16, 5 => 20, 6 => 24, 7 => 32, _ => -1 };
        if (frameBps != bps) throw new AudioDecodeException("a FLAC frame's sample size differs from the stream's");
        r.Skip(8); // CRC-8
        var frameChannels = assignment < 8 ? assignment + 1 : 2;
        if (assignment > 10 || frameChannels != channels) throw new AudioDecodeException("a FLAC frame's channel layout differs from the stream's");
        for (var c = 0; c < channels; c++)
        {
            if (samples[c].Length < size) samples[c] = new int[Math.Max(size, samples[c].Length * 2)];
            var sideBits = (assignment == 8 && c == 1) || (assignment == 9 && c == 0) || (assignment == 10 && c == 1) ? 1 : 0;
            ReadSubframe(ref r, samples[c].AsSpan(0, size), bps + sideBits);
        }
        Decorrelate(assignment, samples, size);
        r.AlignToByte();
        r.Skip(16); // CRC-16
        return size;
    }

    private static void Decorrelate(int assignment, int[][] s, int size)
    {
        if (assignment < 8) return;
        var (a, b) = (s[0], s[1]);
        for (var i = 0; i < size; i++)
        {
            switch (assignment)
            {
                case 8: b[i] = a[i] - b[i]; break;                 // left, side → right
                case 9: a[i] = a[i] + b[i]; break;                 // side, right → left
                default:
                    var mid = ((long)a[i] << 1) + (b[i] & 1);     // mid, side (low bit from side)
                    a[i] = (int)((mid + b[i]) >> 1);
                    b[i] = (int)((mid - b[i]) >> 1);
                    break;
            }
        }
    }

    private static void ReadSubframe(ref BitReader r, Span<int> s, int bps)
    {
        if (r.Bits(1) != 0) throw new AudioDecodeException("a FLAC subframe header is damaged");
        var type = (int)r.Bits(6);
        var wasted = 0;
        if (r.Bits(1) == 1)
        {
            wasted = 1;
            while (r.Bits(1) == 0) if (++wasted >= bps) throw new AudioDecodeException("a FLAC subframe has too many wasted bits");
        }
        bps -= wasted;
        var size = s.Length;
        switch (type)
        {
            case 0:
                s.Fill(r.Signed(bps));
                break;
            case 1:
                for (var i = 0; i < size; i++) s[i] = r.Signed(bps);
                break;
            case >= 8 and <= 12:
                Fixed(ref r, s, type - 8, bps);
                break;
            case >= 32:
                Lpc(ref r, s, type - 31, bps);
                break;
            default:
                throw new AudioDecodeException($"a FLAC subframe uses the reserved type {type}");
        }
        if (wasted > 0) for (var i = 0; i < size; i++) s[i] <<= wasted;
    }

    private static void Fixed(ref BitReader r, Span<int> s, int order, int bps)
    {
        if (order > s.Length) throw new AudioDecodeException("a FLAC subframe's predictor is longer than its block");
        for (var i = 0; i < order; i++) s[i] = r.Signed(bps);
        Residual(ref r, s, order);
        for (var i = order; i < s.Length; i++)
        {
            long p = order switch
            {
                0 => 0,
                1 => s[i - 1],
                2 => 2L * s[i - 1] - s[i - 2],
                3 => 3L * s[i - 1] - 3L * s[i - 2] + s[i - 3],
                _ => 4L * s[i - 1] - 6L * s[i - 2] + 4L * s[i - 3] - s[i - 4],
            };
            s[i] = (int)(s[i] + p);
        }
    }

    private static void Lpc(ref BitReader r, Span<int> s, int order, int bps)
    {
        if (order > s.Length) throw new AudioDecodeException("a FLAC subframe's predictor is longer than its block");
        for (var i = 0; i < order; i++) s[i] = r.Signed(bps);
        var precision = (int)r.Bits(4) + 1;
        if (precision == 16) throw new AudioDecodeException("a FLAC subframe uses an invalid coefficient precision");
        var shift = r.Signed(5);
        if (shift < 0) throw new AudioDecodeException("a FLAC subframe uses a negative shift");
        Span<long> coefs = stackalloc long[32];
        for (var j = 0; j < order; j++) coefs[j] = r.Signed(precision);
        Residual(ref r, s, order);
        for (var i = order; i < s.Length; i++)
        {
            long sum = 0;
            for (var j = 0; j < order; j++) sum += coefs[j] * s[i - 1 - j];
            s[i] = (int)(s[i] + (sum >> shift));
        }
    }

    // Rice-coded residuals, written into s[order..] (the predictor is added afterwards).
    private static void Residual(ref BitReader r, Span<int> s, int order)
    {
        var method = (int)r.Bits(2);
        if (method > 1) throw new AudioDecodeException("a FLAC residual uses a reserved coding method");
        var paramBits = method == 0 ? 4 : 5;
        var escape = (1 << paramBits) - 1;
        var partitionOrder = (int)r.Bits(4);
        var partitions = 1 << partitionOrder;
        var perPartition = s.Length >> partitionOrder;
        if (perPartition << partitionOrder != s.Length || perPartition < order)
            throw new AudioDecodeException("a FLAC residual's partitions do not fit its block");
        var i = order;
        for (var p = 0; p < partitions; p++)
        {
            var count = p == 0 ? perPartition - order : perPartition;
            var k = (int)r.Bits(paramBits);
            if (k == escape)
            {
                var bits = (int)r.Bits(5);
                for (var n = 0; n < count; n++) s[i++] = bits == 0 ? 0 : r.Signed(bits);
            }
            else
                for (var n = 0; n < count; n++) s[i++] = r.Rice(k);
        }
    }

    /// <summary>Big-endian bit reader over the file; reading past the end is a decode error.</summary>
    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private long _pos;

        public readonly long BitsLeft => _data.Length * 8L - _pos;

        public ulong Bits(int n)
        {
            if (n == 0) return 0;
            if (BitsLeft < n) throw new AudioDecodeException("the FLAC file ends in the middle of a frame");
            ulong v = 0;
            for (var i = 0; i < n;)
            {
                var b = _data[(int)(_pos >> 3)];
                var offset = (int)(_pos & 7);
                var take = Math.Min(8 - offset, n - i);
                v = v << take | (uint)((b >> (8 - offset - take)) & ((1 << take) - 1));
                _pos += take;
                i += take;
            }
            return v;
        }

        public readonly ulong Peek(int n)
        {
            var copy = this;
            return copy.Bits(n);
        }

        public int Signed(int n)
        {
            if (n > 32) throw new AudioDecodeException("a FLAC value is wider than 32 bits");
            var v = (long)Bits(n);
            return (int)(v >= 1L << (n - 1) ? v - (1L << n) : v);
        }

        public int Rice(int k)
        {
            long q = 0;
            while (Bits(1) == 0)
                if (++q > 1L << 32) throw new AudioDecodeException("a FLAC residual is damaged");
            var v = q << k | (long)Bits(k);
            return (int)((v >> 1) ^ -(v & 1));
        }

        public void Skip(long n)
        {
            if (n < 0 || BitsLeft < n) throw new AudioDecodeException("the FLAC file ends early");
            _pos += n;
        }

        public void AlignToByte() => _pos = (_pos + 7) & ~7L;
    }
}
