// Pointer gestures on the zoomed ring's steps (RingZoom.razor): a tap toggles a step, a long press selects it
// without toggling, and a swipe paints every step it crosses with the value the first step got. The gesture is
// recognised here because it needs the pointer's path: a touch's events all go to the element it started on, so
// the step under the finger is found with elementFromPoint. C# makes the edits (PatternEditing's paint).
const HOLD_MS = 450;   // a press held this long, without moving, selects
const SLOP_PX = 10;    // a finger wobbles: moving less than this is still holding still
const CLICK_MS = 700;  // the click a handled press is followed by comes within this
const STRIDE_PX = 8;   // how finely a swipe's path is looked at: well under a step's gap to the next

export function attach(container, dotnetRef) {
  // { id, x, y, track, step, timer, state: 'pressed' | 'painting' | 'held' | 'cancelled', over: the step last
  // painted, last: the point last looked at }
  let press = null;
  let handledAt = -Infinity;

  const stepOf = (el) => {
    const button = el instanceof Element ? el.closest('[data-zoom-step]') : null;
    return button && container.contains(button) ? { track: Number(button.dataset.zoomTrack), step: Number(button.dataset.zoomStep) } : null;
  };
  const call = (method, ...args) => dotnetRef.invokeMethodAsync(method, ...args).catch(() => { });

  function hold() {
    if (press?.state !== 'pressed') return;
    press.state = 'held';
    call('OnHold', press.track, press.step);
  }

  function startPaint() {
    press.state = 'painting';
    press.over = press.step;
    call('OnPaintStart', press.track, press.step);
  }

  function finish() {
    clearTimeout(press.timer);
    if (press.state === 'painting') call('OnPaintEnd');
    try { container.releasePointerCapture(press.id); } catch { }
    press = null;
    handledAt = performance.now();
  }

  const down = (e) => {
    if (press || !e.isPrimary || e.button !== 0) return;
    const at = stepOf(e.target);
    if (!at) return;
    if (e.shiftKey || e.ctrlKey || e.metaKey) {
      // As on the rings: a modified click adds the step to the selection (or takes it out).
      call('OnSelect', at.track, at.step, true);
      handledAt = performance.now();
      return;
    }
    press = { id: e.pointerId, x: e.clientX, y: e.clientY, ...at, state: 'pressed', over: -1, timer: setTimeout(hold, HOLD_MS) };
    // A mouse is not captured by the button it pressed as a touch is: capture it, so a drag that leaves the steps
    // still ends here.
    try { container.setPointerCapture(e.pointerId); } catch { }
  };

  function reach(x, y) {
    if (press.state === 'pressed' && Math.hypot(x - press.x, y - press.y) > SLOP_PX) clearTimeout(press.timer);
    const at = stepOf(document.elementFromPoint(x, y));
    if (!at || at.track !== press.track) return;
    if (press.state === 'pressed') {
      if (at.step === press.step) return;
      clearTimeout(press.timer);
      startPaint();
    }
    if (at.step === press.over) return;
    press.over = at.step;
    call('OnPaintOver', at.track, at.step);
  }

  // Moves come at most once a frame, and a quick swipe covers more than a step (40 px) in one: every point between
  // the last one and this is looked at, so no step the finger crossed is skipped.
  const move = (e) => {
    if (!press || e.pointerId !== press.id || press.state === 'held') return;
    const points = e.getCoalescedEvents?.().map((c) => [c.clientX, c.clientY]) ?? [];
    if (points.length === 0) points.push([e.clientX, e.clientY]);
    for (const [x, y] of points) {
      const [fromX, fromY] = press.last ?? [press.x, press.y];
      const n = Math.min(64, Math.ceil(Math.hypot(x - fromX, y - fromY) / STRIDE_PX));
      for (let i = 1; i <= n; i++) reach(fromX + (x - fromX) * i / n, fromY + (y - fromY) * i / n);
      press.last = [x, y];
    }
  };

  const up = (e) => {
    if (!press || e.pointerId !== press.id) return;
    if (press.state === 'pressed') startPaint(); // a tap
    finish();
  };

  // The browser took the touch (a system gesture): what was painted stays, a press that had done nothing does nothing.
  const cancel = (e) => {
    if (!press || e.pointerId !== press.id) return;
    if (press.state === 'pressed') press.state = 'cancelled';
    finish();
  };

  // The press has done its edit: the click that follows it must not toggle the step again (RingZoom's onclick is for
  // the keyboard and for assistive technology, which click without a press).
  const click = (e) => {
    if (performance.now() - handledAt > CLICK_MS) return;
    handledAt = -Infinity;
    e.stopPropagation();
    e.preventDefault();
  };

  // A long press on a touch screen opens the context menu (and cancels the touch) unless it is refused; a right
  // click presses nothing here and keeps its menu.
  const menu = (e) => {
    if (press) e.preventDefault();
  };

  container.addEventListener('pointerdown', down);
  container.addEventListener('pointermove', move);
  container.addEventListener('pointerup', up);
  container.addEventListener('pointercancel', cancel);
  container.addEventListener('click', click, true);
  container.addEventListener('contextmenu', menu);
  return {
    stop: () => {
      if (press) clearTimeout(press.timer);
      press = null;
      container.removeEventListener('pointerdown', down);
      container.removeEventListener('pointermove', move);
      container.removeEventListener('pointerup', up);
      container.removeEventListener('pointercancel', cancel);
      container.removeEventListener('click', click, true);
      container.removeEventListener('contextmenu', menu);
    },
  };
}
