// The browser half of the audio engine (ARCHITECTURE §1-§3): owns the AudioContext, the worker clock and the
// voice graph. It decides nothing: every tick it asks C# (AudioEngine.Tick, a synchronous call answered with float64
// bytes) for what to change: cancel the voices not started yet from some time on (an edit), a new playhead state, and
// the notes of the next stretch of the horizon (C#'s Transport schedules 500 ms ahead, so a stalled main thread
// drops nothing). It keeps every voice it scheduled until it has played or is cancelled. Voice chain: source (playbackRate,
// start offset, the reversed buffer) → velocity gain → StereoPanner → Biquad → WaveShaper → gate gain → choke gain →
// delay (dry + mix·wet, feedback) → track bus (→ reverb send → ConvolverNode → return) → master gain →
// DynamicsCompressor → DC blocker (highpass biquad; exports only) → limiter (AudioWorklet: Orbitr.Dsp's look-ahead limiter) → destination. The export renders the same graph in an OfflineAudioContext and encodes the WAV in a worker.
import { download } from './files.js';

const LIMITER_URL = new URL('./limiter.worklet.js', import.meta.url);
// The numbers shared with C# come from C# at start (AudioEngine.Constants): the note layout (VoiceMessage.Stride),
// the tick answer's header (TickMessage.Header), the tick, the limiter's window (LookAheadLimiter.WindowSeconds)
// and the tail-trim level (RenderOptions.SilenceDb).
let shared = null;
const FILTER_TYPES = ['lowpass', 'highpass', 'bandpass'];

const samples = new Map();   // buffer id → AudioBuffer (context-free: usable by live and offline contexts)
const reversed = new Map();  // buffer id → the same buffer back to front (made when a reversed step first plays)
// The gate's and the choke's fall to silence (Orbitr.Dsp's Envelopes.FadeSeconds).
const FADE_SECONDS = 0.005;
const curves = new Map();    // curve id → Float32Array
let ctx = null;
let graph = null;            // { master, buses[], ... } of the live context
let mixState = null;
let clock = null;
let dotnet = null;
let playing = false;
const live = new Set();     // every voice of the live context not yet ended: scheduled ahead or sounding
let playheadListener = null;
// What else follows the live scheduler (midi.js: MIDI out sends each voice as a note): voice(n), cancel(t), playhead(state), tick(now), stop(t).
let observer = null;
const counts = { skipped: 0, cancelled: 0, scheduled: 0 };

function floats(bytes) {
  // Blazor hands byte[] over as a Uint8Array whose offset may not be 4-aligned: copy.
  return new Float32Array(bytes.slice().buffer);
}

// latencyHint applies when the context is created, once per page (a later start reuses the context).
// Called by C# right after the import (AudioModule), before anything else.
export function configure(constants) {
  shared = constants;
}

export async function start(dotnetRef, latencyHint = 'interactive') {
  dotnet = dotnetRef;
  if (ctx && ctx.state === 'running') return { ok: true, message: null, sampleRate: ctx.sampleRate };
  try {
    const Ctor = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!Ctor) throw new Error('this browser has no Web Audio');
    if (!ctx) ctx = new Ctor({ latencyHint });
    if (ctx.state !== 'running') {
      await Promise.race([ctx.resume(), new Promise((r) => setTimeout(r, 2000))]);
    }
    if (ctx.state !== 'running') throw new Error(`the audio context stayed "${ctx.state}"`);
    await ctx.audioWorklet.addModule(LIMITER_URL);
  } catch (e) {
    try { await ctx?.close(); } catch { /* already unusable */ }
    ctx = null;
    return { ok: false, message: String(e && e.message ? e.message : e), sampleRate: 0 };
  }
  resumeOnGestures();
  graph = buildGraph(ctx, mixState);
  clock = new Worker(new URL('./clock.worker.js', import.meta.url));
  clock.onmessage = onTick;
  return { ok: true, message: null, sampleRate: ctx.sampleRate };
}

// Safari (iOS) starts and resumes audio only inside a user gesture, and suspends it on interruptions (a call, another
// app's audio: state "interrupted"). So every gesture resumes a context that is not running, for as long as the page
// lives; a running context ignores it.
let gesturesWatched = false;
function resumeOnGestures() {
  if (gesturesWatched) return;
  gesturesWatched = true;
  const resume = () => {
    if (ctx && ctx.state !== 'running' && ctx.state !== 'closed') ctx.resume().catch(() => { /* next gesture */ });
  };
  for (const type of ['pointerdown', 'touchend', 'click', 'keydown']) document.addEventListener(type, resume, { capture: true, passive: true });
}

// What the scheduler has done so far: notes C# skipped because their sample was not loaded, voices cancelled by an
// edit or Stop before they started, voices scheduled.
export function stats() {
  return { ...counts, live: live.size };
}

export function now() {
  return ctx ? ctx.currentTime : 0;
}

export function registerSample(id, sampleRate, channels) {
  const data = channels.map(floats);
  const buffer = new AudioBuffer({ numberOfChannels: data.length, length: data[0].length, sampleRate });
  data.forEach((d, c) => buffer.copyToChannel(d, c));
  samples.set(id, buffer);
}

// Upload formats C# does not read itself (OGG, MP3): the browser's decoder, resampled to 44.1 kHz like every sample.
// Answer: sample rate and channel count (int32), then each channel's float32 samples.
export async function decode(bytes) {
  const decoded = await new OfflineAudioContext(1, 1, 44100).decodeAudioData(bytes.slice().buffer);
  const n = decoded.length;
  const out = new ArrayBuffer(8 + 4 * n * decoded.numberOfChannels);
  new Int32Array(out, 0, 2).set([decoded.sampleRate, decoded.numberOfChannels]);
  for (let c = 0; c < decoded.numberOfChannels; c++) new Float32Array(out, 8 + 4 * n * c, n).set(decoded.getChannelData(c));
  return new Uint8Array(out);
}

// The C# side keeps decoded samples under 100 MB (SampleCache) and releases the least recently used here.
export function releaseSample(id) {
  samples.delete(id);
  reversed.delete(id);
}

function reversedBuffer(id, buffer) {
  let r = reversed.get(id);
  if (!r) {
    r = new AudioBuffer({ numberOfChannels: buffer.numberOfChannels, length: buffer.length, sampleRate: buffer.sampleRate });
    for (let c = 0; c < buffer.numberOfChannels; c++) r.copyToChannel(buffer.getChannelData(c).slice().reverse(), c);
    reversed.set(id, r);
  }
  return r;
}

// Library preview: one sound at a time, straight to the master (so the master volume applies).
let previewing = null;
export function preview(id) {
  const buffer = samples.get(id);
  if (!ctx || !graph || !buffer) return false;
  try { previewing?.stop(); } catch { /* already ended */ }
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  source.connect(graph.master);
  source.onended = () => source.disconnect();
  source.start();
  previewing = source;
  return true;
}

// One step played once (C#'s StepAudition: its ratchet hits, times from 0) on the live graph, a moment from now;
// its nodes are let go once it has rung out.
export function audition(bytes) {
  if (!ctx || !graph) return false;
  const m = new Float64Array(bytes.slice().buffer);
  const at = ctx.currentTime + 0.01;
  let played = false;
  for (let i = 0; i + shared.stride <= m.length; i += shared.stride) {
    const n = note(m, i);
    const buffer = samples.get(n.buffer);
    if (!buffer) continue;
    n.time += at;
    const v = voice(ctx, graph, n, buffer);
    setTimeout(() => v.disconnect(), (v.end - ctx.currentTime + 0.7) * 1000);
    played = true;
  }
  return played;
}

// A pad hit (C#'s PadHit: the ring's sound through its bus) starts at once: a start time already passed plays
// immediately, so unlike an audition it needs no margin. Answers the audio time being heard now (see heardAt), where
// a hit with no time of its own is recorded; -1 when nothing could play.
export function hit(bytes) {
  if (!ctx || !graph) return -1;
  const m = new Float64Array(bytes.slice().buffer);
  const heard = heardAt(performance.now());
  let played = false;
  for (let i = 0; i + shared.stride <= m.length; i += shared.stride) {
    const n = note(m, i);
    const buffer = samples.get(n.buffer);
    if (!buffer) continue;
    n.time = ctx.currentTime;
    const v = voice(ctx, graph, n, buffer);
    setTimeout(() => v.disconnect(), (v.end - ctx.currentTime + 0.7) * 1000);
    played = true;
  }
  return played ? heard : -1;
}

// The audio-clock time that was leaving the speakers at `perfMs` (performance.now() time, an event's timeStamp): what
// the musician heard when they pressed a key. The output timestamp ties the two clocks; without one, the context's
// clock less its latencies. -1 before audio has started.
export function heardAt(perfMs) {
  if (!ctx) return -1;
  const ts = ctx.getOutputTimestamp ? ctx.getOutputTimestamp() : null;
  if (ts && ts.performanceTime > 0 && ts.contextTime > 0) return ts.contextTime + (perfMs - ts.performanceTime) / 1000;
  return ctx.currentTime - (performance.now() - perfMs) / 1000 - (ctx.baseLatency ?? 0) - (ctx.outputLatency ?? 0);
}

export function registerCurve(id, bytes) {
  curves.set(id, floats(bytes));
}

export function setMix(mix) {
  mixState = mix;
  if (graph) applyMix(ctx, graph, mix, true);
}

// The first tick anchors the pattern's start to the audio clock and brings the playhead's state.
// `from`: where playing starts, for MIDI clock out ({ sixteenths: the Song Position, seconds: pattern time of the
// start }; a start at the top of a song's first section is 0, 0).
let startsAt = null;
export function play(from) {
  playing = true;
  startsAt = from ?? null;
  cancelFrom(ctx.currentTime);
  clock.postMessage({ interval: shared.tickMs });
  onTick();
}

export function stop() {
  playing = false;
  clock?.postMessage({ interval: 0 });
  // The voices not started yet never sound; the sounding ones fade within 50 ms (5 ms time constant) and are dropped.
  const t = ctx.currentTime;
  cancelFrom(t);
  for (const v of live) v.silence(t);
  live.clear();
  playheadListener?.({ playing: false });
  observer?.stop(t);
}

// Cancels every live voice due at or after `t` that has not started: stopped before its start, disconnected.
function cancelFrom(t) {
  const at = Math.max(t, ctx.currentTime);
  observer?.cancel(at);
  for (const v of live) {
    if (v.time >= at) {
      v.cancel();
      live.delete(v);
      counts.cancelled++;
    }
  }
  // A sounding voice choked by a voice that is now cancelled sounds on (the notes handed out again re-choke it).
  for (const v of live) if (v.chokedAt !== null && v.chokedAt >= at) v.unchoke();
  return at;
}

function sounding(liveSet, n) {
  for (const v of liveSet) if (v.track === n.track && Math.abs(v.time - n.time) < 1e-9) return true;
  return false;
}

// Disconnects the live voices that have finished sounding (their buffer, and any echoes, are over).
function sweepEnded(t) {
  for (const v of live) {
    if (v.end + 0.02 < t) v.disconnect();
  }
}

export function onPlayhead(listener) {
  playheadListener = listener;
}

export function observe(o) {
  observer = o;
}

// The live context's output clock against performance.now() (MIDI timestamps are in performance time), or null.
export function outputTimestamp() {
  if (!ctx) return null;
  const ts = ctx.getOutputTimestamp ? ctx.getOutputTimestamp() : null;
  return { contextTime: ts?.contextTime ?? 0, performanceTime: ts?.performanceTime ?? 0, currentTime: ctx.currentTime,
    latency: (ctx.outputLatency || 0) + (ctx.baseLatency || 0), now: performance.now() };
}

export function dispose() {
  clock?.terminate();
  clock = null;
  ctx?.close();
  ctx = null;
}

// C# asks for a tick at once after an edit (from inside its edit handler, before the page re-renders).
export function tickNow() {
  onTick();
}

// One synchronous call per tick; the answer (TickMessage) is float64 bytes: header, optional playhead, voices.
function onTick() {
  if (!playing) return;
  const bytes = dotnet.invokeMethod('Tick', ctx.currentTime);
  if (!playing || !bytes || bytes.length === 0) {
    if (playing) observer?.tick(ctx.currentTime);
    return;
  }
  // Blazor's Uint8Array may sit at any offset: copy to align.
  const m = new Float64Array(bytes.slice().buffer);
  sweepEnded(ctx.currentTime);
  // The clock runs on during the call: notes C# hands out again from its own "now" that had already started before
  // the cancel (between m[0] and the cancel's clock) still sound: they are not started twice.
  const kept = m[0] >= 0 ? cancelFrom(m[0]) : -1;
  counts.skipped = m[1];
  const rings = m[2];
  let i = shared.tickHeader;
  if (rings >= 0) {
    const lengths = Array.from(m.subarray(i + 3, i + 3 + rings));
    const state = { playing: true, origin: m[i], stepSeconds: m[i + 1], length: m[i + 2], lengths };
    playheadListener?.(state);
    observer?.playhead({ ...state, from: startsAt });
    startsAt = null;
    i += 3 + rings;
  }
  schedule(ctx, graph, m, i, live, kept);
  observer?.tick(ctx.currentTime);
}

function schedule(context, g, events, from, liveSet, keptUntil = -1) {
  const stride = shared.stride;
  for (let i = from; i + stride <= events.length; i += stride) {
    const n = note(events, i);
    if (n.time < keptUntil && sounding(liveSet, n)) continue;
    const buffer = samples.get(n.buffer);
    if (!buffer) continue;
    const v = voice(context, g, n, buffer);
    liveSet.add(v);
    v.onEnd = () => liveSet.delete(v);
    counts.scheduled++;
    if (n.track >= 0) observer?.voice(n);
  }
}

function note(e, i) {
  return {
    time: e[i], track: e[i + 1], step: e[i + 2], cycle: e[i + 3], buffer: e[i + 4], gain: e[i + 5], pan: e[i + 6],
    filter: e[i + 7] >= 0 ? { type: FILTER_TYPES[e[i + 7]], frequency: e[i + 8], q: e[i + 9] } : null,
    curve: e[i + 10], delay: e[i + 11] > 0 ? { time: e[i + 11], feedback: e[i + 12], mix: e[i + 13] } : null,
    rate: e[i + 14], start: e[i + 15], reverse: e[i + 16] > 0, gate: e[i + 17] > 0 ? e[i + 17] : null, choke: e[i + 18],
    velocity: e[i + 19],
  };
}

function buildGraph(context, mix) {
  const master = context.createGain();
  const compressor = context.createDynamicsCompressor();
  // The compressor's gain puts content at 0 Hz: in an export, Orbitr.Dsp's DcBlocker (the same biquad) takes it out
  // after it, as in the CLI. Not live: a 5 Hz high-pass gives back what it held for ~100 ms after the music stops,
  // and Stop is silent within 50 ms (a loudspeaker does not play 0 Hz anyway).
  let dcBlock = null;
  if (context !== ctx) {
    dcBlock = context.createBiquadFilter();
    dcBlock.type = 'highpass';
    dcBlock.frequency.value = shared.dcBlockerHz;
    dcBlock.Q.value = shared.dcBlockerQ;
  }
  const g = { master, compressor, dcBlock, limiter: null, ceiling: null, buses: [], context, chokes: new Map(), reverb: null };
  // Level meters of the live context only: taps beside the signal path (an analyser changes nothing it hears).
  if (context === ctx) g.meters = { master: analyser(context), buses: [] };
  applyMix(context, g, mix, false);
  return g;
}

function analyser(context) {
  const a = context.createAnalyser();
  a.fftSize = 512;
  return a;
}

const levelScratch = new Float32Array(512);
function peak(a) {
  a.getFloatTimeDomainData(levelScratch);
  let p = 0;
  for (let i = 0; i < levelScratch.length; i++) {
    const v = Math.abs(levelScratch[i]);
    if (v > p) p = v;
  }
  return p;
}

/** Peak level (linear) over the last ~12 ms of the master and of each ring's bus: { master, tracks: [] }. */
export function levels() {
  const m = graph?.meters;
  if (!m || !playing) return null;
  return { master: peak(m.master), tracks: m.buses.map(peak) };
}

// The limiter's look-ahead delays its output by L − 1 frames (LookAheadLimiter.WindowFrames − 1; the worklet
// computes its window from the same constant and tells its latency on its port), 11 more in true-peak mode.
function limiterLatency(sampleRate, truePeak) {
  return Math.max(1, Math.floor(shared.limiterWindowSeconds * sampleRate)) - 1 + (truePeak ? 11 : 0);
}

function limiterNode(context, ceilingDb, truePeak) {
  return new AudioWorkletNode(context, 'orbitr-limiter', {
    numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2], channelCount: 2, channelCountMode: 'explicit',
    processorOptions: { ceilingDb, windowSeconds: shared.limiterWindowSeconds, truePeak: !!truePeak },
  });
}

// Routing changes only when the compressor or limiter is switched; levels glide (10 ms) in live playback.
function applyMix(context, g, mix, glide) {
  if (!mix) return;
  const set = (param, value) => {
    if (glide) param.setTargetAtTime(value, context.currentTime, 0.01);
    else param.value = value;
  };
  set(g.master.gain, mix.master);
  const c = mix.compressor;
  set(g.compressor.threshold, c.threshold);
  set(g.compressor.knee, c.knee);
  set(g.compressor.ratio, c.ratio);
  set(g.compressor.attack, c.attack);
  set(g.compressor.release, c.release);
  const limited = mix.limiter !== null && mix.limiter !== undefined;
  const truePeak = limited && !!mix.truePeak;
  if (limited && g.limiter && g.truePeak !== truePeak) {
    // Another mode is another processor (its latency differs): a new node, routed below.
    g.limiter.disconnect();
    g.limiter = null;
    g.route = null;
  }
  if (limited && !g.limiter) {
    g.limiter = limiterNode(context, mix.limiter, truePeak);
    g.ceiling = mix.limiter;
    g.truePeak = truePeak;
  } else if (limited && g.ceiling !== mix.limiter) {
    g.limiter.port.postMessage({ ceilingDb: mix.limiter });
    g.ceiling = mix.limiter;
  }
  const route = `${c.enabled}|${limited}`;
  if (g.route !== route) {
    g.master.disconnect();
    g.compressor.disconnect();
    g.dcBlock?.disconnect();
    g.limiter?.disconnect();
    let tail = g.master;
    if (c.enabled) tail = tail.connect(g.compressor);
    if (c.enabled && g.dcBlock) tail = tail.connect(g.dcBlock);
    if (limited) tail = tail.connect(g.limiter);
    tail.connect(context.destination);
    if (g.meters) tail.connect(g.meters.master);
    g.route = route;
  }
  mix.tracks.forEach((volume, i) => set(bus(context, g, i).gain, volume));
  applyReverb(context, g, mix, set); // after the buses: its return joins the master after them
}

// The master reverb (mix.reverb, null when no ring sends to it): each ring's bus → its send gain → one ConvolverNode
// with Orbitr.Dsp's impulse response (normalize off: the IR is the one definition) → the return gain → the master
// gain, before the compressor. A new impulse response (other reverb settings) gets a new convolver.
function applyReverb(context, g, mix, set) {
  const r = mix.reverb;
  if (!r || !samples.has(r.buffer)) {
    if (g.reverb) {
      set(g.reverb.ret.gain, 0);
      g.reverb.sends.forEach((s) => set(s.gain, 0));
    }
    return;
  }
  if (!g.reverb) {
    const ret = context.createGain();
    ret.gain.value = 0;
    ret.connect(g.master);
    g.reverb = { ret, sends: [], convolver: null, buffer: -1 };
  }
  const rv = g.reverb;
  if (rv.buffer !== r.buffer) {
    const convolver = new ConvolverNode(context, { disableNormalization: true });
    convolver.buffer = samples.get(r.buffer);
    convolver.connect(rv.ret);
    rv.sends.forEach((s) => {
      if (rv.convolver) s.disconnect(rv.convolver);
      s.connect(convolver);
    });
    rv.convolver?.disconnect();
    rv.convolver = convolver;
    rv.buffer = r.buffer;
  }
  rv.levels = r.sends;
  set(rv.ret.gain, r.return);
  g.buses.forEach((_, i) => set(send(context, g, i).gain, r.sends[i] ?? 0));
}

function send(context, g, track) {
  const rv = g.reverb;
  while (rv.sends.length <= track) {
    const s = context.createGain();
    s.gain.value = rv.levels?.[rv.sends.length] ?? 0;
    g.buses[rv.sends.length]?.connect(s);
    if (rv.convolver) s.connect(rv.convolver);
    rv.sends.push(s);
  }
  return rv.sends[track];
}

function bus(context, g, track) {
  if (track < 0) return g.master; // metronome clicks skip the track buses
  while (g.buses.length <= track) {
    const b = context.createGain();
    b.gain.value = mixState?.tracks?.[g.buses.length] ?? 0.8;
    b.connect(g.master);
    if (g.meters) {
      const a = analyser(context);
      b.connect(a);
      g.meters.buses.push(a);
    }
    g.buses.push(b);
    if (g.reverb) send(context, g, g.buses.length - 1);
  }
  return g.buses[track];
}

// One note's nodes. Returns { end, nodes, silence(t), onEnd }. The live scheduler drops a voice once it has ended
// (sweepEnded, each tick: no `ended` event per voice to wake the main thread); a voice with a feedback delay keeps
// the engine processing it until disconnected, so its end is when its echoes fall below −80 dB.
function voice(context, g, n, source) {
  const src = context.createBufferSource();
  const buffer = n.reverse ? reversedBuffer(n.buffer, source) : source;
  src.buffer = buffer;
  // The rate C# sent is already float-rounded (NoteEvent.Rate), as the param stores it.
  if (n.rate !== 1) src.playbackRate.value = n.rate;
  const startFrame = n.start > 0 ? Math.floor(n.start * buffer.length) : 0;
  const vel = context.createGain();
  vel.gain.value = n.gain;
  const pan = context.createStereoPanner();
  pan.pan.value = n.pan;
  src.connect(vel).connect(pan);
  const nodes = [src, vel, pan];
  let tail = pan;
  if (n.filter) {
    const f = context.createBiquadFilter();
    f.type = n.filter.type;
    f.frequency.value = n.filter.frequency;
    f.Q.value = n.filter.q;
    tail = tail.connect(f);
    nodes.push(f);
  }
  if (n.curve >= 0 && curves.has(n.curve)) {
    const ws = context.createWaveShaper();
    ws.curve = curves.get(n.curve);
    tail = tail.connect(ws);
    nodes.push(ws);
  }
  let gate = null;
  if (n.gate !== null) {
    gate = context.createGain();
    gate.gain.setValueAtTime(1, n.time + n.gate);
    gate.gain.linearRampToValueAtTime(0, n.time + n.gate + FADE_SECONDS);
    tail = tail.connect(gate);
    nodes.push(gate);
  }
  let chokeGain = null;
  if (n.choke > 0) {
    chokeGain = context.createGain();
    tail = tail.connect(chokeGain);
    nodes.push(chokeGain);
  }
  const out = bus(context, g, n.track);
  let end = n.time + (buffer.length - startFrame) / (buffer.sampleRate * n.rate);
  if (n.gate !== null) end = Math.min(end, n.time + n.gate + FADE_SECONDS);
  const soundEnd = end;
  let wet = null;
  if (n.delay) {
    const d = context.createDelay(2);
    d.delayTime.value = n.delay.time;
    const fb = context.createGain();
    fb.gain.value = n.delay.feedback;
    wet = context.createGain();
    wet.gain.value = n.delay.mix;
    tail.connect(d);
    d.connect(fb);
    fb.connect(d);
    d.connect(wet);
    wet.connect(out);
    nodes.push(d, fb, wet);
    const repeats = n.delay.feedback > 0 ? Math.ceil(Math.log(1e-4) / Math.log(n.delay.feedback)) : 1;
    end += n.delay.time * (repeats + 1);
  }
  tail.connect(out);
  const echo = end - soundEnd; // a choke fades the voice, not the echoes already in its delay
  if (startFrame > 0) src.start(n.time, startFrame / buffer.sampleRate);
  else src.start(n.time);
  if (n.gate !== null) src.stop(n.time + n.gate + FADE_SECONDS);
  const naturalEnd = end;
  const v = {
    time: n.time,
    track: n.track,
    end,
    nodes,
    onEnd: null,
    chokedAt: null,
    disconnect() {
      for (const node of nodes) node.disconnect();
      group?.delete(v);
      v.onEnd?.();
    },
    cancel() {
      src.onended = null;
      try { src.stop(); } catch { /* already stopped */ }
      for (const node of nodes) node.disconnect();
      group?.delete(v);
    },
    // A later voice of the choke group started at t: fall to 0 over 5 ms from there (Orbitr.Dsp's Envelopes).
    choke(t) {
      if (v.chokedAt !== null) chokeGain.gain.cancelScheduledValues(Math.min(t, v.chokedAt));
      chokeGain.gain.setValueAtTime(1, t);
      chokeGain.gain.linearRampToValueAtTime(0, t + FADE_SECONDS);
      v.chokedAt = t;
      v.end = Math.min(naturalEnd, t + FADE_SECONDS + echo);
    },
    unchoke() {
      chokeGain.gain.cancelScheduledValues(v.chokedAt);
      v.chokedAt = null;
      v.end = naturalEnd;
    },
    silence(t) {
      vel.gain.cancelScheduledValues(t);
      vel.gain.setTargetAtTime(0, t, 0.005);
      if (wet) {
        wet.gain.cancelScheduledValues(t);
        wet.gain.setTargetAtTime(0, t, 0.005);
      }
      try { src.stop(t + 0.05); } catch { /* not started yet is fine */ }
      setTimeout(() => v.disconnect(), 100);
    },
  };
  // Choke: this onset fades every voice of its group that started before it and is not fading already.
  let group = null;
  if (n.choke > 0) {
    group = g.chokes.get(n.choke);
    if (!group) g.chokes.set(n.choke, group = new Set());
    for (const other of group) {
      // Past any ring-out (a filter's is at most 0.5 s) a voice is silent: forget it.
      if (other.end + 0.6 < n.time) group.delete(other);
      else if (other.time < n.time - 1e-9 && (other.chokedAt === null || other.chokedAt > n.time)) other.choke(n.time);
    }
    group.add(v);
  }
  return v;
}

// ---- export ----

let exporting = null; // the running export: { cancel() }
let lastExport = null; // { request, phases } of the last export, for exportTimings() and rawRender()

// performance.now() marks of the last export's phases (bench/web): started, renderStarted, rendered, encoded, downloaded.
export function exportTimings() {
  return lastExport?.phases ?? null;
}

// Schedules the notes of an OfflineAudioContext window by window with suspend()/resume(), as the live scheduler does
// (creating every voice up front makes Chromium crawl), dropping voices after their tails. onWindow(at) runs at each
// window and returns false to stop (the context is then never resumed and is dropped). Firefox's OfflineAudioContext
// has no suspend(): there every voice is created before rendering (Firefox renders that fine) and there is no
// progress before the end. The voices are the same either way, so the audio is too.
function scheduleWindows(context, g, events, onWindow) {
  const windowSeconds = 0.5;
  const duration = context.length / context.sampleRate;
  let next = 0;
  const voices = [];
  if (typeof context.suspend !== 'function') {
    for (; next + shared.stride <= events.length; next += shared.stride) {
      const n = note(events, next);
      const buffer = samples.get(n.buffer);
      if (buffer) voice(context, g, n, buffer);
    }
    return;
  }
  const scheduleUntil = (until) => {
    while (next + shared.stride <= events.length && events[next] < until) {
      const n = note(events, next);
      next += shared.stride;
      const buffer = samples.get(n.buffer);
      if (buffer) voices.push(voice(context, g, n, buffer));
    }
    const t = context.currentTime;
    for (let k = voices.length - 1; k >= 0; k--) {
      if (voices[k].end < t) {
        voices[k].disconnect();
        voices.splice(k, 1);
      }
    }
  };
  // Each window's notes go in a window early: suspend(t) stops at a render-quantum boundary, which can be after t
  // (0.5 s is frame 22,050 at 44.1 kHz, the quantum ends at 22,144), and a note due at t itself (every fourth
  // sixteenth at 120 BPM) would start there, 94 frames late.
  scheduleUntil(2 * windowSeconds);
  for (let t = windowSeconds; t < duration; t += windowSeconds) {
    const at = t;
    context.suspend(at).then(() => {
      if (onWindow(at, duration) === false) return;
      scheduleUntil(at + 2 * windowSeconds);
      context.resume();
    });
  }
}

// Export: the live graph (limiter worklet included) in an OfflineAudioContext, reporting progress per window. Then a
// worker trims the tail and encodes the WAV off the main thread, and the page downloads it: no sample crosses into
// C#. Resolves { cancelled, frames, peak, renderMs, totalMs }.
export async function exportWav(request, progressRef) {
  const started = performance.now();
  const { sampleRate, frames, spanFrames, mix, bits, fileName } = request;
  // The notes come as float64 bytes (Blazor's Uint8Array may sit at any offset: copy to align).
  const events = new Float64Array(request.events.slice().buffer);
  request.events = events;
  let cancelled = false;
  let cancel;
  const whenCancelled = new Promise((resolve) => { cancel = () => { cancelled = true; resolve(null); }; });
  const job = { cancel };
  exporting?.cancel();
  exporting = job;
  lastExport = { request, phases: null };
  const none = (renderMs) => ({ cancelled: true, frames: 0, peak: 0, renderMs, totalMs: performance.now() - started });
  try {
    const loop = !!request.loop;
    // A loop renders the mix before the master bus (Orbitr.Dsp's LoopRenderer), folds it, then runs the dynamics.
    const first = loop ? { ...mix, compressor: { ...mix.compressor, enabled: false }, limiter: null } : mix;
    const limited = first.limiter != null;
    const latency = limited ? limiterLatency(sampleRate, !!mix.truePeak) : 0;
    const context = new OfflineAudioContext(2, frames + latency, sampleRate);
    if (limited) await context.audioWorklet.addModule(LIMITER_URL);
    const g = buildGraph(context, first);
    mix.tracks.forEach((_, i) => bus(context, g, i));
    // Progress at most every 250 ms: each report re-renders the box, and the render waits while the page works.
    let reportedAt = 0;
    scheduleWindows(context, g, events, (at, duration) => {
      if (cancelled) return false;
      const now = performance.now();
      if (now - reportedAt >= 250) {
        reportedAt = now;
        progressRef?.invokeMethodAsync('OnExportProgress', at / duration);
      }
      return true;
    });
    const renderStarted = performance.now();
    const rendered = await Promise.race([context.startRendering(), whenCancelled]);
    if (cancelled || !rendered) return none(0);
    const phases = { started, renderStarted, rendered: performance.now() };
    let left;
    let right;
    if (loop) {
      const folded = await loopDynamics(rendered, spanFrames, mix, sampleRate);
      if (cancelled) return none(0);
      ({ left, right } = folded);
    } else {
      // The limiter's look-ahead delayed everything by `latency` frames: start after it.
      left = rendered.getChannelData(0).slice(latency, latency + frames);
      right = rendered.getChannelData(1).slice(latency, latency + frames);
    }
    const renderMs = performance.now() - renderStarted;
    const wav = await Promise.race([encode({ left, right, spanFrames, bits, sampleRate, silenceDb: shared.silenceDb, loop }), whenCancelled]);
    if (cancelled || !wav) return none(renderMs);
    phases.encoded = performance.now();
    download(fileName, 'audio/wav', wav.bytes);
    phases.downloaded = performance.now();
    lastExport.phases = phases;
    return { cancelled: false, frames: wav.frames, peak: wav.peak, renderMs, totalMs: performance.now() - started };
  } finally {
    if (exporting === job) exporting = null;
  }
}

// Stems (issue 25): each ring's bus (after volume and pan) and the reverb's return, at the master volume, on channels
// of their own (a 2 × stems channel context), before the master's dynamics, as OfflineRenderer.MixStems; then one
// length for all (the span, then up to the last frame above the silence level in any of them), a WAV each, one zip.
export async function exportStems(request, progressRef) {
  const started = performance.now();
  const { sampleRate, frames, spanFrames, mix, bits, fileName, stems } = request;
  const events = new Float64Array(request.events.slice().buffer);
  let cancelled = false;
  const job = { cancel: () => { cancelled = true; } };
  exporting?.cancel();
  exporting = job;
  const none = (renderMs) => ({ cancelled: true, frames: 0, peak: 0, renderMs, totalMs: performance.now() - started });
  try {
    const rings = mix.tracks.length;
    const count = stems.length; // rings, then the reverb's return when one is used
    const context = new OfflineAudioContext(2 * count, frames, sampleRate);
    const g = buildGraph(context, { ...mix, compressor: { ...mix.compressor, enabled: false }, limiter: null });
    mix.tracks.forEach((_, i) => bus(context, g, i));
    g.master.disconnect(); // the mix is not rendered: its parts are, each on its own channels
    const merger = new ChannelMergerNode(context, { numberOfInputs: 2 * count });
    const route = (node, k) => {
      const split = new ChannelSplitterNode(context, { numberOfOutputs: 2 });
      node.connect(split);
      split.connect(merger, 0, 2 * k);
      split.connect(merger, 1, 2 * k + 1);
    };
    for (let i = 0; i < rings; i++) route(g.buses[i], i);
    if (count > rings && g.reverb) route(g.reverb.ret, rings);
    const level = new GainNode(context, { gain: mix.master, channelCount: 2 * count, channelCountMode: 'explicit', channelInterpretation: 'discrete' });
    context.destination.channelInterpretation = 'discrete';
    merger.connect(level).connect(context.destination);
    let reportedAt = 0;
    scheduleWindows(context, g, events, (at, duration) => {
      if (cancelled) return false;
      const now = performance.now();
      if (now - reportedAt >= 250) {
        reportedAt = now;
        progressRef?.invokeMethodAsync('OnExportProgress', at / duration);
      }
      return true;
    });
    const renderStarted = performance.now();
    const rendered = await context.startRendering();
    if (cancelled) return none(0);
    const renderMs = performance.now() - renderStarted;
    const channels = [];
    for (let k = 0; k < count; k++) channels.push({ name: stems[k], left: rendered.getChannelData(2 * k).slice(), right: rendered.getChannelData(2 * k + 1).slice() });
    const zip = await encode({ stems: channels, spanFrames, bits, sampleRate, silenceDb: shared.silenceDb });
    if (cancelled) return none(renderMs);
    download(fileName, 'application/zip', zip.bytes);
    return { cancelled: false, frames: zip.frames, peak: zip.peak, renderMs, totalMs: performance.now() - started };
  } finally {
    if (exporting === job) exporting = null;
  }
}

// A song (issue 25): each section rendered before the master bus (its rings, reverb and master volume: Orbitr.Dsp's
// sections) in its own offline context starting at its frame, summed, then the sum through the first section's
// dynamics (compressor, DC blocker, limiter worklet) in one more context, as OfflineRenderer runs one master chain.
export async function exportSongWav(request, progressRef) {
  const started = performance.now();
  const { sampleRate, frames, spanFrames, mix, bits, fileName, sections } = request;
  let cancelled = false;
  const job = { cancel: () => { cancelled = true; } };
  exporting?.cancel();
  exporting = job;
  const none = (renderMs) => ({ cancelled: true, frames: 0, peak: 0, renderMs, totalMs: performance.now() - started });
  try {
    const sumL = new Float32Array(frames);
    const sumR = new Float32Array(frames);
    const renderStarted = performance.now();
    for (let k = 0; k < sections.length; k++) {
      const section = sections[k];
      const events = new Float64Array(section.events.slice().buffer);
      const context = new OfflineAudioContext(2, section.frames, sampleRate);
      const g = buildGraph(context, { ...section.mix, compressor: { ...section.mix.compressor, enabled: false }, limiter: null });
      section.mix.tracks.forEach((_, i) => bus(context, g, i));
      scheduleWindows(context, g, events, () => !cancelled);
      const rendered = await context.startRendering();
      if (cancelled) return none(0);
      const l = rendered.getChannelData(0);
      const r = rendered.getChannelData(1);
      const n = Math.min(l.length, frames - section.offset);
      for (let i = 0; i < n; i++) {
        sumL[section.offset + i] += l[i];
        sumR[section.offset + i] += r[i];
      }
      progressRef?.invokeMethodAsync('OnExportProgress', (k + 1) / (sections.length + 1));
    }
    const limited = mix.limiter != null;
    const latency = limited ? limiterLatency(sampleRate, !!mix.truePeak) : 0;
    const context = new OfflineAudioContext(2, frames + latency, sampleRate);
    if (limited) await context.audioWorklet.addModule(LIMITER_URL);
    const g = buildGraph(context, { ...mix, master: 1, tracks: [], reverb: null }); // the sections' mix is in: dynamics only
    const buffer = context.createBuffer(2, frames + latency, sampleRate);
    buffer.copyToChannel(sumL, 0);
    buffer.copyToChannel(sumR, 1);
    const source = new AudioBufferSourceNode(context, { buffer });
    source.connect(g.master);
    source.start(0);
    const out = await context.startRendering();
    if (cancelled) return none(0);
    const left = out.getChannelData(0).slice(latency, latency + frames);
    const right = out.getChannelData(1).slice(latency, latency + frames);
    const renderMs = performance.now() - renderStarted;
    const wav = await encode({ left, right, spanFrames, bits, sampleRate, silenceDb: shared.silenceDb, loop: false });
    if (cancelled) return none(renderMs);
    download(fileName, 'audio/wav', wav.bytes);
    return { cancelled: false, frames: wav.frames, peak: wav.peak, renderMs, totalMs: performance.now() - started };
  } finally {
    if (exporting === job) exporting = null;
  }
}

// A seamless loop from the render of the mix before the master bus (LoopRenderer): every frame folded onto its place
// in one period, then the period round and round through the master's dynamics (compressor, DC blocker, limiter
// worklet) in a second context, and the third pass kept, so their state is the one they have when the loop comes round.
async function loopDynamics(rendered, period, mix, sampleRate) {
  const foldedL = new Float32Array(period);
  const foldedR = new Float32Array(period);
  const inL = rendered.getChannelData(0);
  const inR = rendered.getChannelData(1);
  for (let i = 0; i < inL.length; i++) {
    const j = i % period;
    foldedL[j] += inL[i];
    foldedR[j] += inR[i];
  }
  const limited = mix.limiter != null;
  const latency = limited ? limiterLatency(sampleRate, !!mix.truePeak) : 0;
  const length = 3 * period + latency + 128;
  const context = new OfflineAudioContext(2, length, sampleRate);
  if (limited) await context.audioWorklet.addModule(LIMITER_URL);
  const g = buildGraph(context, { ...mix, master: 1, tracks: [], reverb: null }); // the mix is in: dynamics only
  const buffer = context.createBuffer(2, length, sampleRate);
  const l = buffer.getChannelData(0);
  const r = buffer.getChannelData(1);
  for (let i = 0; i < length; i++) {
    l[i] = foldedL[i % period];
    r[i] = foldedR[i % period];
  }
  const source = new AudioBufferSourceNode(context, { buffer });
  source.connect(g.master);
  source.start(0);
  const out = await context.startRendering();
  const from = 2 * period + latency;
  return { left: out.getChannelData(0).slice(from, from + period), right: out.getChannelData(1).slice(from, from + period) };
}

export function cancelExport() {
  exporting?.cancel();
}

// Tail trim and WAV encoding in a worker (the channels are transferred, not copied).
function encode(message) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./wav.worker.js', import.meta.url));
    worker.onmessage = (e) => { worker.terminate(); resolve({ ...e.data, bytes: new Uint8Array(e.data.bytes) }); };
    worker.onerror = (e) => { worker.terminate(); reject(new Error(e.message || 'the WAV encoder failed')); };
    const transfer = message.stems ? message.stems.flatMap((x) => [x.left.buffer, x.right.buffer]) : [message.left.buffer, message.right.buffer];
    worker.postMessage(message, transfer);
  });
}

// Benchmark reference (bench/web): Chromium's own OfflineAudioContext rendering the notes of the last export on the
// same voice chains, with no limiter (unless `withLimiter`), tail trim, encoding or download; `upfront` creates every
// voice before rendering instead of window by window. Milliseconds from startRendering to its result.
export async function rawRender(upfront, withLimiter) {
  const { sampleRate, frames, events, mix } = lastExport.request;
  const context = new OfflineAudioContext(2, frames, sampleRate);
  if (withLimiter) await context.audioWorklet.addModule(LIMITER_URL);
  const g = buildGraph(context, withLimiter ? mix : { ...mix, limiter: null });
  mix.tracks.forEach((_, i) => bus(context, g, i));
  if (upfront) {
    for (let i = 0; i + shared.stride <= events.length; i += shared.stride) {
      const n = note(events, i);
      const buffer = samples.get(n.buffer);
      if (buffer) voice(context, g, n, buffer);
    }
  } else {
    scheduleWindows(context, g, events, () => true);
  }
  const t0 = performance.now();
  await context.startRendering();
  return performance.now() - t0;
}
