// Draws the playhead from the AudioContext clock in a requestAnimationFrame loop: the sweeping hand and the
// "now" mark on each ring's current step. Components never re-render per step.
import { now, onPlayhead } from './audio.js';

let svg = null;
let state = { playing: false };
let raf = 0;
let lit = [];


export function init(svgElement) {
  svg = svgElement;
  onPlayhead((s) => {
    state = s;
    if (s.playing && !raf) raf = requestAnimationFrame(frame);
    if (!s.playing) reset();
  });
  return { stop: () => { onPlayhead(null); reset(); svg = null; } };
}

function reset() {
  cancelAnimationFrame(raf);
  raf = 0;
  for (const el of lit) el?.classList.remove('now');
  lit = [];
  const hand = svg?.querySelector('.playhead');
  hand?.setAttribute('transform', 'rotate(0)');
  hand?.classList.remove('moving');
}

function frame() {
  raf = requestAnimationFrame(frame);
  if (!svg || !state.playing) return;
  const position = (now() - state.origin) / state.stepSeconds; // in sixteenth steps
  if (position < 0) return;
  const hand = svg.querySelector('.playhead');
  hand?.classList.add('moving');
  hand?.setAttribute('transform', `rotate(${((position % state.length) / state.length) * 360})`);
  const n = Math.floor(position);
  state.lengths.forEach((length, track) => {
    const id = `step-${track}-${n % length}`;
    if (lit[track]?.id === id) return;
    lit[track]?.classList.remove('now');
    lit[track] = svg.querySelector(`#${id}`);
    lit[track]?.classList.add('now');
  });
}
