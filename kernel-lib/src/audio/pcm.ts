/**
 * What every audio container shares once its header is read, as libsndfile (soundfile, under
 * librosa.load) treats it: the one-line error type, random access to bytes, the frame span of
 * librosa's `offset`/`duration`, integer and float samples to float32, and librosa.to_mono.
 * No Node built-ins: this module (and every decoder above it but file.ts/ffmpeg.ts) runs in a
 * browser too.
 */

/** A file that cannot be used; message is `<file>: <reason>` (one line). */
export class AudioError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string) {
    const r = reason.replace(/\s*\n\s*/g, ' ');
    super(`${file}: ${r}`);
    this.name = 'AudioError';
    this.file = file;
    this.reason = r;
  }
}

/** Random access to the bytes of a file or a buffer. */
export interface ByteSource {
  size: number;
  /** at most `len` bytes from `pos` (fewer at the end) */
  read(pos: number, len: number): Uint8Array;
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (pos, len) => bytes.subarray(Math.min(pos, bytes.length), Math.min(pos + len, bytes.length)),
  };
}

export interface SpanOptions {
  /** seconds to skip (librosa `offset`) */
  offset?: number;
  /** seconds to read (librosa `duration`); all the rest when omitted or null */
  duration?: number | null;
}

/**
 * The frames librosa.load reads: [int(offset*sr), int(offset*sr) + int(duration*sr)), clipped
 * to the `frames` present (a short file gives a short span, as in librosa).
 */
export function frameSpan(sampleRate: number, frames: number, opts: SpanOptions = {}): { start: number; count: number } {
  const off = opts.offset ?? 0;
  if (!(off >= 0) || !Number.isFinite(off)) throw new RangeError(`offset must be a finite number >= 0, got ${opts.offset}`);
  const start = Math.min(Math.trunc(off * sampleRate), frames);
  let count = frames - start;
  if (opts.duration !== undefined && opts.duration !== null) {
    const d = opts.duration;
    if (!(d >= 0) || !Number.isFinite(d)) throw new RangeError(`duration must be a finite number >= 0, got ${d}`);
    count = Math.min(count, Math.trunc(d * sampleRate));
  }
  return { start, count: Math.max(0, count) };
}

/** How uncompressed samples are stored (WAV, AIFF, AIFF-C). */
export interface PcmLayout {
  encoding: 'pcm' | 'float';
  channels: number;
  /** bytes per sample in the file (container width) */
  containerBytes: number;
  bigEndian: boolean;
  /** 8-bit samples are unsigned in WAV, signed in AIFF */
  unsigned8: boolean;
}

/** The host stores numbers little-endian: typed-array views can read little-endian samples. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Interleaved PCM/float bytes of `frames` frames to float32 channels interleaved, scaled as
 * libsndfile scales them for `dtype='float32'`: integers x / 2^(bits-1) of the container
 * (8-bit unsigned: (x - 128) / 128; 32-bit: x rounded to float32 first, as `(float) x * norm`),
 * floats as stored. A NaN or infinite float sample is an error naming its frame.
 */
export function pcmToFloat32(bytes: Uint8Array, layout: PcmLayout, frames: number, name: string, firstFrame: number): Float32Array {
  const cb = layout.containerBytes;
  const n = frames * layout.channels;
  const le = !layout.bigEndian;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v = new Float32Array(n);
  if (layout.encoding === 'float') {
    if (cb === 4) for (let i = 0; i < n; i++) v[i] = dv.getFloat32(i * 4, le);
    else for (let i = 0; i < n; i++) v[i] = dv.getFloat64(i * 8, le);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(v[i])) {
        const frame = firstFrame + Math.floor(i / layout.channels);
        throw new AudioError(name, `${Number.isNaN(v[i]) ? 'NaN' : 'infinite'} sample at frame ${frame}`);
      }
    }
  } else if (cb === 1) {
    if (layout.unsigned8) for (let i = 0; i < n; i++) v[i] = (bytes[i] - 128) / 128;
    else for (let i = 0; i < n; i++) v[i] = ((bytes[i] << 24) >> 24) / 128;
  } else if (cb === 2) {
    if (le && LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) {
      // an Int16Array view reads little-endian samples directly (faster than DataView)
      const a = new Int16Array(bytes.buffer, bytes.byteOffset, n);
      for (let i = 0; i < n; i++) v[i] = a[i] / 32768;
    } else {
      for (let i = 0; i < n; i++) v[i] = dv.getInt16(i * 2, le) / 32768;
    }
  } else if (cb === 3) {
    const [b0, b2] = le ? [0, 2] : [2, 0];
    for (let i = 0, p = 0; i < n; i++, p += 3) {
      const x = (bytes[p + b0] | (bytes[p + 1] << 8) | (bytes[p + b2] << 16)) << 8; // sign from bit 23
      v[i] = (x >> 8) / 8388608;
    }
  } else {
    for (let i = 0; i < n; i++) v[i] = Math.fround(dv.getInt32(i * 4, le)) / 2147483648;
  }
  return v;
}

/** Where a parsed WAV or AIFF header says the samples are. */
export interface PcmPlacement {
  sampleRate: number;
  frames: number;
  dataOffset: number;
  blockAlign: number;
}

/**
 * The mono samples of librosa's offset/duration span of an uncompressed container: reads only
 * those bytes from `src`, converts them (pcmToFloat32) and mixes them (toMono).
 */
export function readPcmSpan(src: ByteSource, name: string, at: PcmPlacement, layout: PcmLayout, opts: SpanOptions): Float32Array {
  const { start, count } = frameSpan(at.sampleRate, at.frames, opts);
  const pos = at.dataOffset + start * at.blockAlign;
  const len = count * at.blockAlign;
  const bytes = len > 0 ? src.read(pos, len) : new Uint8Array(0);
  if (bytes.length < len) throw new AudioError(name, `truncated: could not read ${len} bytes at ${pos} (file changed?)`);
  return toMono(pcmToFloat32(bytes, layout, count, name, start), layout.channels);
}

/** An uncompressed container (WAV, AIFF): its header parser and the sample layout a header gives. */
export interface PcmContainer<I extends PcmPlacement> {
  parseHeader(src: ByteSource, name: string): I;
  layout(info: I): PcmLayout;
}

/** Reads the span of `opts` from a container's source (the header, then only the span's bytes), mixed to mono. */
export function readPcmContainer<I extends PcmPlacement>(
  c: PcmContainer<I>,
  src: ByteSource,
  name: string,
  opts: SpanOptions,
): { y: Float32Array; sr: number; info: I } {
  const info = c.parseHeader(src, name);
  return { y: readPcmSpan(src, name, info, c.layout(info), opts), sr: info.sampleRate, info };
}

/**
 * librosa.to_mono on what soundfile returns: the float32 mean over channels, summed in channel
 * order in float32 then divided (numpy's `np.mean(y, axis=0)` on a (channels, frames) array).
 * `interleaved` holds frames x channels samples; one channel is returned as is.
 */
export function toMono(interleaved: Float32Array, channels: number): Float32Array {
  if (channels === 1) return interleaved;
  const frames = Math.floor(interleaved.length / channels);
  const y = new Float32Array(frames);
  const f32 = Math.fround;
  for (let t = 0, p = 0; t < frames; t++) {
    let s = interleaved[p++];
    for (let c = 1; c < channels; c++) s = f32(s + interleaved[p++]);
    y[t] = s / channels;
  }
  return y;
}

/** toMono over separate channel arrays (what the compressed-format decoders return). */
export function planarToMono(chans: Float32Array[], start = 0, count = chans[0]?.length ?? 0): Float32Array {
  if (chans.length === 1) return chans[0].slice(start, start + count);
  const y = new Float32Array(count);
  const f32 = Math.fround;
  const nc = chans.length;
  for (let t = 0; t < count; t++) {
    let s = chans[0][start + t];
    for (let c = 1; c < nc; c++) s = f32(s + chans[c][start + t]);
    y[t] = s / nc;
  }
  return y;
}

export const fourcc = (b: Uint8Array, o: number): string => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
/** four printable ASCII bytes, as every chunk id is */
export const plausibleId = (b: Uint8Array): boolean => b.length >= 4 && [0, 1, 2, 3].every((i) => b[i] >= 0x20 && b[i] <= 0x7e);
export const printable = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?');

/**
 * The start of an IFF-style container (RIFF/WAVE, FORM/AIFF): the `fail` that throws its
 * one-line AudioError, and its first 12 bytes (id, size, form type); an empty file or a shorter
 * header fails, `kind` naming the header in the message.
 */
export function containerHead(src: ByteSource, name: string, kind: string): { fail: (reason: string) => never; head: Uint8Array } {
  const fail = (reason: string): never => {
    throw new AudioError(name, reason);
  };
  if (src.size === 0) fail('empty file (0 bytes)');
  const head = src.read(0, 12);
  if (head.length < 12) fail(`truncated ${kind} header (${src.size} bytes, need 12)`);
  return { fail, head };
}

/** What a chunk walk looks for and how the container lays its chunks out. */
export interface ChunkRules {
  /** the container's 32-bit size field (RIFF little-endian, IFF big-endian) */
  u32: (b: Uint8Array, o: number) => number;
  /** the format chunk: its id, its name in messages, the smallest and largest body accepted */
  format: { id: string; name: string; min: number; max: number };
  /** the sample chunk: its id, its name in messages, the smallest size accepted */
  data: { id: string; name: string; min: number };
  /** a sample chunk declaring this size runs to the end of the file: the walk stops at it */
  sizeUnknown?: number;
  /** where the chunk after one of `size` bytes from `body` starts (padding to an even size) */
  next: (src: ByteSource, body: number, size: number) => number;
}

/** The format chunk's body (null: none), the sample chunk's body position (-1: none) and declared size. */
export interface ChunkWalk {
  format: Uint8Array | null;
  dataPos: number;
  dataDeclared: number;
  /** where the walk stopped */
  pos: number;
}

/**
 * Walks the chunks after the 12-byte header (headers only; the format chunk's body is read)
 * until both the format and the sample chunk are found or the file ends (a format chunk after
 * the samples is legal but rare: the walk goes on past them); a format chunk of a bad size, or a
 * sample chunk below its minimum, fails. Always advances at least 8 bytes.
 */
export function walkChunks(src: ByteSource, rules: ChunkRules, fail: (reason: string) => never): ChunkWalk {
  const { format: f, data: d } = rules;
  let format: Uint8Array | null = null;
  let dataPos = -1;
  let dataDeclared = 0;
  let pos = 12;
  while (pos + 8 <= src.size && (format === null || dataPos < 0)) {
    const h = src.read(pos, 8);
    if (h.length < 8) break;
    const id = fourcc(h, 0);
    const size = rules.u32(h, 4);
    const body = pos + 8;
    if (id === f.id) {
      if (size < f.min) fail(`bad ${f.name} chunk (size ${size}, need at least ${f.min})`);
      if (size > f.max) fail(`bad ${f.name} chunk (declared size ${size})`);
      const b = src.read(body, size);
      if (b.length < size) fail(`truncated ${f.name} chunk (${b.length} of ${size} bytes)`);
      format = b;
    } else if (id === d.id) {
      if (size < d.min) fail(`bad ${d.name} chunk (size ${size}, need at least ${d.min})`);
      dataPos = body;
      dataDeclared = size;
      if (size === rules.sizeUnknown) break;
    }
    pos = rules.next(src, body, size);
  }
  return { format, dataPos, dataDeclared, pos };
}
