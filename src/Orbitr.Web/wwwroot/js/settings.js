// The browser half of the settings (Settings/SettingsStore.cs): localStorage, the theme on <html data-theme>, and the
// settings <dialog>. C# parses, validates and decides; this module only stores text and sets attributes.
// index.html also loads it as a module before Blazor starts, so the saved theme is on the page before the app
// renders (no flash of the dark theme); Blazor's import() of the same URL gets this same instance.
const KEY = 'orbitr.settings';
const THEMES = ['dark', 'light', 'system'];
const COLOURS = { dark: '#101217', light: '#f4f5f8' };
const lightMedia = globalThis.matchMedia?.('(prefers-color-scheme: light)') ?? null;
const root = document.documentElement;

function failure(e) {
  return { ok: false, name: e?.name ?? 'Error', message: String(e?.message ?? e), text: null };
}

export function load(key) {
  try {
    return { ok: true, name: null, message: null, text: globalThis.localStorage?.getItem(key) ?? null };
  } catch (e) {
    return failure(e); // storage blocked (SecurityError): the defaults apply
  }
}

export function save(key, text) {
  try {
    globalThis.localStorage.setItem(key, text);
    return { ok: true, name: null, message: null, text: null };
  } catch (e) {
    return failure(e);
  }
}

// "system" follows prefers-color-scheme, live; data-theme is always the theme in effect ("dark" or "light"). The
// choice is kept on the page, not in this module, in case the page's import and Blazor's are two instances.
function paint() {
  const chosen = root.dataset.themeChoice;
  const theme = chosen === 'system' ? (lightMedia?.matches ? 'light' : 'dark') : chosen;
  root.dataset.theme = theme;
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', COLOURS[theme]);
}

export function applyTheme(name) {
  root.dataset.themeChoice = THEMES.includes(name) ? name : 'dark';
  paint();
}

lightMedia?.addEventListener('change', paint);

// Before Blazor: only the theme, read leniently (SettingsJson.Read is the real parser and re-applies it).
try {
  applyTheme(JSON.parse(globalThis.localStorage?.getItem(KEY) ?? 'null')?.theme);
} catch {
  applyTheme('dark');
}

// The settings dialog, modal: showModal traps focus and makes the page behind it inert; Escape closes it. The
// app's shortcuts listen on document (keys.js), so keys pressed in the dialog stop here: Space presses the focused
// button rather than playing, and Escape reaches the dialog. Focus goes back to the button that opened it.
const wired = new WeakSet();

export function openDialog(dialog, opener, dotnetRef) {
  if (!wired.has(dialog)) {
    wired.add(dialog);
    dialog.addEventListener('keydown', (e) => e.stopPropagation());
    dialog.addEventListener('close', () => {
      // The close event is queued: the dialog may have been opened again (Escape, then Enter at once) since.
      if (dialog.open) return;
      opener?.focus();
      dotnetRef.invokeMethodAsync('OnDialogClosed');
    });
  }
  if (!dialog.open) dialog.showModal();
}

export function closeDialog(dialog) {
  if (dialog.open) dialog.close();
}
