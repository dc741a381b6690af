using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Finishing;

namespace Orbitr.Dsp.Tests.Finishing;

/// <summary>BS.1770 loudness checked analytically (a 997 Hz sine of amplitude A measures 20·log10 A − 3.01 LUFS), and
/// the finishing every generated sound gets: trim, fade, loudness to the target under the peak ceiling.</summary>
public sealed class SampleFinisherTests
{
    private static float[] Sine(double frequency, double amplitude, double seconds, int rate, int silenceBefore = 0) =>
        Enumerable.Range(0, silenceBefore + (int)(seconds * rate))
            .Select(i => i < silenceBefore ? 0f : (float)(amplitude * Math.Sin(2 * Math.PI * frequency * (i - silenceBefore) / rate))).ToArray();

    [Theory]
    [InlineData(48000, 1.0)]
    [InlineData(48000, 0.1)]
    [InlineData(44100, 0.5)]
    [InlineData(32000, 0.25)]
    public void A_997_Hz_sine_measures_its_level_minus_3_01_dB(int rate, double amplitude)
    {
        var lufs = LoudnessMeter.Integrated([Sine(997, amplitude, 3, rate)], rate);
        Assert.Equal(20 * Math.Log10(amplitude) - 3.01, lufs, 0.1);
    }

    [Fact]
    public void Silence_is_gated_out_and_measures_minus_infinity_alone()
    {
        const int rate = 48000;
        var tone = LoudnessMeter.Integrated([Sine(997, 0.5, 2, rate)], rate);
        var withSilence = LoudnessMeter.Integrated([Sine(997, 0.5, 2, rate, silenceBefore: 3 * rate)], rate);
        // Ungated, 3 s of silence before 2 s of tone would lower it by 4 dB; the blocks that straddle the onset are the
        // only difference the gates leave.
        Assert.Equal(tone, withSilence, 0.5);
        Assert.Equal(double.NegativeInfinity, LoudnessMeter.Integrated([new float[rate]], rate));
    }

    [Fact]
    public void Two_identical_channels_are_3_dB_louder_than_one()
    {
        const int rate = 48000;
        var s = Sine(997, 0.3, 2, rate);
        Assert.Equal(LoudnessMeter.Integrated([s], rate) + 3.01, LoudnessMeter.Integrated([s, s], rate), 0.05);
    }

    [Fact]
    public void A_quiet_sound_is_brought_to_the_target_loudness()
    {
        const int rate = 32000;
        var finished = SampleFinisher.Default.Finish(new AudioBuffer([Sine(440, 0.01, 1, rate)], rate));
        Assert.Equal(-16, LoudnessMeter.Integrated([finished.Channel(0)], rate), 0.1);
    }

    [Fact]
    public void A_spiky_sound_stops_at_the_peak_ceiling_instead()
    {
        const int rate = 44100;
        var clicks = new float[rate];
        for (var i = 0; i < clicks.Length; i += 4410) clicks[i] = 0.2f;
        var finished = SampleFinisher.Default.Finish(new AudioBuffer([clicks], rate));
        Assert.Equal(-1, 20 * Math.Log10(finished.Peak()), 0.01);
        Assert.True(LoudnessMeter.Integrated([finished.Channel(0)], rate) < -16);
    }

    [Fact]
    public void Leading_silence_is_trimmed_to_a_2_ms_pre_roll_and_the_end_fades_to_zero()
    {
        const int rate = 48000;
        var input = new float[rate];
        for (var i = 12000; i < input.Length; i++) input[i] = 0.5f;
        var finished = SampleFinisher.Default.Finish(new AudioBuffer([input], rate));
        var output = finished.Channel(0);
        Assert.Equal(input.Length - 12000 + 96, output.Length);
        Assert.All(output[..96], s => Assert.Equal(0f, s));
        Assert.NotEqual(0f, output[96]);
        Assert.Equal(0f, output[^1], 6);
        // The fade is 20 ms long and monotone.
        var fade = output[^960..];
        Assert.True(fade.Zip(fade.Skip(1)).All(p => p.Second <= p.First));
        Assert.Equal(output[^961], output[^1000]);
    }

    [Fact]
    public void Silence_stays_silence()
    {
        var finished = SampleFinisher.Default.Finish(new AudioBuffer([new float[1000]], 32000));
        Assert.Equal(1000, finished.Length);
        Assert.All(finished.Channel(0), s => Assert.Equal(0f, s));
    }

    [Property(MaxTest = 40)]
    public Property Every_finished_sound_is_at_the_target_or_at_the_ceiling() =>
        Prop.ForAll((from f in Gen.Choose(60, 8000)
                     from a in Gen.Choose(1, 1000)
                     from ms in Gen.Choose(450, 1500)
                     from rate in Gen.Elements(22050, 32000, 44100, 48000)
                     select (f, a / 1000.0, ms, rate)).ToArbitrary(), c =>
        {
            var (f, amplitude, ms, rate) = c;
            var input = Sine(f, amplitude, ms / 1000.0, rate);
            for (var i = 0; i < input.Length; i += rate / 7) input[i] = (float)Math.Min(1, amplitude * 3); // a few spikes
            var finished = SampleFinisher.Default.Finish(new AudioBuffer([input], rate));
            var peakDb = 20 * Math.Log10(finished.Peak());
            var lufs = LoudnessMeter.Integrated([finished.Channel(0)], rate);
            return peakDb <= -1 + 1e-3 && (Math.Abs(lufs + 16) < 0.05 || Math.Abs(peakDb + 1) < 1e-3);
        });
}
