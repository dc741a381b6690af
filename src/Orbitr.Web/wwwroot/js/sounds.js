// Sounds kept in the browser (Cache Storage), so patterns that use generated or uploaded sounds play and export
// with the server gone. Each sound is one cache entry keyed by its sample source; its size, when it was stored, its
// name and whether it still waits to be uploaded ride along as headers. C# decides what to keep (SoundStore).
const CACHE = 'orbitr-sounds';
const PREFIX = '/orbitr-sound/';

const keyOf = (source) => new URL(PREFIX + encodeURIComponent(source), location.origin).href;
const sourceOf = (url) => decodeURIComponent(new URL(url).pathname.slice(PREFIX.length));

function failure(e) {
  return { ok: false, name: e?.name ?? 'Error', message: String(e?.message ?? e) };
}

export async function get(source) {
  try {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(keyOf(source));
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch {
    return null; // no Cache Storage (private mode, blocked): behave as if nothing is kept
  }
}

export async function put(source, bytes, name, pending) {
  try {
    const cache = await caches.open(CACHE);
    await cache.put(keyOf(source), new Response(bytes, {
      headers: {
        'content-type': 'application/octet-stream',
        'x-orbitr-bytes': String(bytes.length),
        'x-orbitr-stored': String(Date.now()),
        'x-orbitr-name': encodeURIComponent(name ?? ''),
        'x-orbitr-pending': pending ? '1' : '0',
      },
    }));
    return { ok: true, name: null, message: null };
  } catch (e) {
    return failure(e);
  }
}

export async function list() {
  try {
    const cache = await caches.open(CACHE);
    const out = [];
    for (const request of await cache.keys()) {
      const r = await cache.match(request);
      if (!r) continue;
      const h = r.headers;
      out.push({
        source: sourceOf(request.url),
        bytes: Number(h.get('x-orbitr-bytes') ?? 0),
        stored: Number(h.get('x-orbitr-stored') ?? 0),
        name: decodeURIComponent(h.get('x-orbitr-name') ?? '') || null,
        pending: h.get('x-orbitr-pending') === '1',
      });
    }
    return out;
  } catch {
    return [];
  }
}

export async function remove(source) {
  try {
    await (await caches.open(CACHE)).delete(keyOf(source));
  } catch { /* nothing kept */ }
}

// The browser says the network is back: C# tries the waiting uploads.
export function onOnline(dotnetRef) {
  const handler = () => dotnetRef.invokeMethodAsync('OnOnline');
  addEventListener('online', handler);
  return { stop() { removeEventListener('online', handler); } };
}
