using System.Text.Json;
using Orbitr.Core.Model;
using Orbitr.Core.Validation;

namespace Orbitr.Core.Json;

/// <summary>The outcome of reading a pattern file: a valid pattern, or every error found.</summary>
public sealed record PatternReadResult(Pattern? Pattern, IReadOnlyList<PatternError> Errors)
{
    public bool Ok => Pattern is not null;
}

/// <summary>Pattern JSON v2 (ARCHITECTURE §2): UTF-8, camelCase, defaults for missing fields, unknown fields rejected by
/// path; every v1 file reads as before, the writer writes version 2 (v2's fields only where they are not defaults).</summary>
public static class PatternJson
{
    /// <summary>Files larger than this are refused before parsing.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static string Write(Pattern pattern) => JsonSerializer.Serialize(ToDocument(pattern), PatternJsonContext.Default.PatternDocument);

    public static byte[] WriteUtf8(Pattern pattern) => JsonSerializer.SerializeToUtf8Bytes(ToDocument(pattern), PatternJsonContext.Default.PatternDocument);

    /// <summary>Reads and validates; never throws on any input.</summary>
    public static PatternReadResult Read(ReadOnlySpan<byte> utf8) => PatternJsonReader.Read(utf8);

    public static PatternReadResult Read(string json)
    {
        if (json.Length > MaxBytes) return PatternJsonReader.TooLarge(json.Length);
        return Read(System.Text.Encoding.UTF8.GetBytes(json));
    }

    private static PatternDocument ToDocument(Pattern p)
    {
        var doc = new PatternDocument
        {
            Name = p.Name,
            Bpm = p.Bpm,
            Swing = p.Swing,
            Length = p.Length,
            TimeSignature = [p.TimeSignature.Numerator, p.TimeSignature.Denominator],
            Seed = p.Seed,
            Master = new MasterDocument
            {
                Volume = p.Master.Volume,
                Compressor = new CompressorDocument
                {
                    Enabled = p.Master.Compressor.Enabled,
                    Threshold = p.Master.Compressor.Threshold,
                    Knee = p.Master.Compressor.Knee,
                    Ratio = p.Master.Compressor.Ratio,
                    Attack = p.Master.Compressor.Attack,
                    Release = p.Master.Compressor.Release,
                },
                Limiter = new LimiterDocument { Enabled = p.Master.Limiter.Enabled, Ceiling = p.Master.Limiter.Ceiling, TruePeak = p.Master.Limiter.TruePeak },
                Reverb = new ReverbDocument
                {
                    Enabled = p.Master.Reverb.Enabled, Decay = p.Master.Reverb.Decay, Damping = p.Master.Reverb.Damping,
                    PreDelay = p.Master.Reverb.PreDelay, Return = p.Master.Reverb.Return,
                },
            },
        };
        foreach (var s in p.Samples)
            doc.Samples[s.Key] = new SampleDocument { Source = s.Ref.Source, Name = s.Ref.Name };
        foreach (var t in p.Tracks)
        {
            var td = new TrackDocument
            {
                Name = t.Name, Color = t.Color, Sample = t.Sample, Volume = t.Volume, Pan = t.Pan,
                Mute = t.Mute, Solo = t.Solo, Length = t.Length, Choke = t.Choke, Swing = t.Swing, Reverb = t.Reverb,
                MidiChannel = t.MidiChannel, MidiNote = t.MidiNote,
            };
            foreach (var s in t.Steps)
            {
                td.Steps.Add(new StepDocument
                {
                    Active = s.Active, Sample = s.Sample, Velocity = s.Velocity, Probability = s.Probability,
                    Timing = s.Timing, Effects = ToDocument(s.Effects),
                    Pitch = s.Pitch, Start = s.Start, Reverse = s.Reverse, Gate = s.Gate, Ratchet = s.Ratchet == 1 ? null : s.Ratchet,
                    Condition = s.Condition?.ToString(),
                });
            }
            doc.Tracks.Add(td);
        }
        return doc;
    }

    private static EffectsDocument? ToDocument(StepEffects? fx) => fx is null ? null : new EffectsDocument
    {
        Filter = fx.Filter is { } f ? new FilterDocument { Type = FilterTypeName(f.Type), Frequency = f.Frequency, Q = f.Q } : null,
        Distortion = fx.Distortion is { } d ? new DistortionDocument { Amount = d.Amount } : null,
        Delay = fx.Delay is { } dl ? new DelayDocument { Time = dl.Time, Feedback = dl.Feedback, Mix = dl.Mix } : null,
    };

    public static string FilterTypeName(FilterType type) => type switch
    {
        FilterType.Highpass => "highpass",
        FilterType.Bandpass => "bandpass",
        _ => "lowpass",
    };
}
