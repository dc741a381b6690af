// Draws the playhead from the AudioContext clock: the sweeping hand and the "now" mark on each ring's current step;
// and, in one animation-frame loop while playing, the level meters (AnalyserNodes of audio.js) and the rings' glow.
// Components never re-render for it, and it costs the main thread almost nothing while playing (issue 21): the hand
// turns in a Web Animations animation (the compositor runs it, no main-thread frame per turn), and the marks move in
// a timer that wakes once per step, not on every animation frame.
import { now, onPlayhead, levels } from './audio.js';

let svg = null;     // the playhead layer over the rings
let state = { playing: false };
let spin = null;   // the hand's Animation
let timer = 0;
let marks = [];    // per ring: { id, circle } of the mark on its current step

export function init(svgElement) {
  svg = svgElement;
  onPlayhead((s) => {
    state = s;
    if (s.playing) start(); else reset();
  });
  return { stop: () => { onPlayhead(null); reset(); svg = null; } };
}

function hand() {
  return svg?.querySelector('.playhead');
}

function reset() {
  clearTimeout(timer);
  timer = 0;
  cancelAnimationFrame(meterFrame);
  meterFrame = 0;
  clearMeters();
  spin?.cancel();
  spin = null;
  for (const m of marks) m.circle.remove();
  marks = [];
  hand()?.classList.remove('moving');
}

// A new playhead state (play, tempo, length): the hand's turn is one cycle of the longest ring, started where the
// audio clock says the pattern is.
function start() {
  const h = hand();
  if (!svg || !h) return;
  const cycle = state.length * state.stepSeconds * 1000;
  spin?.cancel();
  spin = h.animate([{ transform: 'rotate(0deg)' }, { transform: 'rotate(360deg)' }], { duration: cycle, iterations: Infinity, easing: 'linear' });
  h.classList.add('moving');
  sync();
  clearTimeout(timer);
  step();
  if (!meterFrame) meterFrame = requestAnimationFrame(meters);
}

// ---- meters: canvases (canvas.meter[data-meter="master" | track index]) drawn from peak levels, with a fall-off
// a musician reads (about 24 dB a second) and a peak colour; only canvases change, so no component re-renders and
// the rings' SVG is not repainted. The glow is a layer of its own whose opacity alone changes (compositor). ----
let meterFrame = 0;
let canvases = [];  // { el, g, key, color, shown }
const FLOOR_DB = -48;

function findCanvases() {
  canvases = [...document.querySelectorAll('canvas.meter')].map((el) => ({
    el, g: el.getContext('2d'), key: el.dataset.meter, shown: 0,
    color: getComputedStyle(el).getPropertyValue('--c').trim() || getComputedStyle(el).getPropertyValue('--accent').trim() || '#7ee0a1',
  }));
}

function toHeight(linear) {
  if (linear <= 0) return 0;
  const db = 20 * Math.log10(linear);
  return Math.max(0, Math.min(1, (db - FLOOR_DB) / -FLOOR_DB));
}

function meters(time) {
  meterFrame = 0;
  if (!state.playing) return;
  const l = levels();
  if (l) {
    if (canvases.length === 0 || canvases.some((c) => !c.el.isConnected)) findCanvases();
    for (const c of canvases) {
      const level = c.key === 'master' ? l.master : l.tracks[Number(c.key)] ?? 0;
      const target = toHeight(level);
      c.shown = Math.max(target, c.shown - 0.5 / 60); // 0.5 of the 48 dB scale per second
      draw(c, level);
    }
    const glow = svg?.parentElement?.querySelector('.glow');
    if (glow) glow.style.opacity = (toHeight(l.master) ** 2).toFixed(2);
  }
  meterFrame = requestAnimationFrame(meters);
}

function draw(c, level) {
  const { el, g } = c;
  const w = el.width, h = el.height;
  g.clearRect(0, 0, w, h);
  const top = Math.round(h * (1 - c.shown));
  g.fillStyle = level >= 0.891 ? '#ff5d5d' : c.color; // above −1 dBFS: red
  g.fillRect(0, top, w, h - top);
}

function clearMeters() {
  for (const c of canvases) {
    c.shown = 0;
    if (c.el.isConnected) c.g.clearRect(0, 0, c.el.width, c.el.height);
  }
  const glow = svg?.parentElement?.querySelector('.glow');
  if (glow) glow.style.opacity = '0';
}

// The document timeline and the audio clock run apart slowly (and the audio clock pauses when the context does):
// the hand follows the audio clock, set again when it has drifted more than a few milliseconds.
function sync() {
  const position = (now() - state.origin) * 1000;
  const cycle = state.length * state.stepSeconds * 1000;
  if (!spin) return;
  const want = position < 0 ? 0 : position % cycle;
  const at = (spin.currentTime ?? 0) % cycle;
  const drift = Math.abs(want - at);
  if (Math.min(drift, cycle - drift) > 4) spin.currentTime = want;
  if (position < 0) spin.pause(); else if (spin.playState === 'paused') spin.play();
}

// Marks each ring's current step (a circle over the step's halo, in a group Blazor renders empty and never
// touches, so a re-render of the rings cannot wipe it), then sleeps until the next step begins.
function step() {
  timer = 0;
  if (!svg || !state.playing) return;
  const position = (now() - state.origin) / state.stepSeconds; // in sixteenth steps
  const group = svg.querySelector('.marks');
  if (position >= 0 && group) {
    const n = Math.floor(position);
    state.lengths.forEach((length, track) => {
      const id = `step-${track}-${n % length}`;
      const m = marks[track] ??= { id: null, circle: group.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'circle')) };
      if (!m.circle.isConnected) group.appendChild(m.circle);
      if (m.id === id) return;
      m.id = id;
      const halo = document.getElementById(id)?.querySelector('.halo');
      if (!halo) { m.circle.setAttribute('r', '0'); return; }
      for (const a of ['cx', 'cy', 'r']) m.circle.setAttribute(a, halo.getAttribute(a));
      m.circle.dataset.track = track;
      m.circle.dataset.step = n % length;
    });
    for (let t = state.lengths.length; t < marks.length; t++) marks[t].circle.remove();
    marks.length = Math.min(marks.length, state.lengths.length);
  }
  sync();
  const next = position < 0 ? 0 : Math.floor(position) + 1;
  const wait = (state.origin + next * state.stepSeconds - now()) * 1000;
  timer = setTimeout(step, Math.max(1, wait + 1));
}
