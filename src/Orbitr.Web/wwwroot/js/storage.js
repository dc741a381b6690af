// IndexedDB persistence of the current pattern (as pattern JSON text). Errors come back as { ok: false, name,
// message } so C# can tell a full disk (QuotaExceededError → 4001) from blocked storage (→ 4003).
const DB = 'orbitr';
const VERSION = 1;
let db = null;

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function failure(e) {
  return { ok: false, name: e?.name ?? 'Error', message: String(e?.message ?? e), text: null };
}

export async function open() {
  try {
    if (!globalThis.indexedDB) throw Object.assign(new Error('IndexedDB is not available'), { name: 'SecurityError' });
    const r = indexedDB.open(DB, VERSION);
    r.onupgradeneeded = () => {
      const d = r.result;
      if (!d.objectStoreNames.contains('patterns')) d.createObjectStore('patterns');
      if (!d.objectStoreNames.contains('quarantine')) d.createObjectStore('quarantine', { autoIncrement: true });
    };
    r.onblocked = () => { /* another tab upgrades; open() resolves when it is done */ };
    db = await request(r);
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    db = null;
    return failure(e);
  }
}

export async function load(key) {
  try {
    const value = await request(db.transaction('patterns').objectStore('patterns').get(key));
    // Anything that is not text is corrupted data as far as the app is concerned: hand it over as text.
    const text = value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
    return { ok: true, name: null, message: null, text };
  } catch (e) {
    return failure(e);
  }
}

export async function save(key, text) {
  try {
    const tx = db.transaction('patterns', 'readwrite');
    tx.objectStore('patterns').put(text, key);
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    });
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    return failure(e);
  }
}

// Keeps unreadable data aside (never deleted) so nothing the user saved is lost.
export async function quarantine(text, reason) {
  try {
    const tx = db.transaction('quarantine', 'readwrite');
    tx.objectStore('quarantine').add({ text, reason, at: new Date().toISOString() });
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    return failure(e);
  }
}
