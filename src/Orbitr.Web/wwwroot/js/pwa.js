// The service worker's side in the page: registers it (loaded by index.html before Blazor starts, so even a page
// whose runtime fails to boot gets the offline copy), and tells the app when a new version has installed and is
// waiting. The new version takes over only when the user says so (applyUpdate), then the page reloads onto it.
let registration = null;
let waiting = null;
let listener = null;
let reloading = false;
// Whether a worker controlled this page when it loaded. A newly installed worker is an update only if one was
// already active (then) or controlled the page at load; the first install is never announced, however the engine
// orders its events (WebKit reports the first worker's "installed" after it has claimed the page).
const controlledAtLoad = !!globalThis.navigator?.serviceWorker?.controller;

// A new version is announced only while it is really waiting to take over.
function announce(reg, worker, update) {
  if (!update || !worker || reg.waiting !== worker) return;
  waiting = worker;
  listener?.invokeMethodAsync('OnUpdateReady');
}

function watch(reg) {
  registration = reg;
  if (reg.waiting) announce(reg, reg.waiting, controlledAtLoad);
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing;
    const update = controlledAtLoad || !!reg.active;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed') announce(reg, worker, update);
    });
  });
}

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('service-worker.js', { updateViaCache: 'none' }).then(watch, (e) => {
    console.warn('Orbitr: the offline copy could not be set up:', e?.message ?? e);
  });
  // Look for a new version when the tab comes back into view and every hour.
  document.addEventListener('visibilitychange', () => { if (!document.hidden) checkForUpdate(); });
  setInterval(checkForUpdate, 60 * 60 * 1000);
}

/** The app listens (C#: UpdatePrompt.OnUpdateReady); a version already waiting is announced at once. */
export function listen(dotnetRef) {
  listener = dotnetRef;
  if (waiting) listener.invokeMethodAsync('OnUpdateReady');
  return { stop() { if (listener === dotnetRef) listener = null; } };
}

export async function checkForUpdate() {
  try { await registration?.update(); } catch { /* offline: try again later */ }
}

/** True once a service worker controls the page (the app will load offline). */
export function ready() {
  return !!navigator.serviceWorker?.controller;
}

export function applyUpdate() {
  if (!waiting) { location.reload(); return; }
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading) return;
    reloading = true;
    location.reload();
  });
  waiting.postMessage({ type: 'skip-waiting' });
}
