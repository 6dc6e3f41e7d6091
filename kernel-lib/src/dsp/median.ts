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
 * Implementation: a sorted sliding window. Each step deletes the sample that leaves the window
 * and inserts the one that enters it with a single shift pass, O(size) per output sample but
 * with a tiny constant (about size/3 moves on average). Results are exact (selection, no
 * arithmetic), so they equal scipy's bit for bit.
 */

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
 * Median filter along each row (the last axis; `size=(1, size)` in scipy terms) of the
 * `rows x cols` row-major matrix `x`. Writes into `out` (allocated like `x` when omitted).
 */
export function medianFilterRows<T extends Arr>(x: T, rows: number, cols: number, size: number, out?: T): T {
  const res = (out ?? new (x.constructor as { new (n: number): T })(rows * cols)) as T;
  if (size <= 1) {
    res.set(x);
    return res;
  }
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
 * `rows x cols` row-major matrix `x`: transposes, filters the rows, transposes back.
 */
export function medianFilterCols<T extends Arr>(x: T, rows: number, cols: number, size: number, out?: T): T {
  const res = (out ?? new (x.constructor as { new (n: number): T })(rows * cols)) as T;
  if (size <= 1) {
    res.set(x);
    return res;
  }
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
