// Web MIDI (issue 26): the ports; MIDI out of every live voice at the time the scheduler gave it; MIDI clock out;
// and what comes in (notes, clock, Start/Stop/Continue, Song Position) handed to C# (Midi/MidiPorts.cs). It decides
// nothing about music: C# sends the rings' channels and notes, audio.js tells it every voice it schedules.
// Times: an audio-clock time t sounds at performance time offset + 1000·t, the offset read from
// AudioContext.getOutputTimestamp() every tick (the median of the last readings: one reading jitters by a render
// quantum); MIDIOutput.send takes performance-time timestamps, incoming events carry them.
import { observe, outputTimestamp } from './audio.js';

// A note goes to the port this long before it sounds: an edit (which cancels what is not sent) is still heard on MIDI
// within this, and a main-thread stall shorter than it delays nothing.
const SEND_AHEAD = 0.15;
const NOTE_SECONDS = 0.1;    // a note's length without a gate
const PULSES_PER_QUARTER = 24;
const RESYNC_MS = 0.5;
const SETTLED_READINGS = 12;  // ticks of readings (~300 ms) before notes go out SEND_AHEAD early

let access = null;
let output = null;
let input = null;
let dotnet = null;
let rings = [];              // ring → { channel (1–16), note }
let clockOut = false;
let follow = false;
let pending = [];            // note-ons not sent yet: { time (audio), track, velocity, gate }, in time order
let offs = [];               // note-offs not sent yet: { at, on (performance ms of the off and its note-on), status, note }
let readings = [];           // recent perf − 1000·t offsets
let offset = null;
let estimated = false;       // offset is the estimate made before the browser reported the clocks
let clock = null;            // clock out while playing: { origin, pulse, k (next pulse index) }
let position = 0;            // the last Song Position Pointer received (sixteenths)
let pulses = [];             // timestamps of the last incoming clock pulses
let beatPulse = 0;           // incoming pulses since the last tempo report
const counts = { notes: 0, pulses: 0, dropped: 0 };

export function supported() {
  return typeof navigator.requestMIDIAccess === 'function';
}

// Opens Web MIDI (the browser may ask the user). Answer: { ok, reason, outputs: [{id, name}], inputs: [...] }.
export async function open(dotnetRef) {
  dotnet = dotnetRef;
  if (!supported()) {
    return { ok: false, reason: 'this browser has no Web MIDI (Safari has none; Firefox asks for a site permission add-on)', outputs: [], inputs: [] };
  }
  try {
    access ??= await navigator.requestMIDIAccess({ sysex: false });
  } catch (e) {
    return { ok: false, reason: `the browser refused MIDI access (${e && e.message ? e.message : e})`, outputs: [], inputs: [] };
  }
  access.onstatechange = () => dotnet?.invokeMethodAsync('OnPortsChanged');
  observe({ voice, cancel, playhead, tick, stop });
  return { ok: true, reason: null, ...ports() };
}

export function ports() {
  const list = (m) => (m ? Array.from(m.values()).map((p) => ({ id: p.id, name: p.name || p.id })) : []);
  return { outputs: list(access?.outputs), inputs: list(access?.inputs) };
}

export function setOutput(id) {
  allOff();
  output = (id && access?.outputs.get(id)) || null;
  return output !== null;
}

export function setInput(id) {
  if (input) input.onmidimessage = null;
  input = (id && access?.inputs.get(id)) || null;
  if (input) input.onmidimessage = received;
  pulses = [];
  return input !== null;
}

// [{ channel, note }] per ring, sent by C# whenever the pattern changes them.
export function setRings(list) {
  rings = list;
}

export function setClock(on) {
  clockOut = on;
  if (!on) clock = null;
}

export function setFollow(on) {
  follow = on;
  pulses = [];
}

export function stats() {
  return { ...counts, offset, pending: pending.length };
}

// Audio-clock time → performance time (ms), and back.
function perf(t) {
  return (offset ?? 0) + 1000 * t;
}

// −1 while the clocks' relation is unknown (audio not started yet).
function audioTime(ms) {
  return offset === null ? -1 : (ms - offset) / 1000;
}

function measure() {
  const ts = outputTimestamp();
  if (!ts) return;
  // Before the output has run a quantum the browser reports zeros: until a real reading, the clock now plus the
  // output latency (an estimate, not kept among the readings).
  if (!(ts.performanceTime > 0 && ts.contextTime > 0)) {
    if (readings.length === 0) {
      offset = ts.now - 1000 * ts.currentTime + 1000 * ts.latency;
      estimated = true;
    }
    return;
  }
  readings.push(ts.performanceTime - 1000 * ts.contextTime);
  if (readings.length > 41) readings.shift();
  const sorted = [...readings].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  // Kept steady while within RESYNC_MS of the readings, so pulses stay evenly spaced; an output glitch (the audio
  // clock stands while performance time runs on) or another output device moves it at once.
  if (offset === null || estimated || Math.abs(median - offset) > RESYNC_MS) offset = median;
  estimated = false;
}

// --- out: audio.js's observer ---

function voice(n) {
  if (!output) return;
  let i = pending.length;
  while (i > 0 && pending[i - 1].time > n.time) i--;
  pending.splice(i, 0, { time: n.time, track: n.track, velocity: n.velocity, gate: n.gate });
}

function cancel(t) {
  pending = pending.filter((p) => p.time < t);
}

function playhead(state) {
  if (!clockOut || !output) return;
  if (readings.length === 0) measure();
  const pulse = (state.stepSeconds * 4) / PULSES_PER_QUARTER;
  if (!clock) {
    // From the top: Song Position 0 and Start at the first pulse. From elsewhere (a song's later section, a followed
    // Continue): that Song Position and Continue, the clock going on from the point the transport starts at.
    const position = Math.max(0, Math.min(16383, Math.round(state.from?.sixteenths ?? 0)));
    const k = Math.max(0, Math.round((state.from?.seconds ?? 0) / pulse));
    const at = perf(state.origin + k * pulse);
    send([0xf2, position & 127, position >> 7], at);
    send([position > 0 ? 0xfb : 0xfa], at);
    clock = { origin: state.origin, pulse, k, last: -Infinity };
    return;
  }
  if (clock.origin === state.origin && clock.pulse === pulse) return;
  // A tempo change or a new pattern re-anchors the grid: the next pulse is the first of the new grid after the last sent.
  const k = Math.ceil((clock.last + pulse * 0.5 - state.origin) / pulse);
  clock = { origin: state.origin, pulse, k: Math.max(k, 0), last: clock.last };
}

function tick(now) {
  measure();
  if (!output) return;
  const until = now + SEND_AHEAD;
  // Clock pulses: exact to the tempo (swing bends notes, not the clock).
  if (clock && clockOut) {
    for (let t = clock.origin + clock.k * clock.pulse; t <= until; t = clock.origin + clock.k * clock.pulse) {
      send([0xf8], perf(t));
      clock.last = t;
      clock.k++;
      counts.pulses++;
    }
  }
  // Notes and their offs in time order; a note that comes again before its previous off ends that one first. While
  // the relation is new (an output that has just started reports it unsteadily for a while) only notes due at once go out.
  const sendUntil = readings.length >= SETTLED_READINGS ? until : now + 0.03;
  while (pending.length && pending[0].time <= sendUntil) {
    const n = pending.shift();
    const ring = rings[n.track];
    if (!ring) { counts.dropped++; continue; }
    const at = perf(n.time);
    flushOffs(at);
    const status = 0x90 | ((ring.channel - 1) & 15);
    const earlier = offs.findIndex((o) => o.status === (status & 0xef) && o.note === ring.note);
    if (earlier >= 0) {
      send([offs[earlier].status, ring.note, 0], at);
      offs.splice(earlier, 1);
    }
    send([status, ring.note, Math.max(1, Math.min(127, Math.round(n.velocity)))], at);
    counts.notes++;
    insertOff({ at: at + 1000 * (n.gate ?? NOTE_SECONDS), on: at, status: status & 0xef, note: ring.note });
  }
  flushOffs(perf(until));
}

function insertOff(o) {
  let i = offs.length;
  while (i > 0 && offs[i - 1].at > o.at) i--;
  offs.splice(i, 0, o);
}

function flushOffs(upTo) {
  while (offs.length && offs[0].at <= upTo) {
    const o = offs.shift();
    send([o.status, o.note, 0], o.at);
  }
}

function stop(t) {
  pending = [];
  allOff();
  if (clock && output) send([0xfc], Math.max(perf(t), performance.now()));
  clock = null;
}

// Every note still held ends now; one sent for a moment still to come ends as it starts (it cannot be taken back).
function allOff() {
  const now = performance.now();
  for (const o of offs) send([o.status, o.note, 0], Math.max(now, o.on));
  offs = [];
}

function send(data, timestamp) {
  if (!output) return;
  try {
    output.send(data, timestamp);
  } catch {
    counts.dropped++;
  }
}

// --- in ---

function received(e) {
  const d = e.data;
  if (!d || d.length === 0) return;
  const status = d[0];
  const ts = e.timeStamp ?? performance.now();
  if (status !== 0xf8) measure(); // the clocks' relation, also before anything has played
  if (status === 0xf8) {
    if (!follow) return;
    pulses.push(ts);
    if (pulses.length > PULSES_PER_QUARTER + 1) pulses.shift();
    // Smoothed over a beat: the mean spacing of the last 24 pulses, reported once a beat.
    beatPulse++;
    if (pulses.length === PULSES_PER_QUARTER + 1 && beatPulse >= PULSES_PER_QUARTER) {
      beatPulse = 0;
      const spacing = (pulses[pulses.length - 1] - pulses[0]) / PULSES_PER_QUARTER;
      if (spacing > 0) dotnet?.invokeMethodAsync('OnClockTempo', 60000 / (spacing * PULSES_PER_QUARTER));
    }
    return;
  }
  if (status === 0xfa || status === 0xfb || status === 0xfc) {
    if (!follow) return;
    if (status === 0xfa) position = 0;
    pulses = [];
    beatPulse = 0;
    const kind = status === 0xfa ? 'start' : status === 0xfb ? 'continue' : 'stop';
    dotnet?.invokeMethodAsync('OnClockTransport', kind, position, audioTime(ts));
    return;
  }
  if (status === 0xf2 && d.length >= 3) {
    position = d[1] | (d[2] << 7);
    if (follow) dotnet?.invokeMethodAsync('OnClockTransport', 'position', position, audioTime(ts));
    return;
  }
  const kind = status & 0xf0;
  if (kind === 0x90 && d.length >= 3 && d[2] > 0) {
    dotnet?.invokeMethodAsync('OnNote', (status & 15) + 1, d[1], d[2], audioTime(ts));
  }
}
