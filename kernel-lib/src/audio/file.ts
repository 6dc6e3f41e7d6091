/**
 * Audio files on disk (Node only): `soundfile.SoundFile(path)` + seek + read as librosa.load
 * uses it, for every format decode.ts reads, and librosa's audioread fallback (ffmpeg) for the
 * others. The format is sniffed from the first bytes, never taken from the name.
 *
 * - WAV and AIFF: the header and then only the span's bytes are read from disk.
 * - FLAC, Ogg, MP3: the file is read and decoded whole, then cut (decode.ts).
 * - Anything else (M4A/AAC, WMA, ...): decoded by `ffmpeg` when it is on the PATH (ffmpeg.ts);
 *   without it, a one-line error that lists the formats read and says ffmpeg adds the rest.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { id3v2Size } from './codecs';
import {
  type AudioInfo,
  type DecodedAudio,
  decodeAudio,
  decodeAudioInfo,
  pcmSourceInfo,
  readPcmSource,
  sniffFormat,
  SNIFF_BYTES,
  unsupportedFormat,
} from './decode';
import { ffmpegAvailable, ffmpegDecode } from './ffmpeg';
import { AudioError, type ByteSource, type SpanOptions } from './pcm';
import { encodeWav, type EncodeWavOptions } from './wav';

function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(pos, len) {
      const n = Math.max(0, Math.min(len, size - pos));
      const buf = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const r = fs.readSync(fd, buf, got, n - got, pos + got);
        if (r <= 0) break;
        got += r;
      }
      return got === n ? buf : buf.subarray(0, got);
    },
  };
}

/** Opens `file` and runs `fn` on its bytes; I/O errors become one-line AudioErrors. */
function withFile<T>(file: string, fn: (src: ByteSource) => T): T {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e: any) {
    throw new AudioError(file, e?.code === 'ENOENT' ? 'no such file' : `cannot open (${e?.code ?? e?.message ?? e})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new AudioError(file, 'not a regular file');
    return fn(fileSource(fd, st.size));
  } catch (e: any) {
    if (e instanceof AudioError || e instanceof RangeError) throw e;
    throw new AudioError(file, `read error (${e?.code ?? e?.message ?? e})`);
  } finally {
    fs.closeSync(fd);
  }
}

type Plan = { kind: 'wav' } | { kind: 'aiff' } | { kind: 'whole' } | { kind: 'other'; what: string };

/** What to do with a file, from its first bytes (past an ID3v2 tag). */
function plan(src: ByteSource): Plan {
  let head = src.read(0, SNIFF_BYTES);
  const skip = id3v2Size(head);
  if (skip > 0) return { kind: 'whole' }; // an ID3-tagged MP3 or FLAC: decode.ts looks past the tag
  const s = sniffFormat(head);
  if (s.format === 'wav') return { kind: 'wav' };
  if (s.format === 'aiff') return { kind: 'aiff' };
  if (s.format !== null) return { kind: 'whole' };
  if (s.what.startsWith('Ogg stream (first packet')) {
    head = src.read(0, 64 * 1024); // a first Ogg page with a long segment table
    const again = sniffFormat(head);
    if (again.format !== null) return { kind: 'whole' };
    return { kind: 'other', what: again.what };
  }
  return { kind: 'other', what: s.what };
}

function readAll(src: ByteSource, file: string): Uint8Array {
  const b = src.read(0, src.size);
  if (b.length < src.size) throw new AudioError(file, `truncated read (${b.length} of ${src.size} bytes; file changed?)`);
  return b;
}

/**
 * librosa.load(path, sr=None, mono=True, offset, duration) for any format: the span at the
 * native rate, mixed to mono (see the module comment for what is read from disk).
 */
export async function readAudio(file: string, opts: SpanOptions = {}): Promise<DecodedAudio> {
  const r = withFile(file, (src): DecodedAudio | Uint8Array | { other: string } => {
    const p = plan(src);
    if (p.kind === 'wav' || p.kind === 'aiff') return readPcmSource(src, p.kind, file, opts);
    if (p.kind === 'whole') return readAll(src, file);
    return { other: p.what };
  });
  if (r instanceof Uint8Array) return decodeAudio(r, opts, file);
  if ('other' in r) return viaFfmpeg(file, r.other, opts);
  return r;
}

/** Rate, channels, frames and duration of an audio file (WAV and AIFF: the header only). */
export async function readAudioInfo(file: string): Promise<AudioInfo> {
  const r = withFile(file, (src): AudioInfo | Uint8Array | { other: string } => {
    const p = plan(src);
    if (p.kind === 'wav' || p.kind === 'aiff') return pcmSourceInfo(src, p.kind, file);
    if (p.kind === 'whole') return readAll(src, file);
    return { other: p.what };
  });
  if (r instanceof Uint8Array) return decodeAudioInfo(r, file);
  if ('other' in r) return (await viaFfmpeg(file, r.other, {})).info;
  return r;
}

/** librosa's audioread fallback when ffmpeg is here, else the one-line unsupported-format error. */
function viaFfmpeg(file: string, what: string, opts: SpanOptions): Promise<DecodedAudio> {
  if (!ffmpegAvailable()) throw unsupportedFormat(file, what);
  return ffmpegDecode(file, opts);
}

/**
 * The uncompressed containers (WAV, AIFF) synchronously, reading only the header and the span
 * from disk; any other format is an error that points to `readAudio`. For code that cannot
 * await (tests, benchmarks, scripts); `readAudio` is the general reader.
 */
export function readPcmFile(file: string, opts: SpanOptions = {}): DecodedAudio {
  return withFile(file, (src) => {
    const p = plan(src);
    if (p.kind === 'wav' || p.kind === 'aiff') return readPcmSource(src, p.kind, file, opts);
    if (p.kind === 'whole') throw new AudioError(file, 'compressed format: read it with readAudio (async)');
    throw unsupportedFormat(file, p.what);
  });
}

/** Header of a WAV or AIFF file, synchronously (see readPcmFile). */
export function readPcmFileInfo(file: string): AudioInfo {
  return withFile(file, (src) => {
    const p = plan(src);
    if (p.kind === 'wav' || p.kind === 'aiff') return pcmSourceInfo(src, p.kind, file);
    if (p.kind === 'whole') throw new AudioError(file, 'compressed format: read it with readAudioInfo (async)');
    throw unsupportedFormat(file, p.what);
  });
}

/**
 * librosa.load on bytes already in memory (the feature store hashes them first): decode.ts,
 * plus the ffmpeg fallback through a temporary file for formats it does not read.
 */
export async function decodeAudioBytes(bytes: Uint8Array, name: string, opts: SpanOptions = {}): Promise<DecodedAudio> {
  try {
    return await decodeAudio(bytes, opts, name);
  } catch (e) {
    if (!(e instanceof AudioError) || !/^unsupported format: /.test(e.reason) || !ffmpegAvailable()) throw e;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-ffmpeg-'));
  const tmp = path.join(dir, 'input');
  try {
    fs.writeFileSync(tmp, bytes);
    return await ffmpegDecode(tmp, opts);
  } catch (e) {
    if (e instanceof AudioError) throw new AudioError(name, e.reason);
    throw e;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `encodeWav(...)` to a file. */
export function writeWav(file: string, y: Float32Array | Float32Array[], sr: number, opts: EncodeWavOptions = {}): void {
  fs.writeFileSync(file, encodeWav(y, sr, opts));
}
