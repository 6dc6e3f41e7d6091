/**
 * Robust WAV reading and writing, framed like `librosa.load(path, sr=None, mono=True,
 * offset, duration)` (soundfile / libsndfile underneath librosa):
 *
 * - PCM 8 (unsigned), 16, 24, 32-bit integer and IEEE float 32/64, plain `fmt ` or
 *   WAVE_FORMAT_EXTENSIBLE; "odd" depths stored in a wider container (12 bits in 2 bytes,
 *   20 bits in 3) are read as their container, as libsndfile does.
 * - Integer samples are scaled as libsndfile scales them for `dtype='float32'`: x / 2^(bits-1)
 *   (8-bit: (x - 128) / 128). node-wav (the project's WAV dependency, used by the tests as the
 *   independent reference decoder) divides positive values by 2^(bits-1) - 1 instead, a 1-LSB
 *   difference that would break librosa parity, so the sample conversion is done here.
 * - Several channels are mixed to mono as `librosa.to_mono` does: the float32 mean over channels.
 * - `offset` / `duration` select frames [int(offset*sr), int(offset*sr) + int(duration*sr)) and
 *   only that span is read from disk. A file shorter than offset+duration gives a shorter `y`
 *   (librosa does the same); the caller decides what to do (the feature code pads, see there).
 * - Anything unusable (empty, not RIFF/WAVE, truncated, unsupported codec, zero frames, NaN/Inf
 *   samples, inconsistent header) throws a `WavError` whose message is one line:
 *   `<file>: <reason>`. Declared sizes are never trusted for allocation: nothing larger than the
 *   bytes actually present is ever allocated, and the chunk walk always advances.
 */
import * as fs from 'fs';

export type WavFormat = 'pcm' | 'float';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  /** whole frames present in the file */
  frames: number;
  /** bits per sample as declared (e.g. 12 for 12-in-16) */
  bitDepth: number;
  /** bytes per sample in the file (container width) */
  containerBytes: number;
  format: WavFormat;
  /** WAVE format tag (1 PCM, 3 float, 0xFFFE extensible) */
  formatTag: number;
  durationS: number;
  /** byte offset of the first sample in the file */
  dataOffset: number;
  /** bytes of sample data used (frames * blockAlign) */
  dataBytes: number;
  blockAlign: number;
}

export interface ReadWavOptions {
  /** seconds to skip (librosa `offset`) */
  offset?: number;
  /** seconds to read (librosa `duration`); all the rest when omitted */
  duration?: number;
}

export interface WavAudio {
  /** mono float32 samples at the native rate */
  y: Float32Array;
  sr: number;
  info: WavInfo;
}

/** A file that cannot be used; message is `<file>: <reason>` (one line). */
export class WavError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string) {
    const r = reason.replace(/\s*\n\s*/g, ' ');
    super(`${file}: ${r}`);
    this.name = 'WavError';
    this.file = file;
    this.reason = r;
  }
}

const FMT_PCM = 0x0001;
const FMT_FLOAT = 0x0003;
const FMT_EXTENSIBLE = 0xfffe;
/** largest `fmt ` chunk body accepted (the real ones are 16, 18 or 40 bytes) */
const MAX_FMT_BYTES = 4096;
/** the "unknown length" marker streaming writers put in size fields */
const SIZE_UNKNOWN = 0xffffffff;

const CODEC_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x00ff: 'AAC',
  0x1610: 'AAC',
  0xf1ac: 'FLAC',
};

/** Random access to the bytes of a file or a buffer. */
interface ByteSource {
  size: number;
  /** at most `len` bytes from `pos` (fewer at the end) */
  read(pos: number, len: number): Uint8Array;
}

function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (pos, len) => bytes.subarray(Math.min(pos, bytes.length), Math.min(pos + len, bytes.length)),
  };
}

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

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const fourcc = (b: Uint8Array, o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
/** four printable ASCII bytes, as every chunk id is */
const plausibleId = (b: Uint8Array) => b.length >= 4 && [0, 1, 2, 3].every((i) => b[i] >= 0x20 && b[i] <= 0x7e);
const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

/** Walks the RIFF chunks (headers only) and returns the sample layout; throws WavError. */
function parseHeader(src: ByteSource, name: string): WavInfo {
  const fail = (reason: string): never => {
    throw new WavError(name, reason);
  };
  if (src.size === 0) fail('empty file (0 bytes)');
  const head = src.read(0, 12);
  if (head.length < 12) fail(`truncated RIFF header (${src.size} bytes, need 12)`);
  const riff = fourcc(head, 0);
  if (riff !== 'RIFF') {
    if (riff === 'RIFX') fail('not supported: big-endian RIFX file');
    if (riff === 'RF64') fail('not supported: RF64 file');
    fail(`not a RIFF/WAVE file (starts with '${printable(riff)}')`);
  }
  const wave = fourcc(head, 8);
  if (wave !== 'WAVE') fail(`not a WAVE file (RIFF form type '${printable(wave)}')`);

  let fmt: Uint8Array | null = null;
  let dataPos = -1;
  let dataDeclared = 0;
  let pos = 12;
  while (pos + 8 <= src.size && (fmt === null || dataPos < 0)) {
    const h = src.read(pos, 8);
    if (h.length < 8) break;
    const id = fourcc(h, 0);
    const size = u32(h, 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16) fail(`bad fmt chunk (size ${size}, need at least 16)`);
      if (size > MAX_FMT_BYTES) fail(`bad fmt chunk (declared size ${size})`);
      const b = src.read(body, size);
      if (b.length < size) fail(`truncated fmt chunk (${b.length} of ${size} bytes)`);
      fmt = b;
    } else if (id === 'data') {
      dataPos = body;
      dataDeclared = size;
      if (fmt === null) {
        // fmt after data is legal but rare: keep walking past the samples
        if (size === SIZE_UNKNOWN) break;
      }
    }
    if (id === 'data' && size === SIZE_UNKNOWN) break;
    // chunks are padded to an even size (some writers forget the pad byte: then take the
    // unpadded position if only it holds a plausible chunk id); always advances >= 8 bytes
    pos = body + size;
    if (size & 1) {
      const padded = src.read(pos + 1, 4);
      const unpadded = src.read(pos, 4);
      if (!(unpadded.length === 4 && plausibleId(unpadded) && !(padded.length === 4 && plausibleId(padded)))) pos += 1;
    }
  }
  if (fmt === null) {
    if (dataPos >= 0) fail('no fmt chunk (data chunk without format)');
    fail(src.size < 44 ? `truncated header (${src.size} bytes, no fmt chunk)` : 'no fmt chunk');
  }
  const f = fmt as Uint8Array;
  let tag = u16(f, 0);
  const channels = u16(f, 2);
  const sampleRate = u32(f, 4);
  const blockAlign = u16(f, 12);
  const bitDepth = u16(f, 14);
  const formatTag = tag;
  if (tag === FMT_EXTENSIBLE) {
    if (f.length < 40) fail(`bad WAVE_FORMAT_EXTENSIBLE fmt chunk (${f.length} bytes, need 40)`);
    tag = u16(f, 24); // first two bytes of the SubFormat GUID
    const guidTail = Array.from(f.subarray(26, 40))
      .map((x) => x.toString(16).padStart(2, '0'))
      .join('');
    if (guidTail !== '000000001000800000aa00389b71') fail('unsupported codec (unknown extensible SubFormat GUID)');
  }
  if (tag !== FMT_PCM && tag !== FMT_FLOAT) {
    const known = CODEC_NAMES[tag];
    fail(`unsupported codec: format tag 0x${tag.toString(16).padStart(4, '0')}${known ? ` (${known})` : ''}; only PCM and IEEE float`);
  }
  if (channels === 0) fail('bad fmt chunk: 0 channels');
  if (sampleRate === 0) fail('bad fmt chunk: sample rate 0');
  if (bitDepth === 0) fail('bad fmt chunk: 0 bits per sample');
  const format: WavFormat = tag === FMT_FLOAT ? 'float' : 'pcm';
  const containerBytes = Math.ceil(bitDepth / 8);
  if (format === 'float' && bitDepth !== 32 && bitDepth !== 64) fail(`unsupported float bit depth ${bitDepth} (only 32 and 64)`);
  if (format === 'pcm' && (bitDepth > 32 || containerBytes < 1)) fail(`unsupported PCM bit depth ${bitDepth} (above 32 bits)`);
  if (format === 'pcm' && bitDepth < 8) fail(`unsupported PCM bit depth ${bitDepth} (below 8 bits)`);
  if (blockAlign !== channels * containerBytes) {
    fail(`inconsistent fmt chunk: block align ${blockAlign} != ${channels} channels x ${containerBytes} bytes`);
  }
  if (dataPos < 0) fail(pos >= src.size ? 'no data chunk (file ends after the header)' : 'no data chunk');
  const available = Math.max(0, src.size - dataPos);
  let dataBytes: number;
  if (dataDeclared === SIZE_UNKNOWN) {
    dataBytes = available; // streamed WAV: the samples run to the end of the file
  } else {
    if (dataDeclared > available) {
      fail(`truncated: data chunk declares ${dataDeclared} bytes, only ${available} present`);
    }
    dataBytes = dataDeclared;
  }
  const frames = Math.floor(dataBytes / blockAlign);
  if (frames === 0) fail('zero-length: no audio frames');
  return {
    sampleRate,
    channels,
    frames,
    bitDepth,
    containerBytes,
    format,
    formatTag,
    durationS: frames / sampleRate,
    dataOffset: dataPos,
    dataBytes: frames * blockAlign,
    blockAlign,
  };
}

/** The frame span librosa.load reads for offset/duration (clipped to the file). */
export function wavSpan(info: Pick<WavInfo, 'sampleRate' | 'frames'>, opts: ReadWavOptions = {}): { start: number; count: number } {
  const sr = info.sampleRate;
  const off = opts.offset ?? 0;
  if (!(off >= 0) || !Number.isFinite(off)) throw new RangeError(`offset must be a finite number >= 0, got ${opts.offset}`);
  const start = Math.min(Math.trunc(off * sr), info.frames);
  let count = info.frames - start;
  if (opts.duration !== undefined && opts.duration !== null) {
    const d = opts.duration;
    if (!(d >= 0) || !Number.isFinite(d)) throw new RangeError(`duration must be a finite number >= 0, got ${d}`);
    count = Math.min(count, Math.trunc(d * sr));
  }
  return { start, count: Math.max(0, count) };
}

/** Converts interleaved sample bytes to a mono float32 signal (librosa.to_mono: mean over channels). */
/** The host stores numbers little-endian (as WAV does): typed-array views can read samples. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function decodeSamples(bytes: Uint8Array, info: WavInfo, frames: number, name: string, firstFrame: number): Float32Array {
  const ch = info.channels;
  const cb = info.containerBytes;
  const n = frames * ch;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v = new Float32Array(n);
  const f32 = Math.fround;
  if (info.format === 'float') {
    if (cb === 4) for (let i = 0; i < n; i++) v[i] = dv.getFloat32(i * 4, true);
    else for (let i = 0; i < n; i++) v[i] = dv.getFloat64(i * 8, true);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(v[i])) {
        const frame = firstFrame + Math.floor(i / ch);
        throw new WavError(name, `${Number.isNaN(v[i]) ? 'NaN' : 'infinite'} sample at frame ${frame}`);
      }
    }
  } else if (cb === 1) {
    for (let i = 0; i < n; i++) v[i] = (bytes[i] - 128) / 128;
  } else if (cb === 2) {
    if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) {
      // an Int16Array view reads the little-endian samples directly (faster than DataView)
      const a = new Int16Array(bytes.buffer, bytes.byteOffset, n);
      for (let i = 0; i < n; i++) v[i] = a[i] / 32768;
    } else {
      for (let i = 0; i < n; i++) v[i] = dv.getInt16(i * 2, true) / 32768;
    }
  } else if (cb === 3) {
    for (let i = 0, p = 0; i < n; i++, p += 3) {
      const x = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8; // sign from bit 23
      v[i] = (x >> 8) / 8388608;
    }
  } else {
    for (let i = 0; i < n; i++) v[i] = f32(dv.getInt32(i * 4, true)) / 2147483648;
  }
  if (ch === 1) return v;
  const y = new Float32Array(frames);
  for (let t = 0, p = 0; t < frames; t++) {
    let s = v[p++];
    for (let c = 1; c < ch; c++) s = f32(s + v[p++]);
    y[t] = s / ch;
  }
  return y;
}

function readFromSource(src: ByteSource, name: string, opts: ReadWavOptions): WavAudio {
  const info = parseHeader(src, name);
  const { start, count } = wavSpan(info, opts);
  const pos = info.dataOffset + start * info.blockAlign;
  const len = count * info.blockAlign;
  const bytes = len > 0 ? src.read(pos, len) : new Uint8Array(0);
  if (bytes.length < len) throw new WavError(name, `truncated: could not read ${len} bytes at ${pos} (file changed?)`);
  const y = decodeSamples(bytes, info, count, name, start);
  return { y, sr: info.sampleRate, info };
}

/** Decodes WAV bytes (see the module comment); `name` is used in error messages. */
export function decodeWav(bytes: Uint8Array, opts: ReadWavOptions = {}, name = '<buffer>'): WavAudio {
  return readFromSource(bufferSource(bytes), name, opts);
}

function withFile<T>(file: string, fn: (src: ByteSource) => T): T {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e: any) {
    throw new WavError(file, e?.code === 'ENOENT' ? 'no such file' : `cannot open (${e?.code ?? e?.message ?? e})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new WavError(file, 'not a regular file');
    return fn(fileSource(fd, st.size));
  } catch (e: any) {
    if (e instanceof WavError || e instanceof RangeError) throw e;
    throw new WavError(file, `read error (${e?.code ?? e?.message ?? e})`);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * librosa.load(path, sr=None, mono=True, offset, duration): mono float32 at the native rate;
 * only the requested span is read from disk.
 */
export function readWav(file: string, opts: ReadWavOptions = {}): WavAudio {
  return withFile(file, (src) => readFromSource(src, file, opts));
}

/** Header only: rate, channels, frames, bit depth, format, duration. */
export function readWavInfo(file: string): WavInfo {
  return withFile(file, (src) => parseHeader(src, file));
}

/** Header of WAV bytes. */
export function decodeWavInfo(bytes: Uint8Array, name = '<buffer>'): WavInfo {
  return parseHeader(bufferSource(bytes), name);
}

export interface EncodeWavOptions {
  /** 8, 16, 24 or 32 for PCM; 32 or 64 with float (default 16) */
  bitDepth?: number;
  float?: boolean;
  /** LIST/INFO tags written before the samples, e.g. { ICMT: 'comment', ISFT: 'software' } */
  info?: Record<string, string>;
}

/** A LIST/INFO chunk (ids of 4 ASCII characters; values as zero-terminated, even-padded ASCII). */
function infoChunk(info: Record<string, string>): Uint8Array {
  const subs: Uint8Array[] = [];
  for (const id of Object.keys(info).sort()) {
    if (!/^[A-Z0-9]{4}$/.test(id)) throw new RangeError(`encodeWav: bad INFO id '${id}'`);
    const v = Buffer.from(info[id].replace(/[^\x20-\x7e]/g, '?') + '\0', 'latin1');
    const size = v.length;
    const b = new Uint8Array(8 + size + (size & 1));
    b.set(Buffer.from(id, 'latin1'), 0);
    new DataView(b.buffer).setUint32(4, size, true);
    b.set(v, 8);
    subs.push(b);
  }
  const body = 4 + subs.reduce((s, b) => s + b.length, 0);
  const out = new Uint8Array(8 + body);
  out.set(Buffer.from('LIST', 'latin1'), 0);
  new DataView(out.buffer).setUint32(4, body, true);
  out.set(Buffer.from('INFO', 'latin1'), 8);
  let p = 12;
  for (const b of subs) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}

/**
 * Writes a WAV (PCM or IEEE float): the canonical 44-byte header, plus a LIST/INFO chunk
 * before the samples when `info` is given. Deterministic: the same samples
 * give the same bytes. PCM scaling is the inverse of the reader's (x * 2^(bits-1), rounded,
 * clipped to the integer range), so samples that came from a file of that depth round-trip
 * exactly. `y` is one channel, or an array of equally long channels (interleaved on write).
 */
export function encodeWav(y: Float32Array | Float32Array[], sr: number, opts: EncodeWavOptions = {}): Uint8Array {
  const chans = Array.isArray(y) ? y : [y];
  if (chans.length === 0) throw new RangeError('encodeWav: no channels');
  const frames = chans[0].length;
  if (chans.some((c) => c.length !== frames)) throw new RangeError('encodeWav: channels differ in length');
  if (!(Number.isInteger(sr) && sr > 0 && sr <= 0xffffffff)) throw new RangeError(`encodeWav: bad sample rate ${sr}`);
  const float = !!opts.float;
  const bits = opts.bitDepth ?? (float ? 32 : 16);
  if (float ? bits !== 32 && bits !== 64 : ![8, 16, 24, 32].includes(bits)) {
    throw new RangeError(`encodeWav: unsupported ${float ? 'float' : 'PCM'} bit depth ${bits}`);
  }
  const nc = chans.length;
  const cb = bits / 8;
  const block = nc * cb;
  const dataBytes = frames * block;
  const list = opts.info && Object.keys(opts.info).length ? infoChunk(opts.info) : new Uint8Array(0);
  const hdr = 36 + list.length;
  const out = new Uint8Array(hdr + 8 + dataBytes + (dataBytes & 1));
  const dv = new DataView(out.buffer);
  const str = (o: number, s: string) => {
    for (let i = 0; i < 4; i++) out[o + i] = s.charCodeAt(i);
  };
  str(0, 'RIFF');
  dv.setUint32(4, out.length - 8, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  dv.setUint32(16, 16, true);
  dv.setUint16(20, float ? FMT_FLOAT : FMT_PCM, true);
  dv.setUint16(22, nc, true);
  dv.setUint32(24, sr, true);
  dv.setUint32(28, sr * block, true);
  dv.setUint16(32, block, true);
  dv.setUint16(34, bits, true);
  out.set(list, 36);
  str(hdr, 'data');
  dv.setUint32(hdr + 4, dataBytes, true);
  const full = 2 ** (bits - 1);
  let p = hdr + 8;
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < nc; c++) {
      let x = chans[c][t];
      if (Number.isNaN(x)) x = 0;
      if (float) {
        if (bits === 32) dv.setFloat32(p, x, true);
        else dv.setFloat64(p, x, true);
      } else {
        let q = Math.round(x * full);
        q = q < -full ? -full : q > full - 1 ? full - 1 : q;
        if (bits === 8) out[p] = q + 128;
        else if (bits === 16) dv.setInt16(p, q, true);
        else if (bits === 24) {
          out[p] = q & 0xff;
          out[p + 1] = (q >> 8) & 0xff;
          out[p + 2] = (q >> 16) & 0xff;
        } else dv.setInt32(p, q, true);
      }
      p += cb;
    }
  }
  return out;
}

/** Writes `encodeWav(...)` to a file. */
export function writeWav(file: string, y: Float32Array | Float32Array[], sr: number, opts: EncodeWavOptions = {}): void {
  fs.writeFileSync(file, encodeWav(y, sr, opts));
}
