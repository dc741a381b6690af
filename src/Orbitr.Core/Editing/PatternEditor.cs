using Orbitr.Core.Model;

namespace Orbitr.Core.Editing;

/// <summary>The editing operations the UI dispatches. Each is pure (pattern in, pattern out), so undo is a stack of
/// patterns. Arguments outside the design's ranges are clamped to them; indexes out of range throw.</summary>
public static class PatternEditor
{
    // ---- steps ----

    public static Pattern ToggleStep(Pattern p, int track, int step) =>
        UpdateStep(p, track, step, s => s with { Active = !s.Active });

    public static Pattern SetStepActive(Pattern p, int track, int step, bool active) =>
        UpdateStep(p, track, step, s => s with { Active = active });

    /// <summary>A null key means "the track's sample"; otherwise the key must be in the sample table.</summary>
    public static Pattern SetStepSample(Pattern p, int track, int step, string? sampleKey)
    {
        RequireSample(p, sampleKey);
        return UpdateStep(p, track, step, s => s with { Sample = sampleKey });
    }

    public static Pattern SetStepVelocity(Pattern p, int track, int step, int velocity) =>
        UpdateStep(p, track, step, s => s with { Velocity = Math.Clamp(velocity, Step.MinVelocity, Step.MaxVelocity) });

    public static Pattern SetStepProbability(Pattern p, int track, int step, double probability) =>
        UpdateStep(p, track, step, s => s with { Probability = Clamp(probability, Step.MinProbability, Step.MaxProbability) });

    public static Pattern SetStepTiming(Pattern p, int track, int step, double timingMs) =>
        UpdateStep(p, track, step, s => s with { Timing = Clamp(timingMs, Step.MinTiming, Step.MaxTiming) });

    public static Pattern SetStepEffects(Pattern p, int track, int step, StepEffects? effects) =>
        UpdateStep(p, track, step, s => s with { Effects = effects is null || effects.IsEmpty ? null : ClampEffects(effects) });

    // The sound-design fields (pattern v2). Each "With" form is the step change the step editor applies to a selection.

    public static Step WithPitch(Step s, double semitones) => s with { Pitch = Clamp(semitones, Step.MinPitch, Step.MaxPitch) };

    public static Step WithStart(Step s, double start) => s with { Start = Clamp(start, Step.MinStart, Step.MaxStart) };

    /// <summary>Null: the whole sample sounds.</summary>
    public static Step WithGate(Step s, double? seconds) => s with { Gate = seconds is { } g ? Clamp(g, Step.MinGate, Step.MaxGate) : null };

    public static Step WithRatchet(Step s, int ratchet) => s with { Ratchet = Math.Clamp(ratchet, Step.MinRatchet, Step.MaxRatchet) };

    /// <summary>A ratio condition is clamped into 1 ≤ A ≤ B ≤ 8.</summary>
    public static Step WithCondition(Step s, TrigCondition? condition) => s with
    {
        Condition = condition is { Kind: TrigConditionKind.Ratio } c
            ? TrigCondition.Ratio(Math.Clamp(c.A, 1, Math.Clamp(c.B, 1, TrigCondition.MaxB)), Math.Clamp(c.B, 1, TrigCondition.MaxB))
            : condition,
    };

    public static Pattern SetStepPitch(Pattern p, int track, int step, double semitones) => UpdateStep(p, track, step, s => WithPitch(s, semitones));

    public static Pattern SetStepStart(Pattern p, int track, int step, double start) => UpdateStep(p, track, step, s => WithStart(s, start));

    public static Pattern SetStepReverse(Pattern p, int track, int step, bool reverse) => UpdateStep(p, track, step, s => s with { Reverse = reverse });

    public static Pattern SetStepGate(Pattern p, int track, int step, double? seconds) => UpdateStep(p, track, step, s => WithGate(s, seconds));

    public static Pattern SetStepRatchet(Pattern p, int track, int step, int ratchet) => UpdateStep(p, track, step, s => WithRatchet(s, ratchet));

    public static Pattern SetStepCondition(Pattern p, int track, int step, TrigCondition? condition) => UpdateStep(p, track, step, s => WithCondition(s, condition));

    public static Pattern UpdateStep(Pattern p, int track, int step, Func<Step, Step> change)
    {
        var t = TrackAt(p, track);
        if ((uint)step >= (uint)t.Steps.Count) throw new ArgumentOutOfRangeException(nameof(step), step, $"track {track} has {t.Steps.Count} steps");
        return WithTrack(p, track, t with { Steps = t.Steps.SetItem(step, change(t.Steps[step])) });
    }

    /// <summary>A played hit written into a step (issue 26, recording): on, at the hit's velocity, with the micro-timing
    /// given (0 when quantized); its other fields (sound, effects) stay.</summary>
    public static Pattern RecordHit(Pattern p, int track, int step, int velocity, double timingMs) => UpdateStep(p, track, step, s => s with
    {
        Active = true,
        Velocity = Math.Clamp(velocity, Step.MinVelocity, Step.MaxVelocity),
        Timing = Clamp(timingMs, Step.MinTiming, Step.MaxTiming),
    });

    // ---- tracks ----

    public static Pattern SetTrackVolume(Pattern p, int track, double volume) =>
        UpdateTrack(p, track, t => t with { Volume = Clamp(volume, Track.MinVolume, Track.MaxVolume) });

    public static Pattern SetTrackPan(Pattern p, int track, double pan) =>
        UpdateTrack(p, track, t => t with { Pan = Clamp(pan, Track.MinPan, Track.MaxPan) });

    public static Pattern SetTrackMute(Pattern p, int track, bool mute) => UpdateTrack(p, track, t => t with { Mute = mute });

    public static Pattern SetTrackSolo(Pattern p, int track, bool solo) => UpdateTrack(p, track, t => t with { Solo = solo });

    public static Pattern SetTrackName(Pattern p, int track, string name) =>
        UpdateTrack(p, track, t => t with { Name = name.Length > Track.MaxNameLength ? name[..Track.MaxNameLength] : name });

    public static Pattern SetTrackColor(Pattern p, int track, string color) => UpdateTrack(p, track, t => t with { Color = color });

    /// <summary>Null: the ring chokes nothing and is choked by nothing.</summary>
    /// <summary>The ring's MIDI channel (1–16) and note (0–127), clamped; null: the defaults (channel 10, its sound's GM note).</summary>
    public static Pattern SetTrackMidi(Pattern p, int track, int? channel, int? note) =>
        UpdateTrack(p, track, t => t with
        {
            MidiChannel = channel is { } c ? Math.Clamp(c, Track.MinMidiChannel, Track.MaxMidiChannel) : null,
            MidiNote = note is { } n ? Math.Clamp(n, Track.MinMidiNote, Track.MaxMidiNote) : null,
        });

    public static Pattern SetTrackChoke(Pattern p, int track, int? group) =>
        UpdateTrack(p, track, t => t with { Choke = group is { } g ? Math.Clamp(g, Track.MinChoke, Track.MaxChoke) : null });

    /// <summary>Null: the ring follows the pattern's swing.</summary>
    public static Pattern SetTrackSwing(Pattern p, int track, double? swing) =>
        UpdateTrack(p, track, t => t with { Swing = swing is { } v ? Clamp(v, Pattern.MinSwing, Pattern.MaxSwing) : null });

    public static Pattern SetTrackReverb(Pattern p, int track, double send) =>
        UpdateTrack(p, track, t => t with { Reverb = Clamp(send, Track.MinReverb, Track.MaxReverb) });

    public static Pattern SetTrackSample(Pattern p, int track, string? sampleKey)
    {
        RequireSample(p, sampleKey);
        return UpdateTrack(p, track, t => t with { Sample = sampleKey });
    }

    /// <summary>The pattern with a sample-table entry for <paramref name="source"/> (added under a free key when
    /// missing) and, in <paramref name="key"/>, the key it has.</summary>
    public static Pattern WithSample(Pattern p, SampleRef source, out string key)
    {
        foreach (var entry in p.Samples)
        {
            if (entry.Ref.Source != source.Source) continue;
            key = entry.Key;
            return p;
        }
        var stem = source.Name ?? source.Value;
        key = stem;
        for (var n = 2; p.FindSample(key) is not null; n++) key = $"{stem}-{n}";
        return p with { Samples = p.Samples.Add(new SampleEntry(key, source)) };
    }

    /// <summary>Points every sample-table entry whose source is <paramref name="oldSource"/> at <paramref name="replacement"/>
    /// (keys, and so every track and step that uses them, stay as they are; an entry keeps its name unless the
    /// replacement has one). The same pattern when nothing refers to it.</summary>
    public static Pattern ReplaceSampleSource(Pattern p, string oldSource, SampleRef replacement)
    {
        var samples = p.Samples;
        for (var i = 0; i < samples.Count; i++)
        {
            var entry = samples[i];
            if (entry.Ref.Source != oldSource) continue;
            samples = samples.SetItem(i, entry with { Ref = replacement with { Name = replacement.Name ?? entry.Ref.Name } });
        }
        return samples.Equals(p.Samples) ? p : p with { Samples = samples };
    }

    /// <summary>Resizes one ring (polymeter); existing steps are kept, new ones are off.</summary>
    public static Pattern SetTrackLength(Pattern p, int track, int length) =>
        UpdateTrack(p, track, t => Resize(t, Math.Clamp(length, Pattern.MinLength, Pattern.MaxLength)));

    public static Pattern ClearTrack(Pattern p, int track) =>
        UpdateTrack(p, track, t => t with { Steps = new EquatableArray<Step>(Enumerable.Repeat(Step.Off, t.Length)) });

    /// <summary>Rotates a ring by <paramref name="amount"/> steps (positive = later).</summary>
    public static Pattern RotateTrack(Pattern p, int track, int amount) => UpdateTrack(p, track, t =>
    {
        var n = t.Steps.Count;
        if (n == 0) return t;
        var r = ((amount % n) + n) % n;
        var steps = new Step[n];
        for (var i = 0; i < n; i++) steps[(i + r) % n] = t.Steps[i];
        return t with { Steps = steps };
    });

    /// <summary>Fills a ring with the euclidean rhythm E(hits, ring length) rotated by <paramref name="rotation"/>;
    /// steps keep their settings and only their on/off changes.</summary>
    public static Pattern EuclideanFill(Pattern p, int track, int hits, int rotation = 0) => UpdateTrack(p, track, t =>
    {
        var rhythm = Euclid.Rhythm(Math.Clamp(hits, 0, t.Length), t.Length, rotation);
        var steps = new Step[t.Length];
        for (var i = 0; i < t.Length; i++) steps[i] = t.Steps[i] with { Active = rhythm[i] };
        return t with { Steps = steps };
    });

    public static Pattern UpdateTrack(Pattern p, int track, Func<Track, Track> change) => WithTrack(p, track, change(TrackAt(p, track)));

    /// <summary>Adds a ring inside the others with the next kit sound; no-op at 8 tracks.</summary>
    public static Pattern AddTrack(Pattern p)
    {
        if (p.Tracks.Count >= Pattern.MaxTracks) return p;
        var index = p.Tracks.Count;
        var sound = PatternFactory.DefaultSound(index);
        var samples = p.Samples;
        var key = sound;
        var existing = p.FindSample(key);
        if (existing is null) samples = samples.Add(new SampleEntry(key, SampleRef.Builtin(sound)));
        else if (existing != SampleRef.Builtin(sound)) key = p.Tracks.Count > 0 ? p.Tracks[^1].Sample ?? p.Samples[0].Key : p.Samples[0].Key;
        var track = Track.Create(PatternFactory.TrackName(index), PatternFactory.DefaultColor(index), key, p.Length);
        return p with { Samples = samples, Tracks = p.Tracks.Add(track) };
    }

    /// <summary>Removes a ring; no-op when only one is left.</summary>
    public static Pattern RemoveTrack(Pattern p, int track)
    {
        TrackAt(p, track);
        return p.Tracks.Count <= Pattern.MinTracks ? p : p with { Tracks = p.Tracks.RemoveAt(track) };
    }

    // ---- pattern ----

    public static Pattern SetBpm(Pattern p, double bpm) => p with { Bpm = Clamp(bpm, Pattern.MinBpm, Pattern.MaxBpm) };

    public static Pattern SetSwing(Pattern p, double swing) => p with { Swing = Clamp(swing, Pattern.MinSwing, Pattern.MaxSwing) };

    public static Pattern SetName(Pattern p, string name) =>
        p with { Name = name.Length > Pattern.MaxNameLength ? name[..Pattern.MaxNameLength] : name };

    public static Pattern SetMasterVolume(Pattern p, double volume) =>
        p with { Master = p.Master with { Volume = Clamp(volume, MasterSettings.MinVolume, MasterSettings.MaxVolume) } };

    public static Pattern SetTimeSignature(Pattern p, TimeSignature signature) => p with { TimeSignature = signature };

    /// <summary>The master compressor's settings, each clamped to its range.</summary>
    public static Pattern SetCompressor(Pattern p, CompressorSettings c) => p with
    {
        Master = p.Master with
        {
            Compressor = c with
            {
                Threshold = Clamp(c.Threshold, CompressorSettings.MinThreshold, CompressorSettings.MaxThreshold),
                Knee = Clamp(c.Knee, CompressorSettings.MinKnee, CompressorSettings.MaxKnee),
                Ratio = Clamp(c.Ratio, CompressorSettings.MinRatio, CompressorSettings.MaxRatio),
                Attack = Clamp(c.Attack, CompressorSettings.MinAttack, CompressorSettings.MaxAttack),
                Release = Clamp(c.Release, CompressorSettings.MinRelease, CompressorSettings.MaxRelease),
            },
        },
    };

    /// <summary>The master limiter's settings, the ceiling clamped to its range.</summary>
    public static Pattern SetLimiter(Pattern p, LimiterSettings l) => p with
    {
        Master = p.Master with { Limiter = l with { Ceiling = Clamp(l.Ceiling, LimiterSettings.MinCeiling, LimiterSettings.MaxCeiling) } },
    };

    /// <summary>The master reverb's settings, each clamped to its range.</summary>
    public static Pattern SetReverb(Pattern p, ReverbSettings r) => p with
    {
        Master = p.Master with
        {
            Reverb = r with
            {
                Decay = Clamp(r.Decay, ReverbSettings.MinDecay, ReverbSettings.MaxDecay),
                Damping = Clamp(r.Damping, ReverbSettings.MinDamping, ReverbSettings.MaxDamping),
                PreDelay = Clamp(r.PreDelay, ReverbSettings.MinPreDelay, ReverbSettings.MaxPreDelay),
                Return = Clamp(r.Return, ReverbSettings.MinReturn, ReverbSettings.MaxReturn),
            },
        },
    };

    /// <summary>Sets the pattern length; rings that followed the pattern length follow it (keeping their steps), polymetric rings keep theirs.</summary>
    public static Pattern SetLength(Pattern p, int length)
    {
        length = Math.Clamp(length, Pattern.MinLength, Pattern.MaxLength);
        var tracks = p.Tracks.Items.Select(t => t.Length == p.Length ? Resize(t, length) : t);
        return p with { Length = length, Tracks = new EquatableArray<Track>(tracks) };
    }

    public static Pattern ClearPattern(Pattern p) =>
        p with { Tracks = new EquatableArray<Track>(p.Tracks.Items.Select(t => t with { Steps = new EquatableArray<Step>(Enumerable.Repeat(Step.Off, t.Length)) })) };

    /// <summary>Issue 26: each step of the ring on with chance <paramref name="density"/> (0–1), seeded; the steps keep
    /// their other settings.</summary>
    public static Pattern RandomizeTrack(Pattern p, int track, double density, int seed)
    {
        if (track < 0 || track >= p.Tracks.Count) return p;
        density = Math.Clamp(double.IsFinite(density) ? density : 0, 0, 1);
        var rng = new Random(seed);
        return UpdateTrack(p, track, t => t with { Steps = new EquatableArray<Step>(t.Steps.Items.Select(s => s with { Active = rng.NextDouble() < density })) });
    }

    /// <summary>Issue 26: every active step of the ring moved by up to ±<paramref name="timingMs"/> ms and its velocity
    /// by up to ±<paramref name="velocity"/>, seeded, within the steps' ranges (a step is never made silent: velocity ≥ 1).</summary>
    public static Pattern Humanize(Pattern p, int track, double timingMs, int velocity, int seed)
    {
        if (track < 0 || track >= p.Tracks.Count) return p;
        timingMs = Math.Clamp(double.IsFinite(timingMs) ? timingMs : 0, 0, Step.MaxTiming);
        velocity = Math.Clamp(velocity, 0, Step.MaxVelocity);
        var rng = new Random(seed);
        return UpdateTrack(p, track, t => t with
        {
            Steps = new EquatableArray<Step>(t.Steps.Items.Select(s =>
            {
                var dt = (rng.NextDouble() * 2 - 1) * timingMs;
                var dv = rng.Next(-velocity, velocity + 1);
                if (!s.Active) return s;
                return s with
                {
                    Timing = Math.Clamp(Math.Round(s.Timing + dt, 1), Step.MinTiming, Step.MaxTiming),
                    Velocity = Math.Clamp(s.Velocity + dv, 1, Step.MaxVelocity),
                };
            })),
        });
    }

    /// <summary>A seeded random groove: denser on low rings' downbeats, sparser and lighter elsewhere.</summary>
    public static Pattern Randomize(Pattern p, int seed)
    {
        var rng = new Random(seed);
        var tracks = p.Tracks.Items.Select((t, ti) =>
        {
            var density = 0.15 + 0.35 * rng.NextDouble();
            var steps = t.Steps.Items.Select((s, i) =>
            {
                var onBeat = i % 4 == 0;
                var active = rng.NextDouble() < (onBeat ? density * 1.6 : density);
                return s with
                {
                    Active = active,
                    Velocity = active ? (onBeat ? 100 + rng.Next(28) : 60 + rng.Next(50)) : s.Velocity,
                };
            });
            return t with { Steps = new EquatableArray<Step>(steps) };
        });
        return p with { Tracks = new EquatableArray<Track>(tracks) };
    }

    /// <summary>A new probability seed: the same pattern, other dice.</summary>
    public static Pattern RerollSeed(Pattern p, uint newSeed) => p with { Seed = newSeed == p.Seed ? newSeed + 1 : newSeed };

    public static Pattern RerollSeed(Pattern p) => RerollSeed(p, (uint)Random.Shared.NextInt64(0, (long)uint.MaxValue + 1));

    // ---- helpers ----

    private static Track Resize(Track t, int length)
    {
        if (length == t.Steps.Count) return t with { Length = length };
        var steps = t.Steps.Items.Take(length).Concat(Enumerable.Repeat(Step.Off, Math.Max(0, length - t.Steps.Count)));
        return t with { Length = length, Steps = new EquatableArray<Step>(steps) };
    }

    private static Track TrackAt(Pattern p, int track) =>
        (uint)track < (uint)p.Tracks.Count ? p.Tracks[track] : throw new ArgumentOutOfRangeException(nameof(track), track, $"the pattern has {p.Tracks.Count} tracks");

    private static Pattern WithTrack(Pattern p, int index, Track track) => p with { Tracks = p.Tracks.SetItem(index, track) };

    private static void RequireSample(Pattern p, string? key)
    {
        if (key is not null && p.FindSample(key) is null)
            throw new ArgumentException($"\"{key}\" is not a sample of this pattern", nameof(key));
    }

    private static double Clamp(double v, double min, double max) => double.IsNaN(v) ? min : Math.Clamp(v, min, max);

    private static StepEffects ClampEffects(StepEffects fx) => new(
        fx.Filter is { } f ? f with { Frequency = Clamp(f.Frequency, FilterEffect.MinFrequency, FilterEffect.MaxFrequency), Q = Clamp(f.Q, FilterEffect.MinQ, FilterEffect.MaxQ) } : null,
        fx.Distortion is { } d ? d with { Amount = Clamp(d.Amount, DistortionEffect.MinAmount, DistortionEffect.MaxAmount) } : null,
        fx.Delay is { } dl ? new DelayEffect(Clamp(dl.Time, DelayEffect.MinTime, DelayEffect.MaxTime), Clamp(dl.Feedback, DelayEffect.MinFeedback, DelayEffect.MaxFeedback), Clamp(dl.Mix, DelayEffect.MinMix, DelayEffect.MaxMix)) : null);
}
