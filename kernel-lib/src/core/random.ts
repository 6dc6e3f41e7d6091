/**
 * Seeded random numbers that reproduce numpy's legacy `np.random.RandomState(seed)` stream
 * (MT19937 seeded with `init_genrand(seed)`), so the splitters shuffle exactly as
 * scikit-learn's do for the same integer `random_state`:
 *
 * - `RandomState.shuffle(x)` (1-D): for i = n-1 .. 1, j = random_interval(i), swap x[i], x[j];
 *   `random_interval(max)` draws 32-bit words masked to the smallest 2^k - 1 >= max and rejects
 *   values above max (numpy/random/src/distributions/distributions.c).
 * - `RandomState.randint(high)` (int64, masked rejection as above), used by SVC to derive the
 *   libsvm seed.
 *
 * Also the libsvm side of scikit-learn (sklearn/svm/src/newrand/newrand.h): `std::mt19937`
 * seeded with `seed`, and `bounded_rand_int(range)` (Lemire's multiply-shift with rejection),
 * used to shuffle the rows of the internal 5-fold cross-validation behind probability estimates.
 */

const N = 624;
const M = 397;

/** MT19937 (Matsumoto & Nishimura), 32-bit output, `init_genrand` seeding. */
export class MT19937 {
  private mt = new Uint32Array(N);
  private mti = N + 1;

  constructor(seed: number) {
    this.seed(seed);
  }

  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`MT19937 seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing bits to float rounding
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  /** Next 32-bit unsigned integer (genrand_int32). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      let y: number;
      for (; kk < N - M; kk++) {
        y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * The generator's state, for code that continues the stream elsewhere (the wasm noise kernel):
   * the 624 state words (the live array: writes change the generator) and the index of the next
   * word to temper (624 or more: regenerate first).
   */
  get state(): Uint32Array {
    return this.mt;
  }
  get pos(): number {
    return this.mti;
  }
  set pos(i: number) {
    this.mti = i;
  }

  /** numpy's `random_interval(max)`: uniform integer in [0, max] by masked rejection (max < 2^32). */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new Error('MT19937.interval: max must be < 2^32');
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do {
      v = (this.nextUint32() & mask) >>> 0;
    } while (v > max);
    return v;
  }

  /** numpy's legacy `RandomState.randint(high)` for 0 < high <= 2^32 (int64 path, masked). */
  randint(high: number): number {
    return this.interval(high - 1);
  }

  /** In-place Fisher-Yates exactly as numpy's `RandomState.shuffle` on a 1-D array. */
  shuffle<T>(a: { length: number; [i: number]: T }): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** libsvm-in-scikit-learn's `bounded_rand_int(range)` (tweaked Lemire), range in [1, 2^32). */
  boundedRandInt(range: number): number {
    let x = this.nextUint32();
    let m = BigInt(x) * BigInt(range);
    let l = Number(m & 0xffffffffn);
    if (l < range) {
      let t = (0x100000000 - range) >>> 0; // uint32 -range
      if (t >= range) {
        t -= range;
        if (t >= range) t %= range;
      }
      while (l < t) {
        x = this.nextUint32();
        m = BigInt(x) * BigInt(range);
        l = Number(m & 0xffffffffn);
      }
    }
    return Number(m >> 32n);
  }

  /** Uniform float in [0, 1) with 53 random bits (numpy's `random_sample`). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/** Normalises a user seed to numpy's accepted range (non-negative integer < 2^32). */
export function checkSeed(seed: number | undefined | null, what = 'seed'): number {
  const s = seed ?? 0;
  if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) throw new Error(`${what} must be an integer in [0, 2^32 - 1], got ${seed}`);
  return s;
}

/**
 * mulberry32: a small, fast seeded PRNG, uniform in [0, 1). Used where numpy compatibility is
 * not needed (demo corpus prosody, CNN batch order); numpy-compatible draws use MT19937 above.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit hash of integers (for per-epoch / per-step seeds). */
export function hashInts(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    let v = x >>> 0;
    for (let i = 0; i < 4; i++) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
      v >>>= 8;
    }
  }
  return h >>> 0;
}

export function shuffled<T>(xs: ArrayLike<T>, random: () => number): T[] {
  const a = Array.from(xs);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
