// The system clipboard (issue 26): copied steps travel as text (orbitr.steps JSON), so two tabs paste into each
// other. Either call may be refused (no permission, no focus, an insecure page): then null / false, and the app's
// own clipboard is used.
export async function writeText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export async function readText() {
  try {
    return await navigator.clipboard.readText();
  } catch {
    return null;
  }
}
