using NLayer;
using NVorbis;
using Orbitr.Dsp;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Wav;

namespace Orbitr.Server.Samples;

/// <summary>Decodes an uploaded file by its content, not its name: WAV and FLAC (Orbitr.Dsp), OGG Vorbis (NVorbis), MP3 (NLayer).
/// Anything else, a renamed file included, is an <see cref="AudioDecodeException"/> (code 1002) saying what it is.</summary>
public static class AudioDecoder
{
    public const double MaxSeconds = 30;

    public static AudioBuffer Decode(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.Length < 12) throw new AudioDecodeException($"the file is {span.Length} bytes: too short to be audio");
        AudioBuffer audio;
        if (span[..4].SequenceEqual("RIFF"u8) && span[8..12].SequenceEqual("WAVE"u8)) audio = WavReader.Read(span);
        else if (span[..4].SequenceEqual("OggS"u8)) audio = Vorbis(bytes);
        else if (span[..3].SequenceEqual("ID3"u8) || (span[0] == 0xFF && (span[1] & 0xE0) == 0xE0)) audio = Mp3(bytes);
        else if (span[..4].SequenceEqual("fLaC"u8)) audio = Orbitr.Dsp.Flac.FlacReader.Read(span, MaxSeconds + 1);
        else throw new AudioDecodeException("the file is not WAV, FLAC, OGG Vorbis or MP3 audio (its content was checked, not its name)");
        if (audio.Length == 0) throw new AudioDecodeException("the file holds no audio");
        if (audio.Duration > MaxSeconds + 0.05) throw new AudioDecodeException($"the sound is {audio.Duration:0.0} s long; at most {MaxSeconds:0} s");
        foreach (var c in Enumerable.Range(0, audio.ChannelCount))
            if (!audio.Channel(c).All(float.IsFinite)) throw new AudioDecodeException("the audio contains invalid samples");
        return audio;
    }

    private static AudioBuffer Vorbis(byte[] bytes)
    {
        try
        {
            using var reader = new VorbisReader(new MemoryStream(bytes), closeOnDispose: true);
            return Deinterleave(reader.Channels, reader.SampleRate, buffer => reader.ReadSamples(buffer, 0, buffer.Length));
        }
        catch (Exception e) when (e is not AudioDecodeException)
        {
            throw new AudioDecodeException("the OGG file could not be decoded (damaged, or not Vorbis)");
        }
    }

    private static AudioBuffer Mp3(byte[] bytes)
    {
        try
        {
            using var mpeg = new MpegFile(new MemoryStream(bytes));
            return Deinterleave(mpeg.Channels, mpeg.SampleRate, buffer => mpeg.ReadSamples(buffer, 0, buffer.Length));
        }
        catch (Exception e) when (e is not AudioDecodeException)
        {
            throw new AudioDecodeException("the MP3 file could not be decoded (damaged, or not MPEG audio)");
        }
    }

    // Reads interleaved floats until the end, stopping as soon as the sound is longer than allowed.
    private static AudioBuffer Deinterleave(int channels, int rate, Func<float[], int> read)
    {
        if (channels is < 1 or > 16 || rate is < 1000 or > 384000) throw new AudioDecodeException($"unsupported format: {channels} channels at {rate} Hz");
        var limit = (long)((MaxSeconds + 1) * rate) * channels;
        var all = new List<float>();
        var buffer = new float[4096 * channels];
        int got;
        while ((got = read(buffer)) > 0)
        {
            all.AddRange(buffer.AsSpan(0, got));
            if (all.Count > limit) break;
        }
        var frames = all.Count / channels;
        var data = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            data[c] = new float[frames];
            for (var i = 0; i < frames; i++) data[c][i] = all[i * channels + c];
        }
        return new AudioBuffer(data, rate);
    }
}
