/**
 * The paper's 173-feature vector (traditional path), exactly as the reference recipe computes it
 * with librosa 0.10.2 on y = librosa.load(path, sr=22050, offset=0.5, duration=2.5):
 *
 *   S        = |stft(y)|                                  (n_fft 2048, hop 512, pad constant)
 *   mfcc     = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)           20
 *   chroma   = librosa.feature.chroma_stft(S=S, sr=sr)               12
 *   mel      = librosa.feature.melspectrogram(y=y, sr=sr)           128
 *   contrast = librosa.feature.spectral_contrast(S=S, sr=sr)          7
 *   tonnetz  = librosa.feature.tonnetz(y=librosa.effects.harmonic(y), sr=sr)   6
 *   features = hstack(np.mean(X.T, axis=0) for X in [mfcc, chroma, mel, contrast, tonnetz])
 *
 * The means reproduce numpy's summation on the arrays librosa returns (numpy.mean of float32
 * data accumulates in float32): mfcc and mel rows are C-contiguous, summed pairwise in float32
 * (numpy's 8-way unrolled pairwise sum); chroma_stft comes out of einsum Fortran-ordered, so its
 * rows are summed sequentially in float32; spectral_contrast (float64, C order) pairwise,
 * tonnetz (float64, Fortran order) sequentially. With these, the means of librosa's own arrays
 * reproduce the reference `features_173` bit for bit (checked on the 12 fixture files); float64
 * means (`features_173_f64mean`) differ from it by up to 1e-4 absolute in mfcc.
 * The STFT is computed once and shared by mfcc/mel/chroma/contrast and by the HPSS inside
 * effects.harmonic (librosa recomputes it; the values are identical).
 *
 * Variants of the recipe (Paper173Options; issue #15, the choices a reproduction could have made
 * differently):
 * - `nMfcc`: librosa.feature.mfcc(n_mfcc=...) (40 in many copies of the recipe): the vector has
 *   nMfcc + 153 values, the MFCC block first (paper173Layout / paper173BlocksFor);
 * - `padMode: 'reflect'`: librosa < 0.9's default padding, applied where librosa 0.8 applied it
 *   by default: stft(y, pad_mode) for S, mfcc(y, pad_mode), melspectrogram(y, pad_mode),
 *   effects.harmonic(y, pad_mode), and for the tonnetz cqt(yh, pad_mode) with its tuning from
 *   estimate_tuning(y=yh, pad_mode) (piptrack's stft). 'constant' (zeros) is librosa 0.10's;
 * - `sr` (the second argument) other than 22050: every librosa default that follows sr does here
 *   too (mel fmax = sr/2, the spectral_contrast bands, the CQT's early downsampling).
 */
import type { Matrix } from '../dsp/matrix';
import { stftShared, magnitude } from '../dsp/stft';
import { mel as melFilter } from '../dsp/filters';
import { powerToDb } from '../dsp/convert';
import { applyFilterbank, chromaStft, mfcc, spectralContrast } from './spectral';
import { harmonicFromStft } from './hpss';
import { tonnetz } from './tonnetz';
import { checkRecipe, RECIPE_DEFAULTS, type RecipeOptions } from './recipe';

/** Options of the recipe (features/recipe.ts; see the module comment); the defaults are the reference recipe's. */
export interface Paper173Options extends Pick<RecipeOptions, 'nMfcc' | 'padMode'> {
  /** adds the milliseconds of each stage */
  timing?: Paper173Timing;
}

type BlockName = 'mfcc' | 'chroma_stft' | 'melspectrogram' | 'spectral_contrast' | 'tonnetz';
/** Block name -> [start, end) in the vector. */
export type Paper173Blocks = Readonly<Record<BlockName, readonly [number, number]>>;

/** The blocks of the vector with `nMfcc` MFCCs (then 12 chroma, 128 mel, 7 contrast, 6 tonnetz). */
export function paper173BlocksFor(nMfcc = RECIPE_DEFAULTS.nMfcc): Paper173Blocks {
  const sizes: [BlockName, number][] = [
    ['mfcc', nMfcc],
    ['chroma_stft', 12],
    ['melspectrogram', 128],
    ['spectral_contrast', 7],
    ['tonnetz', 6],
  ];
  const out = {} as Record<BlockName, readonly [number, number]>;
  let at = 0;
  for (const [name, n] of sizes) {
    out[name] = Object.freeze([at, at + n] as const);
    at += n;
  }
  return Object.freeze(out);
}

/** Block name -> [start, end) in the 173-vector (the reference's `features_173_layout`). */
export const paper173Blocks: Paper173Blocks = paper173BlocksFor(20);

function names(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}_${i + 1}`);
}

/** Column names of the vector with `nMfcc` MFCCs: mfcc_1..nMfcc, chroma_1..12, mel_1..128, contrast_1..7, tonnetz_1..6. */
export function paper173Layout(nMfcc = RECIPE_DEFAULTS.nMfcc): string[] {
  return [...names('mfcc', nMfcc), ...names('chroma', 12), ...names('mel', 128), ...names('contrast', 7), ...names('tonnetz', 6)];
}

/** Column names of the 173-vector: mfcc_1..20, chroma_1..12, mel_1..128, contrast_1..7, tonnetz_1..6. */
export const PAPER173_LAYOUT: readonly string[] = Object.freeze(paper173Layout(20));

/**
 * numpy's pairwise sum (umath loops `pairwise_sum`) of a[o .. o+n), in float32 (f32) or float64
 * arithmetic: < 8 elements sequentially; <= 128 with 8 accumulators combined as
 * ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus a sequential tail; larger halves recursively
 * (split at a multiple of 8).
 */
export function numpyPairwiseSum(a: ArrayLike<number>, o: number, n: number, f32: boolean): number {
  const fr = f32 ? Math.fround : (v: number) => v;
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = fr(res + a[o + i]);
    return res;
  }
  if (n <= 128) {
    const r = [a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = fr(r[j] + a[o + i + j]);
    let res = fr(fr(fr(r[0] + r[1]) + fr(r[2] + r[3])) + fr(fr(r[4] + r[5]) + fr(r[6] + r[7])));
    for (; i < n; i++) res = fr(res + a[o + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return fr(numpyPairwiseSum(a, o, n2, f32) + numpyPairwiseSum(a, o + n2, n - n2, f32));
}

/**
 * np.mean over the frames of each row, as numpy computes it for the given memory order of the
 * array librosa returns: 'C' = rows contiguous (pairwise sum), 'F' = frames strided (sequential
 * sum); in float32 for Float32Array data, float64 otherwise; then one division by the count.
 */
export function numpyRowMeans(m: Matrix, order: 'C' | 'F'): Float64Array {
  const f32 = m.data instanceof Float32Array;
  const out = new Float64Array(m.rows);
  const n = m.cols;
  for (let r = 0; r < m.rows; r++) {
    let s: number;
    if (order === 'C') s = numpyPairwiseSum(m.data, r * n, n, f32);
    else {
      s = 0;
      for (let c = 0; c < n; c++) s = f32 ? Math.fround(s + m.data[r * n + c]) : s + m.data[r * n + c];
    }
    out[r] = f32 ? Math.fround(s / n) : s / n;
  }
  return out;
}

/** The feature matrices behind the 173-vector (rows = coefficients/bins, cols = frames). */
export interface Paper173Matrices {
  mfcc: Matrix;
  chroma: Matrix & { tuning: number };
  mel: Matrix;
  contrast: Matrix<Float64Array>;
  tonnetz: Matrix;
}

/** Timings of the stages of one paper173() call, milliseconds. */
export interface Paper173Timing {
  stft: number;
  mel: number;
  mfcc: number;
  chroma: number;
  contrast: number;
  harmonic: number;
  tonnetz: number;
}

/** The five feature matrices of the recipe (see the module comment). */
export function paper173Matrices(y: Float32Array | Float64Array, sr = 22050, opts: Paper173Options = {}): Paper173Matrices {
  checkRecipe(opts);
  const { timing } = opts;
  const nMfcc = opts.nMfcc ?? RECIPE_DEFAULTS.nMfcc;
  const padMode = opts.padMode ?? RECIPE_DEFAULTS.padMode;
  let t = performance.now();
  const lap = (k: keyof Paper173Timing): void => {
    const now = performance.now();
    if (timing) timing[k] += now - t;
    t = now;
  };
  // shared with the augmented copies' analysis of the same clip (dsp/stft.ts stftShared)
  const D = stftShared(y, { nFft: 2048, hopLength: 512, padMode });
  const S = magnitude(D);
  lap('stft');
  // the mel bank on the power spectrogram |S|**2 in S's precision (librosa's _spectrogram with
  // power=2), squared inside applyFilterbank
  const mel = applyFilterbank(melFilter(sr, 2048), S, { square: true });
  lap('mel');
  const mf = mfcc({ logMel: powerToDb(mel), nMfcc });
  lap('mfcc');
  const chroma = chromaStft({ S, sr });
  lap('chroma');
  const contrast = spectralContrast({ S, sr });
  lap('contrast');
  // librosa.effects.harmonic(y, pad_mode): its stft(y) (n_fft 2048, hop 512, hann, centred,
  // padMode) and |stft(y)| are D and S above, so they are reused (harmonicFromStft)
  const yh = harmonicFromStft(D, y.length, y instanceof Float64Array ? 'float64' : 'float32', { padMode }, S.data);
  lap('harmonic');
  const tz = tonnetz({ y: yh, sr, padMode });
  lap('tonnetz');
  return { mfcc: mf, chroma, mel, contrast, tonnetz: tz };
}

/** The means from the five matrices (numpy's summation, see numpyRowMeans): 173 values with 20 MFCCs. */
export function paper173FromMatrices(m: Paper173Matrices): Float64Array {
  const blocks = paper173BlocksFor(m.mfcc.rows);
  const out = new Float64Array(blocks.tonnetz[1]);
  out.set(numpyRowMeans(m.mfcc, 'C'), blocks.mfcc[0]);
  out.set(numpyRowMeans(m.chroma, 'F'), blocks.chroma_stft[0]);
  out.set(numpyRowMeans(m.mel, 'C'), blocks.melspectrogram[0]);
  out.set(numpyRowMeans(m.contrast, 'C'), blocks.spectral_contrast[0]);
  out.set(numpyRowMeans(m.tonnetz, 'F'), blocks.tonnetz[0]);
  return out;
}

/**
 * The paper's 173 features of a clip: y as librosa.load(path, sr=22050, offset=0.5,
 * duration=2.5) returns it (audio.load), sr its rate. Layout: PAPER173_LAYOUT / paper173Blocks;
 * with options (nMfcc, padMode) the variant's vector, layout paper173Layout(nMfcc).
 */
export function paper173(y: Float32Array | Float64Array, sr = 22050, opts: Paper173Options = {}): Float64Array {
  return paper173FromMatrices(paper173Matrices(y, sr, opts));
}
