using NLayer;
using NVorbis;
using Orbitr.Dsp;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Flac;
using Orbitr.Dsp.Wav;

namespace Orbitr.Server.Samples;

/// <summary>Decodes an uploaded file by its content, not its name: WAV and FLAC (Orbitr.Dsp), OGG Vorbis (NVorbis), MP3 (NLayer).
/// Anything else, a renamed file included, is an <see cref="AudioDecodeException"/> (code 1002) saying what it is.
/// <para>Uploads cannot be decompression bombs: the format is judged from the header before anything is decoded
/// (<see cref="AudioLimits.Upload"/>: 1–8 channels, 8–192 kHz, at most 30 s when the header says how long), then the
/// audio is decoded in blocks into an <see cref="AudioCollector"/> that downmixes to stereo and resamples to 48 kHz as
/// it goes and refuses the block that takes the sound past 30 s — so at most 30 s of 48 kHz stereo is ever held,
/// whatever the header claims.</para></summary>
public static class AudioDecoder
{
    public static double MaxSeconds => Limits.MaxSeconds;

    public static AudioLimits Limits => AudioLimits.Upload;

    public static AudioBuffer Decode(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.Length < 12) throw new AudioDecodeException($"the file is {span.Length} bytes: too short to be audio");
        AudioBuffer audio;
        if (span[..4].SequenceEqual("RIFF"u8) && span[8..12].SequenceEqual("WAVE"u8)) audio = Wav(span);
        else if (span[..4].SequenceEqual("OggS"u8)) audio = Vorbis(bytes);
        else if (span[..3].SequenceEqual("ID3"u8) || (span[0] == 0xFF && (span[1] & 0xE0) == 0xE0)) audio = Mp3(bytes);
        else if (span[..4].SequenceEqual("fLaC"u8)) audio = Flac(span);
        else throw new AudioDecodeException("the file is not WAV, FLAC, OGG Vorbis or MP3 audio (its content was checked, not its name)");
        if (audio.Length == 0) throw new AudioDecodeException("the file holds no audio");
        return audio;
    }

    private static AudioBuffer Wav(ReadOnlySpan<byte> span)
    {
        var info = WavReader.ReadInfo(span);
        Limits.Check(info.Channels, info.SampleRate, info.Frames);
        var collector = Limits.Collector(info.Channels, info.SampleRate, info.Frames, ChannelOrder.Wave);
        WavReader.Decode(span, collector);
        return collector.Finish();
    }

    private static AudioBuffer Flac(ReadOnlySpan<byte> span)
    {
        var info = FlacReader.ReadInfo(span);
        Limits.Check(info.Channels, info.SampleRate, info.Frames);
        var collector = Limits.Collector(info.Channels, info.SampleRate, info.Frames, ChannelOrder.Wave);
        FlacReader.Decode(span, collector);
        return collector.Finish();
    }

    private static AudioBuffer Vorbis(byte[] bytes)
    {
        VorbisReader reader;
        try
        {
            reader = new VorbisReader(new MemoryStream(bytes, writable: false), closeOnDispose: true);
        }
        catch (Exception e)
        {
            throw new AudioDecodeException("the OGG file is not Vorbis audio or its headers are damaged", e);
        }
        using (reader)
        {
            // The last page's granule position: the length the stream claims (a lie is still stopped at 30 s below).
            long? frames;
            try
            {
                frames = reader.TotalSamples is > 0 and var n ? n : null;
            }
            catch (Exception)
            {
                frames = null;
            }
            return Collect(reader.Channels, reader.SampleRate, frames, ChannelOrder.Vorbis, "OGG",
                buffer => reader.ReadSamples(buffer, 0, buffer.Length));
        }
    }

    private static AudioBuffer Mp3(byte[] bytes)
    {
        MpegFile mpeg;
        try
        {
            mpeg = new MpegFile(new MemoryStream(bytes, writable: false));
        }
        catch (Exception e)
        {
            throw new AudioDecodeException("the MP3 file could not be decoded", e);
        }
        using (mpeg)
            // MP3 is at most 48 kHz stereo; its length is not in a header, so only the 30 s stop applies.
            return Collect(mpeg.Channels, mpeg.SampleRate, null, ChannelOrder.Wave, "MP3", buffer => mpeg.ReadSamples(buffer, 0, buffer.Length));
    }

    // Checks the format, then reads interleaved floats in blocks into a collector until the end (or the 30 s stop).
    private static AudioBuffer Collect(int channels, int rate, long? frames, ChannelOrder order, string kind, Func<float[], int> read)
    {
        Limits.Check(channels, rate, frames);
        var collector = Limits.Collector(channels, rate, frames, order);
        var buffer = new float[4096 * channels];
        try
        {
            int got;
            while ((got = read(buffer)) > 0) collector.Write(buffer.AsSpan(0, got - got % channels));
        }
        catch (Exception e) when (e is not AudioDecodeException)
        {
            throw new AudioDecodeException($"the {kind} file could not be decoded", e);
        }
        return collector.Finish();
    }
}
