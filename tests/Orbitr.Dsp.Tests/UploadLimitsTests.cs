using System.Diagnostics;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Flac;
using Orbitr.Dsp.Resampling;
using Orbitr.Dsp.Wav;
using Orbitr.Tests.HostileAudio;
using Xunit.Abstractions;

namespace Orbitr.Dsp.Tests;

/// <summary>The upload limits in the Dsp layer: header checks, the bounded collector (downmix, resampling, the 30 s
/// stop) and the readers given lying headers (tests/Shared/HostileAudio).</summary>
public class UploadLimitsTests(ITestOutputHelper log)
{
    private static readonly AudioLimits Limits = AudioLimits.Upload;

    private const float C = 0.70710678f;

    // What the upload path does with a FLAC: header check, then frame by frame into the collector.
    private static AudioBuffer UploadFlac(byte[] flac)
    {
        var info = FlacReader.ReadInfo(flac);
        Limits.Check(info.Channels, info.SampleRate, info.Frames);
        var collector = Limits.Collector(info.Channels, info.SampleRate, info.Frames, ChannelOrder.Wave);
        FlacReader.Decode(flac, collector);
        return collector.Finish();
    }

    private static AudioBuffer UploadWav(byte[] wav)
    {
        var info = WavReader.ReadInfo(wav);
        Limits.Check(info.Channels, info.SampleRate, info.Frames);
        var collector = Limits.Collector(info.Channels, info.SampleRate, info.Frames, ChannelOrder.Wave);
        WavReader.Decode(wav, collector);
        return collector.Finish();
    }

    private long Allocated(string what, Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        action();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        log.WriteLine($"{what}: {bytes / 1e6:0.0} MB allocated, {clock.ElapsedMilliseconds} ms");
        return bytes;
    }

    private static float Q(float v) => (float)Math.Round(v * 32768) / 32768; // a 16-bit sample's value

    [Fact]
    public void Four_channels_downmix_to_the_average_of_the_left_pair_and_of_the_right_pair()
    {
        // WAVE/FLAC quad: FL FR BL BR.
        var audio = UploadFlac(HostileAudio.Flac(4, 44100, 1000, 1000, values: [0.1f, 0.2f, 0.3f, 0.4f]));
        Assert.Equal(2, audio.ChannelCount);
        Assert.Equal(1000, audio.Length);
        Assert.All(audio.Channel(0), v => Assert.Equal((Q(0.1f) + Q(0.3f)) / 2, v, 1e-6f));
        Assert.All(audio.Channel(1), v => Assert.Equal((Q(0.2f) + Q(0.4f)) / 2, v, 1e-6f));
    }

    [Fact]
    public void Five_one_downmixes_with_the_centre_at_minus_3_dB_and_no_lfe_in_either_order()
    {
        // FL FR FC LFE BL BR (WAVE) and FL FC FR BL BR LFE (Vorbis): the same speakers.
        float fl = 0.1f, fr = 0.2f, fc = 0.3f, lfe = 0.9f, bl = 0.4f, br = 0.5f;
        var left = (fl + C * fc + bl) / (2 + C);
        var right = (fr + C * fc + br) / (2 + C);
        foreach (var (order, frame) in new[] { (ChannelOrder.Wave, new[] { fl, fr, fc, lfe, bl, br }), (ChannelOrder.Vorbis, new[] { fl, fc, fr, bl, br, lfe }) })
        {
            var collector = Limits.Collector(6, 48000, null, order);
            collector.Write([.. Enumerable.Range(0, 100).SelectMany(_ => frame)]);
            var audio = collector.Finish();
            Assert.Equal(2, audio.ChannelCount);
            Assert.All(audio.Channel(0), v => Assert.Equal(left, v, 1e-6f));
            Assert.All(audio.Channel(1), v => Assert.Equal(right, v, 1e-6f));
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    public void A_signal_common_to_every_channel_comes_through_the_downmix_unchanged(int channels)
    {
        foreach (var order in new[] { ChannelOrder.Wave, ChannelOrder.Vorbis })
        {
            var collector = Limits.Collector(channels, 44100, 10, order);
            collector.Write([.. Enumerable.Repeat(0.5f, 10 * channels)]);
            var audio = collector.Finish();
            Assert.Equal(2, audio.ChannelCount);
            for (var c = 0; c < 2; c++) Assert.All(audio.Channel(c), v => Assert.Equal(0.5f, v, 1e-6f));
        }
    }

    [Fact]
    public void Mono_stays_mono_and_stereo_stays_stereo()
    {
        var mono = Limits.Collector(1, 44100, null, ChannelOrder.Wave);
        mono.Write([0.1f, 0.2f, 0.3f]);
        Assert.Equal([0.1f, 0.2f, 0.3f], mono.Finish().Channel(0));
        var stereo = Limits.Collector(2, 44100, null, ChannelOrder.Vorbis);
        stereo.Write([0.1f, -0.1f, 0.2f, -0.2f]);
        var s = stereo.Finish();
        Assert.Equal([0.1f, 0.2f], s.Channel(0));
        Assert.Equal([-0.1f, -0.2f], s.Channel(1));
    }

    [Theory]
    [InlineData(0, 44100, null, "channels")]
    [InlineData(9, 44100, null, "channels")]
    [InlineData(2, 7999, null, "sample rate")]
    [InlineData(2, 192001, null, "sample rate")]
    [InlineData(2, 655350, null, "sample rate")]
    [InlineData(2, 48000, 48000L * 31, "at most 30 s")]
    public void Headers_outside_the_limits_are_refused(int channels, int rate, long? frames, string reason)
    {
        var e = Assert.Throws<AudioDecodeException>(() => Limits.Check(channels, rate, frames));
        Assert.Contains(reason, e.Message);
        Assert.Equal(1002, e.Code);
        Limits.Check(8, 192000, 192000L * 30); // the edges pass
        Limits.Check(1, 8000, null);
    }

    [Fact]
    public void A_flac_at_655_kHz_is_refused_on_its_header()
    {
        var flac = HostileAudio.FlacHighRate();
        log.WriteLine($"FlacHighRate: {flac.Length} bytes");
        Assert.InRange(flac.Length, 5000, 8000);
        var info = FlacReader.ReadInfo(flac);
        Assert.Equal((4, 655_350), (info.Channels, info.SampleRate));
        Assert.Contains("sample rate", Assert.Throws<AudioDecodeException>(() => UploadFlac(flac)).Message);
    }

    [Fact]
    public void A_flac_claiming_31_seconds_of_8_channels_is_refused_on_its_header_and_allocates_nothing_like_its_claim()
    {
        var flac = HostileAudio.FlacClaimsTooLong();
        Assert.InRange(flac.Length, 42, 100);
        AudioDecodeException? refused = null;
        var bytes = Allocated("FlacClaimsTooLong", () => refused = Assert.Throws<AudioDecodeException>(() => UploadFlac(flac)));
        Assert.Contains("31.0 s long; at most 30 s", refused!.Message);
        Assert.True(bytes < 1_000_000, $"{bytes:N0} bytes");
    }

    [Fact]
    public void A_flac_header_claiming_more_than_the_file_holds_does_not_drive_allocation()
    {
        // Even the unlimited reader (the browser's cache uses it) must not reserve 30 s × 8 channels × 192 kHz for 4 frames.
        var flac = HostileAudio.FlacClaimsLongHoldsLittle();
        AudioBuffer? audio = null;
        var unlimited = Allocated("FlacClaimsLongHoldsLittle, FlacReader.Read", () => audio = FlacReader.Read(flac));
        Assert.Equal(4, audio!.Length);
        Assert.True(unlimited < 4_000_000, $"{unlimited:N0} bytes");
        // The upload path is bounded by 30 s of 48 kHz stereo at most (11.5 MB).
        var upload = Allocated("FlacClaimsLongHoldsLittle, upload", () => audio = UploadFlac(flac));
        Assert.Equal((2, 48000), (audio!.ChannelCount, audio.SampleRate));
        Assert.True(upload < 13_000_000, $"{upload:N0} bytes");
    }

    [Fact]
    public void A_flac_without_a_length_is_stopped_at_30_seconds_holding_no_more()
    {
        var flac = HostileAudio.FlacUnknownLengthTooLong();
        log.WriteLine($"FlacUnknownLengthTooLong: {flac.Length} bytes");
        var bytes = Allocated("FlacUnknownLengthTooLong, upload", () =>
            Assert.Contains("at most 30 s", Assert.Throws<AudioDecodeException>(() => UploadFlac(flac)).Message));
        Assert.True(bytes < 100_000_000, $"{bytes:N0} bytes");
        // FlacReader.Read with a limit (no downmix, no resampling) stops there too.
        Assert.Throws<AudioDecodeException>(() => FlacReader.Read(flac, 30));
    }

    [Fact]
    public void An_8_channel_192_kHz_flac_is_kept_as_48_kHz_stereo_within_the_memory_budget()
    {
        var flac = HostileAudio.FlacSurround192k();
        log.WriteLine($"FlacSurround192k: {flac.Length} bytes");
        AudioBuffer? audio = null;
        var bytes = Allocated("FlacSurround192k, upload", () => audio = UploadFlac(flac));
        Assert.Equal((2, 48000), (audio!.ChannelCount, audio.SampleRate));
        Assert.Equal(29.5, audio.Duration, 3);
        Assert.True(bytes < 100_000_000, $"{bytes:N0} bytes");
        // Constant channels: away from the edges the resampled downmix is the downmixed constant.
        var levels = Enumerable.Range(0, 8).Select(c => Q(0.25f * (c + 1) / 8)).ToArray();
        var left = (levels[0] + C * levels[2] + levels[4] + levels[6]) / (3 + C);
        Assert.Equal(left, audio.Channel(0)[audio.Length / 2], 1e-4f);
    }

    [Fact]
    public void A_wav_whose_sizes_claim_4_GB_is_refused_without_allocating_them()
    {
        var wav = HostileAudio.WavLyingSizes();
        var bytes = Allocated("WavLyingSizes", () =>
            Assert.StartsWith("truncated: data chunk claims", Assert.Throws<AudioDecodeException>(() => WavReader.ReadInfo(wav)).Message));
        Assert.True(bytes < 1_000_000, $"{bytes:N0} bytes");
        Assert.Throws<AudioDecodeException>(() => WavReader.Read(wav));
    }

    [Fact]
    public void A_wav_too_long_is_refused_on_its_header_and_an_8_channel_192_kHz_one_is_kept_as_48_kHz_stereo()
    {
        var tooLong = HostileAudio.WavTooLong();
        var bytes = Allocated("WavTooLong", () =>
            Assert.Contains("at most 30 s", Assert.Throws<AudioDecodeException>(() => UploadWav(tooLong)).Message));
        Assert.True(bytes < 1_000_000, $"{bytes:N0} bytes");
        Assert.Contains("sample rate", Assert.Throws<AudioDecodeException>(() => UploadWav(HostileAudio.WavRate(384_000))).Message);

        var surround = HostileAudio.WavSurround192k();
        AudioBuffer? audio = null;
        bytes = Allocated("WavSurround192k (10 MB), upload", () => audio = UploadWav(surround));
        Assert.Equal((2, 48000), (audio!.ChannelCount, audio.SampleRate));
        Assert.Equal((surround.Length - 44) / 16 / 192000.0, audio.Duration, 3);
        Assert.True(bytes < 30_000_000, $"{bytes:N0} bytes");
        // A 440 Hz sine on every channel stays a 440 Hz sine at 0.5.
        var x = audio.Channel(0);
        Assert.InRange(x.Skip(4800).Take(48000).Max(), 0.49f, 0.51f);
        Assert.InRange(Enumerable.Range(4800, 4800).Count(i => x[i] < 0 != x[i + 1] < 0), 86, 90);
    }

    [Fact]
    public void The_collector_refuses_the_block_that_crosses_30_seconds_and_never_holds_more()
    {
        var collector = Limits.Collector(1, 8000, 8000, ChannelOrder.Wave); // the header said 1 s
        var block = new float[8000];
        var e = Assert.Throws<AudioDecodeException>(() => { for (var i = 0; i < 40; i++) collector.Write(block); });
        Assert.Contains("at most 30 s", e.Message);
        Assert.Equal(30 * 8000, collector.SourceFrames);
        Assert.InRange(collector.Capacity, 30 * 8000, Limits.MaxFrames(8000) + 64);
    }

    [Theory]
    [InlineData(192000, 48000, 100_000, 4096)]
    [InlineData(96000, 48000, 77_777, 1000)]
    [InlineData(176400, 48000, 50_001, 333)]
    [InlineData(88200, 48000, 30_000, 7)]
    [InlineData(191999, 48000, 20_000, 4096)] // 48,000 phases: the exact (table) path
    [InlineData(44100, 48000, 20_000, 512)]   // upsampling
    public void Streaming_resampling_in_blocks_matches_the_whole_buffer_resampler(int from, int to, int length, int block)
    {
        var random = new Random(length);
        var input = new AudioBuffer(1, length, from);
        for (var i = 0; i < length; i++) input.Channel(0)[i] = (float)(Math.Sin(i * 0.01) * 0.5 + (random.NextDouble() - 0.5) * 0.1);
        var whole = Resampler.Resample(input, to).Channel(0);
        var streaming = new StreamingResampler(from, to);
        var output = new List<float>();
        var scratch = new float[streaming.MaxOutput(block)];
        for (var start = 0; start < length; start += block)
        {
            var n = streaming.Push(input.Channel(0).AsSpan(start, Math.Min(block, length - start)), scratch);
            output.AddRange(scratch.AsSpan(0, n));
        }
        var rest = new float[streaming.PendingOnFlush];
        output.AddRange(rest.AsSpan(0, streaming.Flush(rest)));
        Assert.Equal(whole.Length, output.Count);
        if (from == 191999) Assert.Equal(whole, output.ToArray());
        else for (var i = 0; i < whole.Length; i++) Assert.Equal(whole[i], output[i], 2e-6f);
    }
}
