/**
 * librosa.load(path, sr=22050, mono=True, offset=0.5, duration=2.5, res_type='kaiser_best')
 * as the paper's recipe calls it (librosa 0.10.2): the native frames
 * [int(offset*sr0), int(offset*sr0) + int(duration*sr0)) of any format soundfile reads (WAV,
 * AIFF, FLAC, Ogg Vorbis/Opus, MP3; decode.ts) or, through ffmpeg, audioread (file.ts), mixed to
 * mono float32, then resampled with resampy's kaiser_best filter to `sr` (resample.ts:
 * bit-identical to resampy 0.4.2 for float32 data). A file shorter than offset+duration gives a
 * shorter signal, as librosa does.
 *
 * Deliberate difference: these are async (`await audio.load(path)`), because the compressed
 * formats' WebAssembly decoders start asynchronously. WAV and AIFF are decoded synchronously
 * inside.
 */
import type { AudioInfo } from './decode';
import { decodeAudioBytes, readAudio } from './file';
import { resample, type ResampyFilter } from './resample';

export interface LoadOptions {
  /** target rate (librosa sr); null keeps the native rate. Default 22050. */
  sr?: number | null;
  /** seconds skipped at the start (default 0.5, the paper's recipe) */
  offset?: number;
  /** seconds read (default 2.5, the paper's recipe); null reads to the end */
  duration?: number | null;
  /** resampy filter (librosa res_type), default 'kaiser_best' */
  resType?: ResampyFilter;
}

export interface LoadedAudio {
  /** mono float32 samples at `sr` */
  y: Float32Array;
  sr: number;
  /** the file's native rate */
  srNative: number;
  /** what the file is (format, codec, channels, frames of the whole file) */
  info: AudioInfo;
  /** damaged frames a lossy decoder skipped */
  warnings: string[];
}

/** librosa.load (see the module comment). Errors name the file (one line). */
export async function load(path: string, opts: LoadOptions = {}): Promise<LoadedAudio> {
  const o = withDefaults(opts);
  const a = await readAudio(path, { offset: o.offset, duration: o.duration });
  return toRate(a, path, o);
}

/** load() on audio bytes already in memory (the feature store hashes them first). */
export async function loadBytes(bytes: Uint8Array, name: string, opts: LoadOptions = {}): Promise<LoadedAudio> {
  const o = withDefaults(opts);
  const a = await decodeAudioBytes(bytes, name, { offset: o.offset, duration: o.duration });
  return toRate(a, name, o);
}

function withDefaults(opts: LoadOptions): { sr: number | null; offset: number; duration: number | null; resType: ResampyFilter } {
  return {
    sr: opts.sr === undefined ? 22050 : opts.sr,
    offset: opts.offset ?? 0.5,
    duration: opts.duration === undefined ? 2.5 : opts.duration,
    resType: opts.resType ?? 'kaiser_best',
  };
}

function toRate(
  a: { y: Float32Array; sr: number; info: AudioInfo; warnings: string[] },
  name: string,
  o: ReturnType<typeof withDefaults>,
): LoadedAudio {
  const sr = o.sr;
  const base = { srNative: a.sr, info: a.info, warnings: a.warnings };
  if (sr === null || sr === a.sr) return { y: a.y, sr: a.sr, ...base };
  if (a.y.length === 0) return { y: new Float32Array(0), sr, ...base };
  let y: Float32Array;
  try {
    y = resample(a.y, a.sr, sr, { filter: o.resType });
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
  return { y, sr, ...base };
}
