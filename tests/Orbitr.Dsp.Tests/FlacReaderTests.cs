using System.Diagnostics;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Flac;
using Orbitr.Dsp.Wav;

namespace Orbitr.Dsp.Tests;

/// <summary>FLAC is lossless: what sox's libFLAC encoder writes must decode to exactly the samples it was given.</summary>
public class FlacReaderTests
{
    private static AudioBuffer Signal(int channels, int frames, int seed)
    {
        var random = new Random(seed);
        var data = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            data[c] = new float[frames];
            for (var i = 0; i < frames; i++)
                data[c][i] = (float)(0.45 * Math.Sin(2 * Math.PI * (220 + 110 * c) * i / 44100.0) + 0.2 * (random.NextDouble() - 0.5)
                    + (i > frames / 2 ? 0.2 * Math.Sign(Math.Sin(i * 0.01)) : 0));
        }
        return new AudioBuffer(data, 44100);
    }

    private static byte[] Sox(byte[] wav, params string[] options) => SoxConvert(wav, "in.wav", "out.flac", options);

    private static byte[] SoxConvert(byte[] data, string inputName, string outputName, params string[] options)
    {
        var dir = Directory.CreateTempSubdirectory("orbitr-flac-");
        try
        {
            var input = Path.Combine(dir.FullName, inputName);
            var output = Path.Combine(dir.FullName, outputName);
            File.WriteAllBytes(input, data);
            using var sox = Process.Start(new ProcessStartInfo("sox", [input, .. options, output]) { RedirectStandardError = true })!;
            sox.WaitForExit();
            Assert.True(sox.ExitCode == 0, sox.StandardError.ReadToEnd());
            return File.ReadAllBytes(output);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Theory]
    [InlineData(1, 16, 0, 44100)]   // compression 0: fixed predictors, mid/side off
    [InlineData(2, 16, 0, 10000)]
    [InlineData(2, 16, 5, 44100)]   // LPC, stereo decorrelation
    [InlineData(2, 16, 8, 30001)]   // exhaustive LPC, odd length (short last block)
    [InlineData(1, 24, 5, 20000)]
    [InlineData(2, 24, 8, 4097)]
    [InlineData(1, 8, 5, 5000)]
    public void Sox_encoded_flac_decodes_bit_exactly(int channels, int bits, int level, int frames)
    {
        var format = bits switch { 8 => WavSampleFormat.Pcm16, 24 => WavSampleFormat.Pcm24, _ => WavSampleFormat.Pcm16 };
        var wav = WavWriter.ToBytes(Signal(channels, frames, level + frames), format);
        var reference = WavReader.Read(wav);
        var flac = Sox(wav, "-b", bits.ToString(), "-C", level.ToString());
        var decoded = FlacReader.Read(flac);
        Assert.Equal(44100, decoded.SampleRate);
        Assert.Equal(channels, decoded.ChannelCount);
        Assert.Equal(frames, decoded.Length);
        // libFLAC's own decoding (through sox) is the reference for every case; 8-bit files are widened to 16 bits,
        // which keeps every value exact.
        var libflac = WavReader.Read(SoxConvert(flac, "in.flac", "out.wav", "-b", Math.Max(bits, 16).ToString()));
        for (var c = 0; c < channels; c++) Assert.Equal(libflac.Channel(c), decoded.Channel(c));
        // And lossless: at 16 and 24 bits the decoded samples are the ones that were encoded.
        if (bits >= 16)
            for (var c = 0; c < channels; c++) Assert.Equal(reference.Channel(c), decoded.Channel(c));
    }

    [Fact]
    public void Damaged_files_end_in_a_decode_error_and_nothing_else()
    {
        var flac = Sox(WavWriter.ToBytes(Signal(2, 20000, 1), WavSampleFormat.Pcm16), "-C", "5");
        var random = new Random(9);
        var decodedSome = 0;
        for (var n = 0; n < 3000; n++)
        {
            var bytes = flac.ToArray();
            var cut = n % 5 == 0 ? random.Next(4, bytes.Length) : bytes.Length;
            for (var m = 0; m < 1 + random.Next(8); m++) bytes[random.Next(4, cut)] = (byte)random.Next(256);
            try
            {
                var audio = FlacReader.Read(bytes.AsSpan(0, cut), 30);
                Assert.True(audio.Length > 0);
                decodedSome++;
            }
            catch (AudioDecodeException)
            {
            }
        }
        Assert.True(decodedSome > 0);
    }

    [Fact]
    public void A_sound_longer_than_the_limit_is_refused()
    {
        var flac = Sox(WavWriter.ToBytes(Signal(1, 44100 * 3, 2), WavSampleFormat.Pcm16), "-C", "0");
        var e = Assert.Throws<AudioDecodeException>(() => FlacReader.Read(flac, 2));
        Assert.Contains("longer than 2 s", e.Message);
        Assert.Equal(3.0, FlacReader.Read(flac, 5).Duration, 3);
    }
}
