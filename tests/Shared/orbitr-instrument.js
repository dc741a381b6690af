// Test and benchmark instrumentation, injected by the E2E tests (AppServer.OpenAsync) and bench/web before the app
// loads. The app ships no test hooks: this wraps the Web Audio API itself and records what the app does with it.
//   __orbitrScheduled   every voice started on a live AudioContext with a time: { time, at (audio clock when start()
//                        was called), perf (performance.now() then), track (the bus it feeds, −1 for the master),
//                        frames, gain, stopAt (null, or the audio time of its last stop()), cancelled (stopped before it
//                        started: never sounded) }
//   __orbitrPreviewed   buffer lengths of sources started at once (library preview)
//   __orbitrContextOptions, __orbitrContexts   options and instances of AudioContext
//   __orbitrPeakNow()   loudest sample of the output in an analyser tapped at the destination (2048 frames)
//   __orbitrSilenceAfterStop()  resolves { peak, at } measured once Stop + 50 ms + the analyser window have passed
//   __orbitrFrames      intervals between animation frames (ms) while __orbitrMeasureFrames(true)
//   __orbitrDownloads   files the app downloaded: { name, type, size, base64 }
//   __orbitrAudio()     the app's audio.js module (stats())
(() => {
  const g = globalThis;
  g.__orbitrScheduled = [];
  g.__orbitrPreviewed = [];
  g.__orbitrContexts = [];
  g.__orbitrFrames = [];
  g.__orbitrLastStopAt = null;
  g.__orbitrAudio = () => import('/js/audio.js');

  const Native = g.AudioContext;
  const analysers = new WeakMap(); // live context → AnalyserNode at the destination
  class RecordedAudioContext extends Native {
    constructor(options) {
      super(options);
      g.__orbitrContextOptions = { ...(options ?? {}) };
      g.__orbitrContexts.push(this);
    }
  }
  g.AudioContext = RecordedAudioContext;
  const isLive = (node) => node.context instanceof Native;

  // The graph as the app builds it: who feeds whom; the master is the gain that feeds the compressor, the limiter or
  // the destination; a bus is a gain that feeds the master, numbered in the order the buses were connected.
  const targets = new WeakMap();
  const masters = new WeakSet();
  const busIndex = new WeakMap();
  const busCount = new WeakMap();
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (target, ...rest) {
    const result = connect.call(this, target, ...rest);
    if (target instanceof AudioNode) {
      if (!targets.has(this)) targets.set(this, []);
      targets.get(this).push(target);
      if (this instanceof GainNode && (target instanceof DynamicsCompressorNode || target instanceof AudioWorkletNode || target instanceof AudioDestinationNode)) masters.add(this);
      if (this instanceof GainNode && masters.has(target) && !busIndex.has(this)) {
        const n = busCount.get(target) ?? 0;
        busIndex.set(this, n);
        busCount.set(target, n + 1);
      }
      if (target instanceof AudioDestinationNode && isLive(this)) {
        let a = analysers.get(this.context);
        if (!a) {
          a = this.context.createAnalyser();
          a.fftSize = 2048;
          analysers.set(this.context, a);
        }
        connect.call(this, a);
      }
    }
    return result;
  };

  const trackOf = (source) => {
    const seen = new Set([source]);
    const queue = [source];
    let direct = false;
    while (queue.length) {
      const node = queue.shift();
      if (busIndex.has(node) && node !== source) return busIndex.get(node);
      for (const t of targets.get(node) ?? []) {
        if (masters.has(t)) direct = true;
        if (!seen.has(t)) { seen.add(t); queue.push(t); }
      }
    }
    return direct ? -1 : null;
  };

  const records = new WeakMap();
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (when, ...rest) {
    const result = start.call(this, when, ...rest);
    if (isLive(this)) {
      if (when === undefined) g.__orbitrPreviewed.push(this.buffer?.length ?? 0);
      else {
        const first = (targets.get(this) ?? [])[0];
        const r = {
          time: when, at: this.context.currentTime, perf: performance.now(), track: trackOf(this),
          frames: this.buffer?.length ?? 0, gain: first instanceof GainNode ? first.gain.value : 1, stopAt: null, cancelled: false,
        };
        records.set(this, r);
        g.__orbitrScheduled.push(r);
      }
    }
    return result;
  };
  const stop = AudioScheduledSourceNode.prototype.stop;
  AudioScheduledSourceNode.prototype.stop = function (when, ...rest) {
    const result = stop.call(this, when, ...rest);
    if (isLive(this)) {
      const at = Math.max(when ?? 0, this.context.currentTime);
      g.__orbitrLastStopAt = this.context.currentTime;
      const r = records.get(this);
      // The last stop() wins (a gated voice is stopped when scheduled, and again by an edit or Stop), unless the
      // source had stopped already.
      if (r && (r.stopAt === null || r.stopAt > this.context.currentTime)) {
        r.stopAt = at;
        r.cancelled = at <= r.time;
      }
    }
    return result;
  };

  const peak = (a) => {
    const data = new Float32Array(a.fftSize);
    a.getFloatTimeDomainData(data);
    return data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  };
  const live = () => g.__orbitrContexts[g.__orbitrContexts.length - 1];
  g.__orbitrPeakNow = () => peak(analysers.get(live()));
  g.__orbitrSilenceAfterStop = () => new Promise((resolve) => {
    const ctx = live();
    const a = analysers.get(ctx);
    const stoppedAt = g.__orbitrLastStopAt;
    const windowSeconds = a.fftSize / ctx.sampleRate;
    const poll = () => {
      if (ctx.currentTime < stoppedAt + 0.05 + windowSeconds) { setTimeout(poll, 5); return; }
      resolve({ peak: peak(a), at: ctx.currentTime - stoppedAt });
    };
    poll();
  });

  // Frame intervals only while asked for (bench/web): the app draws nothing per frame, and a loop of our own would
  // add main-thread work to what is being measured.
  let measuring = false;
  g.__orbitrMeasureFrames = (on) => {
    if (on === measuring) return;
    measuring = on;
    let last = 0;
    const frame = (ts) => {
      if (!measuring) return;
      if (last) g.__orbitrFrames.push(ts - last);
      last = ts;
      requestAnimationFrame(frame);
    };
    if (on) requestAnimationFrame(frame);
  };

  // Downloads the app starts (an <a download> click on a blob: URL), read back in the page so every engine's test can
  // check the file: { name, type, size, base64 }.
  g.__orbitrDownloads = [];
  const blobs = new Map();
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = function (obj) {
    const url = createObjectURL.call(URL, obj);
    if (obj instanceof Blob) blobs.set(url, obj);
    return url;
  };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    const blob = this.download ? blobs.get(this.href) : null;
    if (blob) {
      const name = this.download;
      blob.arrayBuffer().then((buffer) => {
        const bytes = new Uint8Array(buffer);
        let text = '';
        for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        g.__orbitrDownloads.push({ name, type: blob.type, size: bytes.length, base64: btoa(text) });
      });
    }
    return click.call(this);
  };
})();
