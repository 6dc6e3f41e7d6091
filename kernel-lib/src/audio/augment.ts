/**
 * Data augmentation of paper section III.A (Fig. 1): every clip is also used in three modified
 * copies: added noise, stretched, pitch-shifted. The copies are made from the loaded clip
 * (22050 Hz, offset 0.5 s, duration 2.5 s) exactly as the classic librosa recipe the paper
 * follows:
 *
 * ```python
 * noise_amp = 0.035 * np.random.uniform() * np.amax(y);  y + noise_amp * np.random.normal(size=len(y))
 * librosa.effects.time_stretch(y, rate=0.8)
 * librosa.effects.pitch_shift(y, sr=sr, n_steps=0.7, res_type='kaiser_best')
 * ```
 *
 * `timeStretch` and `pitchShift` reproduce librosa 0.10.2 (phase vocoder on the STFT with the
 * same framing, inverse STFT, resampy kaiser_best), including where librosa computes in
 * float32, so their output matches librosa's to float32 rounding amplified by the phase
 * vocoder (see test/augment for the measured differences).
 */
import { createHash } from 'node:crypto';
import { type ComplexMatrix, istft, stftShared } from '../dsp/stft';
import { checkSeed, MT19937 } from '../core/random';
import { resample } from './resample';
import { type DspWasm, dspWasm } from '../dsp/wasm';

// ---------------------------------------------------------------------------------------------
// Seeded random numbers

/** A seeded source of random numbers (deterministic across runs and machines). */
export interface Rng {
  /** uniform in [0, 1) */
  uniform(): number;
  /** standard normal N(0, 1) */
  normal(): number;
}

/**
 * numpy's legacy `np.random.RandomState(seed)`: `uniform()` is `random_sample()` (53 bits of
 * MT19937), `normal()` is `legacy_gauss` (Marsaglia's polar method, the second value of each
 * pair cached), so `rs.uniform()` / `rs.normal(size=n)` give numpy's numbers for the same seed
 * (up to 1 ulp where Math.log differs from the C library's log).
 */
export function randomState(seed: number): Rng {
  return new LegacyRandomState(seed);
}

/**
 * randomState's generator: MT19937 and legacy_gauss's cached second value. addNoise continues
 * its stream in the wasm kernels (gaussNoise32: the same MT19937 words, random_sample and polar
 * method; the samples its approximate log leaves uncertain recomputed here with Math.log) and
 * hands the state back, so the object stays as if the TypeScript had drawn the numbers.
 */
export class LegacyRandomState implements Rng {
  readonly mt: MT19937;
  /** legacy_gauss's second value of the last pair, not yet returned */
  cached: number | null = null;

  constructor(seed: number) {
    this.mt = new MT19937(checkSeed(seed));
  }

  uniform(): number {
    return this.mt.random();
  }

  normal(): number {
    if (this.cached !== null) {
      const g = this.cached;
      this.cached = null;
      return g;
    }
    const mt = this.mt;
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2.0 * mt.random() - 1.0;
      x2 = 2.0 * mt.random() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * Math.log(r2)) / r2);
    this.cached = f * x1;
    return f * x2;
  }
}

/** A 32-bit seed derived from any parts (first 4 bytes of their sha256, little-endian). */
export function deriveSeed(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.map(String).join('\u0000')).digest().readUInt32LE(0);
}

/**
 * The noise generator of one clip: `RandomState(deriveSeed('ser-noise', seed, clipId))`, so a
 * clip's noise depends only on the global seed and its id (not on run order or workers).
 */
export function noiseRng(seed: number, clipId: string): Rng {
  return randomState(deriveSeed('ser-noise', seed, clipId));
}

// ---------------------------------------------------------------------------------------------
// Noise

export interface AddNoiseOptions {
  /** the recipe's 0.035 */
  amplitude?: number;
  /** random source (default: `randomState(0)`) */
  rng?: Rng;
  /** run the TypeScript loop even when the wasm kernels are available (for testing; the same bits) */
  typescript?: boolean;
}

/**
 * Additive noise, the recipe the paper follows ("noise with uniform distribution and amplitude
 * of 0.035"). What is drawn, in this order, from `rng`:
 *
 * 1. one factor `u ~ U(0, 1)` (uniform, `rng.uniform()`), giving the noise amplitude
 *    `a = amplitude * u * max(y)` (`max(y)` is the largest sample value, not the largest
 *    magnitude, as `np.amax(data)` in the recipe);
 * 2. one `n[i] ~ N(0, 1)` (Gaussian, standard normal, `rng.normal()`) per sample, in sample order.
 *
 * Output `y[i] + a * n[i]` rounded to float32. So the noise itself is Gaussian; only its
 * amplitude is uniformly random (the paper's "uniform" describes that factor). Reproducible:
 * the same rng seed gives the same samples; with `randomState(s)` the noise is numpy's
 * `RandomState(s)` stream, i.e. the recipe run after `np.random.seed(s)`.
 */
export function addNoise(y: Float32Array, opts: AddNoiseOptions = {}): Float32Array {
  const amplitude = opts.amplitude ?? 0.035;
  const rng = opts.rng ?? randomState(0);
  let max = -Infinity;
  for (let i = 0; i < y.length; i++) if (y[i] > max) max = y[i];
  if (!Number.isFinite(max)) max = 0;
  const a = amplitude * rng.uniform() * max;
  const out = new Float32Array(y.length);
  const w = opts.typescript || y.length === 0 ? null : dspWasm();
  if (w && rng instanceof LegacyRandomState) {
    noiseWasm(w, y, a, rng, out);
    return out;
  }
  for (let i = 0; i < y.length; i++) out[i] = y[i] + a * rng.normal();
  return out;
}

/**
 * addNoise's loop in the wasm kernels (gaussNoise32): the generator's state copied in, the
 * normals drawn and added there with an approximate log, the state copied back (then `rng`
 * continues where the TypeScript loop would have left it). The samples the kernel lists (their
 * float32 value within its error margin of a rounding boundary) are recomputed here with the
 * TypeScript's expression, and so is a cached second value drawn in the kernel: the bits of the
 * TypeScript loop.
 */
function noiseWasm(w: DspWasm, y: Float32Array, a: number, rng: LegacyRandomState, out: Float32Array): void {
  const n = y.length;
  const py = w.scratch('noise.y', 4 * n);
  const po = w.scratch('noise.out', 4 * n);
  const pmt = w.scratch('noise.mt', 4 * 624);
  const pst = w.scratch('noise.state', 40);
  const pfix = w.scratch('noise.fix', 24 * n);
  const pwork = w.scratch('noise.work', 32 * ((n >> 1) + 1));
  w.f32(py, n).set(y);
  w.u32(pmt, 624).set(rng.mt.state);
  const st = w.i32(pst, 2);
  st[0] = rng.mt.pos;
  st[1] = rng.cached !== null ? 1 : 0;
  w.f64(pst + 8, 1)[0] = rng.cached ?? 0;
  const nf = w.exports.gaussNoise32(py, n, a, pmt, pst, po, pfix, pwork);
  out.set(w.f32(po, n));
  const fi = w.i32(pfix, 6 * nf);
  const fv = w.f64(pfix, 3 * nf);
  for (let e = 0; e < nf; e++) {
    const i = fi[6 * e];
    const r2 = fv[3 * e + 1];
    out[i] = y[i] + a * (Math.sqrt((-2.0 * Math.log(r2)) / r2) * fv[3 * e + 2]);
  }
  rng.mt.state.set(w.u32(pmt, 624));
  const st2 = w.i32(pst, 5);
  rng.mt.pos = st2[0];
  if (!st2[1]) rng.cached = null;
  else if (!st2[4]) rng.cached = w.f64(pst + 8, 1)[0];
  else {
    const [r2, x1] = w.f64(pst + 24, 2);
    rng.cached = Math.sqrt((-2.0 * Math.log(r2)) / r2) * x1;
  }
}

// ---------------------------------------------------------------------------------------------
// Phase vocoder, time stretch, pitch shift

const f32 = Math.fround;

/** numpy's round (half to even) for the phase wrap. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/**
 * librosa.phase_vocoder(D, rate=rate, hop_length=hop, n_fft=nFft) (librosa 0.10.2): frames at
 * t = 0, rate, 2 rate, ... < n frames; magnitude linearly interpolated between the two
 * neighbouring frames, phase accumulated from the first frame's phase plus the wrapped phase
 * advance. Arithmetic follows numpy's on complex64 input: magnitudes, angles, the phase
 * accumulator and the output are float32; the phase advance is float64.
 */
export function phaseVocoder(D: ComplexMatrix, rate: number, opts: VocoderOptions = {}): ComplexMatrix<Float32Array> {
  return vocode(spectrumPolar(D, opts), rate, opts);
}

export interface VocoderOptions {
  hop?: number;
  nFft?: number;
  /** run the TypeScript loop even when the wasm kernels are available (for testing; the same bits) */
  typescript?: boolean;
}

/** An STFT in polar form: per-frame magnitudes and angles (float32), two zero frames of padding. */
export interface PolarSpectrum {
  bins: number;
  /** frames */
  n: number;
  mag: Float32Array;
  ang: Float32Array;
}

/**
 * The polar form of an STFT: f32(sqrt(re^2 + im^2)) and f32(Math.atan2(im, re)) per element, in
 * rows of n + 2 (two zero frames). In the wasm kernels when they are available (spectrumPolar32:
 * an approximate atan2, the angles it lists recomputed here with Math.atan2; the result left
 * staged for vocodeWasm) for a float32 STFT, else in TypeScript: the same bits either way.
 */
export function spectrumPolar(D: ComplexMatrix, opts: { typescript?: boolean } = {}): PolarSpectrum {
  const bins = D.rows;
  const n = D.cols;
  const mag = new Float32Array(bins * (n + 2));
  const ang = new Float32Array(bins * (n + 2));
  const w = opts.typescript ? null : dspWasm();
  if (w && bins * n > 0 && D.re instanceof Float32Array && D.im instanceof Float32Array) {
    const P = { bins, n, mag, ang };
    spectrumPolarWasm(w, D, P);
    return P;
  }
  for (let k = 0; k < bins; k++) {
    for (let t = 0; t < n; t++) {
      const re = D.re[k * n + t];
      const im = D.im[k * n + t];
      mag[k * (n + 2) + t] = f32(Math.sqrt(re * re + im * im));
      ang[k * (n + 2) + t] = f32(Math.atan2(im, re));
    }
  }
  return { bins, n, mag, ang };
}

/**
 * spectrumPolar in the wasm kernels: the STFT staged as float32, the polar rows written straight
 * into vocodeWasm's magnitude and angle slots (so the phase vocoder that follows finds them
 * staged), then copied out. The angles the kernel lists (arguments outside its atan2's range, or
 * a value within its error margin of a float32 rounding boundary) are computed here as the
 * TypeScript loop does, and written to both copies.
 */
function spectrumPolarWasm(w: DspWasm, D: ComplexMatrix, P: PolarSpectrum): void {
  const { bins, n, mag, ang } = P;
  const size = bins * n;
  const pre = w.scratch('polar.re', 4 * size);
  const pim = w.scratch('polar.im', 4 * size);
  const pm = w.scratch('vocode.mag', 4 * mag.length);
  const pa = w.scratch('vocode.ang', 4 * ang.length);
  const pfix = w.scratch('polar.fix', 4 * size);
  w.f32(pre, size).set(D.re);
  w.f32(pim, size).set(D.im);
  const nf = w.exports.spectrumPolar32(pre, pim, bins, n, pm, pa, pfix);
  mag.set(w.f32(pm, mag.length));
  ang.set(w.f32(pa, ang.length));
  const fix = w.i32(pfix, nf);
  const wang = w.f32(pa, ang.length);
  for (let e = 0; e < nf; e++) {
    const i = fix[e];
    const j = Math.floor(i / n) * (n + 2) + (i % n);
    ang[j] = wang[j] = f32(Math.atan2(D.im[i], D.re[i]));
  }
  staged = { w, P, pm, pa };
}

/** The phase vocoder over a polar spectrum (phaseVocoder's arithmetic). */
function vocode(P: PolarSpectrum, rate: number, opts: VocoderOptions): ComplexMatrix<Float32Array> {
  if (!(rate > 0)) throw new RangeError(`phaseVocoder: rate must be > 0, got ${rate}`);
  const { bins, n, mag, ang } = P;
  const nFft = opts.nFft ?? 2 * (bins - 1);
  const hop = opts.hop ?? Math.floor(nFft / 4);
  // np.arange(0, n, rate): length ceil(n / rate), values i * rate
  const nOut = Math.max(0, Math.ceil(n / rate));
  const out: ComplexMatrix<Float32Array> = { rows: bins, cols: nOut, re: new Float32Array(bins * nOut), im: new Float32Array(bins * nOut) };
  // phi_advance = hop * fft_frequencies(sr=2 pi, n_fft) = hop * (k * (1 / (n_fft * (1 / (2 pi)))))
  // (np.fft.rfftfreq's arithmetic)
  const phiAdvance = new Float64Array(bins);
  const val = 1.0 / (nFft * (1.0 / (2 * Math.PI)));
  for (let k = 0; k < bins; k++) phiAdvance[k] = hop * (k * val);
  // each bin's phase accumulates over the output frames independently of the other bins, so the
  // loop runs bin by bin (contiguous rows) with the frame positions and weights computed once
  const c0s = new Int32Array(nOut);
  const was = new Float32Array(nOut);
  const wbs = new Float32Array(nOut);
  for (let t = 0; t < nOut; t++) {
    const s = t * rate;
    c0s[t] = Math.floor(s);
    const alpha = s % 1;
    was[t] = 1 - alpha;
    wbs[t] = alpha;
  }
  const w = opts.typescript ? null : dspWasm();
  if (w && vocodeWasm(w, P, nOut, c0s, was, wbs, phiAdvance, out)) return out;
  const TWO_PI = 2 * Math.PI;
  const { re: outRe, im: outIm } = out;
  for (let k = 0; k < bins; k++) {
    const row = k * (n + 2);
    const orow = k * nOut;
    const adv = phiAdvance[k];
    let p = ang[row]; // the phase accumulator (float32)
    for (let t = 0; t < nOut; t++) {
      const o = row + c0s[t];
      const m = f32(f32(was[t] * mag[o]) + f32(wbs[t] * mag[o + 1]));
      outRe[orow + t] = f32(Math.cos(p)) * m;
      outIm[orow + t] = f32(Math.sin(p)) * m;
      let dphase = f32(ang[o + 1] - ang[o]) - adv;
      dphase -= TWO_PI * roundHalfEven(dphase / TWO_PI);
      p = f32(p + (adv + dphase));
    }
  }
  return out;
}

/** The polar spectrum whose magnitudes and angles are in vocodeWasm's slots (only it writes them). */
let staged: { w: DspWasm; P: PolarSpectrum; pm: number; pa: number } | null = null;

/**
 * vocode's loop in the wasm kernels (wasm/dsp.ts vocode32): the same float32 and float64
 * operations; cos and sin from a fast evaluation except where its float32 rounding could differ
 * from that of Math.cos / Math.sin, which the kernel lists and are computed here as the
 * TypeScript does. False when the kernel gave up (too many such elements; then the TypeScript
 * loop runs).
 */
function vocodeWasm(
  w: DspWasm,
  P: PolarSpectrum,
  nOut: number,
  c0s: Int32Array,
  was: Float32Array,
  wbs: Float32Array,
  phiAdvance: Float64Array,
  out: ComplexMatrix<Float32Array>,
): boolean {
  const { bins, n, mag, ang } = P;
  const size = bins * nOut;
  const maxFix = 4096;
  const pm = w.scratch('vocode.mag', 4 * mag.length);
  const pa = w.scratch('vocode.ang', 4 * ang.length);
  const pc = w.scratch('vocode.c0s', 4 * nOut);
  const pwa = w.scratch('vocode.was', 4 * nOut);
  const pwb = w.scratch('vocode.wbs', 4 * nOut);
  const pad = w.scratch('vocode.adv', 8 * bins);
  const pre = w.scratch('vocode.re', 4 * size);
  const pim = w.scratch('vocode.im', 4 * size);
  const pfix = w.scratch('vocode.fix', 12 * maxFix);
  // the stretch and pitch copies vocode the same spectrum one after the other: staged once
  if (!(staged && staged.w === w && staged.P === P && staged.pm === pm && staged.pa === pa)) {
    w.f32(pm, mag.length).set(mag);
    w.f32(pa, ang.length).set(ang);
    staged = { w, P, pm, pa };
  }
  w.i32(pc, nOut).set(c0s);
  w.f32(pwa, nOut).set(was);
  w.f32(pwb, nOut).set(wbs);
  w.f64(pad, bins).set(phiAdvance);
  const nf = w.exports.vocode32(pm, pa, bins, n, nOut, pc, pwa, pwb, pad, pre, pim, pfix, maxFix);
  if (nf < 0) return false;
  out.re.set(w.f32(pre, size));
  out.im.set(w.f32(pim, size));
  const idx = w.i32(pfix, 3 * nf);
  const val = w.f32(pfix, 3 * nf);
  for (let e = 0; e < nf; e++) {
    const i = idx[3 * e];
    const p = val[3 * e + 1];
    const m = val[3 * e + 2];
    out.re[i] = f32(Math.cos(p)) * m;
    out.im[i] = f32(Math.sin(p)) * m;
  }
  return true;
}

/** Python's round() (half to even) for lengths. */
function pyRound(x: number): number {
  return roundHalfEven(x);
}

export interface TimeStretchOptions {
  /** > 1 speeds up, < 1 slows down (the paper's stretch: 0.8) */
  rate?: number;
  nFft?: number;
  hop?: number;
}

/**
 * librosa.effects.time_stretch(y, rate=rate): STFT (n_fft 2048, hop 512, hann, centered,
 * zero padding), phase vocoder, inverse STFT with length round(len(y) / rate). The paper's
 * copy uses rate 0.8: 55125 samples become 68906 (slower, longer speech, same pitch).
 */
export function timeStretch(y: Float32Array, opts: TimeStretchOptions = {}): Float32Array {
  return stretchWith(y, opts, analysisOf(y));
}

/** The analysis STFT of one signal in polar form, made when first asked for per (n_fft, hop). */
type Analysis = (nFft: number, hop: number) => PolarSpectrum;

function analysisOf(y: Float32Array): Analysis {
  let made: { nFft: number; hop: number; P: PolarSpectrum } | null = null;
  return (nFft, hop) => {
    if (!made || made.nFft !== nFft || made.hop !== hop) made = { nFft, hop, P: spectrumPolar(stftShared(y, { nFft, hopLength: hop })) };
    return made.P;
  };
}

function stretchWith(y: Float32Array, opts: TimeStretchOptions, analysis: Analysis): Float32Array {
  const rate = opts.rate ?? 0.8;
  if (!(rate > 0)) throw new RangeError(`timeStretch: rate must be > 0, got ${rate}`);
  const nFft = opts.nFft ?? 2048;
  const hop = opts.hop ?? Math.floor(nFft / 4);
  const S = vocode(analysis(nFft, hop), rate, { hop, nFft });
  const length = pyRound(y.length / rate);
  return istft(S, { nFft, hopLength: hop, length }) as Float32Array;
}

export interface PitchShiftOptions {
  /** semitones (fractional allowed); the paper's copy: 0.7 */
  nSteps?: number;
  binsPerOctave?: number;
  /** resampy filter (librosa's res_type); the fixtures use 'kaiser_best' */
  resType?: 'kaiser_best' | 'kaiser_fast';
  nFft?: number;
  hop?: number;
}

/**
 * librosa.effects.pitch_shift(y, sr=sr, n_steps, bins_per_octave=12, res_type='kaiser_best'):
 * time-stretch by rate = 2^(-n_steps / bins_per_octave), resample from sr / rate to sr
 * (resampy, librosa's `fix=True` length ceil(len * ratio), scale=False), then cut or
 * zero-pad to len(y). Same duration, pitch raised by n_steps semitones. The ratio is the same
 * for every clip, so its resampling taps are interpolated once per thread and kept (a weight
 * plan, audio/resample.ts), not once per clip.
 */
export function pitchShift(y: Float32Array, sr: number, opts: PitchShiftOptions = {}): Float32Array {
  return pitchWith(y, sr, opts, analysisOf(y));
}

function pitchWith(y: Float32Array, sr: number, opts: PitchShiftOptions, analysis: Analysis): Float32Array {
  const nSteps = opts.nSteps ?? 0.7;
  const bpo = opts.binsPerOctave ?? 12;
  const rate = 2 ** (-nSteps / bpo);
  const stretched = stretchWith(y, { rate, nFft: opts.nFft, hop: opts.hop }, analysis);
  const shifted = resample(stretched, sr / rate, sr, { filter: opts.resType ?? 'kaiser_best' });
  // util.fix_length(y_shift, size=len(y))
  if (shifted.length === y.length) return shifted;
  const out = new Float32Array(y.length);
  out.set(shifted.subarray(0, Math.min(shifted.length, y.length)));
  return out;
}

/**
 * The time-stretched and the pitch-shifted copy of one clip, as `timeStretch(y, stretch)` and
 * `pitchShift(y, sr, pitch)` give them (the same samples), with the clip's STFT and its polar
 * form computed once for both when they use the same n_fft and hop (the paper's copies do).
 */
export function stretchAndPitch(
  y: Float32Array,
  sr: number,
  stretch: TimeStretchOptions,
  pitch: PitchShiftOptions,
): { stretch: Float32Array; pitch: Float32Array } {
  const analysis = analysisOf(y);
  return { stretch: stretchWith(y, stretch, analysis), pitch: pitchWith(y, sr, pitch, analysis) };
}

/** The three copies of Fig. 1 with the paper's parameters. */
export const AUGMENT_DEFAULTS = {
  noise: { amplitude: 0.035 },
  stretch: { rate: 0.8 },
  pitch: { nSteps: 0.7, resType: 'kaiser_best' as const },
};
