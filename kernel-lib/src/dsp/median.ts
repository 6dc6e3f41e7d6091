/**
 * Fast 1-D median filters over the rows or the columns of a row-major matrix, with the
 * boundary handling of `scipy.ndimage.median_filter(..., mode='reflect')` (the mode
 * `librosa.decompose.hpss` uses).
 *
 * scipy's 'reflect' extends a signal by mirroring about the edge *between* samples
 * (`d c b a | a b c d | d c b a`), periodically with period 2n when the window reaches further
 * than one signal length. A window of `size` samples centred on i (origin 0) covers
 * `i - floor(size/2) .. i + size - 1 - floor(size/2)`, and the value returned is the element of
 * rank `floor(size/2)` of the sorted window (the median for odd sizes; the upper median for
 * even sizes), exactly as scipy's rank filter selects it.
 *
 * Implementation (float32 data without NaN, lines of at least size - 1 samples): the ranks of
 * the samples within each line come from one stable radix sort of the whole matrix (ties in
 * index order); the window is then a bitmap over the ranks of the reflect-extended line (a
 * reflected copy gets its own rank next to the original's), and each step clears one bit, sets
 * one, and moves the selected rank to the neighbouring set bit (clz32): O(1) per output. Other
 * inputs use a sorted sliding window (binary search + one shift pass per step). Results are
 * exact (selection, no arithmetic), so they equal scipy's bit for bit.
 *
 * With the wasm kernels (dsp/wasm.ts), float32 lines without NaN are filtered there instead,
 * with the same results: windows of up to 32 (HPSS uses 31) by wasm/dsp.ts medianWindow4 (the
 * selected element tracked as the window slides, four lines at a time in SIMD lanes; the
 * remaining lines by medianWindow, the window in a SIMD buffer; no global sort), larger ones by
 * lineRanks and rankLineFilter (transcribed from this file).
 */
import { type DspWasm, dspWasm } from './wasm';

/**
 * The median filters of float32 `x` through the wasm kernels (lineRanks and rankLineFilter
 * there are transcriptions of the functions below): [rows filtered with sizeRows, columns with
 * sizeCols] (a size of 0: not wanted), or null when the kernels are unavailable, x has a NaN or
 * the rank path does not apply.
 */
function wasmMedians(
  x: Float32Array,
  rows: number,
  cols: number,
  sizeRows: number,
  sizeCols: number,
): [Float32Array | null, Float32Array | null] | null {
  const w = dspWasm();
  if (!w) return null;
  const wantRows = sizeRows > 0,
    wantCols = sizeCols > 0;
  if ((wantRows && !rankPathOk(x, cols, sizeRows)) || (wantCols && !rankPathOk(x, rows, sizeCols))) return null;
  const n = rows * cols;
  const b = 4 * n;
  const xp = w.scratch('median.x', b);
  if (Math.max(sizeRows, sizeCols) <= 32) {
    const hp = w.scratch('median.h', b),
      pp = w.scratch('median.p', b);
    w.f32(xp, n).set(x);
    const rc = medianWindowsStaged(w, xp, rows, cols, sizeRows, sizeCols, hp, pp);
    if (rc === 'nan') return null;
    if (rc === 'ok') return [wantRows ? w.f32(hp, n).slice() : null, wantCols ? w.f32(pp, n).slice() : null];
  }
  const [key, key2, src, dst, rowRank, colRank] = ['key', 'key2', 'src', 'dst', 'rowRank', 'colRank'].map((k) =>
    w.scratch(`median.${k}`, b),
  );
  const rowVal = w.scratch('median.rowVal', b),
    colVal = w.scratch('median.colVal', b);
  const cnt = w.scratch('median.cnt', 4 * 3 * 2048);
  const next = w.scratch('median.next', 4 * Math.max(rows, cols));
  const res = w.scratch('median.res', b);
  const maxLen = Math.max(wantRows ? cols : 0, wantCols ? rows : 0);
  const maxSize = Math.max(sizeRows, sizeCols);
  const er = w.scratch('median.er', 4 * (maxLen + maxSize));
  const words = w.scratch('median.words', 4 * (((2 * maxLen) >> 5) + 2));
  w.f32(xp, n).set(x);
  if (
    w.exports.lineRanks(
      xp,
      rows,
      cols,
      wantRows ? 1 : 0,
      wantCols ? 1 : 0,
      key,
      key2,
      src,
      dst,
      cnt,
      next,
      rowRank,
      rowVal,
      colRank,
      colVal,
    ) !== 0
  )
    return null;
  let h: Float32Array | null = null,
    p: Float32Array | null = null;
  if (wantRows) {
    w.exports.rankLineFilter(rowRank, rowVal, res, rows, cols, cols, 1, sizeRows, er, words);
    h = w.f32(res, n).slice();
  }
  if (wantCols) {
    w.exports.rankLineFilter(colRank, colVal, res, cols, rows, 1, cols, sizeCols, er, words);
    p = w.f32(res, n).slice();
  }
  return [h, p];
}

/**
 * @internal The median filters of a float32 matrix already in wasm memory (at xp), windows of
 * up to 32 (wasm/dsp.ts medianWindow4): rows with sizeRows into hp, columns with sizeCols into
 * pp (a size of 0: skipped). 'nan' when x has a NaN, 'no' when a line is too short for the
 * kernel (the caller uses another path).
 */
export function medianWindowsStaged(
  w: DspWasm,
  xp: number,
  rows: number,
  cols: number,
  sizeRows: number,
  sizeCols: number,
  hp: number,
  pp: number,
): 'ok' | 'nan' | 'no' {
  if (Math.max(sizeRows, sizeCols) > 32) return 'no';
  const ext = w.scratch('median.ext', 4 * (Math.max(rows, cols) + 32));
  const win = w.scratch('median.win', 256);
  const ext4 = w.scratch('median.ext4', 16 * (Math.max(rows, cols) + 32));
  for (const [size, lines, len, ls, js, out] of [
    [sizeRows, rows, cols, cols, 1, hp],
    [sizeCols, cols, rows, 1, cols, pp],
  ]) {
    if (size <= 0) continue;
    const rc = w.exports.medianWindow4(xp, lines, len, ls, js, size, out, ext4, ext, win);
    if (rc !== 0) return rc === 1 ? 'nan' : 'no';
  }
  return 'ok';
}

/** Index into [0, n) of position j under scipy's 'reflect' extension. */
export function reflectIndex(j: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n;
  const m = ((j % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

/**
 * Replace `oldv` by `newv` in the ascending window `buf[off .. off+k)`, keeping it sorted:
 * binary search for oldv, then one shift pass towards where newv belongs.
 */
function replaceSorted(buf: Float64Array, off: number, k: number, oldv: number, newv: number): void {
  let lo = off;
  let hi = off + k - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (buf[mid] < oldv) lo = mid + 1;
    else hi = mid;
  }
  let p = lo;
  if (newv > oldv) {
    const end = off + k - 1;
    while (p < end && buf[p + 1] < newv) {
      buf[p] = buf[p + 1];
      p++;
    }
  } else {
    while (p > off && buf[p - 1] > newv) {
      buf[p] = buf[p - 1];
      p--;
    }
  }
  buf[p] = newv;
}

function insertionSort(buf: Float64Array, off: number, k: number): void {
  for (let i = off + 1; i < off + k; i++) {
    const v = buf[i];
    let j = i - 1;
    while (j >= off && buf[j] > v) {
      buf[j + 1] = buf[j];
      j--;
    }
    buf[j + 1] = v;
  }
}

type Arr = Float32Array | Float64Array;

/**
 * Scratch arrays of lineRanks, kept between calls (one clip after another allocates nothing):
 * 6 Int32Array + 2 Float32Array of the matrix size. Not re-entrant (nothing here is async).
 */
const pool: { n: number; i32: Int32Array[]; f32: Float32Array[] } = { n: 0, i32: [], f32: [] };
function scratchArrays(n: number): { i32: Int32Array[]; f32: Float32Array[] } {
  if (pool.n < n) {
    pool.n = n;
    pool.i32 = Array.from({ length: 6 }, () => new Int32Array(n));
    pool.f32 = Array.from({ length: 2 }, () => new Float32Array(n));
  }
  return { i32: pool.i32.map((a) => a.subarray(0, n)), f32: pool.f32.map((a) => a.subarray(0, n)) };
}

/**
 * Ranks of the elements of a float32 matrix within each row and within each column (ties in
 * index order), from one stable LSD radix sort of the order-preserving bit patterns (3 passes of
 * 11 bits), then a stable distribution of the sorted order to rows and columns. Also the
 * values by rank: rowVal[r * cols + k] is the k-th smallest of row r, colVal[c * rows + k] of
 * column c (in shared scratch arrays, valid until the next call). Returns null if x has a NaN.
 */
function lineRanks(
  x: Float32Array,
  rows: number,
  cols: number,
  wantRows: boolean,
  wantCols: boolean,
): { rowRank: Int32Array; rowVal: Float32Array; colRank: Int32Array; colVal: Float32Array } | null {
  const n = rows * cols;
  const xb = new Int32Array(x.buffer, x.byteOffset, n);
  const sc = scratchArrays(n);
  // int32 storage of the uint32 sort keys (digits are taken with >>>, so the sign is harmless);
  // the three digit histograms are counted in the same pass
  let key = sc.i32[0];
  const cnt = new Int32Array(3 * 2048);
  for (let i = 0; i < n; i++) {
    const b = xb[i];
    if ((b & 0x7fffffff) > 0x7f800000) return null; // NaN
    const k = b < 0 ? ~b : b | 0x80000000;
    key[i] = k;
    cnt[k & 2047]++;
    cnt[2048 + ((k >>> 11) & 2047)]++;
    cnt[4096 + (k >>> 22)]++;
  }
  let key2 = sc.i32[1];
  let src = sc.i32[2];
  let dst = sc.i32[3];
  let identity = true; // src[i] = i (not materialised until a pass runs)
  for (let pass = 0; pass < 3; pass++) {
    const shift = 11 * pass,
      base = 2048 * pass;
    if (cnt[base + ((key[0] >>> shift) & 2047)] === n) continue; // one digit value: order unchanged
    let sum = 0;
    for (let d = base; d < base + 2048; d++) {
      const c = cnt[d];
      cnt[d] = sum;
      sum += c;
    }
    const last = pass === 2;
    if (identity) {
      for (let i = 0; i < n; i++) {
        const k = key[i];
        const q = cnt[base + ((k >>> shift) & 2047)]++;
        dst[q] = i;
        key2[q] = k;
      }
    } else if (last) {
      for (let i = 0; i < n; i++) dst[cnt[base + ((key[i] >>> shift) & 2047)]++] = src[i];
    } else {
      for (let i = 0; i < n; i++) {
        const k = key[i];
        const q = cnt[base + ((k >>> shift) & 2047)]++;
        dst[q] = src[i];
        key2[q] = k;
      }
    }
    identity = false;
    let t = src;
    src = dst;
    dst = t;
    t = key;
    key = key2;
    key2 = t;
  }
  if (identity) for (let i = 0; i < n; i++) src[i] = i;
  const rowRank = sc.i32[4],
    rowVal = sc.f32[0];
  const colRank = sc.i32[5],
    colVal = sc.f32[1];
  if (wantRows) {
    const next = new Int32Array(rows);
    for (let i = 0; i < n; i++) {
      const p = src[i];
      const r = (p / cols) | 0;
      const k = next[r]++;
      rowRank[p] = k;
      rowVal[r * cols + k] = x[p];
    }
  }
  if (wantCols) {
    const next = new Int32Array(cols);
    for (let i = 0; i < n; i++) {
      const p = src[i];
      const c = p % cols;
      const k = next[c]++;
      colRank[p] = k;
      colVal[c * rows + k] = x[p];
    }
  }
  return { rowRank, rowVal, colRank, colVal };
}

/**
 * Rank-bitmap median of every line along one axis: line l has `len` samples at
 * x[l * ls + j * js]; rank[...] (same layout) is each sample's rank within its line and
 * val[l * len + k] the line's k-th smallest value. The 'reflect' extension of a line must not
 * wrap (len >= size - 1), so every sample occurs at most twice in the extended line; the copy
 * gets rank 2k+1, the original 2k. The window is a bitmap over these 2*len ranks; each step
 * clears one bit, sets one, and moves the selected rank to the next or previous set bit.
 */
function rankLineFilter(
  rank: Int32Array,
  val: Float32Array,
  res: Arr,
  lines: number,
  len: number,
  ls: number,
  js: number,
  size: number,
): void {
  const half = size >> 1;
  const R = size >> 1;
  const extLen = len + size - 1;
  const er = new Int32Array(extLen);
  const nw = ((2 * len) >> 5) + 2;
  const words = new Int32Array(nw);
  for (let l = 0; l < lines; l++) {
    const o = l * ls;
    for (let j = 0; j < half; j++) er[j] = 2 * rank[o + (half - 1 - j) * js] + 1;
    for (let j = 0; j < len; j++) er[half + j] = 2 * rank[o + j * js];
    for (let j = half + len; j < extLen; j++) er[j] = 2 * rank[o + (2 * len - 1 - (j - half)) * js] + 1;
    words.fill(0);
    for (let j = 0; j < size; j++) {
      const r = er[j];
      words[r >> 5] |= 1 << (r & 31);
    }
    // the R-th set bit
    let m = -1;
    for (let w = 0, c = 0; m < 0; w++) {
      let x = words[w];
      while (x !== 0) {
        const low = x & -x;
        if (c === R) {
          m = (w << 5) + 31 - Math.clz32(low);
          break;
        }
        c++;
        x ^= low;
      }
    }
    const vo = l * len;
    res[o] = val[vo + (m >> 1)];
    for (let i = 1; i < len; i++) {
      const q = er[i - 1]; // leaves
      const r = er[i + size - 1]; // enters
      words[q >> 5] &= ~(1 << (q & 31));
      words[r >> 5] |= 1 << (r & 31);
      // window elements ranked below m (before moving m): R - (q < m) + (r < m)
      const below = R - (q < m ? 1 : 0) + (r < m ? 1 : 0);
      if (q !== m && below === R) {
        res[o + i * js] = val[vo + (m >> 1)];
        continue;
      }
      // m left (q === m): rank R is the next set bit above when R elements lie below
      if (q === m ? below === R : below < R) {
        let w = (m + 1) >> 5;
        let x = words[w] & (-1 << ((m + 1) & 31));
        while (x === 0) x = words[++w];
        m = (w << 5) + 31 - Math.clz32(x & -x);
      } else {
        let w = (m - 1) >> 5;
        let x = words[w] & (-1 >>> (31 - ((m - 1) & 31)));
        while (x === 0) x = words[--w];
        m = (w << 5) + 31 - Math.clz32(x);
      }
      res[o + i * js] = val[vo + (m >> 1)];
    }
  }
}

/**
 * Both HPSS median filters of one float32 matrix with a shared rank computation:
 * `medianFilterRows(x, rows, cols, sizeRows)` and `medianFilterCols(x, rows, cols, sizeCols)`.
 * Falls back to the separate filters where the rank path does not apply.
 */
export function medianFilterRowsCols<T extends Arr>(x: T, rows: number, cols: number, sizeRows: number, sizeCols: number): [T, T] {
  if (x instanceof Float32Array && sizeRows >= 2 && sizeCols >= 2) {
    const r = wasmMedians(x, rows, cols, sizeRows, sizeCols);
    if (r) return r as [T, T];
  }
  if (!rankPathOk(x, cols, sizeRows) || !rankPathOk(x, rows, sizeCols)) {
    return [medianFilterRows(x, rows, cols, sizeRows), medianFilterCols(x, rows, cols, sizeCols)];
  }
  const rk = lineRanks(x as Float32Array, rows, cols, true, true);
  if (!rk) return [medianFilterRows(x, rows, cols, sizeRows), medianFilterCols(x, rows, cols, sizeCols)];
  const h = like(x, rows * cols);
  const p = like(x, rows * cols);
  rankLineFilter(rk.rowRank, rk.rowVal, h, rows, cols, cols, 1, sizeRows);
  rankLineFilter(rk.colRank, rk.colVal, p, cols, rows, 1, cols, sizeCols);
  return [h, p];
}

/** The rank path needs float32 data, a window of at least 2 and lines long enough not to wrap. */
function rankPathOk(x: Arr, len: number, size: number): boolean {
  return x instanceof Float32Array && size >= 2 && len >= size - 1 && len >= 2;
}

/** A new array of x's type and length n. */
function like<T extends Arr>(x: T, n: number): T {
  return new (x.constructor as { new (n: number): T })(n);
}

/**
 * The median filter of `x` along each row (`alongRows`) or each column, written to `res` by the
 * first fast path that applies: a copy for size <= 1, the wasm kernels, the rank path. False
 * when none does (the caller's sorted sliding window runs).
 */
function fastLineMedians(x: Arr, rows: number, cols: number, size: number, alongRows: boolean, res: Arr): boolean {
  if (size <= 1) {
    res.set(x);
    return true;
  }
  if (x instanceof Float32Array && size >= 2) {
    const r = wasmMedians(x, rows, cols, alongRows ? size : 0, alongRows ? 0 : size);
    if (r) {
      res.set(r[alongRows ? 0 : 1] as Float32Array);
      return true;
    }
  }
  if (rankPathOk(x, alongRows ? cols : rows, size)) {
    const rk = lineRanks(x as Float32Array, rows, cols, alongRows, !alongRows);
    if (rk) {
      if (alongRows) rankLineFilter(rk.rowRank, rk.rowVal, res, rows, cols, cols, 1, size);
      else rankLineFilter(rk.colRank, rk.colVal, res, cols, rows, 1, cols, size);
      return true;
    }
  }
  return false;
}

/**
 * Median filter along each row (the last axis; `size=(1, size)` in scipy terms) of the
 * `rows x cols` row-major matrix `x`. Writes into `out` (allocated like `x` when omitted).
 */
export function medianFilterRows<T extends Arr>(x: T, rows: number, cols: number, size: number, out?: T): T {
  const res = out ?? like(x, rows * cols);
  if (fastLineMedians(x, rows, cols, size, true, res)) return res;
  const half = size >> 1; // window i-half .. i-half+size-1
  const rank = size >> 1;
  const buf = new Float64Array(size);
  // extended row, so the sliding loop needs no index arithmetic
  const ext = new Float64Array(cols + size);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols + size - 1; j++) ext[j] = x[o + reflectIndex(j - half, cols)];
    for (let j = 0; j < size; j++) buf[j] = ext[j];
    insertionSort(buf, 0, size);
    res[o] = buf[rank];
    for (let c = 1; c < cols; c++) {
      replaceSorted(buf, 0, size, ext[c - 1], ext[c + size - 1]);
      res[o + c] = buf[rank];
    }
  }
  return res;
}

/**
 * Median filter along each column (the first axis; `size=(size, 1)` in scipy terms) of the
 * `rows x cols` row-major matrix `x` (strided; the fallback transposes, filters the rows and
 * transposes back).
 */
export function medianFilterCols<T extends Arr>(x: T, rows: number, cols: number, size: number, out?: T): T {
  const res = out ?? like(x, rows * cols);
  if (fastLineMedians(x, rows, cols, size, false, res)) return res;
  const n = rows * cols;
  const xt = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) xt[c * rows + r] = x[o + c];
  }
  const yt = medianFilterRows(xt, cols, rows, size);
  for (let c = 0; c < cols; c++) {
    const o = c * rows;
    for (let r = 0; r < rows; r++) res[r * cols + c] = yt[o + r];
  }
  return res;
}
