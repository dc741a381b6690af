// Pointer and key gestures of the design system's controls that Blazor's events cannot express: a knob's drag
// (pointer capture, so the drag goes on outside the knob; Shift for fine control) and a tap's exact time (the
// event's timeStamp, not when a handler got round to it). The values they produce are .NET's to apply.

const COARSE = 160; // px of vertical drag for the whole range
const FINE = 1600;  // with Shift held

function attr(el, name, fallback) {
  const v = Number(el.dataset[name]);
  return Number.isFinite(v) ? v : fallback;
}

// Position 0…1 ⇄ value, linear or logarithmic (a filter's frequency), snapped to the knob's step.
function toValue(el, pos) {
  const min = attr(el, 'min', 0), max = attr(el, 'max', 1), step = attr(el, 'increment', 0);
  pos = Math.min(1, Math.max(0, pos));
  let v = el.dataset.log === 'true' ? min * Math.pow(max / min, pos) : min + (max - min) * pos;
  if (step > 0) v = min + Math.round((v - min) / step) * step;
  return Math.min(max, Math.max(min, Number(v.toFixed(6))));
}

function toPosition(el, v) {
  const min = attr(el, 'min', 0), max = attr(el, 'max', 1);
  if (max === min) return 0;
  const p = el.dataset.log === 'true' ? Math.log(v / min) / Math.log(max / min) : (v - min) / (max - min);
  return Math.min(1, Math.max(0, p));
}

// Adds the handlers; the returned object's dispose() removes them again.
function listen(el, handlers) {
  for (const [type, fn] of Object.entries(handlers)) el.addEventListener(type, fn);
  return { dispose: () => { for (const [type, fn] of Object.entries(handlers)) el.removeEventListener(type, fn); } };
}

/** A knob: vertical drag (fine with Shift), arrow keys (Page keys ×10, Home/End), double-click resets. */
export function knob(el, dotnetRef) {
  let drag = null; // { id, y, pos, fine, last }
  const wrapper = el.closest('.knob') ?? el;
  const send = (method, value) => dotnetRef.invokeMethodAsync(method, value).catch(() => { });

  const down = (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    el.focus({ preventScroll: true });
    el.setPointerCapture(e.pointerId);
    const value = attr(el, 'value', 0);
    drag = { id: e.pointerId, y: e.clientY, pos: toPosition(el, value), fine: e.shiftKey, last: value };
    wrapper.classList.add('active');
  };
  const move = (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    // Shift pressed or released mid-drag: carry on from here at the other rate, no jump.
    if (e.shiftKey !== drag.fine) {
      drag.pos = toPosition(el, drag.last);
      drag.y = e.clientY;
      drag.fine = e.shiftKey;
    }
    const pos = drag.pos + (drag.y - e.clientY) / (drag.fine ? FINE : COARSE);
    const value = toValue(el, pos);
    if (value === drag.last) return;
    drag.last = value;
    send('OnDrag', value);
  };
  const up = (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    drag = null;
    wrapper.classList.remove('active');
    send('OnCommit', 0);
  };
  const key = (e) => {
    const value = attr(el, 'value', 0);
    const step = attr(el, 'increment', 0);
    const log = el.dataset.log === 'true';
    const by = (n) => log || step <= 0
      ? toValue(el, toPosition(el, value) + n / 100)
      : Math.min(attr(el, 'max', 1), Math.max(attr(el, 'min', 0), Number((value + n * step).toFixed(6))));
    let next;
    switch (e.key) {
      case 'ArrowUp': case 'ArrowRight': next = by(e.shiftKey ? 0.1 : 1); break;
      case 'ArrowDown': case 'ArrowLeft': next = by(e.shiftKey ? -0.1 : -1); break;
      case 'PageUp': next = by(10); break;
      case 'PageDown': next = by(-10); break;
      case 'Home': next = attr(el, 'min', 0); break;
      case 'End': next = attr(el, 'max', 1); break;
      default: return;
    }
    // The knob's own keys: not the page's shortcuts (BPM on ←/→) nor scrolling.
    e.preventDefault();
    e.stopPropagation();
    if (next !== value) send('OnKeyStep', next);
  };
  const reset = (e) => {
    e.preventDefault();
    send('OnReset', 0);
  };
  return listen(el, { pointerdown: down, pointermove: move, pointerup: up, pointercancel: up, keydown: key, dblclick: reset });
}

/** A lane of bars (issue 26): the drag keeps the pointer (it goes on outside the lane, and a finger crosses bars
 *  instead of staying on the first), and .NET gets the lane's box to place the pointer in. */
export function captureLane(el, pointerId) {
  try {
    el.setPointerCapture(pointerId);
  } catch {
    // The pointer is already up (a quick tap): the drag is that one value.
  }
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, width: r.width, height: r.height };
}

/** Tap tempo: reports each tap's time in seconds from the event's own timeStamp (pointer down, or Enter/Space). */
export function tap(el, dotnetRef) {
  const report = (e) => dotnetRef.invokeMethodAsync('OnTap', e.timeStamp / 1000).catch(() => { });
  const down = (e) => { if (e.button === 0) report(e); };
  const key = (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && !e.repeat) {
      e.preventDefault();
      e.stopPropagation();
      report(e);
    }
  };
  return listen(el, { pointerdown: down, keydown: key });
}

/** An open menu: a click anywhere outside it closes it (the click still does what it does there). On the click,
 *  not the pointer down: closing first would move what is under the finger in the phone's menu sheet. */
export function dismissOnOutside(el, dotnetRef) {
  const down = (e) => {
    if (!el.isConnected || el.contains(e.target)) return;
    // Another menu's button: opening that menu closes this one (MenuState). Closing it here first would move the
    // buttons under the finger in the phone's menu sheet before the click lands.
    if (e.target instanceof Element && e.target.closest('.menu-toggle')) return;
    dotnetRef.invokeMethodAsync('OnOutside').catch(() => { });
  };
  document.addEventListener('click', down, true);
  return { dispose: () => document.removeEventListener('click', down, true) };
}
