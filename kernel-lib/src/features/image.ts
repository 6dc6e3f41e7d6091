/**
 * The deep path's input (paper IV.A, Fig. 2): each clip becomes an RGB image of its mel
 * spectrogram, 128x128, values / 255.
 *
 * Recipe, step by step:
 * 1. `melDb(y, sr)` = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr), ref=np.max)
 *    (n_fft 2048, hop 512, 128 mel bands; amin 1e-10, top_db 80): a [128 x frames] float32 matrix,
 *    108 frames for the paper's 2.5 s clips at 22050 Hz.
 * 2. `colorize(db)`: what librosa.display.specshow draws for such data, without axes. specshow
 *    picks `magma` for data of one sign (librosa.display.cmap: the 2nd/98th percentiles are both
 *    <= 0 here) and matplotlib's default Normalize scales the data's min..max to 0..1; the
 *    256-entry colour table is indexed with int(v * 256) (v = 1 -> 255) and turned into bytes as
 *    matplotlib does (`(lut * 255).astype(uint8)`), all in float32 like matplotlib for float32
 *    data. Low frequencies are at the bottom (origin 'lower'), so image row 0 is the top mel band.
 * 3. `resizeRgb`: to 128x128 (the paper resized the saved figure with keras `load_img`, whose
 *    default interpolation is PIL's NEAREST). Three PIL filters are reproduced exactly:
 *    'nearest' (default, the paper's), 'box' (area average: what the demo profile uses to shrink
 *    to 32x32 or 64x64), 'bilinear' (PIL's antialiased triangle filter).
 * 4. `imageTensor` divides by 255 into a [h, w, 3] float32 tensor; `encodePng` writes the RGB
 *    bytes as PNG (pngjs) for figures and the golden test.
 */
import type { Matrix } from '../dsp/matrix';
import { powerToDb } from '../dsp/convert';
import { melspectrogram, type MelspectrogramOptions } from './spectral';
import { MAGMA_RGB } from './magma';

/** The part of pngjs used here (the package ships no types). */
interface PngData {
  width: number;
  height: number;
  data: Buffer;
}
interface PngModule {
  PNG: { new (o: { width: number; height: number }): PngData; sync: { write(p: PngData): Buffer; read(b: Buffer): PngData } };
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { PNG } = require('pngjs') as PngModule;

export type ResizeMethod = 'nearest' | 'box' | 'bilinear';

/** An 8-bit RGB image, row-major, 3 bytes per pixel (row 0 at the top). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface MelImageOptions {
  /** output side in pixels (default 128, the paper's) */
  size?: number;
  /** resize filter (default 'nearest', as keras load_img did for the paper) */
  resize?: ResizeMethod;
  /** melspectrogram parameters (librosa defaults: nFft 2048, hop 512, nMels 128) */
  mel?: Omit<MelspectrogramOptions, 'y' | 'sr' | 'S'>;
}

/**
 * power_to_db(melspectrogram(y=y, sr=sr), ref=np.max): the array specshow draws for the paper's
 * Fig. 2 (fixture `mel_db_refmax.npy`).
 */
export function melDb(y: Float32Array | Float64Array, sr: number, mel: MelImageOptions['mel'] = {}): Matrix {
  const S = melspectrogram({ ...mel, y, sr });
  return powerToDb(S, { ref: 'max' });
}

/** The magma table as bytes, the way matplotlib's Colormap(bytes=True) makes them. */
let magmaBytes: Uint8Array | null = null;
export function magmaLut(): Uint8Array {
  if (!magmaBytes) {
    magmaBytes = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) for (let c = 0; c < 3; c++) magmaBytes[i * 3 + c] = Math.trunc(MAGMA_RGB[i][c] * 255);
  }
  return magmaBytes;
}

/** Index of a value into the 256-entry table after min..max normalisation (matplotlib, float32). */
function lutIndex(v: number, vmin: number, span: number): number {
  const fr = Math.fround;
  if (span === 0) return 0; // matplotlib maps constant data to 0
  let x = fr(fr(fr(v) - vmin) / span);
  x = fr(x * 256);
  if (x < 0) return 0;
  if (x >= 256) return 255;
  return Math.trunc(x);
}

/**
 * Colours a [bands x frames] matrix with magma after min..max scaling (specshow's look, no axes).
 * Row 0 of the image is the last (highest) band. Returns an image of frames x bands pixels.
 */
export function colorize(m: Matrix, opts: { vmin?: number; vmax?: number } = {}): RgbImage {
  const { rows, cols, data } = m;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const fr = Math.fround;
  const vmin = fr(opts.vmin ?? lo);
  const vmax = fr(opts.vmax ?? hi);
  const span = fr(vmax - vmin);
  const lut = magmaLut();
  const out = new Uint8Array(rows * cols * 3);
  for (let r = 0; r < rows; r++) {
    const srcRow = rows - 1 - r; // origin lower
    for (let c = 0; c < cols; c++) {
      const k = lutIndex(data[srcRow * cols + c], vmin, span) * 3;
      const o = (r * cols + c) * 3;
      out[o] = lut[k];
      out[o + 1] = lut[k + 1];
      out[o + 2] = lut[k + 2];
    }
  }
  return { width: cols, height: rows, data: out };
}

// ---- resizing, as Pillow 9 does it --------------------------------------------------------

/** PIL NEAREST: source index floor((i + 0.5) * in / out). */
function nearestIndex(outSize: number, inSize: number): Int32Array {
  const idx = new Int32Array(outSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) idx[i] = Math.min(inSize - 1, Math.floor((i + 0.5) * scale));
  return idx;
}

interface Coeffs {
  /** first source index per output index */
  start: Int32Array;
  /** number of taps per output index */
  count: Int32Array;
  /** fixed-point taps, ksize per output index */
  k: Int32Array;
  ksize: number;
}

const PRECISION_BITS = 32 - 8 - 2;

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc (Resample.c). */
function pilCoeffs(inSize: number, outSize: number, method: 'box' | 'bilinear'): Coeffs {
  const support0 = method === 'box' ? 0.5 : 1.0;
  const filter =
    method === 'box'
      ? (x: number) => (x > -0.5 && x <= 0.5 ? 1.0 : 0.0)
      : (x: number) => {
          const a = x < 0 ? -x : x;
          return a < 1.0 ? 1.0 - a : 0.0;
        };
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1.0);
  const support = support0 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const k = new Int32Array(outSize * ksize);
  const ss = 1.0 / filterscale;
  const pre = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0.0;
    for (let x = 0; x < xmax; x++) {
      const w = filter((x + xmin - center + 0.5) * ss);
      pre[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0.0 ? pre[x] / ww : pre[x];
      k[xx * ksize + x] = v < 0 ? Math.trunc(-0.5 + v * (1 << PRECISION_BITS)) : Math.trunc(0.5 + v * (1 << PRECISION_BITS));
    }
    start[xx] = xmin;
    count[xx] = xmax;
  }
  return { start, count, k, ksize };
}

function clip8(acc: number): number {
  const v = Math.floor(acc / (1 << PRECISION_BITS));
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * One pass of PIL's separable resampling (ImagingResampleHorizontal / Vertical, 8-bit RGB):
 * along the width (`horizontal`) or the height, each output pixel the fixed-point weighted sum
 * of its input pixels with PIL's rounding and clipping.
 */
function resampleAxis(src: RgbImage, outLen: number, method: 'box' | 'bilinear', horizontal: boolean): RgbImage {
  const { width: w, height: h, data } = src;
  const inLen = horizontal ? w : h;
  const lines = horizontal ? h : w;
  const c = pilCoeffs(inLen, outLen, method);
  const outW = horizontal ? outLen : w,
    outH = horizontal ? h : outLen;
  const out = new Uint8Array(outW * outH * 3);
  // byte offsets: pixel i of line l at l * lineStep + i * step (input) / outStep (output)
  const lineStep = horizontal ? w * 3 : 3,
    step = horizontal ? 3 : w * 3;
  const outLineStep = horizontal ? outLen * 3 : 3,
    outStep = horizontal ? 3 : w * 3;
  const half = 1 << (PRECISION_BITS - 1);
  for (let l = 0; l < lines; l++) {
    for (let o = 0; o < outLen; o++) {
      let s0 = half,
        s1 = half,
        s2 = half;
      const i0 = c.start[o];
      const kk = o * c.ksize;
      for (let i = 0; i < c.count[o]; i++) {
        const wt = c.k[kk + i];
        const p = l * lineStep + (i + i0) * step;
        s0 += data[p] * wt;
        s1 += data[p + 1] * wt;
        s2 += data[p + 2] * wt;
      }
      const q = l * outLineStep + o * outStep;
      out[q] = clip8(s0);
      out[q + 1] = clip8(s1);
      out[q + 2] = clip8(s2);
    }
  }
  return { width: outW, height: outH, data: out };
}

/**
 * Resizes an RGB image like Pillow 9's `Image.resize((w, h), filter)`: NEAREST samples
 * floor((i + 0.5) * scale); BOX and BILINEAR run Pillow's separable fixed-point resampler
 * (horizontal pass first, bytes in between), so results match Pillow byte for byte.
 */
export function resizeRgb(img: RgbImage, width: number, height: number, method: ResizeMethod = 'nearest'): RgbImage {
  if (!(width > 0 && height > 0)) throw new Error(`resizeRgb: bad size ${width}x${height}`);
  if (img.width === width && img.height === height) return { width, height, data: img.data.slice() };
  if (method === 'nearest') {
    const xi = nearestIndex(width, img.width);
    const yi = nearestIndex(height, img.height);
    const out = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const s = (yi[y] * img.width + xi[x]) * 3;
        const o = (y * width + x) * 3;
        out[o] = img.data[s];
        out[o + 1] = img.data[s + 1];
        out[o + 2] = img.data[s + 2];
      }
    }
    return { width, height, data: out };
  }
  let cur = img;
  if (cur.width !== width) cur = resampleAxis(cur, width, method, true);
  if (cur.height !== height) cur = resampleAxis(cur, height, method, false);
  return cur;
}

/** The paper's image of one clip: dB mel spectrogram -> magma -> size x size RGB. */
export function melImage(y: Float32Array | Float64Array, sr: number, opts: MelImageOptions = {}): RgbImage {
  const size = opts.size ?? 128;
  return resizeRgb(colorize(melDb(y, sr, opts.mel)), size, size, opts.resize ?? 'nearest');
}

/** Same from a dB matrix already computed (e.g. the librosa fixture). */
export function melImageFromDb(db: Matrix, opts: Omit<MelImageOptions, 'mel'> = {}): RgbImage {
  const size = opts.size ?? 128;
  return resizeRgb(colorize(db), size, size, opts.resize ?? 'nearest');
}

/** Pixel values / 255 as float32, [h, w, 3] row-major (what the CNNs read). */
export function imageFloats(img: RgbImage, out?: Float32Array, offset = 0): Float32Array {
  const n = img.data.length;
  const dst = out ?? new Float32Array(n);
  for (let i = 0; i < n; i++) dst[offset + i] = img.data[i] / 255;
  return dst;
}

/** The image as a [h, w, 3] tensor, values / 255 (needs @tensorflow/tfjs). */
export function imageTensor(img: RgbImage): import('@tensorflow/tfjs').Tensor3D {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
  return tf.tensor3d(imageFloats(img), [img.height, img.width, 3], 'float32');
}

/** PNG bytes of an RGB image (8-bit RGBA, opaque). */
export function encodePng(img: RgbImage): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    png.data[i * 4] = img.data[i * 3];
    png.data[i * 4 + 1] = img.data[i * 3 + 1];
    png.data[i * 4 + 2] = img.data[i * 3 + 2];
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** Reads a PNG into RGB bytes (alpha dropped). */
export function decodePng(bytes: Uint8Array): RgbImage {
  const png = PNG.sync.read(Buffer.from(bytes));
  const n = png.width * png.height;
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    data[i * 3] = png.data[i * 4];
    data[i * 3 + 1] = png.data[i * 4 + 1];
    data[i * 3 + 2] = png.data[i * 4 + 2];
  }
  return { width: png.width, height: png.height, data };
}
