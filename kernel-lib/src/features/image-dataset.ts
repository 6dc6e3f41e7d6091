/**
 * The deep path's data set: one mel-spectrogram image (features/image.ts) per clip, loaded as
 * the paper does (librosa.load sr 22050, offset 0.5 s, duration 2.5 s), kept as bytes
 * (n x size x size x 3; 12162 paper-size images = 598 MB, the CNNs read them / 255).
 *
 * Cached on disk in chunks of 64 clips under `<cacheDir>/mel-images-v1/<size>-<resize>/`,
 * each chunk keyed by the sha256 of its files' contents and the image parameters and written
 * atomically: an interrupted build resumes at the first missing chunk, and notebooks 05-07 and
 * `ser cnn` share the images.
 */
import { INPUT_RULE } from '../core/input-rule';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from '../audio/load';
import { type Clip, EMOTIONS, emotionIndex } from '../core/types';
import { hashFileSync } from '../corpora/hash';
import { progress } from '../core/progress';
import { runContext } from '../core/context';
import { writeFileAtomic } from '../core/fs';
import { melImage, type ResizeMethod, type RgbImage } from './image';

export interface ImageDatasetOptions {
  /** image side (paper 128) */
  size?: number;
  resize?: ResizeMethod;
  /** cache folder (default <project>/data/cache); null: no cache */
  cacheDir?: string | null;
  silent?: boolean;
  label?: string;
}

export interface ImageDataset {
  size: number;
  resize: ResizeMethod;
  /** n x size x size x 3 bytes, row-major, clip order */
  pixels: Uint8Array;
  /** class index per clip (EMOTIONS order) */
  labels: Int32Array;
  labelNames: string[];
  clips: Clip[];
  /** clips whose audio could not be read (they are left out), with the reason */
  skipped: { clipId: string; path: string; reason: string }[];
  /** chunks found in the cache / computed */
  cache: { hit: number; computed: number; dir: string | null };
  seconds: number;
}

const CHUNK = 64;
const VERSION = 'mel-images-v1';

export function defaultImageCacheDir(): string {
  return path.join(runContext().projectRoot, 'data', 'cache');
}

function chunkKey(clips: Clip[], size: number, resize: ResizeMethod): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ v: VERSION, size, resize, ...INPUT_RULE, nFft: 2048, hop: 512, nMels: 128 }));
  for (const c of clips) {
    const r = hashFileSync(c.path);
    h.update(`${c.clipId}\0${c.emotion}\0${r.sha256 ?? `unreadable:${r.error ?? ''}`}\n`);
  }
  return h.digest('hex').slice(0, 32);
}

interface ChunkFile {
  ok: boolean[];
  reasons: (string | null)[];
  pixels: Uint8Array;
}

function readChunk(file: string, n: number, px: number): ChunkFile | null {
  if (!fs.existsSync(file)) return null;
  try {
    const buf = fs.readFileSync(file);
    const hl = buf.readUInt32LE(0);
    const head = JSON.parse(buf.toString('utf8', 4, 4 + hl)) as { ok: boolean[]; reasons: (string | null)[] };
    if (head.ok.length !== n || buf.length !== 4 + hl + n * px) return null;
    return { ...head, pixels: new Uint8Array(buf.buffer, buf.byteOffset + 4 + hl, n * px) };
  } catch {
    return null;
  }
}

function writeChunk(file: string, c: ChunkFile): void {
  const head = Buffer.from(JSON.stringify({ ok: c.ok, reasons: c.reasons }), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length, 0);
  writeFileAtomic(file, Buffer.concat([len, head, Buffer.from(c.pixels.buffer, c.pixels.byteOffset, c.pixels.byteLength)]));
}

/** The image of one clip file (librosa.load as in the paper, then melImage). */
export async function clipImage(file: string, size = 128, resize: ResizeMethod = 'nearest'): Promise<RgbImage> {
  const a = await load(file, INPUT_RULE);
  if (a.y.length === 0) throw new Error(`${file}: no audio after the 0.5 s offset`);
  return melImage(a.y, a.sr, { size, resize });
}

/** Images for all clips (cached, resumable, with progress). Unreadable clips are skipped and listed. */
export async function buildImageDataset(clips: Clip[], opts: ImageDatasetOptions = {}): Promise<ImageDataset> {
  const t0 = Date.now();
  const size = opts.size ?? 128;
  const resize = opts.resize ?? 'nearest';
  const px = size * size * 3;
  const cacheRoot = opts.cacheDir === null ? null : (opts.cacheDir ?? defaultImageCacheDir());
  const dir = cacheRoot ? path.join(cacheRoot, VERSION, `${size}-${resize}`) : null;
  const all = new Uint8Array(clips.length * px);
  const ok = new Array<boolean>(clips.length).fill(false);
  const skipped: ImageDataset['skipped'] = [];
  const bar = opts.silent ? null : progress(opts.label ?? `mel images ${size}x${size}`, clips.length, { unit: 'clips' });
  let hit = 0;
  let computed = 0;
  for (let s = 0; s < clips.length; s += CHUNK) {
    const part = clips.slice(s, s + CHUNK);
    const file = dir ? path.join(dir, `${chunkKey(part, size, resize)}.bin`) : null;
    let chunk = file ? readChunk(file, part.length, px) : null;
    if (chunk) hit++;
    else {
      chunk = { ok: [], reasons: [], pixels: new Uint8Array(part.length * px) };
      for (const [i, c] of part.entries()) {
        try {
          const im = await clipImage(c.path, size, resize);
          chunk!.pixels.set(im.data, i * px);
          chunk!.ok.push(true);
          chunk!.reasons.push(null);
        } catch (e) {
          chunk!.ok.push(false);
          chunk!.reasons.push((e instanceof Error ? e.message : String(e)).split('\n')[0]);
        }
      }
      computed++;
      if (file) writeChunk(file, chunk);
    }
    all.set(chunk.pixels, s * px);
    part.forEach((c, i) => {
      ok[s + i] = chunk!.ok[i];
      if (!chunk!.ok[i]) skipped.push({ clipId: c.clipId, path: c.path, reason: chunk!.reasons[i] ?? 'unreadable' });
    });
    bar?.tick(part.length, hit ? `${hit} chunk(s) from cache` : '');
  }
  bar?.done();
  const keep = clips.map((_, i) => i).filter((i) => ok[i]);
  const pixels = keep.length === clips.length ? all : new Uint8Array(keep.length * px);
  if (pixels !== all) keep.forEach((i, j) => pixels.set(all.subarray(i * px, (i + 1) * px), j * px));
  const kept = keep.map((i) => clips[i]);
  return {
    size,
    resize,
    pixels,
    labels: Int32Array.from(kept, (c) => emotionIndex(c.emotion)),
    labelNames: [...EMOTIONS],
    clips: kept,
    skipped,
    cache: { hit, computed, dir },
    seconds: (Date.now() - t0) / 1000,
  };
}

/** Image i of a data set as an RgbImage (a view). */
export function datasetImage(d: ImageDataset, i: number): RgbImage {
  const px = d.size * d.size * 3;
  return { width: d.size, height: d.size, data: d.pixels.subarray(i * px, (i + 1) * px) };
}
