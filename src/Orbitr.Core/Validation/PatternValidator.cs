using System.Text.RegularExpressions;
using Orbitr.Core.Kit;
using Orbitr.Core.Model;

namespace Orbitr.Core.Validation;

/// <summary>Checks a pattern against the ranges of ARCHITECTURE §2 and reports every error with its JSON path. Never throws on user data.</summary>
public static partial class PatternValidator
{
    public const int MaxSampleKeyLength = 64;
    public const int MaxSourceLength = 512;

    public static IReadOnlyList<PatternError> Validate(Pattern pattern)
    {
        var errors = new List<PatternError>();
        Text(errors, "name", pattern.Name, Pattern.MaxNameLength);
        Range(errors, "bpm", pattern.Bpm, Pattern.MinBpm, Pattern.MaxBpm);
        Range(errors, "swing", pattern.Swing, Pattern.MinSwing, Pattern.MaxSwing);
        Range(errors, "length", pattern.Length, Pattern.MinLength, Pattern.MaxLength);
        Range(errors, "timeSignature[0]", pattern.TimeSignature.Numerator, TimeSignature.MinNumerator, TimeSignature.MaxNumerator);
        if (!TimeSignature.Denominators.Contains(pattern.TimeSignature.Denominator))
            errors.Add(new("timeSignature[1]", $"{pattern.TimeSignature.Denominator} is not one of 2, 4, 8, 16"));
        ValidateMaster(errors, pattern.Master);

        if (pattern.Samples.Count > Pattern.MaxSamples)
            errors.Add(new("samples", $"{pattern.Samples.Count} samples is more than the limit of {Pattern.MaxSamples}"));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in pattern.Samples)
        {
            var path = $"samples.{entry.Key}";
            if (entry.Key.Length is 0 or > MaxSampleKeyLength)
                errors.Add(new(path, $"a sample key must be 1–{MaxSampleKeyLength} characters"));
            if (!keys.Add(entry.Key))
                errors.Add(new(path, "the sample key appears twice"));
            ValidateSampleRef(errors, path, entry.Ref);
        }

        if (pattern.Tracks.Count is < Pattern.MinTracks or > Pattern.MaxTracks)
            errors.Add(new("tracks", $"{pattern.Tracks.Count} tracks is outside {Pattern.MinTracks}–{Pattern.MaxTracks}"));
        for (var t = 0; t < pattern.Tracks.Count; t++)
            ValidateTrack(errors, $"tracks[{t}]", pattern.Tracks[t], keys);
        return errors;
    }

    public static bool IsValid(Pattern pattern) => Validate(pattern).Count == 0;

    private static void ValidateMaster(List<PatternError> errors, MasterSettings master)
    {
        Range(errors, "master.volume", master.Volume, MasterSettings.MinVolume, MasterSettings.MaxVolume);
        var c = master.Compressor;
        Range(errors, "master.compressor.threshold", c.Threshold, CompressorSettings.MinThreshold, CompressorSettings.MaxThreshold);
        Range(errors, "master.compressor.knee", c.Knee, CompressorSettings.MinKnee, CompressorSettings.MaxKnee);
        Range(errors, "master.compressor.ratio", c.Ratio, CompressorSettings.MinRatio, CompressorSettings.MaxRatio);
        Range(errors, "master.compressor.attack", c.Attack, CompressorSettings.MinAttack, CompressorSettings.MaxAttack);
        Range(errors, "master.compressor.release", c.Release, CompressorSettings.MinRelease, CompressorSettings.MaxRelease);
        Range(errors, "master.limiter.ceiling", master.Limiter.Ceiling, LimiterSettings.MinCeiling, LimiterSettings.MaxCeiling);
        var r = master.Reverb;
        Range(errors, "master.reverb.decay", r.Decay, ReverbSettings.MinDecay, ReverbSettings.MaxDecay);
        Range(errors, "master.reverb.damping", r.Damping, ReverbSettings.MinDamping, ReverbSettings.MaxDamping);
        Range(errors, "master.reverb.preDelay", r.PreDelay, ReverbSettings.MinPreDelay, ReverbSettings.MaxPreDelay);
        Range(errors, "master.reverb.return", r.Return, ReverbSettings.MinReturn, ReverbSettings.MaxReturn);
    }

    private static void ValidateSampleRef(List<PatternError> errors, string path, SampleRef sample)
    {
        if (sample.Value.Length == 0 || sample.Value.Length > MaxSourceLength)
            errors.Add(new($"{path}.source", $"the source must name a sample (1–{MaxSourceLength} characters after the prefix)"));
        else if (sample.Kind == SampleSourceKind.Builtin && !BuiltinSounds.Exists(sample.Value))
            errors.Add(new($"{path}.source", $"\"{sample.Value}\" is not a built-in sound (one of {string.Join(", ", BuiltinSounds.All.Select(s => s.Name))})"));
        else if (sample.Kind == SampleSourceKind.File && (sample.Value.Contains('\0') || Path.IsPathRooted(sample.Value)))
            errors.Add(new($"{path}.source", "a file source must be a path relative to the pattern file"));
        if (sample.Name is not null) Text(errors, $"{path}.name", sample.Name, Pattern.MaxNameLength);
    }

    private static void ValidateTrack(List<PatternError> errors, string path, Track track, HashSet<string> keys)
    {
        Text(errors, $"{path}.name", track.Name, Track.MaxNameLength);
        if (!ColorRegex().IsMatch(track.Color))
            errors.Add(new($"{path}.color", $"\"{Clip(track.Color)}\" is not a colour of the form #rrggbb"));
        if (track.Sample is not null && !keys.Contains(track.Sample))
            errors.Add(new($"{path}.sample", $"\"{Clip(track.Sample)}\" is not a key of samples"));
        Range(errors, $"{path}.volume", track.Volume, Track.MinVolume, Track.MaxVolume);
        Range(errors, $"{path}.pan", track.Pan, Track.MinPan, Track.MaxPan);
        Range(errors, $"{path}.length", track.Length, Pattern.MinLength, Pattern.MaxLength);
        if (track.Choke is { } choke) Range(errors, $"{path}.choke", choke, Track.MinChoke, Track.MaxChoke);
        if (track.Swing is { } swing) Range(errors, $"{path}.swing", swing, Pattern.MinSwing, Pattern.MaxSwing);
        Range(errors, $"{path}.reverb", track.Reverb, Track.MinReverb, Track.MaxReverb);
        if (track.MidiChannel is { } channel) Range(errors, $"{path}.midiChannel", channel, Track.MinMidiChannel, Track.MaxMidiChannel);
        if (track.MidiNote is { } note) Range(errors, $"{path}.midiNote", note, Track.MinMidiNote, Track.MaxMidiNote);
        if (track.Steps.Count != track.Length)
            errors.Add(new($"{path}.steps", $"has {track.Steps.Count} steps but the track's length is {track.Length}"));
        for (var s = 0; s < track.Steps.Count; s++)
            ValidateStep(errors, $"{path}.steps[{s}]", track.Steps[s], keys);
    }

    private static void ValidateStep(List<PatternError> errors, string path, Step step, HashSet<string> keys)
    {
        if (step.Sample is not null && !keys.Contains(step.Sample))
            errors.Add(new($"{path}.sample", $"\"{Clip(step.Sample)}\" is not a key of samples"));
        Range(errors, $"{path}.velocity", step.Velocity, Step.MinVelocity, Step.MaxVelocity);
        Range(errors, $"{path}.probability", step.Probability, Step.MinProbability, Step.MaxProbability);
        Range(errors, $"{path}.timing", step.Timing, Step.MinTiming, Step.MaxTiming);
        Range(errors, $"{path}.pitch", step.Pitch, Step.MinPitch, Step.MaxPitch);
        Range(errors, $"{path}.start", step.Start, Step.MinStart, Step.MaxStart);
        if (step.Gate is { } gate) Range(errors, $"{path}.gate", gate, Step.MinGate, Step.MaxGate);
        Range(errors, $"{path}.ratchet", step.Ratchet, Step.MinRatchet, Step.MaxRatchet);
        if (step.Condition is { IsValid: false } c)
            errors.Add(new($"{path}.condition", $"\"{c}\" is not a trig condition: in \"A:B\" 1 ≤ A ≤ B ≤ {TrigCondition.MaxB}"));
        if (step.Effects is not { } fx) return;
        if (fx.Filter is { } f)
        {
            if (!Enum.IsDefined(f.Type)) errors.Add(new($"{path}.effects.filter.type", "must be lowpass, highpass or bandpass"));
            Range(errors, $"{path}.effects.filter.frequency", f.Frequency, FilterEffect.MinFrequency, FilterEffect.MaxFrequency);
            Range(errors, $"{path}.effects.filter.q", f.Q, FilterEffect.MinQ, FilterEffect.MaxQ);
        }
        if (fx.Distortion is { } d)
            Range(errors, $"{path}.effects.distortion.amount", d.Amount, DistortionEffect.MinAmount, DistortionEffect.MaxAmount);
        if (fx.Delay is { } dl)
        {
            Range(errors, $"{path}.effects.delay.time", dl.Time, DelayEffect.MinTime, DelayEffect.MaxTime);
            Range(errors, $"{path}.effects.delay.feedback", dl.Feedback, DelayEffect.MinFeedback, DelayEffect.MaxFeedback);
            Range(errors, $"{path}.effects.delay.mix", dl.Mix, DelayEffect.MinMix, DelayEffect.MaxMix);
        }
    }

    private static void Range(List<PatternError> errors, string path, double value, double min, double max)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            errors.Add(new(path, $"{Num.F(value)} is not a finite number (allowed {Num.F(min)}–{Num.F(max)})"));
        else if (value < min || value > max)
            errors.Add(new(path, $"{Num.F(value)} is outside {Num.F(min)}–{Num.F(max)}"));
    }

    private static void Range(List<PatternError> errors, string path, long value, long min, long max)
    {
        if (value < min || value > max)
            errors.Add(new(path, $"{Num.F(value)} is outside {Num.F(min)}–{Num.F(max)}"));
    }

    private static void Text(List<PatternError> errors, string path, string value, int maxLength)
    {
        if (value.Length > maxLength)
            errors.Add(new(path, $"is {value.Length} characters long; at most {maxLength} are allowed"));
        foreach (var ch in value)
        {
            if (char.IsControl(ch))
            {
                errors.Add(new(path, "must not contain control characters"));
                break;
            }
        }
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorRegex();
}
