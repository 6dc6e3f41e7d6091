/**
 * The AIFF and AIFF-C containers (Apple's IFF audio), read as libsndfile's aiff.c reads them
 * (soundfile under librosa.load), without Node built-ins:
 *
 * - `FORM` + `AIFF` or `AIFC`; the `COMM` chunk gives channels, frames, sample size and the rate
 *   (an 80-bit IEEE extended, truncated to an integer as libsndfile does); `SSND` gives the
 *   samples after its offset field. Other chunks (`FVER`, `NAME`, `ANNO`, `MARK`, `INST`, ...) are
 *   skipped; chunks are padded to an even size.
 * - Samples: big-endian signed PCM of 8-32 bits (8-bit is signed in AIFF, unlike WAV), and in
 *   AIFF-C the compression types `NONE`/`twos` (big-endian PCM), `sowt` (little-endian PCM),
 *   `raw ` (unsigned 8-bit), `in24`/`in32` (big-endian), `23ni`/`42ni` (little-endian), and
 *   `fl32`/`fl64` (big-endian IEEE float). Scaling and the mono mix are pcm.ts's, so an AIFF and a
 *   WAV of the same samples decode to the same bits.
 * - The TESS corpus ships two such files under a `.wav` name (`YAF_germ_angry.wav`,
 *   `YAF_neat_fear.wav`: `FORM`/`AIFF` with an `FVER` chunk, 16-bit mono at 24414 Hz); decode.ts
 *   picks this reader from the bytes, as libsndfile does, not from the name.
 * - Frames: those the `SSND` data holds, or fewer when `COMM` declares fewer. An `SSND` chunk that
 *   declares more bytes than the file has is an error (as a truncated WAV is), and so is every
 *   other inconsistency: one line, `<file>: <reason>`. Nothing larger than the bytes present is
 *   allocated and the chunk walk always advances.
 */
import type { ByteSource, ChunkRules, PcmContainer, PcmLayout, SpanOptions } from './pcm';
import { bufferSource, containerHead, fourcc, printable, readPcmContainer, walkChunks } from './pcm';

export interface AiffInfo {
  /** 'AIFF' or 'AIFC' */
  form: 'AIFF' | 'AIFC';
  /** AIFF-C compression type ('NONE' for plain AIFF) */
  compression: string;
  sampleRate: number;
  channels: number;
  frames: number;
  /** bits per sample as declared */
  bitDepth: number;
  containerBytes: number;
  format: 'pcm' | 'float';
  durationS: number;
  dataOffset: number;
  blockAlign: number;
  bigEndian: boolean;
  unsigned8: boolean;
}

export interface AiffAudio {
  y: Float32Array;
  sr: number;
  info: AiffInfo;
}

const u16be = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32be = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
/** largest COMM chunk accepted (18 bytes in AIFF, 22 + a name of <= 255 in AIFF-C) */
const MAX_COMM_BYTES = 4096;

/** An 80-bit IEEE 754 extended number (COMM's sample rate); NaN for infinities and NaNs. */
export function extended80(b: Uint8Array, o: number): number {
  const se = u16be(b, o);
  const sign = se & 0x8000 ? -1 : 1;
  const e = se & 0x7fff;
  const hi = u32be(b, o + 2);
  const lo = u32be(b, o + 6);
  if (e === 0x7fff) return NaN;
  if (e === 0 && hi === 0 && lo === 0) return 0;
  return sign * (hi * 2 ** (e - 16383 - 31) + lo * 2 ** (e - 16383 - 63));
}

interface Codec {
  format: 'pcm' | 'float';
  bigEndian: boolean;
  unsigned8?: boolean;
  /** fixed sample size (bits) the type implies, if any */
  bits?: number;
}

const CODECS: Record<string, Codec> = {
  NONE: { format: 'pcm', bigEndian: true },
  twos: { format: 'pcm', bigEndian: true },
  sowt: { format: 'pcm', bigEndian: false },
  'raw ': { format: 'pcm', bigEndian: true, unsigned8: true, bits: 8 },
  in24: { format: 'pcm', bigEndian: true, bits: 24 },
  in32: { format: 'pcm', bigEndian: true, bits: 32 },
  '23ni': { format: 'pcm', bigEndian: false, bits: 24 },
  '42ni': { format: 'pcm', bigEndian: false, bits: 32 },
  fl32: { format: 'float', bigEndian: true, bits: 32 },
  FL32: { format: 'float', bigEndian: true, bits: 32 },
  fl64: { format: 'float', bigEndian: true, bits: 64 },
  FL64: { format: 'float', bigEndian: true, bits: 64 },
};

const COMPRESSED_NAMES: Record<string, string> = {
  ulaw: 'mu-law',
  ULAW: 'mu-law',
  alaw: 'A-law',
  ALAW: 'A-law',
  ima4: 'IMA ADPCM',
  MAC3: 'MACE 3:1',
  MAC6: 'MACE 6:1',
  GSM: 'GSM',
  'GSM ': 'GSM',
  G722: 'G.722',
  G726: 'G.726',
  G728: 'G.728',
  DWVW: 'DWVW',
};

/** The chunks parseAiffHeader looks for (IFF: big-endian sizes, chunks padded to an even size). */
const AIFF_CHUNKS: ChunkRules = {
  u32: u32be,
  format: { id: 'COMM', name: 'COMM', min: 18, max: MAX_COMM_BYTES },
  data: { id: 'SSND', name: 'SSND', min: 8 },
  next: (_src, body, size) => body + size + (size & 1),
};

/** Walks the IFF chunks (headers only) and returns the sample layout; throws AudioError. */
export function parseAiffHeader(src: ByteSource, name: string): AiffInfo {
  const { fail, head } = containerHead(src, name, 'AIFF');
  if (fourcc(head, 0) !== 'FORM') fail(`not an AIFF file (starts with '${printable(fourcc(head, 0))}')`);
  const form = fourcc(head, 8) as AiffInfo['form'];
  if (form !== 'AIFF' && form !== 'AIFC') fail(`not an AIFF file (FORM type '${printable(form)}')`);

  const { format: comm, dataPos: ssndPos, dataDeclared: ssndDeclared, pos } = walkChunks(src, AIFF_CHUNKS, fail);
  if (comm === null) fail(ssndPos >= 0 ? 'no COMM chunk (SSND chunk without format)' : 'no COMM chunk');
  const c = comm as Uint8Array;
  const channels = u16be(c, 0);
  const declaredFrames = u32be(c, 2);
  const bitDepth = u16be(c, 6);
  const rate = extended80(c, 8);
  let compression = 'NONE';
  if (form === 'AIFC') {
    if (c.length < 22) fail(`bad AIFF-C COMM chunk (${c.length} bytes, need 22)`);
    compression = fourcc(c, 18);
  }
  const codec = CODECS[compression];
  if (!codec) {
    const known = COMPRESSED_NAMES[compression] ?? COMPRESSED_NAMES[compression.trim()];
    fail(`unsupported AIFF-C compression '${printable(compression)}'${known ? ` (${known})` : ''}; only PCM and IEEE float`);
  }
  if (channels === 0) fail('bad COMM chunk: 0 channels');
  if (!(rate >= 1) || !Number.isFinite(rate)) fail(`bad COMM chunk: sample rate ${rate}`);
  const sampleRate = Math.floor(rate);
  if (sampleRate > 0xffffffff) fail(`bad COMM chunk: sample rate ${rate}`);
  const bits = codec.bits ?? bitDepth;
  if (codec.format === 'pcm' && (bits < 1 || bits > 32)) fail(`unsupported PCM sample size ${bits} bits (1 to 32)`);
  const containerBytes = Math.ceil(bits / 8);
  if (ssndPos < 0) fail(pos >= src.size ? 'no SSND chunk (file ends after the header)' : 'no SSND chunk');
  const off = src.read(ssndPos, 8);
  if (off.length < 8) fail('truncated SSND chunk header');
  const dataOffset = ssndPos + 8 + u32be(off, 0);
  const available = Math.max(0, src.size - ssndPos);
  if (ssndDeclared > available) fail(`truncated: SSND chunk declares ${ssndDeclared} bytes, only ${available} present`);
  const dataBytes = Math.max(0, ssndPos + ssndDeclared - dataOffset);
  const blockAlign = channels * containerBytes;
  const frames = Math.min(declaredFrames, Math.floor(dataBytes / blockAlign));
  if (frames === 0) fail('zero-length: no audio frames');
  return {
    form,
    compression,
    sampleRate,
    channels,
    frames,
    bitDepth: bits,
    containerBytes,
    format: codec.format,
    durationS: frames / sampleRate,
    dataOffset,
    blockAlign,
    bigEndian: codec.bigEndian,
    unsigned8: !!codec.unsigned8,
  };
}

/** The sample layout of a parsed header (pcm.ts converts the samples). */
export function aiffLayout(info: AiffInfo): PcmLayout {
  return {
    encoding: info.format,
    channels: info.channels,
    containerBytes: info.containerBytes,
    bigEndian: info.bigEndian,
    unsigned8: info.unsigned8,
  };
}

/** AIFF / AIFF-C for pcm.ts's readers. */
export const AIFF_CONTAINER: PcmContainer<AiffInfo> = { parseHeader: parseAiffHeader, layout: aiffLayout };

/** Decodes AIFF / AIFF-C bytes (see the module comment); `name` is used in error messages. */
export function decodeAiff(bytes: Uint8Array, opts: SpanOptions = {}, name = '<buffer>'): AiffAudio {
  return readPcmContainer(AIFF_CONTAINER, bufferSource(bytes), name, opts);
}

/** Header of AIFF bytes. */
export function decodeAiffInfo(bytes: Uint8Array, name = '<buffer>'): AiffInfo {
  return parseAiffHeader(bufferSource(bytes), name);
}
