using System.Numerics.Tensors;
using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
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
/// Stages per block: voices → track buses (+ delay) → master gain → compressor → limiter → auto tail → sink.</summary>
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
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SampleRate, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Cycles, 1);
        if (options.TailSeconds is { } t && !(t >= 0 && t <= 600)) throw new ArgumentOutOfRangeException(nameof(options), "tail must be 0–600 s");
        var rate = options.SampleRate;
        var autoTail = options.TailSeconds is null;
        var spanFrames = SpanFrames(pattern, options);
        var totalFrames = spanFrames + (long)Math.Round((options.TailSeconds ?? RenderOptions.MaxAutoTail) * rate);
        var silence = (float)Math.Pow(10, RenderOptions.SilenceDb / 20);

        // ---- setup: buses and delay lines for every delay setting the pattern can play, the master chain ----
        var tracks = new TrackBus[pattern.Tracks.Count];
        for (var i = 0; i < tracks.Length; i++)
        {
            tracks[i] = new TrackBus((float)pattern.Tracks[i].Volume);
            foreach (var step in pattern.Tracks[i].Steps)
                if (step.Active && step.Effects?.Delay is { } delay) tracks[i].SendFor(delay, rate);
            tracks[i].Allocate(BlockSize);
        }
        var voices = new Dictionary<VoiceKey, AudioBuffer>();
        var cachedBytes = 0L;
        var mixL = new float[BlockSize];
        var mixR = new float[BlockSize];
        var voiceScratchL = new float[BlockSize];
        var voiceScratchR = new float[BlockSize];
        var active = new Note[64];
        var activeCount = 0;
        var compressor = pattern.Master.Compressor.Enabled ? new Compressor(pattern.Master.Compressor, rate) : null;
        var masterGain = (float)pattern.Master.Volume;
        var master = new OutputStage(pattern.Master.Limiter, rate, autoTail ? spanFrames : totalFrames, sink, BlockSize);

        using var notes = Scheduler.EnumerateCycles(pattern, options.Cycles).GetEnumerator();
        var next = notes.MoveNext() ? ToNote(notes.Current) : (Note?)null;

        // ---- blocks ----
        for (long start = 0; start < totalFrames; start += BlockSize)
        {
            if ((start & 0x7FFF) == 0) cancel.ThrowIfCancellationRequested(); // every 16 blocks
            var frames = (int)Math.Min(BlockSize, totalFrames - start);
            var end = start + frames;
            while (next is { } n && n.Start < end)
            {
                if (activeCount == active.Length) Array.Resize(ref active, active.Length * 2);
                active[activeCount++] = n;
                if (activeCount > options.MaxVoices)
                    throw new RenderLimitException("voices",
                        $"more than {options.MaxVoices} voices would sound at once (at {(double)n.Start / rate:0.000} s); use fewer or shorter sounds on overlapping steps");
                next = notes.MoveNext() ? ToNote(notes.Current) : null;
            }
            foreach (var bus in tracks) bus.Clear(frames);

            for (var a = 0; a < activeCount; a++)
            {
                ref var note = ref active[a];
                var bus = tracks[note.Track];
                var from = (int)Math.Max(0, note.Start - start);           // first frame of this block it covers
                var offset = (int)(start + from - note.Start);             // where in the voice that is
                var count = Math.Min(frames - from, note.Length - offset);
                ReadOnlySpan<float> voiceL, voiceR;
                if (note.Voice is { } cached)
                {
                    voiceL = cached.Channel(0).AsSpan(offset, count);
                    voiceR = cached.Channel(1).AsSpan(offset, count);
                }
                else
                {
                    note.Stream!.Render(voiceScratchL.AsSpan(0, count), voiceScratchR.AsSpan(0, count));
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
                if (offset + count >= note.Length) active[a--] = active[--activeCount]; // voice ended
            }

            var outL = mixL.AsSpan(0, frames);
            var outR = mixR.AsSpan(0, frames);
            outL.Clear();
            outR.Clear();
            foreach (var bus in tracks) bus.MixInto(outL, outR);
            TensorPrimitives.Multiply(outL, masterGain, outL);
            TensorPrimitives.Multiply(outR, masterGain, outR);
            compressor?.Process(outL, outR);
            master.Write(outL, outR);
            var quiet = !(master.LastPeak > silence);
            // Auto tail: past the span, stop once nothing sounds and nothing is left to sound.
            if (autoTail && end >= spanFrames && activeCount == 0 && next is null && quiet && AllSilent(tracks))
                break;
        }
        return master.Complete();

        Note ToNote(NoteEvent e)
        {
            var key = new VoiceKey(e.SampleKey, e.Gain, e.Pan, e.Effects?.Filter, e.Effects?.Distortion);
            var send = e.Effects?.Delay is { } d ? tracks[e.TrackIndex].SendFor(d, rate) : -1;
            var at = Timing.ToSampleIndex(e.Time, rate);
            if (voices.TryGetValue(key, out var voice)) return new Note(at, voice, null, e.TrackIndex, send);
            if (!samples.TryGetValue(e.SampleKey, out var sample)) throw new MissingSampleException(e.SampleKey);
            if (sample.SampleRate != rate)
                throw new ArgumentException($"sample \"{e.SampleKey}\" is at {sample.SampleRate} Hz but the render is at {rate} Hz; resample it first", nameof(samples));
            // Rendered once and kept while the budget lasts; past it each note plays its chain from the shared sample,
            // so memory never grows with the number of distinct voices.
            var bytes = VoiceRenderer.MaxBytes(sample, key);
            if (cachedBytes + bytes > options.VoiceCacheBytes) return new Note(at, null, new StreamingVoice(sample, key), e.TrackIndex, send);
            voices[key] = voice = VoiceRenderer.Render(sample, key);
            cachedBytes += bytes;
            return new Note(at, voice, null, e.TrackIndex, send);
        }
    }

    private static bool AllSilent(TrackBus[] tracks)
    {
        foreach (var t in tracks) if (!t.Silent()) return false;
        return true;
    }

    private readonly record struct Note(long Start, AudioBuffer? Voice, StreamingVoice? Stream, int Track, int Send)
    {
        // A streaming voice's length becomes final (shorter) once its sample has played.
        public int Length => Voice?.Length ?? Stream!.Length;
    }
}

/// <summary>What a streamed render produced: its length and peak.</summary>
public readonly record struct RenderResult(long Frames, float Peak, int SampleRate)
{
    public double Duration => (double)Frames / SampleRate;
}
