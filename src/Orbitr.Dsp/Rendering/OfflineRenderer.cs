using Orbitr.Core.Model;
using Orbitr.Core.Scheduling;
using Orbitr.Dsp.Audio;
using Orbitr.Dsp.Master;
using Orbitr.Dsp.Voice;

namespace Orbitr.Dsp.Rendering;

/// <summary>Pattern + samples → stereo buffer, through the chain of ARCHITECTURE §2. Notes come from the same
/// <see cref="Scheduler"/> the browser uses and start at <see cref="Timing.ToSampleIndex"/>.
/// Work per block is allocation-free: identical voices are rendered once up front (a voice's sound before the delay
/// depends only on its <see cref="VoiceKey"/>), and the voices of a track that share delay settings feed one delay
/// line (delay is linear and time-invariant, so that equals a delay per voice to rounding).</summary>
public static class OfflineRenderer
{
    private const int BlockSize = 1024;

    public static AudioBuffer Render(Pattern pattern, IReadOnlyDictionary<string, AudioBuffer> samples, RenderOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SampleRate, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Cycles, 1);
        if (options.TailSeconds is { } t && !(t >= 0 && t <= 600)) throw new ArgumentOutOfRangeException(nameof(options), "tail must be 0–600 s");
        var rate = options.SampleRate;
        var events = Scheduler.EventsForCycles(pattern, options.Cycles);
        var spanFrames = (int)Math.Round(options.Cycles * pattern.CycleSeconds * rate);
        var tailFrames = (int)Math.Round((options.TailSeconds ?? RenderOptions.MaxAutoTail) * rate);
        var totalFrames = spanFrames + tailFrames;

        // ---- setup: voices, delay lines, buffers (all allocation happens here) ----
        var voiceCache = new Dictionary<VoiceKey, AudioBuffer>();
        var tracks = new TrackBus[pattern.Tracks.Count];
        for (var i = 0; i < tracks.Length; i++) tracks[i] = new TrackBus((float)pattern.Tracks[i].Volume);
        var notes = new Note[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (!samples.TryGetValue(e.SampleKey, out var sample)) throw new MissingSampleException(e.SampleKey);
            if (sample.SampleRate != rate)
                throw new ArgumentException($"sample \"{e.SampleKey}\" is at {sample.SampleRate} Hz but the render is at {rate} Hz; resample it first", nameof(samples));
            var key = new VoiceKey(e.SampleKey, e.Gain, e.Pan, e.Effects?.Filter, e.Effects?.Distortion);
            if (!voiceCache.TryGetValue(key, out var voice)) voiceCache[key] = voice = VoiceRenderer.Render(sample, key);
            var bus = tracks[e.TrackIndex];
            var send = e.Effects?.Delay is { } delay ? bus.SendFor(delay, rate) : -1;
            notes[i] = new Note(Timing.ToSampleIndex(e.Time, rate), voice, e.TrackIndex, send);
        }
        var output = new AudioBuffer(2, totalFrames, rate);
        var mixL = new float[BlockSize];
        var mixR = new float[BlockSize];
        foreach (var bus in tracks) bus.Allocate(BlockSize);
        var active = new Note[Math.Max(1, notes.Length)];
        var activeCount = 0;
        var nextNote = 0;
        var compressor = pattern.Master.Compressor.Enabled ? new Compressor(pattern.Master.Compressor, rate) : null;
        var masterGain = (float)pattern.Master.Volume;
        var silence = (float)Math.Pow(10, RenderOptions.SilenceDb / 20);
        var lastLoud = -1L;

        // ---- blocks ----
        for (long start = 0; start < totalFrames; start += BlockSize)
        {
            var frames = (int)Math.Min(BlockSize, totalFrames - start);
            var end = start + frames;
            while (nextNote < notes.Length && notes[nextNote].Start < end) active[activeCount++] = notes[nextNote++];
            foreach (var bus in tracks) bus.Clear(frames);

            for (var a = 0; a < activeCount; a++)
            {
                ref var note = ref active[a];
                var bus = tracks[note.Track];
                var voiceL = note.Voice.Channel(0);
                var voiceR = note.Voice.Channel(1);
                var from = (int)Math.Max(0, note.Start - start);           // first frame of this block it covers
                var offset = (int)(start + from - note.Start);             // where in the voice that is
                var count = Math.Min(frames - from, voiceL.Length - offset);
                var dryL = bus.DryL.AsSpan(from, count);
                var dryR = bus.DryR.AsSpan(from, count);
                Add(voiceL.AsSpan(offset, count), dryL);
                Add(voiceR.AsSpan(offset, count), dryR);
                if (note.Send >= 0)
                {
                    Add(voiceL.AsSpan(offset, count), bus.SendL(note.Send).AsSpan(from, count));
                    Add(voiceR.AsSpan(offset, count), bus.SendR(note.Send).AsSpan(from, count));
                }
                if (offset + count >= voiceL.Length) active[a--] = active[--activeCount]; // voice ended
            }

            Array.Clear(mixL, 0, frames);
            Array.Clear(mixR, 0, frames);
            foreach (var bus in tracks) bus.MixInto(mixL.AsSpan(0, frames), mixR.AsSpan(0, frames));

            var outL = output.Channel(0).AsSpan((int)start, frames);
            var outR = output.Channel(1).AsSpan((int)start, frames);
            for (var i = 0; i < frames; i++)
            {
                outL[i] = mixL[i] * masterGain;
                outR[i] = mixR[i] * masterGain;
            }
            compressor?.Process(outL, outR);
            for (var i = frames - 1; i >= 0; i--)
            {
                if (MathF.Abs(outL[i]) > silence || MathF.Abs(outR[i]) > silence)
                {
                    lastLoud = start + i;
                    break;
                }
            }
            // Auto tail: past the span, stop once nothing sounds and nothing is left to sound.
            if (options.TailSeconds is null && end >= spanFrames && activeCount == 0 && nextNote == notes.Length
                && lastLoud < start && AllSilent(tracks))
                break;
        }

        if (pattern.Master.Limiter.Enabled)
            Limiter.Process(output.Span(0), output.Span(1), pattern.Master.Limiter.Ceiling, rate);
        if (options.TailSeconds is not null) return output;
        var length = (int)Math.Max(spanFrames, lastLoud + 1);
        return length == totalFrames ? output : new AudioBuffer([output.Channel(0)[..length], output.Channel(1)[..length]], rate);
    }

    private static void Add(ReadOnlySpan<float> source, Span<float> destination)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<float>.Count;
            for (; i <= source.Length - width; i += width)
                (new System.Numerics.Vector<float>(source[i..]) + new System.Numerics.Vector<float>(destination[i..])).CopyTo(destination[i..]);
        }
        for (; i < source.Length; i++) destination[i] += source[i];
    }

    private static bool AllSilent(TrackBus[] tracks)
    {
        foreach (var t in tracks) if (!t.Silent()) return false;
        return true;
    }

    private readonly record struct Note(long Start, AudioBuffer Voice, int Track, int Send);
}
