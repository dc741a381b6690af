using System.Runtime.InteropServices;

namespace Orbitr.Web.Audio.Playback;

/// <summary>A tick's answer to audio.js: float64 numbers, sent as their little-endian bytes (a Uint8Array there, no
/// JSON numbers). A header of <see cref="Header"/> numbers: [cancelFrom (audio-clock time from which the voices not
/// started yet are cancelled; −1 none), skipped notes so far, ring count k of a new playhead state (−1 none)], then,
/// when k ≥ 0, [origin, stepSeconds, length, the k ring lengths], then the voices, <see cref="VoiceMessage.Stride"/>
/// numbers each.</summary>
public static class TickMessage
{
    public const int Header = 3;

    public static void Begin(List<double> into, double cancelFrom, long skipped)
    {
        into.Clear();
        into.Add(double.IsNaN(cancelFrom) ? -1 : cancelFrom);
        into.Add(skipped);
        into.Add(-1);
    }

    /// <summary>Adds the playhead's state (right after <see cref="Begin"/>, before any voice).</summary>
    public static void Playhead(List<double> into, double origin, double stepSeconds, int length, IReadOnlyList<int> lengths)
    {
        into[2] = lengths.Count;
        into.Add(origin);
        into.Add(stepSeconds);
        into.Add(length);
        foreach (var l in lengths) into.Add(l);
    }

    public static byte[] Bytes(List<double> message) => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(message)).ToArray();
}
