/**
 * The WAV container (RIFF/WAVE), read and written without Node built-ins, framed like
 * `librosa.load(path, sr=None, mono=True, offset, duration)` (soundfile / libsndfile underneath
 * librosa); file access is in file.ts, format sniffing in decode.ts:
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
 *   only that span is read (from disk, through file.ts). A file shorter than offset+duration gives a shorter `y`
 *   (librosa does the same); the caller decides what to do (the feature code pads, see there).
 * - Anything unusable (empty, not RIFF/WAVE, truncated, unsupported codec, zero frames, NaN/Inf
 *   samples, inconsistent header) throws an `AudioError` whose message is one line:
 *   `<file>: <reason>`. Declared sizes are never trusted for allocation: nothing larger than the
 *   bytes actually present is ever allocated, and the chunk walk always advances.
 */
import type { ByteSource, ChunkRules, PcmContainer, PcmLayout, SpanOptions } from './pcm';
import { bufferSource, containerHead, fourcc, plausibleId, printable, readPcmContainer, walkChunks } from './pcm';

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

/** librosa's offset / duration (seconds) */
export type ReadWavOptions = SpanOptions;

export interface WavAudio {
  /** mono float32 samples at the native rate */
  y: Float32Array;
  sr: number;
  info: WavInfo;
}

const FMT_PCM = 0x0001;
const FMT_FLOAT = 0x0003;
const FMT_EXTENSIBLE = 0xfffe;
/** largest `fmt ` chunk body accepted (the real ones are 16, 18 or 40 bytes) */
const MAX_FMT_BYTES = 4096;
/** the "unknown length" marker streaming writers put in size fields */
const SIZE_UNKNOWN = 0xffffffff;

const CODEC_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'mu-law',
  17: 'IMA ADPCM',
  49: 'GSM 6.10',
  80: 'MPEG',
  85: 'MP3',
  255: 'AAC',
  5648: 'AAC',
  61868: 'FLAC',
};

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

/**
 * The chunks parseWavHeader looks for (RIFF: little-endian sizes). Chunks are padded to an even
 * size; some writers forget the pad byte: then the unpadded position is taken if only it holds a
 * plausible chunk id. A data chunk of unknown size (streamed) ends the walk.
 */
const WAV_CHUNKS: ChunkRules = {
  u32,
  format: { id: 'fmt ', name: 'fmt', min: 16, max: MAX_FMT_BYTES },
  data: { id: 'data', name: 'data', min: 0 },
  sizeUnknown: SIZE_UNKNOWN,
  next: (src, body, size) => {
    const pos = body + size;
    if (!(size & 1)) return pos;
    const padded = src.read(pos + 1, 4);
    const unpadded = src.read(pos, 4);
    return unpadded.length === 4 && plausibleId(unpadded) && !(padded.length === 4 && plausibleId(padded)) ? pos : pos + 1;
  },
};

/** Walks the RIFF chunks (headers only) and returns the sample layout; throws AudioError. */
export function parseWavHeader(src: ByteSource, name: string): WavInfo {
  const { fail, head } = containerHead(src, name, 'RIFF');
  const riff = fourcc(head, 0);
  if (riff !== 'RIFF') {
    if (riff === 'RIFX') fail('not supported: big-endian RIFX file');
    if (riff === 'RF64') fail('not supported: RF64 file');
    fail(`not a RIFF/WAVE file (starts with '${printable(riff)}')`);
  }
  const wave = fourcc(head, 8);
  if (wave !== 'WAVE') fail(`not a WAVE file (RIFF form type '${printable(wave)}')`);

  const { format: fmt, dataPos, dataDeclared, pos } = walkChunks(src, WAV_CHUNKS, fail);
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

/** The sample layout of a parsed header (pcm.ts converts the samples). */
export function wavLayout(info: WavInfo): PcmLayout {
  return { encoding: info.format, channels: info.channels, containerBytes: info.containerBytes, bigEndian: false, unsigned8: true };
}

/** WAV for pcm.ts's readers. */
export const WAV_CONTAINER: PcmContainer<WavInfo> = { parseHeader: parseWavHeader, layout: wavLayout };

/** Decodes WAV bytes (see the module comment); `name` is used in error messages. */
export function decodeWav(bytes: Uint8Array, opts: ReadWavOptions = {}, name = '<buffer>'): WavAudio {
  return readPcmContainer(WAV_CONTAINER, bufferSource(bytes), name, opts);
}

/** Header of WAV bytes. */
export function decodeWavInfo(bytes: Uint8Array, name = '<buffer>'): WavInfo {
  return parseWavHeader(bufferSource(bytes), name);
}

export interface EncodeWavOptions {
  /** 8, 16, 24 or 32 for PCM; 32 or 64 with float (default 16) */
  bitDepth?: number;
  float?: boolean;
  /** LIST/INFO tags written before the samples, e.g. { ICMT: 'comment', ISFT: 'software' } */
  info?: Record<string, string>;
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** A LIST/INFO chunk (ids of 4 ASCII characters; values as zero-terminated, even-padded ASCII). */
function infoChunk(info: Record<string, string>): Uint8Array {
  const subs: Uint8Array[] = [];
  for (const id of Object.keys(info).sort()) {
    if (!/^[A-Z0-9]{4}$/.test(id)) throw new RangeError(`encodeWav: bad INFO id '${id}'`);
    const v = latin1(`${info[id].replace(/[^\x20-\x7e]/g, '?')}\0`);
    const size = v.length;
    const b = new Uint8Array(8 + size + (size & 1));
    b.set(latin1(id), 0);
    new DataView(b.buffer).setUint32(4, size, true);
    b.set(v, 8);
    subs.push(b);
  }
  const body = 4 + subs.reduce((s, b) => s + b.length, 0);
  const out = new Uint8Array(8 + body);
  out.set(latin1('LIST'), 0);
  new DataView(out.buffer).setUint32(4, body, true);
  out.set(latin1('INFO'), 8);
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
