/**
 * An optional extended descriptor set computed with meyda, for ablations: NOT part of the
 * paper's 173 features (the paper uses only librosa's MFCC, chroma, mel, contrast, tonnetz).
 *
 * Per frame (the same framing as the 173's STFT: 2048 samples, hop 512, centred with zero
 * padding, meyda's default Hann window), then averaged over frames (frames where a descriptor is
 * undefined, e.g. the centroid of a silent frame, are left out of its mean; 0 when none is left):
 *
 * | column | meaning |
 * | --- | --- |
 * | meyda:rms | root mean square of the windowed frame |
 * | meyda:zcr | zero crossings per sample (meyda's count / frame length) |
 * | meyda:spectralCentroid_hz | amplitude-weighted mean frequency, Hz (meyda's bin index x sr / n) |
 * | meyda:spectralFlatness | geometric / arithmetic mean of the power spectrum (0 tonal .. 1 noise) |
 * | meyda:spectralRolloff_hz | frequency below which 99% of the spectral energy lies, Hz |
 */

export const MEYDA_FRAME = 2048;
export const MEYDA_HOP = 512;

export const MEYDA_EXTRA_LAYOUT: readonly string[] = [
  'meyda:rms',
  'meyda:zcr',
  'meyda:spectralCentroid_hz',
  'meyda:spectralFlatness',
  'meyda:spectralRolloff_hz',
];

const FEATURES = ['rms', 'zcr', 'spectralCentroid', 'spectralFlatness', 'spectralRolloff'] as const;

interface MeydaLike {
  bufferSize: number;
  sampleRate: number;
  extract(features: readonly string[], signal: Float32Array): Record<string, number>;
}

let meyda: MeydaLike | null = null;
function getMeyda(): MeydaLike {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  if (!meyda) meyda = require('meyda') as MeydaLike;
  return meyda;
}

/** Per-frame meyda descriptors: rows = MEYDA_EXTRA_LAYOUT, one column per frame (NaN where undefined). */
export function meydaFrames(y: Float32Array, sr: number): { rows: number; cols: number; data: Float64Array } {
  const m = getMeyda();
  m.bufferSize = MEYDA_FRAME;
  m.sampleRate = sr;
  const half = MEYDA_FRAME >> 1;
  const cols = 1 + Math.floor(y.length / MEYDA_HOP);
  const data = new Float64Array(FEATURES.length * cols);
  const frame = new Float32Array(MEYDA_FRAME);
  for (let t = 0; t < cols; t++) {
    const s = t * MEYDA_HOP - half;
    for (let j = 0; j < MEYDA_FRAME; j++) {
      const i = s + j;
      frame[j] = i >= 0 && i < y.length ? y[i] : 0;
    }
    const f = m.extract(FEATURES, frame);
    const vals = [f.rms, f.zcr / MEYDA_FRAME, (f.spectralCentroid * sr) / MEYDA_FRAME, f.spectralFlatness, f.spectralRolloff];
    let silent = true;
    for (let j = 0; j < MEYDA_FRAME; j++) if (frame[j] !== 0) silent = false;
    vals.forEach((v, r) => {
      // meyda reports a rolloff of ~nyquist for an all-zero frame: undefined there
      data[r * cols + t] = silent && r >= 2 ? NaN : Number.isFinite(v) ? v : NaN;
    });
  }
  return { rows: FEATURES.length, cols, data };
}

/** The 5 meyda descriptors averaged over frames (see the module comment). */
export function meydaExtra(y: Float32Array, sr: number): Float64Array {
  const { rows, cols, data } = meydaFrames(y, sr);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    let n = 0;
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c];
      if (!Number.isNaN(v)) {
        s += v;
        n++;
      }
    }
    out[r] = n ? s / n : 0;
  }
  return out;
}
