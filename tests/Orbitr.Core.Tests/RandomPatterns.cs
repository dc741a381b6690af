using FsCheck;
using FsCheck.Fluent;
using Orbitr.Core.Kit;
using Orbitr.Core.Model;

namespace Orbitr.Core.Tests;

/// <summary>Random valid patterns for property tests: every field in range, round and non-round numbers,
/// unicode names, all three sample kinds, effects, polymeter, and the v2 fields (pitch, start, reverse, gate, ratchet,
/// condition; choke, ring swing, reverb send; the master reverb) with their nulls and edges.</summary>
internal static class RandomPatterns
{
    public static Arbitrary<Pattern> Valid => Gen.Choose(0, int.MaxValue).Select(Create).ToArbitrary();

    private static TrigCondition RandomRatio(Random rng)
    {
        var b = rng.Next(1, TrigCondition.MaxB + 1);
        return TrigCondition.Ratio(rng.Next(1, b + 1), b);
    }

    public static Pattern Create(int seed)
    {
        var rng = new Random(seed);
        double Pick(double min, double max) => rng.Next(3) switch
        {
            0 => Math.Clamp(Math.Round(min + rng.NextDouble() * (max - min), 2), min, max), // a round number
            1 => min + rng.NextDouble() * (max - min),                    // any double
            _ => rng.Next(2) == 0 ? min : max,                            // an edge
        };
        string Text(int max) => new(Enumerable.Range(0, rng.Next(max + 1)).Select(_ => "aZ09 _-éß♪🥁"[rng.Next(10)]).ToArray());

        var samples = new List<SampleEntry>();
        var sampleCount = rng.Next(1, 6);
        for (var i = 0; i < sampleCount; i++)
        {
            var key = $"s{i}{Text(3).Replace("🥁", "")}";
            var builtin = BuiltinSounds.All[rng.Next(BuiltinSounds.All.Count)].Name;
            var sample = rng.Next(5) switch
            {
                4 => SampleRef.Local(Guid.NewGuid().ToString("D"), rng.Next(2) == 0 ? null : Text(20)),
                0 => SampleRef.Builtin(builtin),
                1 => new SampleRef(SampleSourceKind.Builtin, builtin) with { Name = Text(10) },
                2 => SampleRef.File($"sounds/{Text(8)}.wav"),
                _ => SampleRef.Generated(Guid.NewGuid().ToString("N")[..(1 + rng.Next(31))], rng.Next(2) == 0 ? null : Text(20)),
            };
            if (rng.Next(3) == 0 && sample.Kind == SampleSourceKind.Builtin) key = sample.Value;
            if (samples.Any(s => s.Key == key)) key += i;
            samples.Add(new SampleEntry(key, sample));
        }
        string? AnyKey() => rng.Next(4) == 0 ? null : samples[rng.Next(samples.Count)].Key;
        Step V2(Step s) => rng.Next(3) != 0 ? s : s with
        {
            Pitch = rng.Next(2) == 0 ? Pick(Step.MinPitch, Step.MaxPitch) : 0,
            Start = rng.Next(2) == 0 ? Pick(Step.MinStart, Step.MaxStart) : 0,
            Reverse = rng.Next(3) == 0,
            Gate = rng.Next(2) == 0 ? null : Pick(Step.MinGate, Step.MaxGate),
            Ratchet = rng.Next(2) == 0 ? 1 : rng.Next(Step.MinRatchet, Step.MaxRatchet + 1),
            Condition = rng.Next(6) switch
            {
                0 => TrigCondition.First,
                1 => TrigCondition.NotFirst,
                2 => TrigCondition.Fill,
                3 => TrigCondition.NotFill,
                4 => null,
                _ => RandomRatio(rng),
            },
        };

        var length = rng.Next(1, 65);
        var tracks = new List<Track>();
        for (var t = 0; t < rng.Next(1, 9); t++)
        {
            var trackLength = rng.Next(3) == 0 ? rng.Next(1, 65) : length;
            var steps = Enumerable.Range(0, trackLength).Select(_ => rng.Next(3) == 0 ? Step.Off : V2(new Step(
                rng.Next(2) == 0, rng.Next(5) == 0 ? AnyKey() : null, rng.Next(4) == 0 ? rng.Next(128) : 100,
                rng.Next(4) == 0 ? Pick(0, 1) : 1, rng.Next(4) == 0 ? Pick(-50, 50) : 0,
                rng.Next(4) != 0 ? null : new StepEffects(
                    rng.Next(2) == 0 ? null : new FilterEffect((FilterType)rng.Next(3), Pick(20, 20000), Pick(0.0001, 30)),
                    rng.Next(2) == 0 ? null : new DistortionEffect(Pick(0, 1)),
                    rng.Next(2) == 0 ? null : new DelayEffect(Pick(0.01, 2), Pick(0, 0.95), Pick(0, 1)))))).ToArray();
            tracks.Add(new Track(rng.Next(2) == 0 ? PatternFactory.TrackName(t) : Text(Track.MaxNameLength / 2),
                rng.Next(2) == 0 ? PatternFactory.Palette[rng.Next(8)] : $"#{rng.Next(0x1000000):x6}", AnyKey(),
                Pick(0, 1), Pick(-1, 1), rng.Next(4) == 0, rng.Next(6) == 0, trackLength, steps)
            {
                Choke = rng.Next(3) == 0 ? rng.Next(Track.MinChoke, Track.MaxChoke + 1) : null,
                Swing = rng.Next(3) == 0 ? Pick(0, 100) : null,
                Reverb = rng.Next(3) == 0 ? Pick(0, 1) : 0,
                MidiChannel = rng.Next(3) == 0 ? rng.Next(Track.MinMidiChannel, Track.MaxMidiChannel + 1) : null,
                MidiNote = rng.Next(3) == 0 ? rng.Next(Track.MinMidiNote, Track.MaxMidiNote + 1) : null,
            });
        }
        var master = rng.Next(2) == 0 ? MasterSettings.Default : new MasterSettings(Pick(0, 1),
            new CompressorSettings(rng.Next(2) == 0, Pick(-100, 0), Pick(0, 40), Pick(1, 20), Pick(0, 1), Pick(0, 1)),
            new LimiterSettings(rng.Next(2) == 0, Pick(-60, 0)) { TruePeak = rng.Next(2) == 0 })
        {
            Reverb = rng.Next(2) == 0 ? ReverbSettings.Default
                : new ReverbSettings(rng.Next(2) == 0, Pick(0.1, 10), Pick(0, 1), Pick(0, 0.2), Pick(0, 1)),
        };
        return new Pattern(Text(30), Pick(40, 200), Pick(0, 100), length,
            new TimeSignature(rng.Next(1, 17), TimeSignature.Denominators[rng.Next(4)]), (uint)rng.NextInt64(0, 1L << 32),
            master, new EquatableArray<SampleEntry>(samples), new EquatableArray<Track>(tracks));
    }
}
