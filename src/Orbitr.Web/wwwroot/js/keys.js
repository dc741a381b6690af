// Global keyboard shortcuts (ARCHITECTURE §7). JS only decides whether a key is a shortcut here (so the
// browser's default, e.g. Space scrolling, can be prevented synchronously); C# decides what it does.
const STEP_KEYS = '1234567890qwerty';
const PLAIN = new Set([' ', 'g', 'c', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Enter', 'Escape', 'Delete']);

function inField(target) {
  return target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

export function listen(dotnetRef) {
  const handler = (e) => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (e.altKey || inField(e.target)) return;
    const undoRedo = mod && (key === 'z' || key === 'y');
    if (!undoRedo && (mod || !(PLAIN.has(key) || STEP_KEYS.includes(key)))) return;
    const step = e.target instanceof Element ? e.target.closest('[data-step]') : null;
    if (!step && (key === 'ArrowUp' || key === 'ArrowDown' || key === 'Enter')) return;
    if (key === 'Enter' && e.repeat) return;
    e.preventDefault();
    dotnetRef.invokeMethodAsync('OnKey', key, e.shiftKey, mod,
      step ? Number(step.dataset.track) : -1, step ? Number(step.dataset.step) : -1);
  };
  document.addEventListener('keydown', handler);
  return { stop: () => document.removeEventListener('keydown', handler) };
}

export function focus(id) {
  document.getElementById(id)?.focus();
}
