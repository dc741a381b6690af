// Global keyboard shortcuts (ARCHITECTURE §7). JS only decides whether a key is a shortcut here (so the
// browser's default, e.g. Space scrolling, can be prevented synchronously); C# decides what it does.
import { heardAt } from './audio.js';

const STEP_KEYS = '1234567890qwerty';
const PLAIN = new Set([' ', 'g', 'p', 'c', 'm', 's', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Enter', 'Escape', 'Delete', 'Backspace']);
// Pad mode's keys by their place (any layout): A S D F G H J K and 1–8 play rings 1–8.
const PAD_CODES = ['KeyA', 'KeyS', 'KeyD', 'KeyF', 'KeyG', 'KeyH', 'KeyJ', 'KeyK'];
const ARROWS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']);
const COPY_KEYS = new Set(['c', 'x', 'v', 'd']);
// Inputs that take typed text: there every key is the field's. Sliders, checkboxes and buttons are not: after
// touching one, shortcuts keep working (a slider keeps its arrow keys).
const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'time', 'datetime-local', 'month', 'week']);

function inTextField(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && TEXT_INPUTS.has(target.type);
}

function ownsArrows(target) {
  return target instanceof HTMLInputElement && (target.type === 'range' || target.type === 'radio');
}

function padOf(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return -1;
  const letter = PAD_CODES.indexOf(e.code);
  if (letter >= 0) return letter;
  return /^(Digit|Numpad)[1-8]$/.test(e.code) ? Number(e.code.at(-1)) - 1 : -1;
}

// A slider of the page's own (a lane's bar, role="slider"): its keys are its own, and not the page's scrolling either.
const SLIDER_KEYS = new Set([...ARROWS, 'Home', 'End', 'PageUp', 'PageDown']);
function ownSlider(target) {
  return target instanceof HTMLElement && !(target instanceof HTMLInputElement) && target.getAttribute('role') === 'slider';
}

export function listen(dotnetRef) {
  let pads = false;
  const handler = (e) => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (inTextField(e.target)) return;
    // In pad mode a pad key plays its ring at once, timed by the key event (the audio that was being heard then), so
    // a recorded hit lands where it was played however long the page takes to answer. A held key does not repeat.
    const pad = pads ? padOf(e) : -1;
    if (pad >= 0) {
      e.preventDefault();
      if (!e.repeat) dotnetRef.invokeMethodAsync('OnPad', pad, heardAt(e.timeStamp));
      return;
    }
    // Alt+1…8 selects a ring (by the key's place: Alt changes the character on some layouts).
    if (e.altKey && !mod && /^Digit[1-8]$/.test(e.code)) {
      e.preventDefault();
      dotnetRef.invokeMethodAsync('OnKey', `ring-${e.code.slice(5)}`, e.shiftKey, false, -1, -1);
      return;
    }
    if (e.altKey) return;
    if (ARROWS.has(key) && ownsArrows(e.target)) return;
    if (SLIDER_KEYS.has(key) && !mod && ownSlider(e.target)) {
      e.preventDefault();
      return;
    }
    const undoRedo = mod && (key === 'z' || key === 'y');
    // Copy, cut, paste and duplicate of steps: not where the page's own text is selected (copying it stays the browser's).
    const steps = mod && COPY_KEYS.has(key) && (key === 'd' || (window.getSelection()?.isCollapsed ?? true));
    if (!undoRedo && !steps && (mod || !(PLAIN.has(key) || STEP_KEYS.includes(key)))) return;
    const step = e.target instanceof Element ? e.target.closest('[data-step]') : null;
    if (!step && (key === 'ArrowUp' || key === 'ArrowDown' || key === 'Enter')) return;
    if (key === 'Enter' && e.repeat) return;
    e.preventDefault();
    dotnetRef.invokeMethodAsync('OnKey', key, e.shiftKey, mod,
      step ? Number(step.dataset.track) : -1, step ? Number(step.dataset.step) : -1);
  };
  // F is held, not pressed: fill while it is down (a repeat is the same hold).
  const fill = (e) => {
    if (e.key.toLowerCase() !== 'f' || e.ctrlKey || e.metaKey || e.altKey || inTextField(e.target)) return;
    if (pads && e.type === 'keydown') return; // F is ring 4's pad then (letting go still ends a fill)
    e.preventDefault();
    if (e.type === 'keydown' && e.repeat) return;
    dotnetRef.invokeMethodAsync('OnFill', e.type === 'keydown');
  };
  // [ and ] held bend the tempo (a DJ's pitch bend); letting go of either ends it.
  const nudge = (e) => {
    if ((e.key !== '[' && e.key !== ']') || e.ctrlKey || e.metaKey || e.altKey || inTextField(e.target)) return;
    e.preventDefault();
    if (e.type === 'keydown' && e.repeat) return;
    dotnetRef.invokeMethodAsync('OnNudge', e.key === ']' ? 1 : -1, e.type === 'keydown');
  };
  // Letting go anywhere else (another window) ends the holds too.
  const release = () => {
    dotnetRef.invokeMethodAsync('OnFill', false);
    dotnetRef.invokeMethodAsync('OnNudge', 0, false);
  };
  document.addEventListener('keydown', handler);
  document.addEventListener('keydown', fill);
  document.addEventListener('keyup', fill);
  document.addEventListener('keydown', nudge);
  document.addEventListener('keyup', nudge);
  window.addEventListener('blur', release);
  return {
    pads: (on) => { pads = !!on; },
    stop: () => {
      document.removeEventListener('keydown', handler);
      document.removeEventListener('keydown', fill);
      document.removeEventListener('keyup', fill);
      document.removeEventListener('keydown', nudge);
      document.removeEventListener('keyup', nudge);
      window.removeEventListener('blur', release);
    },
  };
}

export function focus(id) {
  document.getElementById(id)?.focus();
}
