/**
 * Windows and padding helpers, as librosa.filters.get_window / librosa.util.pad_center.
 */

const windowCache = new Map<string, Float64Array>();

/**
 * Hann window = scipy.signal.get_window('hann', n, fftbins=periodic) (librosa.filters.get_window).
 * periodic=true (fftbins) is the DFT-even window of length n (a symmetric window of n+1 points
 * without its last point). Computed as scipy does: 0.5 + 0.5 cos(fac), fac = linspace(-pi, pi, M).
 * The returned array is cached and shared: do not modify it.
 */
export function hann(n: number, periodic = true): Float64Array {
  const key = `hann:${n}:${periodic ? 1 : 0}`;
  const hit = windowCache.get(key);
  if (hit) return hit;
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = 1;
  } else if (n > 1) {
    const M = periodic ? n + 1 : n;
    // numpy.linspace(-pi, pi, M): i * step + start, last point = stop
    const step = (Math.PI - -Math.PI) / (M - 1);
    for (let i = 0; i < n; i++) {
      const fac = i === M - 1 ? Math.PI : i * step + -Math.PI;
      w[i] = 0.5 + 0.5 * Math.cos(fac);
    }
  }
  windowCache.set(key, w);
  return w;
}

export type WindowSpec = 'hann' | 'hanning' | Float64Array | Float32Array | number[];

/** librosa.filters.get_window(window, n, fftbins): 'hann' or an explicit array of length n. */
export function getWindow(window: WindowSpec, n: number, fftbins = true): Float64Array {
  if (window === 'hann' || window === 'hanning') return hann(n, fftbins);
  if (typeof window === 'string') throw new Error(`unsupported window '${window}' (only 'hann' or an array)`);
  if (window.length !== n) throw new Error(`window has length ${window.length}, expected ${n}`);
  return Float64Array.from(window);
}

/** librosa.util.pad_center(data, size): zero-pad both sides, left = (size - n) // 2. */
export function padCenter<T extends Float64Array | Float32Array>(data: T, size: number): T {
  const n = data.length;
  if (n === size) return data;
  if (n > size) throw new Error(`pad_center: target size (${size}) must be at least input size (${n})`);
  const lpad = Math.floor((size - n) / 2);
  const out = new (data.constructor as { new (n: number): T })(size);
  out.set(data, lpad);
  return out;
}

/** librosa.util.fix_length for 1-D float arrays: truncate or zero-pad at the end. */
export function fixLength<T extends Float64Array | Float32Array>(data: T, size: number): T {
  const n = data.length;
  if (n === size) return data;
  if (n > size) return data.slice(0, size) as T;
  const out = new (data.constructor as { new (n: number): T })(size);
  out.set(data);
  return out;
}
