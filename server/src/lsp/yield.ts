/** Cooperative time slicing: long loops call the returned function often; it yields to the event loop every `ms`. */
export function timeSlicer(ms = 15): () => Promise<void> {
  let start = Date.now();
  return async () => {
    if (Date.now() - start < ms) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    start = Date.now();
  };
}
