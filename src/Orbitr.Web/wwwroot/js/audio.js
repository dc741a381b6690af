// The browser half of the audio engine (ARCHITECTURE §1-§3): owns the AudioContext, the worker clock and the
// voice graph. It decides nothing: every tick it asks C# (AudioEngine.Tick, a synchronous call answered with float64
// bytes) for what to change: cancel the voices not started yet from some time on (an edit), a new playhead state, and
// the notes of the next stretch of the horizon (C#'s Transport schedules 500 ms ahead, so a stalled main thread
// drops nothing). It keeps every voice it scheduled until it has played or is cancelled. Voice chain: source → velocity gain → StereoPanner → Biquad → WaveShaper → delay (dry + mix·wet,
// feedback) → track bus → master gain → DynamicsCompressor → limiter (AudioWorklet: Orbitr.Dsp's look-ahead limiter)
// → destination. The export renders the same graph in an OfflineAudioContext and encodes the WAV in a worker.
import { download } from './files.js';

const LIMITER_URL = new URL('./limiter.worklet.js', import.meta.url);
// The numbers shared with C# come from C# at start (AudioEngine.Constants): the note layout (VoiceMessage.Stride),
// the tick answer's header (TickMessage.Header), the tick, the limiter's window (LookAheadLimiter.WindowSeconds)
// and the tail-trim level (RenderOptions.SilenceDb).
let shared = null;
const FILTER_TYPES = ['lowpass', 'highpass', 'bandpass'];

const samples = new Map();   // buffer id → AudioBuffer (context-free: usable by live and offline contexts)
const curves = new Map();    // curve id → Float32Array
let ctx = null;
let graph = null;            // { master, buses[], ... } of the live context
let mixState = null;
let clock = null;
let dotnet = null;
let playing = false;
const live = new Set();     // every voice of the live context not yet ended: scheduled ahead or sounding
let playheadListener = null;
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

export function registerCurve(id, bytes) {
  curves.set(id, floats(bytes));
}

export function setMix(mix) {
  mixState = mix;
  if (graph) applyMix(ctx, graph, mix, true);
}

// The first tick anchors the pattern's start to the audio clock and brings the playhead's state.
export function play() {
  playing = true;
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
}

// Cancels every live voice due at or after `t` that has not started: stopped before its start, disconnected.
function cancelFrom(t) {
  const at = Math.max(t, ctx.currentTime);
  for (const v of live) {
    if (v.time >= at) {
      v.cancel();
      live.delete(v);
      counts.cancelled++;
    }
  }
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
  if (!playing || !bytes || bytes.length === 0) return;
  // Blazor's Uint8Array may sit at any offset: copy to align.
  const m = new Float64Array(bytes.slice().buffer);
  sweepEnded(ctx.currentTime);
  if (m[0] >= 0) cancelFrom(m[0]);
  counts.skipped = m[1];
  const rings = m[2];
  let i = shared.tickHeader;
  if (rings >= 0) {
    const lengths = Array.from(m.subarray(i + 3, i + 3 + rings));
    playheadListener?.({ playing: true, origin: m[i], stepSeconds: m[i + 1], length: m[i + 2], lengths });
    i += 3 + rings;
  }
  schedule(ctx, graph, m, i, live);
}

function schedule(context, g, events, from, liveSet) {
  const stride = shared.stride;
  for (let i = from; i + stride <= events.length; i += stride) {
    const n = note(events, i);
    const buffer = samples.get(n.buffer);
    if (!buffer) continue;
    const v = voice(context, g, n, buffer);
    liveSet.add(v);
    v.onEnd = () => liveSet.delete(v);
    counts.scheduled++;
  }
}

function note(e, i) {
  return {
    time: e[i], track: e[i + 1], step: e[i + 2], cycle: e[i + 3], buffer: e[i + 4], gain: e[i + 5], pan: e[i + 6],
    filter: e[i + 7] >= 0 ? { type: FILTER_TYPES[e[i + 7]], frequency: e[i + 8], q: e[i + 9] } : null,
    curve: e[i + 10], delay: e[i + 11] > 0 ? { time: e[i + 11], feedback: e[i + 12], mix: e[i + 13] } : null,
  };
}

function buildGraph(context, mix) {
  const master = context.createGain();
  const compressor = context.createDynamicsCompressor();
  const g = { master, compressor, limiter: null, ceiling: null, buses: [], context };
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
// computes its window from the same constant and tells its latency on its port).
function limiterLatency(sampleRate) {
  return Math.max(1, Math.floor(shared.limiterWindowSeconds * sampleRate)) - 1;
}

function limiterNode(context, ceilingDb) {
  return new AudioWorkletNode(context, 'orbitr-limiter', {
    numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2], channelCount: 2, channelCountMode: 'explicit',
    processorOptions: { ceilingDb, windowSeconds: shared.limiterWindowSeconds },
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
  if (limited && !g.limiter) {
    g.limiter = limiterNode(context, mix.limiter);
    g.ceiling = mix.limiter;
  } else if (limited && g.ceiling !== mix.limiter) {
    g.limiter.port.postMessage({ ceilingDb: mix.limiter });
    g.ceiling = mix.limiter;
  }
  const route = `${c.enabled}|${limited}`;
  if (g.route !== route) {
    g.master.disconnect();
    g.compressor.disconnect();
    g.limiter?.disconnect();
    let tail = g.master;
    if (c.enabled) tail = tail.connect(g.compressor);
    if (limited) tail = tail.connect(g.limiter);
    tail.connect(context.destination);
    if (g.meters) tail.connect(g.meters.master);
    g.route = route;
  }
  mix.tracks.forEach((volume, i) => set(bus(context, g, i).gain, volume));
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
  }
  return g.buses[track];
}

// One note's nodes. Returns { end, nodes, silence(t), onEnd }. The live scheduler drops a voice once it has ended
// (sweepEnded, each tick: no `ended` event per voice to wake the main thread); a voice with a feedback delay keeps
// the engine processing it until disconnected, so its end is when its echoes fall below −80 dB.
function voice(context, g, n, buffer) {
  const src = context.createBufferSource();
  src.buffer = buffer;
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
  const out = bus(context, g, n.track);
  let end = n.time + buffer.duration;
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
  src.start(n.time);
  const v = {
    time: n.time,
    end,
    nodes,
    onEnd: null,
    disconnect() {
      for (const node of nodes) node.disconnect();
      v.onEnd?.();
    },
    cancel() {
      src.onended = null;
      try { src.stop(); } catch { /* already stopped */ }
      for (const node of nodes) node.disconnect();
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
  scheduleUntil(windowSeconds);
  for (let t = windowSeconds; t < duration; t += windowSeconds) {
    const at = t;
    context.suspend(at).then(() => {
      if (onWindow(at, duration) === false) return;
      scheduleUntil(at + windowSeconds);
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
    const limited = mix.limiter != null;
    const latency = limited ? limiterLatency(sampleRate) : 0;
    const context = new OfflineAudioContext(2, frames + latency, sampleRate);
    if (limited) await context.audioWorklet.addModule(LIMITER_URL);
    const g = buildGraph(context, mix);
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
    const renderMs = performance.now() - renderStarted;
    const phases = { started, renderStarted, rendered: performance.now() };
    // The limiter's look-ahead delayed everything by `latency` frames: start after it.
    const left = rendered.getChannelData(0).slice(latency, latency + frames);
    const right = rendered.getChannelData(1).slice(latency, latency + frames);
    const wav = await Promise.race([encode({ left, right, spanFrames, bits, sampleRate, silenceDb: shared.silenceDb }), whenCancelled]);
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

export function cancelExport() {
  exporting?.cancel();
}

// Tail trim and WAV encoding in a worker (the channels are transferred, not copied).
function encode(message) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./wav.worker.js', import.meta.url));
    worker.onmessage = (e) => { worker.terminate(); resolve({ ...e.data, bytes: new Uint8Array(e.data.bytes) }); };
    worker.onerror = (e) => { worker.terminate(); reject(new Error(e.message || 'the WAV encoder failed')); };
    worker.postMessage(message, [message.left.buffer, message.right.buffer]);
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
