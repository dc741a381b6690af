// Downloads and file drops: what only the browser can do with files.
export function download(name, mime, bytes) {
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Files dropped anywhere on the page go to C# (OnFileDropped) as bytes, with the drop zone they landed in
// (data-drop="library" uploads audio; elsewhere a .json imports a pattern and audio goes to the library).
export function listenForDrops(dotnetRef) {
  const over = (e) => {
    if (e.dataTransfer?.types?.includes('Files')) {
      e.preventDefault();
      document.body.classList.add('dropping');
    }
  };
  const leave = () => document.body.classList.remove('dropping');
  const drop = async (e) => {
    leave();
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    const bytes = new Uint8Array(await file.arrayBuffer());
    const zone = e.target?.closest?.('[data-drop]')?.dataset?.drop ?? null;
    await dotnetRef.invokeMethodAsync('OnFileDropped', file.name, bytes, zone);
  };
  document.addEventListener('dragover', over);
  document.addEventListener('dragleave', leave);
  document.addEventListener('drop', drop);
  return {
    stop() {
      document.removeEventListener('dragover', over);
      document.removeEventListener('dragleave', leave);
      document.removeEventListener('drop', drop);
    },
  };
}
