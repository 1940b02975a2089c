/** Vectors as search stores and compares them: unit length, float32, little-endian bytes. */

export function normalize(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += (values[i] as number) * (values[i] as number);
  const norm = Math.sqrt(sum);
  if (norm === 0) return out;
  for (let i = 0; i < values.length; i += 1) out[i] = (values[i] as number) / norm;
  return out;
}

/** Unit-length float32 bytes (cosine similarity is then a plain dot product). */
export function packVector(values: ArrayLike<number>): Buffer {
  const unit = normalize(values);
  return Buffer.from(unit.buffer, unit.byteOffset, unit.byteLength);
}

export function unpackVector(bytes: Buffer): Float32Array {
  // Copied: a Buffer from the driver may not be 4-byte aligned.
  const copy = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(copy.buffer).set(bytes);
  return copy;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
