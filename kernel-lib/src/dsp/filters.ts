/**
 * Filter banks, as librosa.filters (0.10.2): mel and chroma (STFT-domain) filter banks.
 * Both return float32 matrices like librosa's default dtype=np.float32, with librosa's exact
 * rounding sequence (mel: weights stored in float32, then scaled by the float64 Slaney norm and
 * stored again; chroma: built in float64, cast at the end).
 */
import type { Matrix } from './matrix';
import { fftFrequencies, melFrequencies, hzToOcts } from './convert';

export interface MelOptions {
  nMels?: number;
  fmin?: number;
  /** default sr / 2 */
  fmax?: number;
  htk?: boolean;
  /** 'slaney' (default) or null (no normalisation) */
  norm?: 'slaney' | null;
}

const melCache = new Map<string, Matrix<Float32Array>>();

/**
 * librosa.filters.mel(sr, n_fft, n_mels=128, fmin=0, fmax=sr/2, htk=False, norm='slaney'):
 * [n_mels x (1 + n_fft/2)] float32 triangular filters. Cached per parameters: do not modify.
 */
export function mel(sr: number, nFft: number, opts: MelOptions = {}): Matrix<Float32Array> {
  const nMels = opts.nMels ?? 128;
  const fmin = opts.fmin ?? 0.0;
  const fmax = opts.fmax ?? sr / 2;
  const htk = opts.htk ?? false;
  const norm = opts.norm === undefined ? 'slaney' : opts.norm;
  const key = `${sr}:${nFft}:${nMels}:${fmin}:${fmax}:${htk}:${norm}`;
  const hit = melCache.get(key);
  if (hit) return hit;
  const nBins = 1 + Math.floor(nFft / 2);
  const w = new Float32Array(nMels * nBins);
  const fftfreqs = fftFrequencies(sr, nFft);
  const melF = melFrequencies(nMels + 2, fmin, fmax, htk);
  const fdiff = new Float64Array(nMels + 1);
  for (let i = 0; i < nMels + 1; i++) fdiff[i] = melF[i + 1] - melF[i];
  for (let i = 0; i < nMels; i++) {
    const o = i * nBins;
    for (let k = 0; k < nBins; k++) {
      // ramps = mel_f[:, None] - fftfreqs[None, :]
      const lower = -(melF[i] - fftfreqs[k]) / fdiff[i];
      const upper = (melF[i + 2] - fftfreqs[k]) / fdiff[i + 1];
      w[o + k] = Math.max(0, Math.min(lower, upper));
    }
  }
  if (norm === 'slaney') {
    for (let i = 0; i < nMels; i++) {
      const enorm = 2.0 / (melF[i + 2] - melF[i]);
      const o = i * nBins;
      for (let k = 0; k < nBins; k++) w[o + k] = w[o + k] * enorm;
    }
  } else if (norm !== null) {
    throw new Error(`Unsupported norm=${norm}`);
  }
  const m: Matrix<Float32Array> = { rows: nMels, cols: nBins, data: w };
  melCache.set(key, m);
  return m;
}

export interface ChromaOptions {
  nChroma?: number;
  tuning?: number;
  ctroct?: number;
  /** Gaussian octave weighting width; null disables */
  octwidth?: number | null;
  /** column norm (default 2); null disables */
  norm?: number | null;
  baseC?: boolean;
}

const chromaCache = new Map<string, Matrix<Float32Array>>();

/**
 * librosa.filters.chroma(sr, n_fft, n_chroma=12, tuning=0, ctroct=5, octwidth=2, norm=2,
 * base_c=True): [n_chroma x (1 + n_fft/2)] float32 chroma filter bank (Ellis' chromagram).
 * Cached per parameters (tunings are multiples of 0.01, so few banks occur): do not modify.
 */
export function chroma(sr: number, nFft: number, opts: ChromaOptions = {}): Matrix<Float32Array> {
  const nChroma = opts.nChroma ?? 12;
  const tuning = opts.tuning ?? 0.0;
  const ctroct = opts.ctroct ?? 5.0;
  const octwidth = opts.octwidth === undefined ? 2 : opts.octwidth;
  const norm = opts.norm === undefined ? 2 : opts.norm;
  const baseC = opts.baseC ?? true;
  const key = `${sr}:${nFft}:${nChroma}:${tuning}:${ctroct}:${octwidth}:${norm}:${baseC}`;
  const hit = chromaCache.get(key);
  if (hit) return hit;

  // frequencies = linspace(0, sr, n_fft, endpoint=False)[1:]
  const step = sr / nFft;
  const frqbins = new Float64Array(nFft);
  for (let k = 1; k < nFft; k++) frqbins[k] = nChroma * hzToOcts(k * step, tuning, nChroma);
  // a value for the 0 Hz bin: 1.5 octaves below bin 1
  frqbins[0] = frqbins[1] - 1.5 * nChroma;
  const binwidth = new Float64Array(nFft);
  for (let k = 0; k < nFft - 1; k++) binwidth[k] = Math.max(frqbins[k + 1] - frqbins[k], 1.0);
  binwidth[nFft - 1] = 1;

  const wts = new Float64Array(nChroma * nFft);
  const nChroma2 = Math.round(nChroma / 2); // np.round (half to even) of n_chroma/2; integer for even n_chroma
  for (let c = 0; c < nChroma; c++) {
    for (let k = 0; k < nFft; k++) {
      // D = frqbins - c, projected into -n_chroma/2 .. n_chroma/2 (np.remainder: floor modulo)
      const v = frqbins[k] - c + nChroma2 + 10 * nChroma;
      let r = v % nChroma;
      if (r !== 0 && r < 0) r += nChroma;
      const D = r - nChroma2;
      const z = (2 * D) / binwidth[k];
      wts[c * nFft + k] = Math.exp(-0.5 * (z * z));
    }
  }
  // normalise each column (librosa.util.normalize, axis=0, threshold = tiny(float64))
  if (norm !== null) {
    const tiny = 2.2250738585072014e-308;
    for (let k = 0; k < nFft; k++) {
      let len: number;
      if (norm === Infinity) {
        len = 0;
        for (let c = 0; c < nChroma; c++) len = Math.max(len, Math.abs(wts[c * nFft + k]));
      } else {
        // numpy's fast paths: x**2 is a square, x**0.5 a sqrt
        let s = 0;
        for (let c = 0; c < nChroma; c++) {
          const a = Math.abs(wts[c * nFft + k]);
          s += norm === 2 ? a * a : norm === 1 ? a : a ** norm;
        }
        len = norm === 2 ? Math.sqrt(s) : norm === 1 ? s : s ** (1.0 / norm);
      }
      if (len < tiny) len = 1.0;
      for (let c = 0; c < nChroma; c++) wts[c * nFft + k] = wts[c * nFft + k] / len;
    }
  }
  if (octwidth !== null) {
    for (let k = 0; k < nFft; k++) {
      const u = (frqbins[k] / nChroma - ctroct) / octwidth;
      const g = Math.exp(-0.5 * (u * u));
      for (let c = 0; c < nChroma; c++) wts[c * nFft + k] *= g;
    }
  }
  const nBins = 1 + Math.floor(nFft / 2);
  const out = new Float32Array(nChroma * nBins);
  const shift = baseC ? 3 * Math.floor(nChroma / 12) : 0;
  for (let c = 0; c < nChroma; c++) {
    // np.roll(wts, -shift, axis=0): output row c = input row (c + shift) mod n_chroma
    const src = (c + shift) % nChroma;
    for (let k = 0; k < nBins; k++) out[c * nBins + k] = wts[src * nFft + k];
  }
  const m: Matrix<Float32Array> = { rows: nChroma, cols: nBins, data: out };
  if (chromaCache.size >= 256) chromaCache.delete(chromaCache.keys().next().value as string);
  chromaCache.set(key, m);
  return m;
}
