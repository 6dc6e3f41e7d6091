/**
 * Band-limited sinc resampling, exactly as `librosa.resample(y, orig_sr, target_sr,
 * res_type='kaiser_best')` (librosa 0.10.2) which calls `resampy.resample(y, orig_sr, target_sr,
 * filter=res_type, axis=-1)` (resampy 0.4.2) and then `librosa.util.fix_length` to
 * `ceil(len(y) * target_sr / orig_sr)` samples.
 *
 * resampy's algorithm (resampy/core.py + resampy/interpn.py `_resample_loop`):
 * - filter table `half_window` (kaiser_best: 50 zero crossings x 8192 steps + 1; kaiser_fast:
 *   24 x 512 + 1), loaded from kernel-lib/assets/resampy (converted from resampy's .npz by
 *   scripts/tools/resampy-filters.js);
 * - when downsampling the table is multiplied by ratio = sr_new / sr_orig, scale = min(1, ratio);
 *   `interp_delta` = forward differences of the table (last 0);
 * - output n_out = int(len * sr_new / sr_orig); output time t -> input time t_out = t * (1/ratio);
 *   n = int(t_out), frac = scale * (t_out - n); the left wing reads x[n - i] with table
 *   index offset + i * index_step (index_step = int(scale * precision), offset/eta from
 *   frac * precision, linear interpolation between table entries), the right wing reads
 *   x[n + 1 + k] with frac' = scale - frac;
 * - the output array has the input's dtype and numba accumulates `y[t] += weight * x[...]` in
 *   it: for float32 input every partial sum is rounded to float32 (reproduced here with
 *   Math.fround), for float64 input everything is float64.
 *
 * Speed: the output is bit-identical to resampy's, and fast because the interpolated filter
 * taps are computed once per distinct (table offset, eta) combination and cached per
 * (filter, rate ratio) in a weight plan (see `weightPlan`): with the corpora's rational ratios
 * every clip at a given rate reuses one plan and each output is two plain dot products, eight
 * outputs interleaved. With the wasm kernels (dsp/wasm.ts) the plan runs in wasm/dsp.ts
 * resamplePlan32 (sixteen outputs in flight, two per f64x2 lane pair, the same roundings,
 * tested bit for bit), faster still; a plan with one combination (2 -> 1, 44.1 -> 22.05 kHz)
 * reads one weight per step for all sixteen. A ratio whose combinations do not repeat
 * (pitch_shift's 22959.83 -> 22050, TESS's 24414 -> 22050) runs, with the wasm kernels,
 * resampleTable32 instead: the taps are interpolated in the loop exactly as resampy does, from
 * its table laid out by offset (6.5 MB, stays in cache), not streamed from a plan of one
 * combination per output (46 MB a clip at the pitch ratio). Without wasm such a ratio still
 * gets a plan while it fits MAX_PLAN_TAPS; longer signals run resampy's direct loop.
 */
import { type DspWasm, dspWasm } from '../dsp/wasm';
import { readAsset } from '../platform/assets';

export type ResampyFilter = 'kaiser_best' | 'kaiser_fast';

export interface ResampleOptions {
  /** resampy filter ('kaiser_best', librosa's res_type) */
  filter?: ResampyFilter;
  /** librosa's `fix`: pad/trim to ceil(len * sr_new / sr_orig) (default true) */
  fix?: boolean;
  /** force the direct loop (no cached weight plan), for testing */
  direct?: boolean;
  /** run the weight plan in TypeScript even when the wasm kernels are available (for testing) */
  typescript?: boolean;
}

interface FilterTable {
  win: Float64Array;
  precision: number;
  rolloff: number;
}

/** Where the tables are among kernel-lib's assets (platform/assets: disk in Node, provided in a browser). */
export const RESAMPY_ASSET_DIR = 'assets/resampy';
const filterCache = new Map<string, FilterTable>();

/** resampy.filters.get_filter(name): the half window, its precision (table steps per zero crossing) and rolloff. */
export function getResampyFilter(name: ResampyFilter = 'kaiser_best'): FilterTable {
  const hit = filterCache.get(name);
  if (hit) return hit;
  const indexPath = `${RESAMPY_ASSET_DIR}/filters.json`;
  let index: Record<string, { file: string; length: number; precision: number; rolloff: number }>;
  try {
    index = JSON.parse(new TextDecoder().decode(readAsset(indexPath)));
  } catch (e) {
    throw new Error(`${indexPath}: cannot read the resampy filter index (${(e as Error).message})`);
  }
  const meta = index[name];
  if (!meta) throw new Error(`unknown resampy filter '${name}' (have ${Object.keys(index).join(', ')})`);
  const file = `${RESAMPY_ASSET_DIR}/${meta.file}`;
  const buf = readAsset(file);
  if (buf.length !== meta.length * 8) throw new Error(`${file}: expected ${meta.length * 8} bytes, found ${buf.length}`);
  const win = new Float64Array(meta.length);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < meta.length; i++) win[i] = dv.getFloat64(i * 8, true);
  const table = { win, precision: meta.precision, rolloff: meta.rolloff };
  filterCache.set(name, table);
  return table;
}

interface Prepared {
  win: Float64Array;
  delta: Float64Array;
  numTable: number;
  scale: number;
  indexStep: number;
  timeIncrement: number;
}

const preparedCache = new Map<string, Prepared>();

/** map.set(key, value), first dropping the oldest entry when the map holds `max` others. */
function putBounded<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  if (!map.has(key) && map.size >= max) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

function prepare(filter: ResampyFilter, sampleRatio: number): Prepared {
  const key = `${filter}:${sampleRatio}`;
  const hit = preparedCache.get(key);
  if (hit) return hit;
  const f = getResampyFilter(filter);
  const nwin = f.win.length;
  let win = f.win;
  if (sampleRatio < 1) {
    win = new Float64Array(nwin);
    for (let i = 0; i < nwin; i++) win[i] = sampleRatio * f.win[i];
  }
  const delta = new Float64Array(nwin);
  for (let i = 0; i < nwin - 1; i++) delta[i] = win[i + 1] - win[i];
  delta[nwin - 1] = 0;
  const scale = Math.min(1.0, sampleRatio);
  const p: Prepared = {
    win,
    delta,
    numTable: f.precision,
    scale,
    indexStep: Math.trunc(scale * f.precision),
    timeIncrement: 1.0 / sampleRatio,
  };
  putBounded(preparedCache, key, p, 9);
  return p;
}

/**
 * Where resampy's loop puts output t: the time register t * time_increment gives the input
 * index n and frac = scale * (register - n); the left wing reads the table from frac *
 * num_table, the right wing from (scale - frac) * num_table, each split into an integer offset
 * and an interpolation factor eta. Writes pos = [n, offsetL, etaL, offsetR, etaR] and returns
 * frac * num_table (exact: num_table is a power of two), which identifies the pair of wings.
 */
function outputPosition(t: number, P: Prepared, pos: Float64Array): number {
  const timeRegister = t * P.timeIncrement;
  const n = Math.trunc(timeRegister);
  const frac = P.scale * (timeRegister - n);
  const ifL = frac * P.numTable;
  const oL = Math.trunc(ifL);
  const ifR = (P.scale - frac) * P.numTable;
  const oR = Math.trunc(ifR);
  pos[0] = n;
  pos[1] = oL;
  pos[2] = ifL - oL;
  pos[3] = oR;
  pos[4] = ifR - oR;
  return ifL;
}

const directPos = new Float64Array(5);

/** One output sample by resampy's loop (float32 accumulation when f32). */
function directSample(x: Float32Array | Float64Array, t: number, P: Prepared, f32: boolean): number {
  const { win, delta, indexStep } = P;
  const nwin = win.length,
    nOrig = x.length;
  outputPosition(t, P, directPos);
  const n = directPos[0];
  let offset = directPos[1],
    eta = directPos[2];
  let acc = 0;
  const iMax = Math.min(n + 1, Math.floor((nwin - offset) / indexStep));
  for (let i = 0; i < iMax; i++) {
    const j = offset + i * indexStep;
    const w = win[j] + eta * delta[j];
    acc = f32 ? Math.fround(acc + w * x[n - i]) : acc + w * x[n - i];
  }
  offset = directPos[3];
  eta = directPos[4];
  const kMax = Math.min(nOrig - n - 1, Math.floor((nwin - offset) / indexStep));
  for (let k = 0; k < kMax; k++) {
    const j = offset + k * indexStep;
    const w = win[j] + eta * delta[j];
    acc = f32 ? Math.fround(acc + w * x[n + k + 1]) : acc + w * x[n + k + 1];
  }
  return acc;
}

/**
 * Per-output weight plan. Every output t of resampy's loop is determined by its input index n
 * and, for each wing, a table offset and interpolation factor eta (from the float time register
 * t * time_increment). With a rational rate ratio these repeat: 48000 -> 22050 has 1037
 * distinct (offset, eta) combinations over a 2.5 s clip, 16000 -> 22050 2254, 24414 -> 22050
 * 13914, 44100 -> 22050 one. The plan stores the interpolated taps of each distinct combination
 * once (`win[j] + eta * delta[j]`, exactly resampy's float64 weights) and, per output, its n
 * and combination. Plans depend only on (filter, ratio) and are cached, so every clip at a
 * corpus' rate reuses one; resampling is then two dot products per output.
 */
interface WeightPlan {
  /** the (filter, ratio) it is for: a longer plan for the same key replaces this one */
  key: string;
  nOut: number;
  n: Int32Array;
  combo: Int32Array;
  /** per combination: first tap in `w`, left-wing and right-wing tap counts */
  start: Int32Array;
  left: Int32Array;
  right: Int32Array;
  w: Float64Array;
}

/**
 * Per (filter, ratio): the largest plan built so far, and `failAt`, the output count at which a
 * plan outgrew MAX_PLAN_TAPS (Infinity while none did): any request for that many outputs or
 * more runs the direct loop, shorter ones still get (or reuse) a plan. Keeping both means clips
 * of alternating lengths never rebuild a plan they had, nor retry one that cannot fit.
 */
const planCache = new Map<string, { plan: WeightPlan | null; failAt: number }>();
/**
 * Largest plan kept (float64 taps; 8M = 64 MB). It holds the ratios without repeating
 * combinations for a 2.5 s clip: pitch_shift's 22959.83 -> 22050 (2^(0.7/12), irrational, every
 * output its own combination: ~104 taps x 55125 outputs = 5.7M taps); each clip then reuses the
 * taps instead of interpolating resampy's table again (a strided walk through 3.2 MB per output).
 */
const MAX_PLAN_TAPS = 8_000_000;
const PLAN_CACHE_SIZE = 16;
/** plans cover a multiple of this many outputs (0.37 s at 22050 Hz) */
const PLAN_GRAIN = 8192;

function weightPlan(filter: ResampyFilter, sampleRatio: number, nOut: number, P: Prepared): WeightPlan | null {
  const key = `${filter}:${sampleRatio}`;
  const hit = planCache.get(key);
  if (hit?.plan && hit.plan.nOut >= nOut) return hit.plan;
  if (hit && nOut >= hit.failAt) return null;
  const remember = (plan: WeightPlan | null, failAt: number) => putBounded(planCache, key, { plan, failAt }, PLAN_CACHE_SIZE);
  const { win, delta, indexStep } = P;
  const nwin = win.length;
  // built for a whole number of PLAN_GRAIN outputs, so clips of growing lengths rebuild a plan
  // only when they cross a grain (each build interpolates all its taps)
  const target = Math.min(Math.ceil(nOut / PLAN_GRAIN) * PLAN_GRAIN, (hit ? hit.failAt : Infinity) - 1);
  let count = target;
  let failAt = hit ? hit.failAt : Infinity;
  const ids = new Map<number, number>();
  const n = new Int32Array(target),
    combo = new Int32Array(target);
  const offs: number[] = [];
  let taps = 0;
  const at = new Float64Array(5);
  for (let t = 0; t < target; t++) {
    const ifL = outputPosition(t, P, at);
    const nt = at[0],
      oL = at[1],
      eL = at[2],
      oR = at[3],
      eR = at[4];
    // frac * numTable (a power of two: exact) determines frac, hence both wings' offset/eta
    let id = ids.get(ifL);
    if (id === undefined) {
      const need = Math.floor((nwin - oL) / indexStep) + Math.floor((nwin - oR) / indexStep);
      if (taps + need > MAX_PLAN_TAPS) {
        // outputs 0..t do not fit, so no request for t + 1 outputs or more can; 0..t-1 do
        failAt = t + 1;
        count = t;
        break;
      }
      id = ids.size;
      ids.set(ifL, id);
      offs.push(oL, eL, oR, eR);
      taps += need;
    }
    n[t] = nt;
    combo[t] = id;
  }
  if (count < nOut) {
    remember(hit ? hit.plan : null, failAt);
    return null;
  }
  const m = ids.size;
  const start = new Int32Array(m),
    left = new Int32Array(m),
    right = new Int32Array(m);
  const w = new Float64Array(taps);
  let pos = 0;
  for (let c = 0; c < m; c++) {
    const oL = offs[4 * c],
      eL = offs[4 * c + 1],
      oR = offs[4 * c + 2],
      eR = offs[4 * c + 3];
    const L = Math.floor((nwin - oL) / indexStep),
      R = Math.floor((nwin - oR) / indexStep);
    start[c] = pos;
    left[c] = L;
    right[c] = R;
    for (let i = 0; i < L; i++) {
      const j = oL + i * indexStep;
      w[pos++] = win[j] + eL * delta[j];
    }
    for (let i = 0; i < R; i++) {
      const j = oR + i * indexStep;
      w[pos++] = win[j] + eR * delta[j];
    }
  }
  const plan: WeightPlan = { key, nOut: count, n: n.subarray(0, count), combo: combo.subarray(0, count), start, left, right, w };
  remember(plan, failAt);
  return plan;
}

/**
 * resampy's loop through a weight plan, float32 data: left wing from x[n] backwards, then the
 * right wing from x[n+1] forwards, rounding the running sum to float32 after every term (numba
 * stores into the float32 output at each `+=`). Eight outputs are computed together so that
 * their independent rounding chains overlap in the CPU pipeline (the chain's latency, not the
 * arithmetic, is the limit: 8 chains measured ~1.2x faster than 4).
 */
// biome-ignore format: hand-unrolled lanes: one line per group of lanes reads better than one per variable
function runPlan32(x: Float32Array | Float64Array, y: Float32Array | Float64Array, plan: WeightPlan): void {
  const { n: nArr, combo, start, left, right, w } = plan;
  const nOrig = x.length, nOut = y.length;
  const fr = Math.fround;
  let t = 0;
  for (; t + 7 < nOut; t += 8) {
    const c0 = combo[t], c1 = combo[t + 1], c2 = combo[t + 2], c3 = combo[t + 3], c4 = combo[t + 4], c5 = combo[t + 5], c6 = combo[t + 6], c7 = combo[t + 7];
    const n0 = nArr[t], n1 = nArr[t + 1], n2 = nArr[t + 2], n3 = nArr[t + 3], n4 = nArr[t + 4], n5 = nArr[t + 5], n6 = nArr[t + 6], n7 = nArr[t + 7];
    const s0 = start[c0], s1 = start[c1], s2 = start[c2], s3 = start[c3], s4 = start[c4], s5 = start[c5], s6 = start[c6], s7 = start[c7];
    const L0 = left[c0], L1 = left[c1], L2 = left[c2], L3 = left[c3], L4 = left[c4], L5 = left[c5], L6 = left[c6], L7 = left[c7];
    const i0 = Math.min(n0 + 1, L0), i1 = Math.min(n1 + 1, L1), i2 = Math.min(n2 + 1, L2), i3 = Math.min(n3 + 1, L3);
    const i4 = Math.min(n4 + 1, L4), i5 = Math.min(n5 + 1, L5), i6 = Math.min(n6 + 1, L6), i7 = Math.min(n7 + 1, L7);
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    const c = Math.min(i0, i1, i2, i3, i4, i5, i6, i7);
    for (let i = 0; i < c; i++) {
      a0 = fr(a0 + w[s0 + i] * x[n0 - i]); a1 = fr(a1 + w[s1 + i] * x[n1 - i]);
      a2 = fr(a2 + w[s2 + i] * x[n2 - i]); a3 = fr(a3 + w[s3 + i] * x[n3 - i]);
      a4 = fr(a4 + w[s4 + i] * x[n4 - i]); a5 = fr(a5 + w[s5 + i] * x[n5 - i]);
      a6 = fr(a6 + w[s6 + i] * x[n6 - i]); a7 = fr(a7 + w[s7 + i] * x[n7 - i]);
    }
    for (let i = c; i < i0; i++) a0 = fr(a0 + w[s0 + i] * x[n0 - i]);
    for (let i = c; i < i1; i++) a1 = fr(a1 + w[s1 + i] * x[n1 - i]);
    for (let i = c; i < i2; i++) a2 = fr(a2 + w[s2 + i] * x[n2 - i]);
    for (let i = c; i < i3; i++) a3 = fr(a3 + w[s3 + i] * x[n3 - i]);
    for (let i = c; i < i4; i++) a4 = fr(a4 + w[s4 + i] * x[n4 - i]);
    for (let i = c; i < i5; i++) a5 = fr(a5 + w[s5 + i] * x[n5 - i]);
    for (let i = c; i < i6; i++) a6 = fr(a6 + w[s6 + i] * x[n6 - i]);
    for (let i = c; i < i7; i++) a7 = fr(a7 + w[s7 + i] * x[n7 - i]);
    const r0 = s0 + L0, r1 = s1 + L1, r2 = s2 + L2, r3 = s3 + L3, r4 = s4 + L4, r5 = s5 + L5, r6 = s6 + L6, r7 = s7 + L7;
    const k0 = Math.min(nOrig - n0 - 1, right[c0]), k1 = Math.min(nOrig - n1 - 1, right[c1]);
    const k2 = Math.min(nOrig - n2 - 1, right[c2]), k3 = Math.min(nOrig - n3 - 1, right[c3]);
    const k4 = Math.min(nOrig - n4 - 1, right[c4]), k5 = Math.min(nOrig - n5 - 1, right[c5]);
    const k6 = Math.min(nOrig - n6 - 1, right[c6]), k7 = Math.min(nOrig - n7 - 1, right[c7]);
    const m0 = n0 + 1, m1 = n1 + 1, m2 = n2 + 1, m3 = n3 + 1, m4 = n4 + 1, m5 = n5 + 1, m6 = n6 + 1, m7 = n7 + 1;
    const d = Math.max(0, Math.min(k0, k1, k2, k3, k4, k5, k6, k7));
    for (let k = 0; k < d; k++) {
      a0 = fr(a0 + w[r0 + k] * x[m0 + k]); a1 = fr(a1 + w[r1 + k] * x[m1 + k]);
      a2 = fr(a2 + w[r2 + k] * x[m2 + k]); a3 = fr(a3 + w[r3 + k] * x[m3 + k]);
      a4 = fr(a4 + w[r4 + k] * x[m4 + k]); a5 = fr(a5 + w[r5 + k] * x[m5 + k]);
      a6 = fr(a6 + w[r6 + k] * x[m6 + k]); a7 = fr(a7 + w[r7 + k] * x[m7 + k]);
    }
    for (let k = d; k < k0; k++) a0 = fr(a0 + w[r0 + k] * x[m0 + k]);
    for (let k = d; k < k1; k++) a1 = fr(a1 + w[r1 + k] * x[m1 + k]);
    for (let k = d; k < k2; k++) a2 = fr(a2 + w[r2 + k] * x[m2 + k]);
    for (let k = d; k < k3; k++) a3 = fr(a3 + w[r3 + k] * x[m3 + k]);
    for (let k = d; k < k4; k++) a4 = fr(a4 + w[r4 + k] * x[m4 + k]);
    for (let k = d; k < k5; k++) a5 = fr(a5 + w[r5 + k] * x[m5 + k]);
    for (let k = d; k < k6; k++) a6 = fr(a6 + w[r6 + k] * x[m6 + k]);
    for (let k = d; k < k7; k++) a7 = fr(a7 + w[r7 + k] * x[m7 + k]);
    y[t] = a0; y[t + 1] = a1; y[t + 2] = a2; y[t + 3] = a3; y[t + 4] = a4; y[t + 5] = a5; y[t + 6] = a6; y[t + 7] = a7;
  }
  for (; t < nOut; t++) {
    const cc = combo[t], n = nArr[t], s = start[cc], L = left[cc];
    const iMax = Math.min(n + 1, L), kMax = Math.min(nOrig - n - 1, right[cc]);
    let a = 0;
    for (let i = 0; i < iMax; i++) a = fr(a + w[s + i] * x[n - i]);
    for (let k = 0; k < kMax; k++) a = fr(a + w[s + L + k] * x[n + 1 + k]);
    y[t] = a;
  }
}

/**
 * One wing of runDirect32 for eight outputs: acc[j] += sum over taps i < lim[j] of
 * fround((win[o + i*st] + e * delta[o + i*st]) * x[n + shift + dir*i]), with float32 rounding
 * after each tap; the first `c` taps of all eight interleaved, the rest output by output.
 */
function wing8(
  x: Float32Array | Float64Array,
  win: Float64Array | Float32Array,
  delta: Float64Array | Float32Array,
  st: number,
  ns: Int32Array,
  shift: number,
  dir: number,
  off: Int32Array,
  eps: Float64Array,
  lim: Int32Array,
  c: number,
  acc: Float64Array,
): void {
  const fr = Math.fround;
  // no arrays made per call: this runs once per eight outputs
  const b0 = ns[0] + shift;
  const b1 = ns[1] + shift;
  const b2 = ns[2] + shift;
  const b3 = ns[3] + shift;
  const b4 = ns[4] + shift;
  const b5 = ns[5] + shift;
  const b6 = ns[6] + shift;
  const b7 = ns[7] + shift;
  const o0 = off[0];
  const o1 = off[1];
  const o2 = off[2];
  const o3 = off[3];
  const o4 = off[4];
  const o5 = off[5];
  const o6 = off[6];
  const o7 = off[7];
  const e0 = eps[0];
  const e1 = eps[1];
  const e2 = eps[2];
  const e3 = eps[3];
  const e4 = eps[4];
  const e5 = eps[5];
  const e6 = eps[6];
  const e7 = eps[7];
  let a0 = acc[0];
  let a1 = acc[1];
  let a2 = acc[2];
  let a3 = acc[3];
  let a4 = acc[4];
  let a5 = acc[5];
  let a6 = acc[6];
  let a7 = acc[7];
  for (let i = 0, q = 0, d = 0; i < c; i++, q += st, d += dir) {
    a0 = fr(a0 + (win[o0 + q] + e0 * delta[o0 + q]) * x[b0 + d]);
    a1 = fr(a1 + (win[o1 + q] + e1 * delta[o1 + q]) * x[b1 + d]);
    a2 = fr(a2 + (win[o2 + q] + e2 * delta[o2 + q]) * x[b2 + d]);
    a3 = fr(a3 + (win[o3 + q] + e3 * delta[o3 + q]) * x[b3 + d]);
    a4 = fr(a4 + (win[o4 + q] + e4 * delta[o4 + q]) * x[b4 + d]);
    a5 = fr(a5 + (win[o5 + q] + e5 * delta[o5 + q]) * x[b5 + d]);
    a6 = fr(a6 + (win[o6 + q] + e6 * delta[o6 + q]) * x[b6 + d]);
    a7 = fr(a7 + (win[o7 + q] + e7 * delta[o7 + q]) * x[b7 + d]);
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
  acc[4] = a4;
  acc[5] = a5;
  acc[6] = a6;
  acc[7] = a7;
  for (let j = 0; j < 8; j++) {
    let a = acc[j];
    const b = ns[j] + shift;
    const o = off[j];
    const e = eps[j];
    for (let i = c; i < lim[j]; i++) {
      const q = o + i * st;
      a = fr(a + (win[q] + e * delta[q]) * x[b + dir * i]);
    }
    acc[j] = a;
  }
}

/**
 * resampy's direct loop for float32 data (no plan: weights interpolated from the table for
 * every tap), eight outputs interleaved like runPlan32; the same bits as directSample.
 */
function runDirect32(x: Float32Array | Float64Array, y: Float32Array | Float64Array, P: Prepared): void {
  const { win, delta, indexStep: st } = P;
  const pos = new Float64Array(5);
  const nwin = win.length,
    nOrig = x.length,
    nOut = y.length;
  const G = 8;
  const ns = new Int32Array(G),
    oL = new Int32Array(G),
    oR = new Int32Array(G),
    iM = new Int32Array(G),
    kM = new Int32Array(G);
  const eL = new Float64Array(G),
    eR = new Float64Array(G),
    acc = new Float64Array(G);
  let t = 0;
  for (; t + G - 1 < nOut; t += G) {
    for (let j = 0; j < G; j++) {
      outputPosition(t + j, P, pos);
      const n = pos[0],
        o1 = pos[1],
        o2 = pos[3];
      ns[j] = n;
      oL[j] = o1;
      eL[j] = pos[2];
      oR[j] = o2;
      eR[j] = pos[4];
      iM[j] = Math.min(n + 1, Math.floor((nwin - o1) / st));
      kM[j] = Math.min(nOrig - n - 1, Math.floor((nwin - o2) / st));
    }
    acc.fill(0);
    // the left wing (x[n - i]), then the right wing (x[n + 1 + k]) on top of it
    wing8(x, win, delta, st, ns, 0, -1, oL, eL, iM, Math.min(iM[0], iM[1], iM[2], iM[3], iM[4], iM[5], iM[6], iM[7]), acc);
    wing8(x, win, delta, st, ns, 1, 1, oR, eR, kM, Math.max(0, Math.min(kM[0], kM[1], kM[2], kM[3], kM[4], kM[5], kM[6], kM[7])), acc);
    for (let j = 0; j < G; j++) y[t + j] = acc[j];
  }
  for (; t < nOut; t++) y[t] = directSample(x, t, P, true);
}

/**
 * runPlan32 in the wasm kernels (wasm/dsp.ts resamplePlan32): the same float32 rounding chain,
 * the same bits; x is staged as float64 (exact), y comes back as float32.
 */
function runPlan32Wasm(w: DspWasm, x: Float32Array | Float64Array, y: Float32Array, plan: WeightPlan): void {
  const p = residentPlan(w, plan);
  const nOut = y.length;
  const { xp, yp, ptab } = stageSamples(w, x, nOut, pairDeltas(plan));
  if (isHalving(plan)) w.exports.resampleHalf32(xp, x.length, yp, nOut, p.w, plan.left[0], plan.right[0], w.u32(ptab, 64)[2]);
  else w.exports.resamplePlan32(xp, x.length, yp, nOut, p.n, p.combo, p.start, p.left, p.right, p.w, ptab);
  y.set(w.f32(yp, nOut));
}

/** Whether a plan has one combination and n[t] = 2t (2 -> 1, 44.1 -> 22.05 kHz): wasm/dsp.ts resampleHalf32 runs it. */
const halving = new WeakMap<WeightPlan, boolean>();
function isHalving(plan: WeightPlan): boolean {
  let h = halving.get(plan);
  if (h === undefined) {
    h = plan.start.length === 1 && plan.nOut > 1;
    for (let t = 0; h && t < plan.nOut; t++) if (plan.n[t] !== 2 * t) h = false;
    halving.set(plan, h);
  }
  return h;
}

/** A copy of `a` in the scratch slot `name` of the wasm memory; returns its address. */
function putScratch(w: DspWasm, name: string, a: Int32Array | Float64Array): number {
  const ptr = w.scratch(name, a.byteLength);
  (a instanceof Int32Array ? w.i32(ptr, a.length) : w.f64(ptr, a.length)).set(a);
  return ptr;
}

/**
 * The kernels' inputs: x staged as float64 (exact), a slot for y's float32 outputs, and the
 * table `ptab` of pairInterleave copies of x (wasm/dsp.ts: the sample pairs a lane pair reads)
 * for the given input distances below 64 (0 elsewhere).
 */
function stageSamples(
  w: DspWasm,
  x: Float32Array | Float64Array,
  nOut: number,
  deltas: Iterable<number>,
): { xp: number; yp: number; ptab: number } {
  const xp = w.scratch('resample.x', 8 * x.length);
  const yp = w.scratch('resample.y', 4 * nOut);
  w.f64(xp, x.length).set(x);
  const ptab = w.scratch('resample.ptab', 4 * 64);
  w.u32(ptab, 64).fill(0);
  for (const delta of deltas) {
    if (delta < 0 || delta >= 64) continue;
    const pp = w.scratch(`resample.pairs${delta}`, 16 * x.length);
    w.exports.pairInterleave(xp, x.length, delta, pp);
    w.u32(ptab, 64)[delta] = pp;
  }
  return { xp, yp, ptab };
}

/**
 * The input distances n[t + 1] - n[t] (t even) of a plan below 64 (a rate ratio r has two,
 * floor and ceil of 1 / r): the pair copies the kernel reads.
 */
const deltaCache = new WeakMap<WeightPlan, number[]>();
function pairDeltas(plan: WeightPlan): number[] {
  let d = deltaCache.get(plan);
  if (!d) {
    const seen = new Set<number>();
    for (let t = 0; t + 1 < plan.nOut; t += 2) {
      const e = plan.n[t + 1] - plan.n[t];
      if (e >= 0 && e < 64) seen.add(e);
    }
    d = [...seen].sort((a, b) => a - b);
    deltaCache.set(plan, d);
  }
  return d;
}

/**
 * Weight plans copied into wasm memory: up to WASM_PLAN_SLOTS at a time (one per sample rate
 * of the corpora, the CQT's octave decimation and the pitch shift's ratio, typically), each in a reusable scratch slot, least recently used replaced.
 */
const WASM_PLAN_SLOTS = 8;
interface ResidentPlan {
  slot: string;
  plan: WeightPlan;
  on: DspWasm;
  n: number;
  combo: number;
  start: number;
  left: number;
  right: number;
  w: number;
}
const resident: (ResidentPlan | null)[] = new Array(WASM_PLAN_SLOTS).fill(null);
function residentPlan(w: DspWasm, plan: WeightPlan): ResidentPlan {
  let i = resident.findIndex((r) => r !== null && r.plan === plan && r.on === w);
  if (i < 0) {
    // a longer plan for the same (filter, ratio) takes the slot of the one it replaces; else a
    // free position gets a new scratch slot; else the least recently used plan's (the list is
    // kept in use order) is overwritten
    // (free positions are at the end, so position i of the first free one names a new slot)
    i = resident.findIndex((r) => r !== null && r.plan.key === plan.key && r.on === w);
    if (i < 0) i = resident.indexOf(null);
    if (i < 0) i = WASM_PLAN_SLOTS - 1;
    const slot = resident[i] ? (resident[i] as ResidentPlan).slot : `resample.plan${i}`;
    const put = (name: string, a: Int32Array | Float64Array): number => putScratch(w, `${slot}.${name}`, a);
    resident[i] = {
      slot,
      plan,
      on: w,
      n: put('n', plan.n),
      combo: put('combo', plan.combo),
      start: put('start', plan.start),
      left: put('left', plan.left),
      right: put('right', plan.right),
      w: put('w', plan.w),
    };
  }
  const r = resident[i] as ResidentPlan;
  resident.splice(i, 1);
  resident.unshift(r);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Ratios whose combinations do not repeat: taps interpolated in the loop from a table laid out by offset

/**
 * Whether a ratio's (offset, eta) combinations repeat: fewer distinct ones than half of the
 * first 8192 outputs (decided once per filter and ratio). The corpora's rates repeat (48000 ->
 * 22050: 1037 combinations over a 2.5 s clip); pitch_shift's 22959.83 -> 22050 does not (every
 * output its own), and its weight plan would stream ~100 precomputed taps per output (46 MB a
 * clip) from memory, so with the wasm kernels it runs resampleTable32 instead, which
 * interpolates the taps as resampy does from a table laid out by offset (a few MB, cache-resident).
 */
const repeatCache = new Map<string, boolean>();
function combosRepeat(filter: ResampyFilter, sampleRatio: number, P: Prepared): boolean {
  const key = `${filter}:${sampleRatio}`;
  let r = repeatCache.get(key);
  if (r === undefined) {
    const seen = new Set<number>();
    const at = new Float64Array(5);
    const probe = 8192;
    for (let t = 0; t < probe; t++) seen.add(outputPosition(t, P, at));
    r = seen.size <= probe / 2;
    putBounded(repeatCache, key, r, PLAN_CACHE_SIZE);
  }
  return r;
}

/**
 * resampy's table (win, delta: the interpolation differences) laid out by offset for
 * resampleTable32: for each offset o in [0, numTable], the taps j = o + i * index_step
 * (i < floor((nwin - o) / index_step), the count resampy's loop uses) as (win[j], delta[j])
 * float64 pairs, contiguous. Per (filter, ratio): the table is scaled by the ratio when
 * downsampling.
 */
interface OffsetTable {
  start: Int32Array;
  count: Int32Array;
  tab: Float64Array;
}
function offsetTable(P: Prepared): OffsetTable {
  const { win, delta, indexStep: st, numTable } = P;
  const nwin = win.length;
  const start = new Int32Array(numTable + 1),
    count = new Int32Array(numTable + 1);
  let taps = 0;
  for (let o = 0; o <= numTable; o++) {
    start[o] = taps;
    count[o] = Math.max(0, Math.floor((nwin - o) / st));
    taps += count[o];
  }
  const tab = new Float64Array(2 * taps);
  for (let o = 0, p = 0; o <= numTable; o++) {
    for (let i = 0; i < count[o]; i++, p += 2) {
      const j = o + i * st;
      tab[p] = win[j];
      tab[p + 1] = delta[j];
    }
  }
  return { start, count, tab };
}

/** Outputs [t0, t0 + m) of resampy's loop: input index, left and right offsets and etas (resampleTable32's layout). */
function tablePositions(P: Prepared, t0: number, m: number, n: Int32Array, offs: Int32Array, etas: Float64Array): void {
  const at = new Float64Array(5);
  for (let u = 0; u < m; u++) {
    outputPosition(t0 + u, P, at);
    n[u] = at[0];
    offs[2 * u] = at[1];
    etas[2 * u] = at[2];
    offs[2 * u + 1] = at[3];
    etas[2 * u + 1] = at[4];
  }
}

/** Outputs per resampleTable32 call; the first chunk's positions stay in wasm memory per ratio. */
const TABLE_CHUNK = 1 << 16;
interface ResidentTable {
  key: string;
  on: DspWasm;
  slot: string;
  tstart: number;
  tcount: number;
  tab: number;
  /** positions of outputs [0, TABLE_CHUNK) */
  n: number;
  offs: number;
  etas: number;
}
const TABLE_SLOTS = 2;
const residentTables: ResidentTable[] = [];

function residentTable(w: DspWasm, key: string, P: Prepared): ResidentTable {
  let i = residentTables.findIndex((r) => r.key === key && r.on === w);
  if (i < 0) {
    const mine = residentTables.filter((r) => r.on === w);
    const slot = mine.length < TABLE_SLOTS ? `resample.table${mine.length}` : mine[mine.length - 1].slot;
    if (mine.length >= TABLE_SLOTS) residentTables.splice(residentTables.indexOf(mine[mine.length - 1]), 1);
    const t = offsetTable(P);
    const put = (name: string, a: Int32Array | Float64Array): number => putScratch(w, `${slot}.${name}`, a);
    const n = new Int32Array(TABLE_CHUNK),
      offs = new Int32Array(2 * TABLE_CHUNK),
      etas = new Float64Array(2 * TABLE_CHUNK);
    tablePositions(P, 0, TABLE_CHUNK, n, offs, etas);
    residentTables.unshift({
      key,
      on: w,
      slot,
      tstart: put('tstart', t.start),
      tcount: put('tcount', t.count),
      tab: put('tab', t.tab),
      n: put('n', n),
      offs: put('offs', offs),
      etas: put('etas', etas),
    });
    i = 0;
  }
  const r = residentTables[i];
  residentTables.splice(i, 1);
  residentTables.unshift(r);
  return r;
}

/**
 * resampy's float32 loop through resampleTable32 (wasm): the same float32 rounding chain and
 * the same float64 weights as the weight plan and the direct loop, so the same bits.
 */
function runTable32Wasm(
  w: DspWasm,
  x: Float32Array | Float64Array,
  y: Float32Array,
  filter: ResampyFilter,
  sampleRatio: number,
  P: Prepared,
): void {
  const r = residentTable(w, `${filter}:${sampleRatio}`, P);
  const nOut = y.length;
  // the input distances of neighbouring outputs: floor and ceil of 1 / ratio
  const step = 1 / sampleRatio;
  const { xp, yp, ptab } = stageSamples(w, x, nOut, new Set([Math.floor(step), Math.ceil(step)]));
  for (let t0 = 0; t0 < nOut; t0 += TABLE_CHUNK) {
    const m = Math.min(TABLE_CHUNK, nOut - t0);
    let np = r.n,
      op = r.offs,
      ep = r.etas;
    if (t0 > 0) {
      np = w.scratch('resample.chunk.n', 4 * m);
      op = w.scratch('resample.chunk.offs', 8 * m);
      ep = w.scratch('resample.chunk.etas', 16 * m);
      tablePositions(P, t0, m, w.i32(np, m), w.i32(op, 2 * m), w.f64(ep, 2 * m));
    }
    w.exports.resampleTable32(xp, x.length, yp + 4 * t0, m, np, op, ep, r.tstart, r.tcount, r.tab, ptab);
  }
  y.set(w.f32(yp, nOut));
}

/** resampy's loop through a weight plan, float64 data (float64 accumulation). */
function runPlan64(x: Float32Array | Float64Array, y: Float32Array | Float64Array, plan: WeightPlan): void {
  const { n: nArr, combo, start, left, right, w } = plan;
  const nOrig = x.length,
    nOut = y.length;
  for (let t = 0; t < nOut; t++) {
    const cc = combo[t],
      n = nArr[t],
      s = start[cc],
      L = left[cc];
    const iMax = Math.min(n + 1, L),
      kMax = Math.min(nOrig - n - 1, right[cc]);
    let a = 0;
    for (let i = 0; i < iMax; i++) a += w[s + i] * x[n - i];
    for (let k = 0; k < kMax; k++) a += w[s + L + k] * x[n + 1 + k];
    y[t] = a;
  }
}

/**
 * resampy.resample(x, sr_orig, sr_new, filter) (0.4.2), without librosa's fix_length.
 * Output dtype = input dtype.
 */
export function resampyResample<T extends Float32Array | Float64Array>(
  x: T,
  srOrig: number,
  srNew: number,
  opts: { filter?: ResampyFilter; direct?: boolean; typescript?: boolean } = {},
): T {
  if (!(srOrig > 0)) throw new Error(`Invalid sample rate: sr_orig=${srOrig}`);
  if (!(srNew > 0)) throw new Error(`Invalid sample rate: sr_new=${srNew}`);
  const f32 = x instanceof Float32Array;
  if (srOrig === srNew) return x.slice() as T;
  const filter = opts.filter ?? 'kaiser_best';
  const sampleRatio = srNew / srOrig;
  const nOut = Math.trunc((x.length * srNew) / srOrig);
  if (nOut < 1) {
    throw new Error(`Input signal length=${x.length} is too small to resample from ${srOrig}->${srNew}`);
  }
  const y = (f32 ? new Float32Array(nOut) : new Float64Array(nOut)) as T;
  const P = prepare(filter, sampleRatio);
  if (f32 && !opts.direct && !opts.typescript) {
    const w = dspWasm();
    if (w && !combosRepeat(filter, sampleRatio, P)) {
      runTable32Wasm(w, x, y as Float32Array, filter, sampleRatio, P);
      return y;
    }
  }
  const plan = opts.direct ? null : weightPlan(filter, sampleRatio, nOut, P);
  if (!plan) {
    if (f32) runDirect32(x, y, P);
    else for (let t = 0; t < nOut; t++) y[t] = directSample(x, t, P, false);
  } else if (f32) {
    const w = opts.typescript ? null : dspWasm();
    if (w) runPlan32Wasm(w, x, y as Float32Array, plan);
    else runPlan32(x, y, plan);
  } else {
    runPlan64(x, y, plan);
  }
  return y;
}

/**
 * librosa.resample(y, orig_sr=srIn, target_sr=srOut, res_type=filter) with resampy:
 * resampy.resample then fix_length to ceil(len(y) * srOut / srIn); same dtype as `y`.
 * Returns a copy of `y` when the rates are equal (librosa returns y itself).
 */
export function resample<T extends Float32Array | Float64Array>(y: T, srIn: number, srOut: number, opts: ResampleOptions = {}): T {
  if (srIn === srOut) return y.slice() as T;
  const out = resampyResample(y, srIn, srOut, opts);
  if (opts.fix === false) return out;
  const ratio = srOut / srIn;
  const nSamples = Math.ceil(y.length * ratio);
  if (out.length === nSamples) return out;
  const fixed = (y instanceof Float32Array ? new Float32Array(nSamples) : new Float64Array(nSamples)) as T;
  fixed.set(out.length > nSamples ? out.subarray(0, nSamples) : out);
  return fixed;
}

/**
 * resampy's loop transcribed one output at a time with no caching or interleaving (slow): the
 * reference the fast paths are tested against. Output length int(len * sr_new / sr_orig).
 */
export function resampleReference<T extends Float32Array | Float64Array>(
  x: T,
  srOrig: number,
  srNew: number,
  filter: ResampyFilter = 'kaiser_best',
): T {
  const nOut = Math.trunc((x.length * srNew) / srOrig);
  const f32 = x instanceof Float32Array;
  const y = (f32 ? new Float32Array(nOut) : new Float64Array(nOut)) as T;
  const P = prepare(filter, srNew / srOrig);
  for (let t = 0; t < nOut; t++) y[t] = directSample(x, t, P, f32);
  return y;
}
