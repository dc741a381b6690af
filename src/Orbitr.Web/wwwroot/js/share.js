// Share links (ARCHITECTURE §4): Web Crypto AES-GCM for end-to-end encrypted shares, whose key lives only in the
// link's #fragment (never sent to the server), and the owner's edit tokens, kept in this browser only.
const OWNED = 'orbitr.owned-patterns';

function b64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function unb64url(text) {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
  return Uint8Array.from(s, c => c.charCodeAt(0));
}

// Returns nonce(12) ‖ ciphertext ‖ tag(16), and the key as base64url for the fragment.
export async function encrypt(plain) {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
  const out = new Uint8Array(12 + sealed.length);
  out.set(iv, 0);
  out.set(sealed, 12);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', key));
  return { body: out, key: b64url(raw) };
}

// null when the key is wrong or the bytes were changed (GCM authenticates both).
export async function decrypt(body, keyText) {
  try {
    const key = await crypto.subtle.importKey('raw', unb64url(keyText), 'AES-GCM', false, ['decrypt']);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: body.slice(0, 12) }, key, body.slice(12));
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

// The page's share address, if any: /p/{id} with an optional #k=<key>.
export function current() {
  const m = /^\/p\/([A-Za-z0-9_-]{1,32})\/?$/.exec(location.pathname);
  if (!m) return null;
  const k = /(?:^#|&)k=([A-Za-z0-9_-]+)/.exec(location.hash);
  return { id: m[1], key: k ? k[1] : null };
}

export function origin() {
  return location.origin;
}

// After opening a shared link, show the plain app address (the key leaves the address bar).
export function leave() {
  history.replaceState(null, '', '/');
}

function owned() {
  try { return JSON.parse(localStorage.getItem(OWNED) ?? '{}') ?? {}; } catch { return {}; }
}

export function owner(id) {
  return owned()[id] ?? null;
}

export function remember(id, token, version, encrypted) {
  try {
    const all = owned();
    all[id] = { token, version, encrypted };
    localStorage.setItem(OWNED, JSON.stringify(all));
    return true;
  } catch {
    return false;
  }
}
