using System.Text;
using Orbitr.Core.Model;

namespace Orbitr.Core.Sharing;

/// <summary>Reads the layout <see cref="ShareCodeWriter"/> writes, bounds-checking every length against the bytes present.</summary>
internal sealed class ShareCodeReader(byte[] data)
{
    private int _pos = 1; // after the version byte

    public static Pattern Read(byte[] data)
    {
        var r = new ShareCodeReader(data);
        var name = r.String();
        var bpm = r.Double();
        var swing = r.Double();
        var length = r.Int(Pattern.MaxLength);
        var seed = (uint)r.VarUInt(uint.MaxValue);
        var ts = new TimeSignature(r.Int(1000), r.Int(1000));
        var master = MasterSettings.Default;
        var masterFlags = r.Byte();
        if (masterFlags > 3) throw new ShareCodeFormatException("unknown master settings");
        if ((masterFlags & 1) != 0)
        {
            var volume = r.Double();
            var flags = r.Byte();
            var c = new CompressorSettings((flags & 1) != 0, r.Double(), r.Double(), r.Double(), r.Double(), r.Double());
            master = new MasterSettings(volume, c, new LimiterSettings((flags & 2) != 0, r.Double()) { TruePeak = (flags & 4) != 0 });
        }
        if ((masterFlags & 2) != 0)
        {
            var enabled = r.Byte() != 0;
            master = master with { Reverb = new ReverbSettings(enabled, r.Double(), r.Double(), r.Double(), r.Double()) };
        }

        var sampleCount = r.Int(Pattern.MaxSamples);
        var samples = new List<SampleEntry>(sampleCount);
        for (var i = 0; i < sampleCount; i++)
        {
            var flags = r.Byte();
            var kind = (SampleSourceKind)(flags & 3);
            if (!Enum.IsDefined(kind)) throw new ShareCodeFormatException("unknown sample kind");
            var key = r.String();
            var value = (flags & 4) != 0 ? key : r.String();
            var label = (flags & 8) != 0 ? r.String() : null;
            samples.Add(new SampleEntry(key, new SampleRef(kind, value, label)));
        }

        var trackCount = r.Int(Pattern.MaxTracks);
        var tracks = new List<Track>(trackCount);
        for (var t = 0; t < trackCount; t++)
        {
            var flags = r.Byte();
            int? choke = null;
            double? ringSwing = null;
            var reverb = 0.0;
            int? midiChannel = null, midiNote = null;
            if ((flags & 16) != 0)
            {
                var v2 = r.Byte();
                if ((v2 & 1) != 0) choke = r.Int(1000);
                if ((v2 & 2) != 0) ringSwing = r.Double();
                if ((v2 & 4) != 0) reverb = r.Double();
                if ((v2 & 8) != 0) midiChannel = r.Int(1000);
                if ((v2 & 16) != 0) midiNote = r.Int(1000);
            }
            var trackName = (flags & 4) != 0 ? PatternFactory.TrackName(t) : r.String();
            string color;
            if ((flags & 8) != 0)
            {
                var index = r.Byte();
                if (index >= PatternFactory.Palette.Count) throw new ShareCodeFormatException("unknown palette colour");
                color = PatternFactory.Palette[index];
            }
            else color = r.String();
            var sample = r.SampleKey(samples);
            var volume = r.Double();
            var pan = r.Double();
            var trackLength = r.Int(Pattern.MaxLength);
            var stepCount = r.Int(Pattern.MaxLength);
            var steps = new Step[stepCount];
            for (var i = 0; i < stepCount; i++) steps[i] = r.Step(samples);
            tracks.Add(new Track(trackName, color, sample, volume, pan, (flags & 1) != 0, (flags & 2) != 0, trackLength, steps)
            {
                Choke = choke, Swing = ringSwing, Reverb = reverb, MidiChannel = midiChannel, MidiNote = midiNote,
            });
        }
        if (r._pos != data.Length) throw new ShareCodeFormatException("unexpected bytes after the pattern");
        return new Pattern(name, bpm, swing, length, ts, seed, master, new EquatableArray<SampleEntry>(samples), new EquatableArray<Track>(tracks));
    }

    private Step Step(List<SampleEntry> samples)
    {
        var flags = Byte();
        var step = new Step(Active: (flags & 1) != 0);
        if ((flags & 64) != 0)
        {
            var v2 = Byte();
            if ((v2 & 1) != 0) step = step with { Pitch = Double() };
            if ((v2 & 2) != 0) step = step with { Start = Double() };
            if ((v2 & 4) != 0) step = step with { Reverse = true };
            if ((v2 & 8) != 0) step = step with { Gate = Double() };
            if ((v2 & 16) != 0) step = step with { Ratchet = Int(1000) };
            if ((v2 & 32) != 0)
            {
                var kind = (TrigConditionKind)Byte();
                if (!Enum.IsDefined(kind)) throw new ShareCodeFormatException("unknown trig condition");
                step = step with
                {
                    Condition = kind == TrigConditionKind.Ratio ? TrigCondition.Ratio(Int(1000), Int(1000)) : new TrigCondition(kind),
                };
            }
        }
        if ((flags & 2) != 0) step = step with { Sample = SampleKey(samples) ?? throw new ShareCodeFormatException("a step names no sample") };
        if ((flags & 4) != 0) step = step with { Velocity = Int(1000) };
        if ((flags & 8) != 0) step = step with { Probability = Double() };
        if ((flags & 16) != 0) step = step with { Timing = Double() };
        if ((flags & 32) == 0) return step;
        var fxFlags = Byte();
        FilterEffect? filter = null;
        if ((fxFlags & 1) != 0)
        {
            var type = (FilterType)Byte();
            if (!Enum.IsDefined(type)) throw new ShareCodeFormatException("unknown filter type");
            filter = new FilterEffect(type, Double(), Double());
        }
        var distortion = (fxFlags & 2) != 0 ? new DistortionEffect(Double()) : null;
        var delay = (fxFlags & 4) != 0 ? new DelayEffect(Double(), Double(), Double()) : null;
        return step with { Effects = new StepEffects(filter, distortion, delay) };
    }

    private string? SampleKey(List<SampleEntry> samples)
    {
        var index = Int(samples.Count);
        return index == 0 ? null : samples[index - 1].Key;
    }

    private byte Byte() => _pos < data.Length ? data[_pos++] : throw new ShareCodeFormatException("it ends too early");

    private ulong VarUInt(ulong max)
    {
        ulong v = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            v |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v <= max ? v : throw new ShareCodeFormatException("a number is out of range");
        }
        throw new ShareCodeFormatException("a number is too long");
    }

    private int Int(int max) => (int)VarUInt((ulong)max);

    private string String()
    {
        var length = Int(4096);
        if (_pos + length > data.Length) throw new ShareCodeFormatException("it ends too early");
        string value;
        try
        {
            value = new UTF8Encoding(false, true).GetString(data, _pos, length);
        }
        catch (DecoderFallbackException)
        {
            throw new ShareCodeFormatException("a text is not valid UTF-8");
        }
        _pos += length;
        return value;
    }

    private double Double()
    {
        var tag = VarUInt(ulong.MaxValue);
        if (tag == 1)
        {
            if (_pos + 8 > data.Length) throw new ShareCodeFormatException("it ends too early");
            var d = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(_pos, 8));
            _pos += 8;
            return double.IsFinite(d) ? d : throw new ShareCodeFormatException("a number is not finite");
        }
        if ((tag & 1) != 0) throw new ShareCodeFormatException("a number is malformed");
        var zig = tag >> 1;
        var m = (long)(zig >> 1) ^ -(long)(zig & 1);
        return m / 1000.0;
    }
}
