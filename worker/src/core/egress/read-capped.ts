/**
 * A peer's answer body, from `fetch` (a web stream) or undici's `request` (a Node stream), as
 * text; null once it passes `maxBytes`, declared (`Content-Length`) or counted. Returning from the
 * loop cancels a web stream and destroys a Node stream, so a hostile peer cannot make the worker
 * buffer more than the cap.
 */
export async function readBodyCapped(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null,
  maxBytes: number,
  declaredLength?: string | null,
): Promise<string | null> {
  if (!body) return '';
  const declaredTooLong = Number(declaredLength ?? Number.NaN) > maxBytes;
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Node's web streams are async iterable; the types of fetch's body do not say so.
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (declaredTooLong || total > maxBytes) return null;
    chunks.push(chunk);
  }
  return declaredTooLong ? null : Buffer.concat(chunks, total).toString('utf8');
}
