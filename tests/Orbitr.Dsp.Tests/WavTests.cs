using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;

namespace Orbitr.Dsp.Tests;

public class WavTests
{
    private static AudioBuffer Buffer(float[][] channels, int rate) => new(channels, rate);

    [Property(MaxTest = 100)]
    public Property Every_format_round_trips_within_its_quantization_step()
    {
        var gen = from channels in Gen.Choose(1, 2)
                  from length in Gen.Choose(0, 300)
                  from rate in Gen.Elements(8000, 22050, 44100, 48000, 96000)
                  from seed in Gen.Choose(0, 10000)
                  select (channels, length, rate, seed);
        return Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var rng = new Random(x.seed);
            var data = Enumerable.Range(0, x.channels).Select(_ => Enumerable.Range(0, x.length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
            var source = Buffer(data, x.rate);
            foreach (var (format, step) in new[] { (WavSampleFormat.Pcm16, 1 / 32768.0), (WavSampleFormat.Pcm24, 1 / 8388608.0), (WavSampleFormat.Float32, 0.0) })
            {
                var read = WavReader.Read(WavWriter.ToBytes(source, format));
                if (read.SampleRate != x.rate || read.ChannelCount != x.channels || read.Length != x.length) return false;
                for (var c = 0; c < x.channels; c++)
                    for (var i = 0; i < x.length; i++)
                    {
                        // PCM's largest code is 1 − step: values above it clip there (see Pcm_writing_clips_to_full_scale).
                        var expected = step > 0 ? Math.Min(data[c][i], 1 - step) : data[c][i];
                        if (Math.Abs(read.Channel(c)[i] - expected) > step / 2 + 1e-9) return false;
                    }
            }
            return true;
        });
    }

    [Fact]
    public void Pcm_writing_clips_to_full_scale()
    {
        var read = WavReader.Read(WavWriter.ToBytes(Buffer([[2f, -2f, 1f, -1f]], 44100), WavSampleFormat.Pcm16));
        Assert.Equal([32767 / 32768f, -1f, 32767 / 32768f, -1f], read.Channel(0));
    }

    /// <summary>Builds a WAV by hand, to read formats Orbitr does not write.</summary>
    private static byte[] Hand(ushort tag, int channels, int rate, int bits, byte[] data, bool extensible = false, ushort subTag = 1, bool withJunk = false)
    {
        using var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write("RIFF"u8); w.Write(0); w.Write("WAVE"u8);
        if (withJunk) { w.Write("LIST"u8); w.Write(3); w.Write(new byte[] { 1, 2, 3, 0 }); }
        w.Write("fmt "u8); w.Write(extensible ? 40 : 16);
        w.Write(extensible ? (ushort)0xFFFE : tag); w.Write((ushort)channels); w.Write(rate);
        w.Write(rate * channels * bits / 8); w.Write((ushort)(channels * bits / 8)); w.Write((ushort)bits);
        if (extensible)
        {
            w.Write((ushort)22); w.Write((ushort)bits); w.Write(3);
            w.Write(subTag); w.Write(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 });
        }
        w.Write("data"u8); w.Write(data.Length); w.Write(data);
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        return bytes;
    }

    [Fact]
    public void Reads_8_bit_unsigned_pcm()
    {
        var b = WavReader.Read(Hand(1, 1, 8000, 8, [0, 128, 255]));
        Assert.Equal([-1f, 0f, 127 / 128f], b.Channel(0));
    }

    [Fact]
    public void Reads_32_bit_integer_and_64_bit_float()
    {
        var i32 = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(i32, int.MinValue);
        BinaryPrimitives.WriteInt32LittleEndian(i32.AsSpan(4), 1 << 30);
        Assert.Equal([-1f, 0.5f], WavReader.Read(Hand(1, 1, 44100, 32, i32)).Channel(0));
        var f64 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.25);
        BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(8), -0.75);
        var b = WavReader.Read(Hand(3, 2, 96000, 64, f64));
        Assert.Equal((0.25f, -0.75f, 96000), (b.Channel(0)[0], b.Channel(1)[0], b.SampleRate));
    }

    [Fact]
    public void Reads_wave_format_extensible_and_skips_unknown_chunks()
    {
        var pcm = new byte[] { 0x00, 0x00, 0x40, 0x00, 0x00, 0xC0 }; // 24-bit: 0.5, −0.5
        var b = WavReader.Read(Hand(1, 1, 48000, 24, pcm, extensible: true, subTag: 1, withJunk: true));
        Assert.Equal([0.5f, -0.5f], b.Channel(0));
    }

    [Theory]
    [InlineData("not a WAV file: missing RIFF header")]
    public void Garbage_is_not_a_wav(string message) =>
        Assert.Equal(message, Assert.Throws<AudioDecodeException>(() => WavReader.Read("hello world, not audio"u8)).Message);

    [Fact]
    public void Malformed_files_give_clear_1002_errors()
    {
        var good = WavWriter.ToBytes(Buffer([[0.1f, 0.2f, 0.3f]], 44100), WavSampleFormat.Pcm16);
        var truncated = Assert.Throws<AudioDecodeException>(() => WavReader.Read(good.AsSpan(0, good.Length - 2)));
        Assert.StartsWith("truncated: data chunk claims 6 bytes but only 4 remain", truncated.Message);
        Assert.Equal(1002, truncated.Code);
        Assert.Contains("ADPCM", Assert.Throws<AudioDecodeException>(() => WavReader.Read(Hand(2, 1, 8000, 4, [0]))).Message);
        var noData = good[..36];
        Assert.Equal("malformed WAV: no data chunk", Assert.Throws<AudioDecodeException>(() => WavReader.Read(noData)).Message);
        var nan = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(nan, float.NaN);
        Assert.Contains("NaN", Assert.Throws<AudioDecodeException>(() => WavReader.Read(Hand(3, 1, 8000, 32, nan))).Message);
    }

    [Fact]
    public void Ten_thousand_mutated_files_decode_or_fail_with_1002_only()
    {
        var seeds = new[]
        {
            WavWriter.ToBytes(Buffer([[0.1f, -0.2f, 0.3f, 0.4f], [0f, 0.5f, -0.5f, 1f]], 44100), WavSampleFormat.Pcm24),
            WavWriter.ToBytes(Buffer([[0.1f, -0.2f]], 8000), WavSampleFormat.Float32),
            Hand(1, 1, 48000, 24, [0, 0, 0x40, 0, 0, 0xC0], extensible: true, withJunk: true),
        };
        var rng = new Random(1002);
        int ok = 0, failed = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var bytes = seeds[i % seeds.Length].ToArray();
            var mutations = 1 + rng.Next(4);
            for (var m = 0; m < mutations; m++)
            {
                switch (rng.Next(3))
                {
                    case 0: bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256); break;
                    case 1: bytes = bytes[..rng.Next(bytes.Length)]; break;
                    default: BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(rng.Next(Math.Max(1, bytes.Length - 4))), rng.Next(int.MinValue, int.MaxValue)); break;
                }
                if (bytes.Length < 4) break;
            }
            try
            {
                var b = WavReader.Read(bytes);
                Assert.True(b.Length * b.ChannelCount <= bytes.Length);
                ok++;
            }
            catch (AudioDecodeException)
            {
                failed++;
            }
        }
        Assert.True(ok > 100 && failed > 1000, $"{ok} decoded, {failed} failed");
    }

    // The definition the vectorized encoder must meet: round half away from zero, clip, NaN → 0.
    private static int Reference(float v, int max, int min)
    {
        if (float.IsNaN(v)) return 0;
        var r = Math.Round((double)v, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(r, min, max);
    }

    [Fact]
    public void Pcm_quantization_rounds_half_away_from_zero_clips_and_maps_nan_to_zero()
    {
        var rng = new Random(5);
        var values = new List<float> { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1f, -1f, 2f, -2f, float.MaxValue, float.MinValue, float.Epsilon };
        foreach (var scale in new[] { 32768f, 8388608f })
            for (var k = -40; k <= 40; k++)
            {
                // Exact halves, and the floats just either side of them.
                var half = (k + 0.5f) / scale;
                values.AddRange([half, MathF.BitIncrement(half), MathF.BitDecrement(half), k / scale, 0.49999997f / scale * (k % 2 == 0 ? 1 : -1)]);
            }
        for (var i = 0; i < 20_000; i++) values.Add((float)(rng.NextDouble() * 2.4 - 1.2));
        var samples = values.ToArray();
        var buffer = new AudioBuffer([samples], 44100);
        var pcm16 = WavWriter.ToBytes(buffer, WavSampleFormat.Pcm16);
        var pcm24 = WavWriter.ToBytes(buffer, WavSampleFormat.Pcm24);
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.Equal(Reference(samples[i] * 32768f, 32767, -32768), BinaryPrimitives.ReadInt16LittleEndian(pcm16.AsSpan(44 + 2 * i)));
            var b = pcm24.AsSpan(44 + 3 * i);
            Assert.Equal(Reference(samples[i] * 8388608f, 8388607, -8388608), (b[0] | b[1] << 8 | (sbyte)b[2] << 16));
        }
    }

    /// <summary>Both writers' float files: RIFF, an 18-byte fmt (tag 3, cbSize 0), fact (frames), then data.</summary>
    private static IEnumerable<(string Writer, byte[] Bytes)> FloatFiles(AudioBuffer stereo)
    {
        yield return ("WavWriter", WavWriter.ToBytes(stereo, WavSampleFormat.Float32));
        using var ms = new MemoryStream();
        var stream = new WavStreamWriter(ms, stereo.SampleRate, WavSampleFormat.Float32);
        stream.Write(stereo.Channel(0), stereo.Channel(1));
        stream.Complete();
        yield return ("WavStreamWriter", ms.ToArray());
    }

    [Fact]
    public void Float_wav_has_an_18_byte_fmt_and_a_fact_chunk_in_both_writers()
    {
        var stereo = Buffer([[0.25f, -0.5f, 1.5f], [0f, 0.125f, -2f]], 48000);
        foreach (var (writer, bytes) in FloatFiles(stereo))
        {
            var ascii = (int at) => System.Text.Encoding.ASCII.GetString(bytes, at, 4);
            Assert.True(bytes.Length == 58 + 3 * 8, writer);
            Assert.Equal(("RIFF", (uint)bytes.Length - 8, "WAVE"), (ascii(0), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)), ascii(8)));
            Assert.Equal(("fmt ", 18u, (ushort)3, (ushort)2), (ascii(12), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)),
                BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)), BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22))));
            Assert.Equal((48000u, 48000u * 8, (ushort)8, (ushort)32, (ushort)0), (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24)),
                BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(28)), BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(32)),
                BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(34)), BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(36))));
            Assert.Equal(("fact", 4u, 3u), (ascii(38), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(42)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(46))));
            Assert.Equal(("data", 24u), (ascii(50), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(54))));
            Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(58 + 16)));
            var read = WavReader.Read(bytes);
            Assert.Equal(stereo.Channel(0), read.Channel(0));
            Assert.Equal(stereo.Channel(1), read.Channel(1));
        }
        // PCM keeps the canonical 44-byte header.
        var pcm = WavWriter.ToBytes(stereo, WavSampleFormat.Pcm16);
        Assert.Equal((16u, "data"), (BinaryPrimitives.ReadUInt32LittleEndian(pcm.AsSpan(16)), System.Text.Encoding.ASCII.GetString(pcm, 36, 4)));
    }

    [Fact]
    public async Task Soxi_reads_the_float_files_without_a_warning()
    {
        if (!File.Exists("/usr/bin/soxi")) return; // sox is a Debian package; without it there is nothing to ask
        var stereo = Buffer([Enumerable.Range(0, 1000).Select(i => MathF.Sin(i * 0.05f) * 0.5f).ToArray(), new float[1000]], 44100);
        foreach (var (writer, bytes) in FloatFiles(stereo))
        {
            var path = Path.Combine(Path.GetTempPath(), $"orbitr-soxi-{Guid.NewGuid():N}.wav");
            File.WriteAllBytes(path, bytes);
            try
            {
                var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/soxi") { RedirectStandardOutput = true, RedirectStandardError = true };
                start.ArgumentList.Add(path);
                using var soxi = System.Diagnostics.Process.Start(start)!;
                var errTask = soxi.StandardError.ReadToEndAsync();
                var output = await soxi.StandardOutput.ReadToEndAsync();
                await soxi.WaitForExitAsync();
                var err = await errTask;
                Assert.True(soxi.ExitCode == 0, $"{writer}: {err}");
                Assert.True(err.Trim().Length == 0, $"{writer}: soxi warned: {err}");
                Assert.Contains("32-bit Floating Point PCM", output);
                Assert.Contains("1000 samples", output);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
