// The service worker's side in the page: registers it (loaded by index.html before Blazor starts, so even a page
// whose runtime fails to boot gets the offline copy), and tells the app when a new version has installed and is
// waiting. The new version takes over only when the user says so (applyUpdate), then the page reloads onto it.
let registration = null;
let waiting = null;
let listener = null;
let reloading = false;

function announce(worker) {
  waiting = worker;
  listener?.invokeMethodAsync('OnUpdateReady');
}

function watch(reg) {
  registration = reg;
  if (reg.waiting && navigator.serviceWorker.controller) announce(reg.waiting);
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing;
    worker?.addEventListener('statechange', () => {
      // "installed" with a controller in place = an update (the first install has no controller yet).
      if (worker.state === 'installed' && navigator.serviceWorker.controller) announce(worker);
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
