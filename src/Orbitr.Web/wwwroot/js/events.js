// Server-Sent Events (EventSource): follows one generation and hands every update to C#. The server ends the
// stream when the job finishes; EventSource reports that as an error, so C# decides from the last update
// whether it is done or should fall back to polling.
export function follow(url, dotnetRef) {
  const source = new EventSource(url);
  source.onmessage = (e) => dotnetRef.invokeMethodAsync('OnUpdate', e.data);
  source.onerror = () => {
    source.close();
    dotnetRef.invokeMethodAsync('OnClosed');
  };
  return { stop() { source.close(); } };
}
