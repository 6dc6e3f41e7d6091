/**
 * The WebAssembly DSP kernels (kernel-lib/wasm/dsp.ts, AssemblyScript, compiled by `npm run
 * build` to dist/wasm/dsp.wasm): loading, and the memory they work in.
 *
 * The kernels compute the same bits as the TypeScript loops they replace (tests compare both);
 * they are only faster (no bounds checks, f64x2 SIMD). When the module is missing or cannot be
 * instantiated (an engine without wasm SIMD), or SER_DSP_WASM=0 is set, `dspWasm()` returns null,
 * `dspEngine()` says why, and the TypeScript code runs instead.
 *
 * The bytes come from platform/assets ('dist/wasm/dsp.wasm'): read from disk in Node; in a
 * browser the page provides them (provideAsset) before the first computation.
 *
 * Memory: one instance per thread (workers load their own). Callers take long-lived blocks
 * (FFT tables, resampling plans) with `alloc`, and per-call staging space with `scratch(slot,
 * bytes)`: a block per slot name that is reused and only grows. Typed-array views must be taken
 * after every allocation (growing the memory detaches the old buffer): use `f64(ptr, n)` etc.
 */
import { assetPath, readAsset } from '../platform/assets';
import { envVar } from '../platform/env';

/** The parts of a WebAssembly.Memory used here (the project's lib settings have no wasm types). */
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const WA: any = (globalThis as any).WebAssembly;

// biome-ignore format: the wasm exports, one signature per line as in wasm/dsp.ts
export interface DspExports {
  memory: WasmMemory;
  heapBase(): number;
  cfftPermuted(z: number, n: number, odd: number, tw: number, inverse: number): void;
  cfftSplit(re: number, im: number, z: number, n: number, rev: number, odd: number, tw: number, inverse: number): void;
  rfftForward(
    x: number, len: number, offset: number, win: number,
    z: number, h: number, rev: number, odd: number, tw: number, spl: number,
    outRe: number, outIm: number, kLo: number, kHi: number,
  ): void;
  rfftInverse(inRe: number, inIm: number, z: number, h: number, rev: number, odd: number, tw: number, spl: number): void;
  lineRanks(
    x: number, rows: number, cols: number, wantRows: number, wantCols: number,
    key: number, key2: number, src: number, dst: number, cnt: number, next: number,
    rowRank: number, rowVal: number, colRank: number, colVal: number,
  ): number;
  medianWindow(x: number, lines: number, len: number, ls: number, js: number, size: number, out: number, ext: number, win: number): number;
  medianWindow4(x: number, lines: number, len: number, ls: number, js: number, size: number, out: number, ext4: number, ext: number, win: number): number;
  rankLineFilter(rank: number, val: number, res: number, lines: number, len: number, ls: number, js: number, size: number, er: number, words: number): void;
  cabs32Array(re: number, im: number, out: number, n: number): void;
  stftMag32(
    x: number, len: number, hop: number, frames: number, win: number,
    z: number, h: number, rev: number, odd: number, tw: number, spl: number, oRe: number, oIm: number, out: number,
  ): void;
  stftFrames32(
    x: number, len: number, start: number, hop: number, frames: number, win: number,
    z: number, h: number, rev: number, odd: number, tw: number, spl: number, oRe: number, oIm: number, outRe: number, outIm: number,
  ): void;
  istftOla32(
    dRe: number, dIm: number, cols: number, nFrames: number, hop: number, off: number, expected: number, win: number,
    z: number, h: number, rev: number, odd: number, tw: number, spl: number, inRe: number, inIm: number, y: number,
  ): void;
  harmonicMask32(harm: number, perc: number, mag: number, sre: number, sim: number, outRe: number, outIm: number, n: number, marginHarm: number, fill: number): number;
  filterbank32(ptr: number, row: number, val: number, F: number, s: number, T: number, acc: number, square: number): void;
  halfbandBlocks(
    x: number, len: number, nOut: number, M: number, vOut: number,
    zF: number, hF: number, revF: number, oddF: number, twF: number, splF: number, oRe: number, oIm: number,
    gre: number, gim: number, dre: number, dim: number,
    zI: number, hI: number, revI: number, oddI: number, twI: number, splI: number,
    out: number, f32out: number, d: number,
  ): void;
  denseRows32(D: number, K: number, N: number, L: number, T: number, out: number): void;
  contrastBand32(S: number, T: number, rows: number, m: number, idx: number, small: number, large: number, valley: number, peak: number): void;
  sparsifyThreshold(re: number, im: number, cols: number, quantile: number, mags: number, sorted: number, tmp: number, cnt: number): number;
  piptrack32(
    x: number, rows: number, cols: number, k0: number, k1: number, thr: number, sr: number, nFft: number,
    ref: number, index: number, pitch: number, mag: number,
  ): number;
  cqtResponse(
    x: number, len: number, start: number, hop: number, frames: number,
    z: number, h: number, rev: number, odd: number, tw: number, spl: number, oRe: number, oIm: number,
    c0: number, c1: number, f32r: number,
    rows: number, rowPtr: number, colIdx: number, bv: number, xc: number, outRe: number, outIm: number,
  ): void;
  resamplePlan32(x: number, nOrig: number, y: number, nOut: number, nArr: number, combo: number, start: number, left: number, right: number, w: number, ptab: number): void;
  pairInterleave(x: number, len: number, delta: number, out: number): void;
  resampleHalf32(x: number, nOrig: number, y: number, nOut: number, w: number, L: number, R: number, pairs: number): void;
  rbfRow32(dots: number, xsq: number, n: number, xi: number, g: number, out: number, fix: number, maxFix: number): number;
  wssMaxUp(G: number, yf: number, up: number, n: number, out: number): number;
  wssMinObj(G: number, yf: number, low: number, QD: number, Qi: number, n: number, gmax: number, QDi: number, yi2: number, tau: number, out: number): number;
  smoGradient(G: number, Qi: number, Qj: number, n: number, dai: number, daj: number): void;
  vocode32(
    mag: number, ang: number, bins: number, n: number, nOut: number, c0s: number, was: number, wbs: number, adv: number,
    outRe: number, outIm: number, fix: number, maxFix: number,
  ): number;
  /** atan2 / log / log10 approximations (wasm/dsp.ts atan2Fast, logFast, log10Fast) over float64 arrays (with lanes set two at a time in f64x2), for tests; the arguments outside their range listed in fix */
  approxArray(kind: number, a: number, b: number, out: number, n: number, lanes: number, fix: number): number;
  /** the margin of the kernels below (tests force it huge); returns the old one */
  setLibMargin(m: number): number;
  atanTable(): number;
  spectrumPolar32(re: number, im: number, bins: number, n: number, mag: number, ang: number, fix: number): number;
  powerToDb32(src: number, out: number, n: number, a32: number, r32: number, fix: number): number;
  gaussNoise32(y: number, n: number, a: number, mt: number, state: number, out: number, fix: number, work: number): number;
  resampleTable32(
    x: number, nOrig: number, y: number, nOut: number,
    nArr: number, offs: number, etas: number, tstart: number, tcount: number, tab: number, ptab: number,
  ): void;
}

export class DspWasm {
  readonly exports: DspExports;
  private top: number;
  private readonly slots = new Map<string, { ptr: number; bytes: number }>();

  constructor(exports: DspExports) {
    this.exports = exports;
    this.top = align(exports.heapBase(), 16);
    // atan2Fast's table: atan(k / 16), k = 0..16 (within an ulp; its error is in the kernels' margin)
    const tab = new Float64Array(exports.memory.buffer, exports.atanTable(), 17);
    for (let k = 0; k <= 16; k++) tab[k] = Math.atan(k / 16);
  }

  /** A new block of `bytes` (16-byte aligned) that stays valid for the life of the thread. */
  alloc(bytes: number): number {
    const ptr = this.top;
    this.top = align(ptr + Math.max(0, bytes), 16);
    const need = this.top - this.exports.memory.buffer.byteLength;
    if (need > 0) this.exports.memory.grow(Math.ceil(need / 65536));
    return ptr;
  }

  /** The scratch block named `slot`, at least `bytes` long (contents are not kept across calls). */
  scratch(slot: string, bytes: number): number {
    const s = this.slots.get(slot);
    if (s && s.bytes >= bytes) return s.ptr;
    const size = Math.max(bytes, s ? 2 * s.bytes : 0);
    const ptr = this.alloc(size);
    this.slots.set(slot, { ptr, bytes: size });
    return ptr;
  }

  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, n);
  }
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, ptr, n);
  }
  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, ptr, n);
  }
  u32(ptr: number, n: number): Uint32Array {
    return new Uint32Array(this.exports.memory.buffer, ptr, n);
  }

  /** Copies `data` into a new long-lived block; returns its address. */
  allocCopy(data: Float64Array | Float32Array | Int32Array | Uint32Array): number {
    const ptr = this.alloc(data.byteLength);
    new Uint8Array(this.exports.memory.buffer, ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** The compiled module's asset name (relative to the kernel-lib folder). */
export const DSP_WASM_ASSET = 'dist/wasm/dsp.wasm';

/** Where the compiled module is (dist/wasm/dsp.wasm, next to dist/dsp/; in a browser: its asset name). */
export const DSP_WASM_PATH = assetPath(DSP_WASM_ASSET);

let loaded: DspWasm | null | undefined;
let reason = '';

/** The DSP kernels of this thread, or null (see dspEngine() for why). */
export function dspWasm(): DspWasm | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const env = envVar('SER_DSP_WASM');
  if (env !== undefined && /^(0|false|off|no)$/i.test(env.trim())) {
    reason = 'disabled by SER_DSP_WASM';
    return null;
  }
  try {
    const bytes = readAsset(DSP_WASM_ASSET);
    const mod = new WA.Module(bytes);
    const inst = new WA.Instance(mod, {});
    loaded = new DspWasm(inst.exports as unknown as DspExports);
    reason = `${DSP_WASM_ASSET} (${bytes.length} bytes)`;
  } catch (e) {
    reason = `unavailable: ${(e as Error).message.split('\n')[0]}`;
    loaded = null;
  }
  return loaded;
}

/** Which engine runs the DSP hot loops: 'wasm-simd' or 'typescript', and why. */
export function dspEngine(): { engine: 'wasm-simd' | 'typescript'; detail: string } {
  const w = dspWasm();
  return { engine: w ? 'wasm-simd' : 'typescript', detail: reason };
}
