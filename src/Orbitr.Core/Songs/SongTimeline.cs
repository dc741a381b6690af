using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;

namespace Orbitr.Core.Songs;

/// <summary>A section with its pattern resolved: what renderers and the browser play.</summary>
public sealed record SongPart(Pattern Pattern, int Repeat);

/// <summary>Song timing (issue 25), the one definition every renderer uses: section k starts at
/// T_k = Σ_{j&lt;k} repeat_j × (length_j × stepSeconds_j) (summed in double, in section order), its notes are its own
/// pattern's notes of <c>repeat</c> cycles (cycles counted from 0 in the section, so probability and conditions
/// start afresh) at T_k + t, and a note of section k lands on sample round((T_k + t) × rate).</summary>
public static class SongTimeline
{
    /// <summary>Seconds one section lasts: repeat × (length × stepSeconds), as a pattern's render of that many cycles.</summary>
    public static double SectionSeconds(SongPart part) => part.Repeat * part.Pattern.CycleSeconds;

    /// <summary>T_0 … T_n: each section's start, and last the song's end.</summary>
    public static double[] Starts(IReadOnlyList<SongPart> parts)
    {
        var starts = new double[parts.Count + 1];
        for (var k = 0; k < parts.Count; k++) starts[k + 1] = starts[k] + SectionSeconds(parts[k]);
        return starts;
    }

    public static double TotalSeconds(IReadOnlyList<SongPart> parts) => Starts(parts)[^1];

    /// <summary>Every note of the song in time order (equal times: the earlier section first), lazily, with the
    /// section it belongs to; its time is from the song's start. A section's notes start at or after its start (step 0
    /// with negative timing clamps to it) but its late last steps may start after the next section's start, so the
    /// sections' notes are merged: a section is opened once the next note to hand out is not before its start.</summary>
    public static IEnumerable<(int Section, NoteEvent Note)> Notes(IReadOnlyList<SongPart> parts, bool fill = false)
    {
        var starts = Starts(parts);
        var heads = new PriorityQueue<(int Section, IEnumerator<NoteEvent> Notes), (double Time, int Section)>();
        var opened = 0;
        try
        {
            while (true)
            {
                // Open every section that could have a note before (or at) the earliest waiting one.
                while (opened < parts.Count && (heads.Count == 0 || starts[opened] <= heads.Peek().Notes.Current.Time + starts[heads.Peek().Section]))
                {
                    var e = Scheduler.EnumerateCycles(parts[opened].Pattern, parts[opened].Repeat, fill).GetEnumerator();
                    if (e.MoveNext()) heads.Enqueue((opened, e), (starts[opened] + e.Current.Time, opened));
                    else e.Dispose();
                    opened++;
                }
                if (heads.Count == 0) yield break;
                var (section, notes) = heads.Dequeue();
                var note = notes.Current;
                yield return (section, note with { Time = starts[section] + note.Time });
                if (notes.MoveNext()) heads.Enqueue((section, notes), (starts[section] + notes.Current.Time, section));
                else notes.Dispose();
            }
        }
        finally
        {
            while (heads.Count > 0) heads.Dequeue().Notes.Dispose();
        }
    }
}
