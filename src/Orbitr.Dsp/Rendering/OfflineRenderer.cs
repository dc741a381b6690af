using System.Numerics.Tensors;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Core.Songs;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Master;
using Orbitr.Dsp.Voice;

namespace Orbitr.Dsp.Rendering;

/// <summary>Pattern + samples → stereo audio, through the chain of ARCHITECTURE §2, streamed block by block into an
/// <see cref="IAudioSink"/>: memory holds the voices, the delay lines, the limiter's look-ahead and the quiet end of
/// the tail, never the song, so a render of an hour needs no more than one of a bar. Notes come lazily from the
/// same <see cref="Scheduler"/> the browser uses (the notes of N cycles by the integer rule) and start at
/// <see cref="Timing.ToSampleIndex"/>. Identical voices are rendered once (a voice's sound before the delay depends
/// only on its <see cref="VoiceKey"/>) while they fit <see cref="RenderOptions.VoiceCacheBytes"/>; the others are
/// played by <see cref="StreamingVoice"/>s straight from the shared sample (the same audio). The voices of a track that share delay settings feed one delay line
/// (delay is linear and time-invariant, so that equals a delay per voice to rounding).
/// Stages per block: voices → track buses (+ delay; sends → reverb) → master gain → compressor → DC blocker → limiter → auto tail → sink.</summary>
public static class OfflineRenderer
{
    private const int BlockSize = 2048;

    /// <summary>Renders into memory (tests, the browser, short renders). For long renders stream to a sink.</summary>
    public static AudioBuffer Render(Pattern pattern, IReadOnlyDictionary<string, AudioBuffer> samples, RenderOptions options)
    {
        var sink = new BufferSink(options.SampleRate, (int)Math.Min(1 << 24, Math.Max(0, SpanFrames(pattern, options))));
        Render(pattern, samples, options, sink);
        return sink.ToBuffer();
    }

    /// <summary>Frames of the pattern's N cycles: round(N × cycle seconds × rate). Notes are chosen by the grid, not by this.</summary>
    public static long SpanFrames(Pattern pattern, RenderOptions options) =>
        (long)Math.Round(options.Cycles * pattern.CycleSeconds * options.SampleRate);

    /// <summary>Streams the render into <paramref name="sink"/>; returns how many frames went there and their peak.</summary>
    /// <exception cref="MissingSampleException">a note plays a sample that is not in <paramref name="samples"/></exception>
    public static RenderResult Render(Pattern pattern, IReadOnlyDictionary<string, AudioBuffer> samples, RenderOptions options, IAudioSink sink,
        CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Cycles, 1);
        return RenderParts([new SongPart(pattern, options.Cycles)], [samples], SpanFrames(pattern, options), options, sink, cancel);
    }

    /// <summary>Renders a song (issue 25): its sections in order at <see cref="SongTimeline"/>'s times, each with its
    /// own pattern's rings, delays, reverb and master volume, whose tails ring on under the next section; the master
    /// compressor and limiter are the first section's. <paramref name="samples"/>[k] holds section k's samples
    /// (sections of one pattern may share one dictionary: their voices are then rendered once). RenderOptions.Cycles is
    /// not used: each section plays its own repeat.</summary>
    public static RenderResult Render(IReadOnlyList<SongPart> parts, IReadOnlyList<IReadOnlyDictionary<string, AudioBuffer>> samples, RenderOptions options,
        IAudioSink sink, CancellationToken cancel = default)
    {
        if (parts.Count == 0) throw new ArgumentException("a song has at least one section", nameof(parts));
        if (samples.Count != parts.Count) throw new ArgumentException("one sample table per section", nameof(samples));
        return RenderParts(parts, samples, SongSpanFrames(parts, options.SampleRate), options, sink, cancel);
    }

    /// <summary>Frames of a song's sections: round(T_n × rate).</summary>
    public static long SongSpanFrames(IReadOnlyList<SongPart> parts, int sampleRate) => (long)Math.Round(SongTimeline.TotalSeconds(parts) * sampleRate);

    /// <summary>A section while it sounds: its rings' buses, its reverb, its master volume and its voice cache.</summary>
    private sealed class Section
    {
        public required TrackBus[] Tracks;
        public required ReverbBus? Reverb;
        public required float Gain;
        public required IReadOnlyDictionary<string, AudioBuffer> Samples;
        public required Dictionary<VoiceKey, AudioBuffer> Voices;
        public required long EndFrame;
        public int Sounding;

        public bool Silent => AllSilent(Tracks) && Reverb?.Silent != false;
    }

    private static RenderResult RenderParts(IReadOnlyList<SongPart> parts, IReadOnlyList<IReadOnlyDictionary<string, AudioBuffer>> samples, long spanFrames,
        RenderOptions options, IAudioSink sink, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SampleRate, 1000);
        if (options.TailSeconds is { } t && !(t >= 0 && t <= 600)) throw new ArgumentOutOfRangeException(nameof(options), "tail must be 0–600 s");
        var rate = options.SampleRate;
        var autoTail = options.TailSeconds is null;
        var totalFrames = spanFrames + (long)Math.Round((options.TailSeconds ?? options.AutoTailLimit) * rate);
        var silence = (float)Math.Pow(10, RenderOptions.SilenceDb / 20);
        var starts = SongTimeline.Starts(parts);

        // ---- setup: the master chain (the first section's), scratch; sections are set up when their first note comes ----
        var first = parts[0].Pattern;
        var cachedBytes = 0L;
        var mixL = new float[BlockSize];
        var mixR = new float[BlockSize];
        var sectionL = new float[BlockSize];
        var sectionR = new float[BlockSize];
        var voiceScratchL = new float[BlockSize];
        var voiceScratchR = new float[BlockSize];
        var active = new Note[64];
        var activeCount = 0;
        var sections = new Section?[parts.Count];
        var live = new List<int>();
        var caches = new Dictionary<IReadOnlyDictionary<string, AudioBuffer>, Dictionary<VoiceKey, AudioBuffer>>(ReferenceEqualityComparer.Instance);
        var compressor = first.Master.Compressor.Enabled ? new Compressor(first.Master.Compressor, rate) : null;
        var dcBlocker = compressor is null ? null : new DcBlocker(rate);
        var master = new OutputStage(first.Master.Limiter, rate, autoTail ? spanFrames : totalFrames, sink, BlockSize);
        var stems = options.Stems;
        if (stems is not null && stems.Rings.Count < parts.Max(x => x.Pattern.Tracks.Count))
            throw new ArgumentException("one stem sink per ring of the song's largest section", nameof(options));
        var stemL = stems is null ? [] : stems.Rings.Select(_ => new float[BlockSize]).ToArray();
        var stemR = stems is null ? [] : stems.Rings.Select(_ => new float[BlockSize]).ToArray();
        var reverbStemL = new float[stems is null ? 0 : BlockSize];
        var reverbStemR = new float[stems is null ? 0 : BlockSize];

        using var notes = SongTimeline.Notes(parts, options.Fill).GetEnumerator();
        var next = notes.MoveNext() ? ToNote(notes.Current.Section, notes.Current.Note) : (Note?)null;

        // ---- blocks ----
        for (long start = 0; start < totalFrames; start += BlockSize)
        {
            if ((start & 0x7FFF) == 0) cancel.ThrowIfCancellationRequested(); // every 16 blocks
            var frames = (int)Math.Min(BlockSize, totalFrames - start);
            var end = start + frames;
            while (next is { } n && n.Start < end)
            {
                // Choke: this onset fades every voice of its group that started before it (ring's own included).
                if (n.Choke != 0)
                    for (var a = 0; a < activeCount; a++)
                        if (active[a].Choke == n.Choke && active[a].Start < n.Start && active[a].ChokeFrame > n.Start)
                            active[a].ChokeFrame = n.Start;
                if (activeCount == active.Length) Array.Resize(ref active, active.Length * 2);
                active[activeCount++] = n;
                sections[n.Section]!.Sounding++;
                if (activeCount > options.MaxVoices)
                    throw new RenderLimitException("voices",
                        $"more than {options.MaxVoices} voices would sound at once (at {(double)n.Start / rate:0.000} s); use fewer or shorter sounds on overlapping steps");
                next = notes.MoveNext() ? ToNote(notes.Current.Section, notes.Current.Note) : null;
            }
            foreach (var k in live)
            {
                foreach (var bus in sections[k]!.Tracks) bus.Clear(frames);
                sections[k]!.Reverb?.Clear(frames);
            }

            for (var a = 0; a < activeCount; a++)
            {
                ref var note = ref active[a];
                var bus = sections[note.Section]!.Tracks[note.Track];
                var from = (int)Math.Max(0, note.Start - start);           // first frame of this block it covers
                var offset = (int)(start + from - note.Start);             // where in the voice that is
                var length = note.Length;
                var choked = note.ChokeFrame != long.MaxValue;
                if (choked) length = (int)Math.Min(length, Envelopes.SilentFrom(note.ChokeFrame - note.Start, rate));
                var count = Math.Min(frames - from, length - offset);
                ReadOnlySpan<float> voiceL, voiceR;
                if (note.Voice is { } cached && !(choked && note.ChokeFrame < start + from + count))
                {
                    voiceL = cached.Channel(0).AsSpan(offset, count);
                    voiceR = cached.Channel(1).AsSpan(offset, count);
                }
                else
                {
                    if (note.Voice is { } copy)
                    {
                        copy.Channel(0).AsSpan(offset, count).CopyTo(voiceScratchL);
                        copy.Channel(1).AsSpan(offset, count).CopyTo(voiceScratchR);
                    }
                    else note.Stream!.Render(voiceScratchL.AsSpan(0, count), voiceScratchR.AsSpan(0, count));
                    if (choked)
                        Envelopes.Apply(voiceScratchL.AsSpan(0, count), voiceScratchR.AsSpan(0, count), offset, note.ChokeFrame - note.Start, rate);
                    voiceL = voiceScratchL.AsSpan(0, count);
                    voiceR = voiceScratchR.AsSpan(0, count);
                }
                var dryL = bus.DryL.AsSpan(from, count);
                var dryR = bus.DryR.AsSpan(from, count);
                TensorPrimitives.Add(voiceL, dryL, dryL);
                TensorPrimitives.Add(voiceR, dryR, dryR);
                if (note.Send >= 0)
                {
                    var sendL = bus.SendL(note.Send).AsSpan(from, count);
                    var sendR = bus.SendR(note.Send).AsSpan(from, count);
                    TensorPrimitives.Add(voiceL, sendL, sendL);
                    TensorPrimitives.Add(voiceR, sendR, sendR);
                }
                // A streaming voice's length may have become final (shorter) in this block.
                if (note.Stream is not null) length = Math.Min(length, note.Length);
                if (offset + count >= length)
                {
                    sections[note.Section]!.Sounding--;
                    active[a--] = active[--activeCount]; // voice ended
                }
            }

            var outL = mixL.AsSpan(0, frames);
            var outR = mixR.AsSpan(0, frames);
            outL.Clear();
            outR.Clear();
            if (stems is not null) MixStems(frames);
            else if (live.Count == 1)
            {
                // One section (a pattern's render): its mix straight into the master, as it always was.
                var one = sections[live[0]]!;
                foreach (var bus in one.Tracks) bus.MixInto(outL, outR, one.Reverb);
                one.Reverb?.MixInto(outL, outR);
                TensorPrimitives.Multiply(outL, one.Gain, outL);
                TensorPrimitives.Multiply(outR, one.Gain, outR);
            }
            else
            {
                var partL = sectionL.AsSpan(0, frames);
                var partR = sectionR.AsSpan(0, frames);
                foreach (var k in live)
                {
                    var section = sections[k]!;
                    partL.Clear();
                    partR.Clear();
                    foreach (var bus in section.Tracks) bus.MixInto(partL, partR, section.Reverb);
                    section.Reverb?.MixInto(partL, partR);
                    TensorPrimitives.Multiply(partL, section.Gain, partL);
                    TensorPrimitives.Multiply(partR, section.Gain, partR);
                    TensorPrimitives.Add(partL, outL, outL);
                    TensorPrimitives.Add(partR, outR, outR);
                }
            }
            compressor?.Process(outL, outR);
            dcBlocker?.Process(outL, outR);
            master.Write(outL, outR);
            // A section whose time is over, with no voice left and its delays and reverb silent, is let go while another
            // sounds (memory holds the sections that still sound, not the song; a pattern's render keeps its one).
            for (var i = live.Count - 1; i >= 0; i--)
            {
                var section = sections[live[i]]!;
                if (live.Count > 1 && end >= section.EndFrame && section.Sounding == 0 && next?.Section != live[i] && section.Silent)
                {
                    sections[live[i]] = null;
                    live.RemoveAt(i);
                }
            }
            var quiet = !(master.LastPeak > silence);
            // Auto tail: past the span, stop once nothing sounds and nothing is left to sound.
            if (autoTail && end >= spanFrames && activeCount == 0 && next is null && quiet && live.TrueForAll(k => sections[k]!.Silent))
                break;
        }
        return master.Complete();

        // Each ring (and the reverb's return) on its own, at the master volume, then their sum as the mix.
        void MixStems(int frames)
        {
            var outL = mixL.AsSpan(0, frames);
            var outR = mixR.AsSpan(0, frames);
            var partL = sectionL.AsSpan(0, frames);
            var partR = sectionR.AsSpan(0, frames);
            foreach (var buffer in stemL) buffer.AsSpan(0, frames).Clear();
            foreach (var buffer in stemR) buffer.AsSpan(0, frames).Clear();
            reverbStemL.AsSpan(0, frames).Clear();
            reverbStemR.AsSpan(0, frames).Clear();
            foreach (var k in live)
            {
                var section = sections[k]!;
                for (var r = 0; r < section.Tracks.Length; r++)
                {
                    partL.Clear();
                    partR.Clear();
                    section.Tracks[r].MixInto(partL, partR, section.Reverb);
                    TensorPrimitives.MultiplyAdd(partL, section.Gain, stemL[r].AsSpan(0, frames), stemL[r].AsSpan(0, frames));
                    TensorPrimitives.MultiplyAdd(partR, section.Gain, stemR[r].AsSpan(0, frames), stemR[r].AsSpan(0, frames));
                }
                if (section.Reverb is null) continue;
                partL.Clear();
                partR.Clear();
                section.Reverb.MixInto(partL, partR);
                TensorPrimitives.MultiplyAdd(partL, section.Gain, reverbStemL.AsSpan(0, frames), reverbStemL.AsSpan(0, frames));
                TensorPrimitives.MultiplyAdd(partR, section.Gain, reverbStemR.AsSpan(0, frames), reverbStemR.AsSpan(0, frames));
            }
            for (var r = 0; r < stemL.Length; r++)
            {
                TensorPrimitives.Add(stemL[r].AsSpan(0, frames), outL, outL);
                TensorPrimitives.Add(stemR[r].AsSpan(0, frames), outR, outR);
                stems!.Rings[r].Write(stemL[r].AsSpan(0, frames), stemR[r].AsSpan(0, frames));
            }
            TensorPrimitives.Add(reverbStemL.AsSpan(0, frames), outL, outL);
            TensorPrimitives.Add(reverbStemR.AsSpan(0, frames), outR, outR);
            stems!.Reverb?.Write(reverbStemL.AsSpan(0, frames), reverbStemR.AsSpan(0, frames));
        }

        Section Open(int k)
        {
            var pattern = parts[k].Pattern;
            var tracks = new TrackBus[pattern.Tracks.Count];
            for (var i = 0; i < tracks.Length; i++)
            {
                tracks[i] = new TrackBus((float)pattern.Tracks[i].Volume, (float)pattern.Tracks[i].Reverb);
                foreach (var step in pattern.Tracks[i].Steps)
                    if (step.Active && step.Effects?.Delay is { } delay) tracks[i].SendFor(delay, rate);
                tracks[i].Allocate(BlockSize);
            }
            if (!caches.TryGetValue(samples[k], out var voices)) caches[samples[k]] = voices = [];
            var section = new Section
            {
                Tracks = tracks,
                Reverb = pattern.UsesReverb ? new ReverbBus(pattern.Master.Reverb, rate, BlockSize) : null,
                Gain = (float)pattern.Master.Volume,
                Samples = samples[k],
                Voices = voices,
                EndFrame = (long)Math.Round(starts[k + 1] * rate),
            };
            sections[k] = section;
            live.Add(k);
            live.Sort();
            return section;
        }

        Note ToNote(int k, NoteEvent e)
        {
            var section = sections[k] ?? Open(k);
            if (!section.Samples.TryGetValue(e.SampleKey, out var sample)) throw new MissingSampleException(e.SampleKey);
            var key = new VoiceKey(e.SampleKey, e.Gain, e.Pan, e.Effects?.Filter, e.Effects?.Distortion, VoiceShape.Of(e.Step, e.Rate, sample.Length));
            var send = e.Effects?.Delay is { } d ? section.Tracks[e.TrackIndex].SendFor(d, rate) : -1;
            var at = Timing.ToSampleIndex(e.Time, rate);
            var choke = e.Choke ?? 0;
            if (section.Voices.TryGetValue(key, out var voice)) return new Note(at, voice, null, k, e.TrackIndex, send, choke);
            if (sample.SampleRate != rate)
                throw new ArgumentException($"sample \"{e.SampleKey}\" is at {sample.SampleRate} Hz but the render is at {rate} Hz; resample it first", nameof(samples));
            // Rendered once and kept while the budget lasts; past it each note plays its chain from the shared sample,
            // so memory never grows with the number of distinct voices.
            var bytes = VoiceRenderer.MaxBytes(sample, key);
            if (cachedBytes + bytes > options.VoiceCacheBytes) return new Note(at, null, new StreamingVoice(sample, key), k, e.TrackIndex, send, choke);
            section.Voices[key] = voice = VoiceRenderer.Render(sample, key);
            cachedBytes += bytes;
            return new Note(at, voice, null, k, e.TrackIndex, send, choke);
        }
    }

    private static bool AllSilent(TrackBus[] tracks)
    {
        foreach (var t in tracks) if (!t.Silent()) return false;
        return true;
    }

    private record struct Note(long Start, AudioBuffer? Voice, StreamingVoice? Stream, int Section, int Track, int Send, int Choke)
    {
        /// <summary>The onset of a later voice of this voice's choke group: it fades from there (long.MaxValue: not choked).</summary>
        public long ChokeFrame = long.MaxValue;

        // A streaming voice's length becomes final (shorter) once its sample has played.
        public readonly int Length => Voice?.Length ?? Stream!.Length;
    }
}

/// <summary>What a streamed render produced: its length and peak.</summary>
public readonly record struct RenderResult(long Frames, float Peak, int SampleRate)
{
    public double Duration => (double)Frames / SampleRate;
}
