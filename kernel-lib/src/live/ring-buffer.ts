/**
 * A fixed-capacity ring buffer of float32 samples: the live page appends the microphone's
 * blocks at the device's rate and reads the most recent window from it.
 */
export class SampleRing {
  private readonly buf: Float32Array;
  private end = 0;
  /** samples written since creation (or clear) */
  written = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`SampleRing: capacity must be an integer >= 1, got ${capacity}`);
    this.buf = new Float32Array(capacity);
  }

  /** Samples held now (at most the capacity). */
  get length(): number {
    return Math.min(this.written, this.capacity);
  }

  /** Appends samples (only the last `capacity` of a longer block are kept). */
  push(x: ArrayLike<number>): void {
    const n = x.length;
    const c = this.capacity;
    let start = 0;
    if (n > c) start = n - c;
    for (let i = start; i < n; i++) {
      this.buf[this.end] = x[i];
      this.end = this.end + 1 === c ? 0 : this.end + 1;
    }
    this.written += n;
  }

  /** A copy of the last `n` samples, oldest first. Throws when fewer are held. */
  latest(n: number): Float32Array {
    if (!Number.isInteger(n) || n < 0) throw new Error(`SampleRing.latest: n must be an integer >= 0, got ${n}`);
    if (n > this.length) throw new Error(`SampleRing.latest: ${n} samples asked, ${this.length} held`);
    const out = new Float32Array(n);
    const c = this.capacity;
    const start = (this.end - n + c) % c;
    const first = Math.min(n, c - start);
    out.set(this.buf.subarray(start, start + first), 0);
    if (first < n) out.set(this.buf.subarray(0, n - first), first);
    return out;
  }

  clear(): void {
    this.end = 0;
    this.written = 0;
  }
}
