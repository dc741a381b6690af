using System.Text;
using Orbitr.Core.Model;

namespace Orbitr.Core.Sharing;

/// <summary>The binary layout of share code v2 (v1 plus pattern v2's fields, each behind a flag bit that v1 never set,
/// so a v1 code reads the same). Numbers that are round decimals (k/1000) are stored as zig-zag varints; any other
/// double is stored raw, so every value survives exactly.</summary>
internal sealed class ShareCodeWriter(Stream s)
{
    public static void Write(Pattern p, Stream stream)
    {
        var w = new ShareCodeWriter(stream);
        stream.WriteByte(ShareCode.Version);
        w.String(p.Name);
        w.Double(p.Bpm);
        w.Double(p.Swing);
        w.VarUInt((ulong)p.Length);
        w.VarUInt(p.Seed);
        w.VarUInt((ulong)p.TimeSignature.Numerator);
        w.VarUInt((ulong)p.TimeSignature.Denominator);
        var reverbSet = p.Master.Reverb != ReverbSettings.Default;
        var mixSet = (p.Master with { Reverb = ReverbSettings.Default }) != MasterSettings.Default;
        stream.WriteByte((byte)((mixSet ? 1 : 0) | (reverbSet ? 2 : 0)));
        if (mixSet)
        {
            var c = p.Master.Compressor;
            w.Double(p.Master.Volume);
            stream.WriteByte((byte)((c.Enabled ? 1 : 0) | (p.Master.Limiter.Enabled ? 2 : 0) | (p.Master.Limiter.TruePeak ? 4 : 0)));
            foreach (var v in new[] { c.Threshold, c.Knee, c.Ratio, c.Attack, c.Release, p.Master.Limiter.Ceiling }) w.Double(v);
        }
        if (reverbSet)
        {
            var r = p.Master.Reverb;
            stream.WriteByte((byte)(r.Enabled ? 1 : 0));
            foreach (var v in new[] { r.Decay, r.Damping, r.PreDelay, r.Return }) w.Double(v);
        }

        w.VarUInt((ulong)p.Samples.Count);
        foreach (var e in p.Samples)
        {
            var sameAsKey = e.Ref.Value == e.Key;
            stream.WriteByte((byte)((int)e.Ref.Kind | (sameAsKey ? 4 : 0) | (e.Ref.Name is not null ? 8 : 0)));
            w.String(e.Key);
            if (!sameAsKey) w.String(e.Ref.Value);
            if (e.Ref.Name is not null) w.String(e.Ref.Name);
        }

        w.VarUInt((ulong)p.Tracks.Count);
        for (var t = 0; t < p.Tracks.Count; t++)
        {
            var track = p.Tracks[t];
            var palette = PatternFactory.Palette.ToList().IndexOf(track.Color);
            var defaultName = track.Name == PatternFactory.TrackName(t);
            var v2 = (track.Choke is not null ? 1 : 0) | (track.Swing is not null ? 2 : 0) | (track.Reverb != 0 ? 4 : 0)
                | (track.MidiChannel is not null ? 8 : 0) | (track.MidiNote is not null ? 16 : 0);
            stream.WriteByte((byte)((track.Mute ? 1 : 0) | (track.Solo ? 2 : 0) | (defaultName ? 4 : 0) | (palette >= 0 ? 8 : 0) | (v2 != 0 ? 16 : 0)));
            if (v2 != 0)
            {
                stream.WriteByte((byte)v2);
                if (track.Choke is { } choke) w.VarUInt((ulong)choke);
                if (track.Swing is { } swing) w.Double(swing);
                if (track.Reverb != 0) w.Double(track.Reverb);
                if (track.MidiChannel is { } channel) w.VarUInt((ulong)channel);
                if (track.MidiNote is { } note) w.VarUInt((ulong)note);
            }
            if (!defaultName) w.String(track.Name);
            if (palette >= 0) stream.WriteByte((byte)palette); else w.String(track.Color);
            w.VarUInt(SampleIndex(p, track.Sample));
            w.Double(track.Volume);
            w.Double(track.Pan);
            w.VarUInt((ulong)track.Length);
            w.VarUInt((ulong)track.Steps.Count);
            foreach (var step in track.Steps) w.Step(p, step);
        }
    }

    private void Step(Pattern p, Step step)
    {
        var flags = (step.Active ? 1 : 0) | (step.Sample is not null ? 2 : 0) | (step.Velocity != Model.Step.DefaultVelocity ? 4 : 0)
            | (step.Probability != 1 ? 8 : 0) | (step.Timing != 0 ? 16 : 0) | (step.Effects is not null ? 32 : 0);
        var v2 = (step.Pitch != 0 ? 1 : 0) | (step.Start != 0 ? 2 : 0) | (step.Reverse ? 4 : 0) | (step.Gate is not null ? 8 : 0)
            | (step.Ratchet != 1 ? 16 : 0) | (step.Condition is not null ? 32 : 0);
        s.WriteByte((byte)(flags | (v2 != 0 ? 64 : 0)));
        if (v2 != 0)
        {
            s.WriteByte((byte)v2);
            if (step.Pitch != 0) Double(step.Pitch);
            if (step.Start != 0) Double(step.Start);
            if (step.Gate is { } gate) Double(gate);
            if (step.Ratchet != 1) VarUInt((ulong)step.Ratchet);
            if (step.Condition is { } c)
            {
                s.WriteByte((byte)c.Kind);
                if (c.Kind == TrigConditionKind.Ratio)
                {
                    VarUInt((ulong)c.A);
                    VarUInt((ulong)c.B);
                }
            }
        }
        if (step.Sample is not null) VarUInt(SampleIndex(p, step.Sample));
        if ((flags & 4) != 0) VarUInt((ulong)step.Velocity);
        if ((flags & 8) != 0) Double(step.Probability);
        if ((flags & 16) != 0) Double(step.Timing);
        if (step.Effects is not { } fx) return;
        s.WriteByte((byte)((fx.Filter is not null ? 1 : 0) | (fx.Distortion is not null ? 2 : 0) | (fx.Delay is not null ? 4 : 0)));
        if (fx.Filter is { } f)
        {
            s.WriteByte((byte)f.Type);
            Double(f.Frequency);
            Double(f.Q);
        }
        if (fx.Distortion is { } d) Double(d.Amount);
        if (fx.Delay is { } dl)
        {
            Double(dl.Time);
            Double(dl.Feedback);
            Double(dl.Mix);
        }
    }

    /// <summary>0 for "none", else 1 + the key's index in the sample table.</summary>
    private static ulong SampleIndex(Pattern p, string? key)
    {
        if (key is null) return 0;
        for (var i = 0; i < p.Samples.Count; i++)
            if (p.Samples[i].Key == key) return (ulong)i + 1;
        throw new ArgumentException($"sample \"{key}\" is not in the sample table");
    }

    public void VarUInt(ulong v)
    {
        while (v >= 0x80)
        {
            s.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        s.WriteByte((byte)v);
    }

    public void String(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        VarUInt((ulong)bytes.Length);
        s.Write(bytes);
    }

    public void Double(double d)
    {
        var m = Math.Round(d * 1000);
        if (Math.Abs(m) < 1L << 40 && m / 1000 == d && !(d == 0 && double.IsNegative(d)))
        {
            var z = (long)m;
            VarUInt((((ulong)(z << 1)) ^ (ulong)(z >> 63)) << 1);
            return;
        }
        VarUInt(1);
        Span<byte> raw = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(raw, d);
        s.Write(raw);
    }
}
