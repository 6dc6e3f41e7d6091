/**
 * Unit conversions, as librosa.core.convert (0.10.2): Hz <-> mel (Slaney or HTK), Hz <-> MIDI,
 * Hz -> octaves, note names, FFT bin frequencies, and power/amplitude -> dB.
 */
import type { Matrix } from './matrix';
import { dspWasm } from './wasm';

/** librosa.hz_to_mel(f, htk) for one frequency (float64). */
export function hzToMel(f: number, htk = false): number {
  if (htk) return 2595.0 * Math.log10(1.0 + f / 700.0);
  const fMin = 0.0;
  const fSp = 200.0 / 3;
  let mels = (f - fMin) / fSp;
  const minLogHz = 1000.0;
  const minLogMel = (minLogHz - fMin) / fSp;
  const logstep = Math.log(6.4) / 27.0;
  if (f >= minLogHz) mels = minLogMel + Math.log(f / minLogHz) / logstep;
  return mels;
}

/** librosa.mel_to_hz(m, htk) for one mel value (float64). */
export function melToHz(m: number, htk = false): number {
  if (htk) return 700.0 * (10.0 ** (m / 2595.0) - 1.0);
  const fMin = 0.0;
  const fSp = 200.0 / 3;
  let freqs = fMin + fSp * m;
  const minLogHz = 1000.0;
  const minLogMel = (minLogHz - fMin) / fSp;
  const logstep = Math.log(6.4) / 27.0;
  if (m >= minLogMel) freqs = minLogHz * Math.exp(logstep * (m - minLogMel));
  return freqs;
}

/** librosa.hz_to_midi: 12 * (log2(f) - log2(440)) + 69. */
export function hzToMidi(f: number): number {
  return 12 * (Math.log2(f) - Math.log2(440.0)) + 69;
}

/** librosa.midi_to_hz: 440 * 2^((n - 69) / 12). */
export function midiToHz(n: number): number {
  return 440.0 * 2.0 ** ((n - 69.0) / 12.0);
}

/** librosa.hz_to_octs(f, tuning, bins_per_octave): log2(f / (A440' / 16)), A440' = 440 * 2^(tuning/bpo). */
export function hzToOcts(f: number, tuning = 0.0, binsPerOctave = 12): number {
  const a440 = 440.0 * 2.0 ** (tuning / binsPerOctave);
  return Math.log2(f / (a440 / 16));
}

/** librosa.octs_to_hz. */
export function octsToHz(o: number, tuning = 0.0, binsPerOctave = 12): number {
  const a440 = 440.0 * 2.0 ** (tuning / binsPerOctave);
  return (a440 / 16) * 2.0 ** o;
}

/** librosa.note_to_midi('C#4', round_midi=True): letter, accidentals (#, b, !, ♯, ♭, ♮), octave, optional cents. */
export function noteToMidi(note: string, roundMidi = true): number {
  const pitchMap: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
  const accMap: Record<string, number> = { '#': 1, '': 0, b: -1, '!': -1, '♯': 1, '𝄪': 2, '♭': -1, '𝄫': -2, '♮': 0 };
  const m = /^\s*([A-Ga-g])([#♯𝄪b!♭𝄫♮]*)([+-]?\d+)?([+-]\d+)?\s*$/u.exec(note);
  if (!m) throw new Error(`Improper note format: ${note}`);
  const pitch = m[1].toUpperCase();
  let offset = 0;
  for (const ch of Array.from(m[2])) offset += accMap[ch];
  const octave = m[3] !== undefined ? parseInt(m[3], 10) : 0;
  const cents = m[4] !== undefined ? parseInt(m[4], 10) : 0;
  const midi = 12 * (octave + 1) + pitchMap[pitch] + offset + cents * 0.01;
  return roundMidi ? Math.round(midi) : midi;
}

/** librosa.note_to_hz('C1') = midi_to_hz(note_to_midi(note)). */
export function noteToHz(note: string): number {
  return midiToHz(noteToMidi(note, true));
}

/**
 * librosa.fft_frequencies(sr, n_fft) = numpy.fft.rfftfreq(n_fft, 1/sr): k * (1 / (n_fft * (1/sr))),
 * computed with numpy's exact operation order.
 */
export function fftFrequencies(sr: number, nFft: number): Float64Array {
  const val = 1.0 / (nFft * (1.0 / sr));
  const N = Math.floor(nFft / 2) + 1;
  const out = new Float64Array(N);
  for (let k = 0; k < N; k++) out[k] = k * val;
  return out;
}

/** numpy.linspace(start, stop, num, endpoint=true) with numpy's arithmetic (i * step + start; last = stop). */
export function linspace(start: number, stop: number, num: number, endpoint = true): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/** librosa.mel_frequencies(n_mels, fmin, fmax, htk): n_mels frequencies evenly spaced in mel. */
export function melFrequencies(nMels = 128, fmin = 0.0, fmax = 11025.0, htk = false): Float64Array {
  const mels = linspace(hzToMel(fmin, htk), hzToMel(fmax, htk), nMels);
  for (let i = 0; i < nMels; i++) mels[i] = melToHz(mels[i], htk);
  return mels;
}

export interface PowerToDbOptions {
  /** reference power: a number (default 1.0) or 'max' (librosa ref=np.max) */
  ref?: number | 'max';
  /** floor (default 1e-10) */
  amin?: number;
  /** dynamic range below the peak kept (default 80); null disables */
  topDb?: number | null;
  /** float32 data: run the TypeScript loop even when the wasm kernels are available (for testing; the same bits) */
  typescript?: boolean;
}

function maxOf(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] > m || Number.isNaN(a[i])) m = a[i];
  return m;
}

/**
 * librosa.power_to_db(S, ref, amin=1e-10, top_db=80): 10*log10(max(amin, S)) - 10*log10(max(amin, ref)),
 * floored at max - top_db. Keeps the input's precision: for float32 data every step rounds to
 * float32 as numpy does (the reference level itself is computed in float64, as numpy 1.x does for
 * scalars, then cast to float32 when subtracted).
 */
export function powerToDb<T extends Matrix | Float32Array | Float64Array>(S: T, opts: PowerToDbOptions = {}): T {
  const amin = opts.amin ?? 1e-10;
  if (!(amin > 0)) throw new Error('amin must be strictly positive');
  const topDb = opts.topDb === undefined ? 80.0 : opts.topDb;
  if (topDb !== null && topDb < 0) throw new Error('top_db must be non-negative');
  const isMat = !(S instanceof Float32Array || S instanceof Float64Array);
  const src = (isMat ? (S as Matrix).data : S) as Float32Array | Float64Array;
  const f32 = src instanceof Float32Array;
  const n = src.length;
  const out = f32 ? new Float32Array(n) : new Float64Array(n);
  const ref = opts.ref ?? 1.0;
  const refValue = ref === 'max' ? maxOf(src) : Math.abs(ref);
  const refDb = 10.0 * Math.log10(Math.max(amin, refValue));
  if (f32) {
    const fr = Math.fround;
    const a32 = fr(amin);
    const r32 = fr(refDb);
    const w = !opts.typescript && n > 0 ? dspWasm() : null;
    if (w) {
      // the same loop in the wasm kernels (powerToDb32: an approximate log10; the elements it
      // lists, whose float32 rounding it cannot vouch for, computed here as below)
      const ps = w.scratch('powerToDb.src', 4 * n);
      const po = w.scratch('powerToDb.out', 4 * n);
      const pfix = w.scratch('powerToDb.fix', 4 * n);
      w.f32(ps, n).set(src);
      const nf = w.exports.powerToDb32(ps, po, n, a32, r32, pfix);
      out.set(w.f32(po, n));
      const fix = w.i32(pfix, nf);
      for (let e = 0; e < nf; e++) {
        const i = fix[e];
        const v = src[i] > a32 ? src[i] : a32;
        out[i] = fr(fr(10.0 * fr(Math.log10(v))) - r32);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = src[i] > a32 ? src[i] : a32;
        out[i] = fr(fr(10.0 * fr(Math.log10(v))) - r32);
      }
    }
    if (topDb !== null) {
      const thr = fr(maxOf(out) - topDb);
      for (let i = 0; i < n; i++) if (out[i] < thr) out[i] = thr;
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = 10.0 * Math.log10(Math.max(amin, src[i])) - refDb;
    if (topDb !== null) {
      const thr = maxOf(out) - topDb;
      for (let i = 0; i < n; i++) if (out[i] < thr) out[i] = thr;
    }
  }
  if (isMat) return { rows: (S as Matrix).rows, cols: (S as Matrix).cols, data: out } as T;
  return out as T;
}

/**
 * librosa.amplitude_to_db(S, ref, amin=1e-5, top_db=80) = power_to_db(S**2, ref**2, amin**2, top_db)
 * (S squared in its own precision; ref='max' uses max(|S|)**2).
 */
export function amplitudeToDb<T extends Matrix | Float32Array | Float64Array>(S: T, opts: PowerToDbOptions = {}): T {
  const isMat = !(S instanceof Float32Array || S instanceof Float64Array);
  const src = (isMat ? (S as Matrix).data : S) as Float32Array | Float64Array;
  const f32 = src instanceof Float32Array;
  const n = src.length;
  const power = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) power[i] = Math.abs(src[i]) * Math.abs(src[i]);
  const amin = opts.amin ?? 1e-5;
  let ref = opts.ref ?? 1.0;
  if (ref === 'max') {
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(src[i]));
    ref = m;
  }
  const res = powerToDb(power, { ref: Math.abs(ref) ** 2, amin: amin * amin, topDb: opts.topDb });
  if (isMat) return { rows: (S as Matrix).rows, cols: (S as Matrix).cols, data: res } as T;
  return res as T;
}
