// IndexedDB persistence of the current pattern (as pattern JSON text) and of the pattern library. Errors come
// back as { ok: false, name, message } so C# can tell a full disk (QuotaExceededError → 4001) from blocked
// storage (→ 4003). Stores:
//   patterns    'current' → the working copy (pattern JSON text); 'owner-token' → the owner's token
//   library     { id, name, text, updated (ms since 1970) } keyed by id: every pattern of the library
//   meta        'current-id' → the library id of the working copy
//   quarantine  { text, reason, at, id?, name? }: unreadable data kept aside, never deleted
//   songs       { id, name, text (orbitr.song JSON, sections naming library:<id>), updated } keyed by id
// Version 2 added library and meta; the working copy becomes a library entry when C# first sees no current id.
// Version 3 added songs.
const DB = 'orbitr';
const VERSION = 3;
let db = null;

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

// Anything that is not text is corrupted data as far as the app is concerned: hand it over as text.
function asText(value) {
  return value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

function failure(e) {
  return { ok: false, name: e?.name ?? 'Error', message: String(e?.message ?? e), text: null };
}

// A blocked upgrade is answered once: a second open() would queue behind the first request and never settle.
let blocked = null;

export async function open() {
  if (blocked) return blocked;
  try {
    if (db) return { ok: true, name: null, message: null, text: null }; // the pattern store, the songs and the owner share one connection
    if (!globalThis.indexedDB) throw Object.assign(new Error('IndexedDB is not available'), { name: 'SecurityError' });
    const r = indexedDB.open(DB, VERSION);
    r.onupgradeneeded = () => {
      const d = r.result;
      if (!d.objectStoreNames.contains('patterns')) d.createObjectStore('patterns');
      if (!d.objectStoreNames.contains('quarantine')) d.createObjectStore('quarantine', { autoIncrement: true });
      if (!d.objectStoreNames.contains('library')) d.createObjectStore('library', { keyPath: 'id' });
      if (!d.objectStoreNames.contains('meta')) d.createObjectStore('meta');
      if (!d.objectStoreNames.contains('songs')) d.createObjectStore('songs', { keyPath: 'id' });
    };
    // A tab still running an older version holds the database open and blocks the upgrade: wait a little for it
    // to close, then go on in memory (reported as 4003) rather than hang the app's start.
    const opened = await new Promise((resolve, reject) => {
      let gaveUp = false;
      r.onsuccess = () => (gaveUp ? r.result.close() : resolve(r.result));
      r.onerror = () => reject(r.error);
      r.onblocked = () => setTimeout(() => {
        gaveUp = true;
        reject(Object.assign(new Error('Orbitr is open in another tab with an older version; close it and reload to save here'), { name: 'BlockedError' }));
      }, 3000);
    });
    // A newer version opened in another tab: step aside (this tab's next write reports 4003 instead of blocking it).
    opened.onversionchange = () => { opened.close(); if (db === opened) db = null; };
    db = opened;
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    db = null;
    const failed = failure(e);
    if (failed.name === 'BlockedError') blocked = failed;
    return failed;
  }
}

export async function load(key) {
  try {
    const value = await request(db.transaction('patterns').objectStore('patterns').get(key));
    const text = asText(value);
    return { ok: true, name: null, message: null, text };
  } catch (e) {
    return failure(e);
  }
}

export async function save(key, text) {
  try {
    const tx = db.transaction('patterns', 'readwrite');
    tx.objectStore('patterns').put(text, key);
    await done(tx);
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

// ---- the pattern library ----

// A stored record as C# reads it; a record damaged outside the app still comes back (its text then fails to parse).
function entry(value) {
  const v = value !== null && typeof value === 'object' ? value : {};
  return {
    id: String(v.id ?? ''),
    name: typeof v.name === 'string' ? v.name : '',
    text: asText(v.text) ?? '',
    updated: Number.isFinite(Number(v.updated)) ? Number(v.updated) : 0,
  };
}

// Everything start-up needs in one read: the working copy, which library entry it is, and every entry.
export async function restoreLibrary() {
  try {
    const tx = db.transaction(['patterns', 'meta', 'library']);
    const [current, currentId, entries] = await Promise.all([
      request(tx.objectStore('patterns').get('current')),
      request(tx.objectStore('meta').get('current-id')),
      request(tx.objectStore('library').getAll()),
    ]);
    return {
      ok: true, name: null, message: null,
      current: asText(current), currentId: typeof currentId === 'string' ? currentId : null,
      entries: entries.map(entry),
    };
  } catch (e) {
    return { ...failure(e), current: null, currentId: null, entries: [] };
  }
}

// Autosave: the working copy, its library entry and which entry it is, in one transaction (all or nothing).
export async function saveCurrent(item) {
  try {
    const tx = db.transaction(['patterns', 'meta', 'library'], 'readwrite');
    tx.objectStore('patterns').put(item.text, 'current');
    tx.objectStore('library').put(entry(item));
    tx.objectStore('meta').put(item.id, 'current-id');
    await done(tx);
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    return failure(e);
  }
}

export async function putEntry(item) {
  try {
    const tx = db.transaction('library', 'readwrite');
    tx.objectStore('library').put(entry(item));
    await done(tx);
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    return failure(e);
  }
}

export async function deleteEntry(id) {
  try {
    const tx = db.transaction('library', 'readwrite');
    tx.objectStore('library').delete(id);
    await done(tx);
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    return failure(e);
  }
}

// Moves an unreadable entry into the quarantine (one transaction: it is never in neither store).
export async function quarantineEntry(id, reason) {
  try {
    const tx = db.transaction(['library', 'quarantine'], 'readwrite');
    const store = tx.objectStore('library');
    const value = await request(store.get(id));
    if (value !== undefined) {
      const e = entry(value);
      tx.objectStore('quarantine').add({ text: e.text, reason, at: new Date().toISOString(), id: e.id, name: e.name });
      store.delete(id);
    }
    await done(tx);
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    return failure(e);
  }
}

// ---- songs (issue 25): the same records as the library's, their text a song ----

export async function restoreSongs() {
  try {
    const songs = await request(db.transaction('songs').objectStore('songs').getAll());
    return { ok: true, name: null, message: null, entries: songs.map(entry) };
  } catch (e) {
    return { ...failure(e), entries: [] };
  }
}

export async function putSong(item) {
  try {
    const tx = db.transaction('songs', 'readwrite');
    tx.objectStore('songs').put(entry(item));
    await done(tx);
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    return failure(e);
  }
}

export async function deleteSong(id) {
  try {
    const tx = db.transaction('songs', 'readwrite');
    tx.objectStore('songs').delete(id);
    await done(tx);
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    return failure(e);
  }
}

// An unreadable song goes to the quarantine, as a pattern does.
export async function quarantineSong(id, reason) {
  try {
    const tx = db.transaction(['songs', 'quarantine'], 'readwrite');
    const store = tx.objectStore('songs');
    const value = await request(store.get(id));
    if (value !== undefined) {
      const e = entry(value);
      tx.objectStore('quarantine').add({ text: e.text, reason, at: new Date().toISOString(), id: e.id, name: e.name, kind: 'song' });
      store.delete(id);
    }
    await done(tx);
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    return failure(e);
  }
}
