/**
 * Float64 arrays in shared memory, so worker threads read them without a copy. Where
 * SharedArrayBuffer does not exist (a browser page that is not cross-origin isolated) the array
 * is an ordinary one: the same values, only not shareable.
 */
const SAB: { new (bytes: number): ArrayBufferLike } | undefined = (
  globalThis as { SharedArrayBuffer?: { new (bytes: number): ArrayBufferLike } }
).SharedArrayBuffer;

/** A zeroed float64 array of `n` values in shared memory (at least one value is allocated). */
export function sharedFloat64(n: number): Float64Array {
  if (!SAB) return new Float64Array(n);
  return new Float64Array(new SAB(Math.max(1, n) * 8)).subarray(0, n);
}

/** Copies `a` into shared memory (sharedFloat64). */
export function toShared(a: ArrayLike<number>): Float64Array {
  const out = sharedFloat64(a.length);
  out.set(a);
  return out;
}
