namespace Orbitr.Core.Tests.Midi;

/// <summary>Standard MIDI Files written byte by byte (not through NAudio, which the importer reads with), so a test
/// controls every delta, running status and meta event as another tool would write them.</summary>
internal sealed class Smf(int format, int ppq)
{
    private readonly List<List<(long Tick, byte[] Bytes)>> _tracks = [];

    public int Ppq { get; } = ppq;

    public Smf Track(Action<TrackWriter> write)
    {
        var events = new List<(long, byte[])>();
        write(new TrackWriter(events));
        _tracks.Add(events);
        return this;
    }

    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        ms.Write("MThd"u8);
        BigEndian(ms, 6, 4);
        BigEndian(ms, format, 2);
        BigEndian(ms, _tracks.Count, 2);
        BigEndian(ms, Ppq, 2);
        foreach (var track in _tracks)
        {
            using var body = new MemoryStream();
            long last = 0;
            // Stable by tick: events at one tick keep the order they were added in (note-offs before note-ons).
            foreach (var (tick, bytes) in track.Select((e, i) => (e, i)).OrderBy(x => x.e.Tick).ThenBy(x => x.i).Select(x => x.e))
            {
                Vlq(body, tick - last);
                body.Write(bytes);
                last = tick;
            }
            if (!track.Any(e => e.Bytes is [0xFF, 0x2F, ..]))
            {
                Vlq(body, 0);
                body.Write([0xFF, 0x2F, 0x00]);
            }
            ms.Write("MTrk"u8);
            BigEndian(ms, (int)body.Length, 4);
            body.WriteTo(ms);
        }
        return ms.ToArray();
    }

    private static void BigEndian(Stream s, int value, int bytes)
    {
        for (var i = bytes - 1; i >= 0; i--) s.WriteByte((byte)(value >> (8 * i)));
    }

    internal static void Vlq(Stream s, long value)
    {
        var bytes = new Stack<byte>();
        bytes.Push((byte)(value & 0x7F));
        while ((value >>= 7) > 0) bytes.Push((byte)(0x80 | (value & 0x7F)));
        foreach (var b in bytes) s.WriteByte(b);
    }

    internal sealed class TrackWriter(List<(long Tick, byte[] Bytes)> events)
    {
        public TrackWriter Tempo(long tick, double bpm)
        {
            var us = (int)Math.Round(60_000_000 / bpm);
            events.Add((tick, [0xFF, 0x51, 0x03, (byte)(us >> 16), (byte)(us >> 8), (byte)us]));
            return this;
        }

        public TrackWriter TimeSignature(long tick, int numerator, int denominator) =>
            Add(tick, 0xFF, 0x58, 0x04, (byte)numerator, (byte)Math.Log2(denominator), 24, 8);

        public TrackWriter Name(string name)
        {
            var text = System.Text.Encoding.UTF8.GetBytes(name);
            return Add(0, [0xFF, 0x03, (byte)text.Length, .. text]);
        }

        /// <summary>A note (channel 1–16) with its note-off <paramref name="length"/> ticks later (as a note-on of velocity 0).</summary>
        public TrackWriter Note(long tick, int note, int velocity, int channel = 10, long length = 10)
        {
            events.Add((tick, [(byte)(0x90 | (channel - 1)), (byte)note, (byte)velocity]));
            events.Add((tick + length, [(byte)(0x90 | (channel - 1)), (byte)note, 0]));
            return this;
        }

        public TrackWriter End(long tick) => Add(tick, 0xFF, 0x2F, 0x00);

        public TrackWriter Add(long tick, params byte[] bytes)
        {
            events.Add((tick, bytes));
            return this;
        }
    }
}
