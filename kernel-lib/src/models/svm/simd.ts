/**
 * The kernel hot loop in WebAssembly SIMD: `colDots(xi, offs, start, len, d, out)` computes
 * out[j] = x_i . x_{offs[j]} for j in [start, len) with f64x2 lanes, four rows per pass over
 * x_i. The module (about 1 KB) is assembled here from its instructions, so there is no build
 * step and no binary in the repository; when the engine lacks wasm SIMD, `simdKernel()` returns
 * null and the TypeScript loops are used.
 *
 * `colDotsAhead` is the same loop, and gives the same bits, for long scans whose rows come from
 * main memory (a kernel row of a fit: thousands of rows, megabytes, evicted between two fills):
 * before each pass it reads one value from every 64-byte line of the next pass's four rows and
 * drops it. Those loads miss together, while the pass computes on rows already fetched, instead
 * of the pass stalling on each of its rows in turn (the processor's own prefetch stops at every
 * 4 KB page, and a 173-feature row is 1384 bytes). On the paper's 48648-row bench it took a
 * fit from 34-37 s to 23-27 s (2 workers, this 2-core VM, 2026-12-07). Rows already in cache
 * (prediction's tiles of 256 support vectors) run slower with it, so they keep `colDots`.
 *
 * Why: scikit-learn's libsvm computes its dot products with BLAS `ddot` (vectorised); a scalar
 * loop (libsvm's original, or plain TypeScript) is 2-3x slower per kernel value, and kernel
 * values are most of an SVM's training time. The SIMD sum adds even and odd terms in two lanes,
 * then the lanes: a different rounding order from a sequential sum (as BLAS's is), ~1e-16
 * relative, before Q is rounded to float32.
 *
 * Memory: one module instance per thread; callers take space with `alloc` and give it back in
 * reverse order with `release` (a stack: the solver never holds two problems at once).
 */
import { envVar } from '../../platform/env';

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
function sleb(n: number): number[] {
  const out: number[] = [];
  let more = true;
  while (more) {
    let b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) more = false;
    else b |= 0x80;
    out.push(b);
  }
  return out;
}
const str = (s: string): number[] => [...uleb(s.length), ...new TextEncoder().encode(s)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];

// params
const XI = 0;
const OFFS = 1;
const START = 2;
const LEN = 3;
const D = 4;
const OUT = 5;
// locals
const J = 6;
const PB0 = 7;
const K = 11;
const DEVB = 12;
const VA = 13;
const ACC0 = 14;
const S = 18;
const T = 19;
const TP = 20;
const C = 21;
const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const i32c = (v: number): number[] => [0x41, ...sleb(v)];
const add = [0x6a];
const sub = [0x6b];
const ltS = [0x48];
const select = [0x1b];
const drop = [0x1a];
const shl = [0x74];
const and = [0x71];
const geS = [0x4e];
const i32load = (off: number): number[] => [0x28, 2, ...uleb(off)];
const f64load = [0x2b, 3, 0];
const f64store = [0x39, 3, 0];
const f64add = [0xa0];
const f64mul = [0xa2];
const v128load = [0xfd, 0x00, 3, 0];
const v128zero = [0xfd, 0x0c, ...new Array(16).fill(0)];
const f64x2add = [0xfd, 0xf0, 0x01];
const f64x2mul = [0xfd, 0xf2, 0x01];
const lane = (l: number): number[] => [0xfd, 0x21, l];
const block = [0x02, 0x40];
const loop = [0x03, 0x40];
const end = [0x0b];
const ifv = [0x04, 0x40];
const br = (d: number): number[] => [0x0c, ...uleb(d)];
const brIf = (d: number): number[] => [0x0d, ...uleb(d)];

/**
 * colDotsAhead's touch of the next pass: for r < 4, row t = min(j + 4 + r, len - 1), one f64
 * load (dropped) at every 64 bytes of its first dEvenBytes.
 */
function touchNextPass(): number[] {
  const code: number[] = [];
  for (let r = 0; r < 4; r++) {
    // t = j+4+r < len ? j+4+r : len-1 ; tp = offs[t] ; c = 0
    code.push(...get(J), ...i32c(4 + r), ...add, ...get(LEN), ...i32c(1), ...sub);
    code.push(...get(J), ...i32c(4 + r), ...add, ...get(LEN), ...ltS, ...select, ...set(T));
    code.push(...get(OFFS), ...get(T), ...i32c(2), ...shl, ...add, ...i32load(0), ...set(TP));
    code.push(...i32c(0), ...set(C));
    code.push(...block, ...loop);
    code.push(...get(C), ...get(DEVB), ...geS, ...brIf(1));
    code.push(...get(TP), ...get(C), ...add, ...f64load, ...drop);
    code.push(...get(C), ...i32c(64), ...add, ...set(C), ...br(0));
    code.push(...end, ...end);
  }
  return code;
}

function rowsLoop(nr: number, ahead = false): number[] {
  // block { loop { if (j + nr - 1 >= len) break; ... j += nr; continue } }
  const code: number[] = [];
  code.push(...block, ...loop);
  code.push(...get(J), ...i32c(nr - 1), ...add, ...get(LEN), ...geS, ...brIf(1));
  for (let r = 0; r < nr; r++) code.push(...get(OFFS), ...get(J), ...i32c(2), ...shl, ...add, ...i32load(4 * r), ...set(PB0 + r));
  if (ahead) code.push(...touchNextPass());
  for (let r = 0; r < nr; r++) code.push(...v128zero, ...set(ACC0 + r));
  code.push(...i32c(0), ...set(K));
  // inner k loop over byte offsets [0, dEvenBytes) by 16
  code.push(...block, ...loop);
  code.push(...get(K), ...get(DEVB), ...geS, ...brIf(1));
  code.push(...get(XI), ...get(K), ...add, ...v128load, ...set(VA));
  for (let r = 0; r < nr; r++) {
    code.push(...get(ACC0 + r), ...get(VA), ...get(PB0 + r), ...get(K), ...add, ...v128load, ...f64x2mul, ...f64x2add, ...set(ACC0 + r));
  }
  code.push(...get(K), ...i32c(16), ...add, ...set(K), ...br(0));
  code.push(...end, ...end);
  for (let r = 0; r < nr; r++) {
    code.push(...get(ACC0 + r), ...lane(0), ...get(ACC0 + r), ...lane(1), ...f64add, ...set(S));
    // odd d: one more product at byte offset dEvenBytes
    code.push(...get(D), ...i32c(1), ...and, ...ifv);
    code.push(
      ...get(S),
      ...get(XI),
      ...get(DEVB),
      ...add,
      ...f64load,
      ...get(PB0 + r),
      ...get(DEVB),
      ...add,
      ...f64load,
      ...f64mul,
      ...f64add,
      ...set(S),
    );
    code.push(...end);
    code.push(...get(OUT), ...get(J), ...i32c(r), ...add, ...i32c(3), ...shl, ...add, ...get(S), ...f64store);
  }
  code.push(...get(J), ...i32c(nr), ...add, ...set(J), ...br(0));
  code.push(...end, ...end);
  return code;
}

/** A colDots function's body (with its locals), with or without the touch of the next pass. */
function colDotsFunction(ahead: boolean): number[] {
  const body: number[] = [];
  // dEvenBytes = (d & -2) << 3 ; j = start
  body.push(...get(D), ...i32c(-2), ...and, ...i32c(3), ...shl, ...set(DEVB));
  body.push(...get(START), ...set(J));
  body.push(...rowsLoop(4, ahead));
  body.push(...rowsLoop(1));
  body.push(...end);
  const locals = vec([
    [...uleb(6), I32],
    [...uleb(1), I32],
    [...uleb(5), V128],
    [...uleb(1), F64],
    [...uleb(3), I32],
  ]);
  // local indices: 6..11 i32 (J, PB0..PB3, K), 12 i32 (DEVB), 13..17 v128 (VA, ACC0..3), 18 f64 (S),
  // 19..21 i32 (T, TP, C: the touch)
  const func = [...locals, ...body];
  return [...uleb(func.length), ...func];
}

/** The module's bytes: function 0 colDots, function 1 colDotsAhead. */
export function buildSimdModule(): Uint8Array {
  const code = vec([colDotsFunction(false), colDotsFunction(true)]);
  const type = vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([])]]);
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, type),
    ...section(3, vec([[0], [0]])),
    ...section(5, vec([[0x00, ...uleb(1)]])),
    ...section(
      7,
      vec([
        [...str('mem'), 0x02, 0],
        [...str('colDots'), 0x00, 0],
        [...str('colDotsAhead'), 0x00, 1],
      ]),
    ),
    ...section(10, code),
  ]);
}

/** The parts of a WebAssembly.Memory used here (the project's lib settings have no DOM/wasm types). */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const WA: any = (globalThis as any).WebAssembly;

export interface SimdKernel {
  memory: WasmMemory;
  /** out[j] = X@xi . X@offs[j] for j in [start, len); byte addresses, offs = Int32 byte offsets */
  colDots: (xi: number, offs: number, start: number, len: number, d: number, out: number) => void;
  /** colDots, the same bits, for rows read from main memory (a fit's kernel rows) */
  colDotsAhead: (xi: number, offs: number, start: number, len: number, d: number, out: number) => void;
  /** reserves `bytes` (16-aligned) and returns the byte address; views made before may detach */
  alloc(bytes: number): number;
  /** frees everything from `addr` on (stack order) */
  release(addr: number): void;
}

let cached: SimdKernel | null | undefined;

/** The thread's SIMD kernel, or null where wasm SIMD is unavailable (or SER_SVM_SIMD=0). */
export function simdKernel(): SimdKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (envVar('SER_SVM_SIMD') === '0' || typeof WA !== 'object' || !WA) return cached;
  try {
    const bytes = buildSimdModule();
    if (!WA.validate(bytes)) return cached;
    const inst = new WA.Instance(new WA.Module(bytes), {});
    const memory = inst.exports.mem as WasmMemory;
    const colDots = inst.exports.colDots as SimdKernel['colDots'];
    const colDotsAhead = inst.exports.colDotsAhead as SimdKernel['colDotsAhead'];
    let top = 16;
    cached = {
      memory,
      colDots,
      colDotsAhead,
      alloc(bytes: number): number {
        const addr = top;
        top = addr + Math.ceil(bytes / 16) * 16;
        const need = top - memory.buffer.byteLength;
        if (need > 0) memory.grow(Math.ceil(need / 65536));
        return addr;
      },
      release(addr: number): void {
        top = addr;
      },
    };
  } catch {
    cached = null;
  }
  return cached;
}
