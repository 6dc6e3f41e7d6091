/**
 * Constant-Q chroma and tonal centroids, as librosa 0.10.2:
 *
 * - `chromaCqt` = `librosa.feature.chroma_cqt(y=None, sr=22050, C=None, hop_length=512,
 *   fmin=None, norm=np.inf, threshold=0.0, tuning=None, n_chroma=12, n_octaves=7, window=None,
 *   bins_per_octave=36, cqt_mode='full')`: C = |cqt(y, n_bins = n_octaves * bins_per_octave)|
 *   unless given, `cq_to_chroma(C.rows, bins_per_octave, n_chroma, fmin) @ C`, values below the
 *   threshold set to 0, then each frame normalised (max norm by default).
 * - `tonnetz` = `librosa.feature.tonnetz(y=None, sr=22050, chroma=None)`: the 6 tonal-centroid
 *   dimensions (Harte et al. 2006: fifths, minor thirds, major thirds as sin/cos pairs with radii
 *   1, 1, 0.5) of the L1-normalised chroma. With `y` and no `chroma` it runs chroma_cqt on the
 *   y it is given (no HPSS inside). The paper's 173-feature recipe passes the harmonic part:
 *   `tonnetz({ y: harmonic(y), sr })`.
 *
 * One deviation from librosa 0.10's defaults, shared with `cqt`: the CQT octaves are decimated
 * with resampy 'kaiser_best' (`resType`), which is what the project's reference fixtures use;
 * librosa 0.10 would pick 'soxr_hq' (chroma_cqt does not pass res_type on).
 */
import type { Matrix } from '../dsp/matrix';
import { cqToChroma } from '../dsp/cqt-filters';
import type { ResampyFilter } from '../audio/resample';
import { cqtMagnitude, C1_HZ } from './cqt';
import { normalizeColumns } from './spectral';

export interface ChromaCqtOptions {
  /** audio (used when C is not given) */
  y?: Float32Array | Float64Array;
  /** sampling rate (default 22050) */
  sr?: number;
  /** a precomputed CQT magnitude (rows = bins) */
  C?: Matrix;
  hopLength?: number;
  /** CQT fmin before tuning (default C1) */
  fmin?: number | null;
  /** per-frame normalisation: Infinity (default), 1, 2, or null for none */
  norm?: number | null;
  /** chroma values below this are set to 0 (default 0; null disables) */
  threshold?: number | null;
  /** CQT tuning; null = estimated from y (default) */
  tuning?: number | null;
  nChroma?: number;
  nOctaves?: number;
  binsPerOctave?: number;
  /** CQT octave decimation (default 'kaiser_best') */
  resType?: ResampyFilter;
  /**
   * padding of the CQT frames and of the tuning estimate's STFT (default 'constant'). librosa
   * 0.10's chroma_cqt passes no pad_mode on; 'reflect' is cqt(pad_mode='reflect') with
   * tuning = estimate_tuning(y, pad_mode='reflect'), what librosa < 0.9 did by default
   */
  padMode?: 'constant' | 'reflect';
  /** see VqtOptions.exactDecimation (default true) */
  exactDecimation?: boolean;
}

/** `librosa.feature.chroma_cqt(...)`: `nChroma x frames` (float32 for float32 input). */
export function chromaCqt(opts: ChromaCqtOptions): Matrix {
  const nChroma = opts.nChroma ?? 12;
  const bpo = opts.binsPerOctave ?? 36;
  if (bpo % nChroma !== 0) throw new Error(`bins_per_octave=${bpo} must be an integer multiple of n_chroma=${nChroma}`);
  const fmin = opts.fmin ?? C1_HZ;
  let C = opts.C;
  if (!C) {
    if (!opts.y) throw new Error('chromaCqt: one of y or C must be provided');
    C = cqtMagnitude(opts.y, {
      sr: opts.sr ?? 22050,
      hopLength: opts.hopLength ?? 512,
      fmin,
      nBins: (opts.nOctaves ?? 7) * bpo,
      binsPerOctave: bpo,
      tuning: opts.tuning === undefined ? null : opts.tuning,
      resType: opts.resType ?? 'kaiser_best',
      padMode: opts.padMode ?? 'constant',
      exactDecimation: opts.exactDecimation ?? true,
    });
  }
  const M = cqToChroma(C.rows, { binsPerOctave: bpo, nChroma, fmin });
  const f32 = C.data instanceof Float32Array;
  const cols = C.cols;
  const data = f32 ? new Float32Array(nChroma * cols) : new Float64Array(nChroma * cols);
  const acc = new Float64Array(cols);
  for (let i = 0; i < nChroma; i++) {
    acc.fill(0);
    const mo = i * C.rows;
    for (let b = 0; b < C.rows; b++) {
      const w = M.data[mo + b];
      if (w === 0) continue;
      const co = b * cols;
      for (let t = 0; t < cols; t++) acc[t] += w * C.data[co + t];
    }
    data.set(acc, i * cols); // float32 output rounds once (numpy sums in float32)
  }
  const thr = opts.threshold === undefined ? 0.0 : opts.threshold;
  if (thr !== null) for (let i = 0; i < data.length; i++) if (data[i] < thr) data[i] = 0.0;
  const out: Matrix = { rows: nChroma, cols, data };
  const norm = opts.norm === undefined ? Infinity : opts.norm;
  if (norm !== null) normalizeColumns(out, norm);
  return out;
}

/**
 * The tonnetz projection `phi` (6 x nChroma, float64) of librosa.feature.tonnetz:
 * rows sin/cos of 7/6 pi c (fifths), 3/2 pi c (minor thirds), 2/3 pi c (major thirds, radius 0.5).
 */
export function tonnetzMatrix(nChroma = 12): Float64Array {
  const scale = [7.0 / 6, 7.0 / 6, 3.0 / 2, 3.0 / 2, 2.0 / 3, 2.0 / 3];
  const R = [1, 1, 1, 1, 0.5, 0.5];
  const step = 12 / nChroma; // np.linspace(0, 12, num=n_chroma, endpoint=False)
  const phi = new Float64Array(6 * nChroma);
  for (let p = 0; p < 6; p++) {
    for (let c = 0; c < nChroma; c++) {
      let v = scale[p] * (c * step);
      if (p % 2 === 0) v -= 0.5;
      phi[p * nChroma + c] = R[p] * Math.cos(Math.PI * v);
    }
  }
  return phi;
}

export interface TonnetzOptions extends ChromaCqtOptions {
  /** a precomputed chroma (nChroma x frames); computed with chromaCqt from y otherwise */
  chroma?: Matrix;
}

/**
 * `librosa.feature.tonnetz(y=y, sr=sr, chroma=None)`: 6 x frames, float64.
 * Without `chroma`, it is `chromaCqt({ y, sr, ... })` (so `tonnetz({ y: harmonic(y), sr })` is
 * the paper173 recipe; no HPSS is applied here).
 */
export function tonnetz(opts: TonnetzOptions): Matrix<Float64Array> {
  const chroma = opts.chroma ?? chromaCqt(opts);
  const n = chroma.rows;
  const cols = chroma.cols;
  // util.normalize(chroma, norm=1, axis=-2) in chroma's dtype
  const normed: Matrix = {
    rows: n,
    cols,
    data: chroma.data instanceof Float32Array ? new Float32Array(chroma.data) : new Float64Array(chroma.data),
  };
  normalizeColumns(normed, 1);
  const phi = tonnetzMatrix(n);
  const out = new Float64Array(6 * cols);
  for (let p = 0; p < 6; p++) {
    for (let t = 0; t < cols; t++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += phi[p * n + c] * normed.data[c * cols + t];
      out[p * cols + t] = s;
    }
  }
  return { rows: 6, cols, data: out };
}
