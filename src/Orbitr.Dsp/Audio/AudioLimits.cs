namespace Orbitr.Dsp.Audio;

/// <summary>What an upload may be, decided from its header before anything is decoded: 1–<see cref="MaxChannels"/>
/// channels (over <see cref="StoredMaxChannels"/> are downmixed), <see cref="MinRate"/>–<see cref="MaxRate"/> Hz (over
/// <see cref="StoredMaxRate"/> are resampled down to it), at most <see cref="MaxSeconds"/> long. Decoding then stops at
/// <see cref="MaxFrames"/>: a header that lies about the length cannot make more than that be held.</summary>
public sealed record AudioLimits(double MaxSeconds = 30, int MinRate = 8000, int MaxRate = 192_000, int MaxChannels = 8,
    int StoredMaxRate = 48_000, int StoredMaxChannels = 2)
{
    /// <summary>The upload rules: ≤ 30 s, 8–192 kHz, 1–8 channels; stored as at most 48 kHz stereo.</summary>
    public static AudioLimits Upload { get; } = new();

    /// <summary>Slack over <see cref="MaxSeconds"/>: 50 ms (an MP3 encoder's padding, a FLAC block's rounding).</summary>
    public const double SlackSeconds = 0.05;

    /// <summary>Most source frames a sound at this rate may have (30 s plus the slack).</summary>
    public long MaxFrames(int rate) => (long)Math.Ceiling((MaxSeconds + SlackSeconds) * rate);

    /// <summary>Refuses (with <see cref="AudioDecodeException"/>) a format outside the limits; <paramref name="frames"/> is
    /// the length the header claims, when it gives one.</summary>
    public void Check(int channels, long rate, long? frames)
    {
        if (channels < 1 || channels > MaxChannels)
            throw new AudioDecodeException($"the file has {channels} channels; 1 to {MaxChannels} are accepted");
        if (rate < MinRate || rate > MaxRate)
            throw new AudioDecodeException($"the sample rate is {rate:N0} Hz; {MinRate:N0} to {MaxRate:N0} Hz are accepted");
        if (frames > MaxFrames((int)rate))
            throw new AudioDecodeException($"the sound is {(double)frames.Value / rate:0.0} s long; at most {MaxSeconds:0.#} s");
    }

    /// <summary>A collector for a stream that passed <see cref="Check"/>: downmixes and resamples to what is stored,
    /// stops at <see cref="MaxFrames"/>.</summary>
    public AudioCollector Collector(int channels, int rate, long? frames, ChannelOrder order) =>
        new(channels, rate, order, MaxFrames(rate), MaxSeconds, frames, StoredMaxChannels, StoredMaxRate);
}
