/**
 * The compressed formats soundfile (libsndfile 1.2) reads under librosa.load, decoded with the
 * WebAssembly builds of the reference C decoders from npm (wasm-audio-decoders: libFLAC,
 * libvorbis, libopus, mpg123; see environment.md for why these). No Node built-ins: they run
 * in a browser too. Each returns the file's channels at its native rate; decode.ts cuts
 * librosa's offset/duration span and mixes to mono.
 *
 * - FLAC (native and Ogg FLAC): libFLAC's integers, returned by the package as
 *   x / (2^(bits-1) - 1); the integer x is recovered exactly (checked: every sample must map
 *   back) and scaled as libsndfile scales it, x / 2^(bits-1). Bit-identical to soundfile.
 * - Ogg Vorbis (libvorbis float output), MP3 (mpg123, gapless: encoder delay and padding from
 *   the LAME/Xing header removed, as libsndfile does).
 * - Ogg Opus: decoded at the smallest Opus rate (8, 12, 16, 24, 48 kHz) at or above the rate
 *   the `OpusHead` header records, which is what libsndfile reports and decodes at (libopus
 *   decodes at any of these rates directly); pre-skip removed and the end trimmed to the last
 *   granule position.
 * Lossy decoders are not bit-identical across builds; the tolerance against libsndfile is
 * measured by test/audio/formats.test.ts and stated in environment.md.
 *
 * The decoders are loaded on first use (their wasm is compiled once per thread). Decoder
 * warnings (a damaged frame that was skipped) are returned, not printed; a stream that gives
 * no samples at all is an error.
 */
import { AudioError } from './pcm';

/** What a compressed-format decoder gives: the channels at the native rate. */
export interface DecodedChannels {
  channels: Float32Array[];
  sampleRate: number;
  /** bits per sample the stream records (FLAC), else undefined */
  bitDepth?: number;
  /** damaged frames the decoder skipped, one line each */
  warnings: string[];
}

export type CompressedCodec = 'flac' | 'ogg-flac' | 'ogg-vorbis' | 'ogg-opus' | 'mp3';

interface WasmDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  bitDepth?: number;
  errors: { message: string; frameNumber?: number }[];
}
interface WasmDecoder {
  ready: Promise<void>;
  decodeFile?: (b: Uint8Array) => Promise<WasmDecoded>;
  decode: (b: Uint8Array) => WasmDecoded | Promise<WasmDecoded>;
  free: () => void;
}

/** Runs `fn` with the packages' console.error output collected instead of printed. */
async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; printed: string[] }> {
  const printed: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => {
    printed.push(a.map(String).join(' ').replace(/\s+/g, ' ').trim());
  };
  try {
    return { value: await fn(), printed };
  } finally {
    console.error = orig;
  }
}

async function runDecoder(make: () => WasmDecoder, bytes: Uint8Array, name: string, what: string): Promise<WasmDecoded> {
  let dec: WasmDecoder | null = null;
  try {
    const { value, printed } = await quietly(async () => {
      dec = make();
      await dec.ready;
      return dec.decodeFile ? dec.decodeFile(bytes) : dec.decode(bytes);
    });
    if (!value.samplesDecoded || !value.channelData.length) {
      const why = value.errors[0]?.message ?? printed[0];
      throw new AudioError(name, `${what}: no audio frames decoded${why ? ` (${oneLine(why)})` : ''}`);
    }
    return value;
  } catch (e) {
    if (e instanceof AudioError) throw e;
    throw new AudioError(name, `${what}: cannot decode (${oneLine((e as Error)?.message ?? String(e))})`);
  } finally {
    try {
      (dec as WasmDecoder | null)?.free();
    } catch {
      /* a decoder that failed to start has nothing to free */
    }
  }
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim().slice(0, 200);

function warningsOf(d: WasmDecoded): string[] {
  return d.errors.map((e) => oneLine(`${e.message}${e.frameNumber !== undefined ? ` (frame ${e.frameNumber})` : ''}`));
}

/** FLAC or Ogg FLAC: libFLAC's integer samples scaled as libsndfile scales them (exact). */

/** Ogg's page checksum: CRC-32, polynomial 0x04c11db7, not reflected, initial value 0. */
const OGG_CRC = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function oggCrc(b: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    const x = i >= start + 22 && i < start + 26 ? 0 : b[i]; // the checksum field counts as zeros
    crc = ((crc << 8) ^ OGG_CRC[((crc >>> 24) ^ x) & 0xff]) >>> 0;
  }
  return crc;
}

/**
 * The whole, intact Ogg pages of a stream, as libogg (under libvorbisfile, libopusfile and
 * libsndfile) takes them: a page must be complete and its CRC must match; anything else is
 * skipped up to the next `OggS` capture pattern. A truncated last page is dropped rather than
 * handed to the decoder as empty packets (which it would conceal as seconds of sound).
 * Returns the bytes of the good pages and how many bytes were skipped.
 */
export function intactOggPages(bytes: Uint8Array): { bytes: Uint8Array; skipped: number } {
  const parts: Uint8Array[] = [];
  let kept = 0;
  let pos = 0;
  while (pos + 27 <= bytes.length) {
    if (!(bytes[pos] === 0x4f && bytes[pos + 1] === 0x67 && bytes[pos + 2] === 0x67 && bytes[pos + 3] === 0x53)) {
      pos++;
      continue;
    }
    const nseg = bytes[pos + 26];
    let len = 27 + nseg;
    if (pos + len > bytes.length) break;
    for (let i = 0; i < nseg; i++) len += bytes[pos + 27 + i];
    const stored = (bytes[pos + 22] | (bytes[pos + 23] << 8) | (bytes[pos + 24] << 16) | (bytes[pos + 25] << 24)) >>> 0;
    if (pos + len <= bytes.length && bytes[pos + 4] === 0 && oggCrc(bytes, pos, pos + len) === stored) {
      parts.push(bytes.subarray(pos, pos + len));
      kept += len;
      pos += len;
    } else pos++;
  }
  if (kept === bytes.length) return { bytes, skipped: 0 };
  const out = new Uint8Array(kept);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return { bytes: out, skipped: bytes.length - kept };
}

/** Runs an Ogg decoder on the intact pages only; skipped bytes become a warning. */
async function runOggDecoder(
  make: () => WasmDecoder,
  bytes: Uint8Array,
  name: string,
  what: string,
): Promise<{ d: WasmDecoded; warnings: string[] }> {
  const pages = intactOggPages(bytes);
  if (pages.bytes.length === 0) throw new AudioError(name, `${what}: no intact Ogg page`);
  const d = await runDecoder(make, pages.bytes, name, what);
  const warnings = warningsOf(d);
  if (pages.skipped) warnings.unshift(`${pages.skipped} bytes of damaged or incomplete Ogg pages skipped`);
  return { d, warnings };
}

export async function decodeFlac(bytes: Uint8Array, name: string): Promise<DecodedChannels> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { FLACDecoder } = require('@wasm-audio-decoders/flac');
  const ogg = bytes[0] === 0x4f && bytes[1] === 0x67 && bytes[2] === 0x67 && bytes[3] === 0x53;
  const { d, warnings } = ogg
    ? await runOggDecoder(() => new FLACDecoder(), bytes, name, 'Ogg FLAC')
    : { d: await runDecoder(() => new FLACDecoder(), bytes, name, 'FLAC'), warnings: [] as string[] };
  const bits = d.bitDepth ?? 16;
  if (!(bits >= 4 && bits <= 24)) throw new AudioError(name, `FLAC: ${bits}-bit samples are not read exactly (4 to 24 bits)`);
  const pkgScale = 2 ** (bits - 1) - 1;
  const scale = 2 ** (bits - 1);
  const channels = d.channelData.map((ch, c) => {
    const out = new Float32Array(ch.length);
    for (let i = 0; i < ch.length; i++) {
      const q = Math.round(ch[i] * pkgScale);
      if (Math.fround(q / pkgScale) !== ch[i]) {
        throw new AudioError(name, `FLAC: decoder output at channel ${c} frame ${i} is not a ${bits}-bit sample`);
      }
      out[i] = q / scale;
    }
    return out;
  });
  return { channels, sampleRate: d.sampleRate, bitDepth: bits, warnings: ogg ? warnings : warningsOf(d) };
}

/** Ogg Vorbis through libvorbis. */
export async function decodeVorbis(bytes: Uint8Array, name: string): Promise<DecodedChannels> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { OggVorbisDecoder } = require('@wasm-audio-decoders/ogg-vorbis');
  const { d, warnings } = await runOggDecoder(() => new OggVorbisDecoder(), bytes, name, 'Ogg Vorbis');
  return { channels: d.channelData, sampleRate: d.sampleRate, warnings };
}

/** The Opus rates libopus decodes at. */
const OPUS_RATES = [8000, 12000, 16000, 24000, 48000];

/** libsndfile's decoding rate for an Ogg Opus stream: the smallest Opus rate >= the input rate. */
export function opusDecodeRate(inputRate: number): number {
  if (!(inputRate > 0)) return 48000;
  return OPUS_RATES.find((r) => r >= inputRate) ?? 48000;
}

/** The `OpusHead` input sample rate of the first Ogg page (0 when not recorded). */
export function opusInputRate(bytes: Uint8Array): number {
  if (bytes.length < 28) return 0;
  const p = 27 + bytes[26];
  if (p + 16 > bytes.length) return 0;
  if (String.fromCharCode(...bytes.subarray(p, p + 8)) !== 'OpusHead') return 0;
  return (bytes[p + 12] | (bytes[p + 13] << 8) | (bytes[p + 14] << 16) | (bytes[p + 15] << 24)) >>> 0;
}

/** Ogg Opus through libopus, at libsndfile's rate (see the module comment). */
export async function decodeOpus(bytes: Uint8Array, name: string): Promise<DecodedChannels> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { OggOpusDecoder } = require('ogg-opus-decoder');
  const sampleRate = opusDecodeRate(opusInputRate(bytes));
  const { d, warnings } = await runOggDecoder(() => new OggOpusDecoder({ sampleRate }), bytes, name, 'Ogg Opus');
  return { channels: d.channelData, sampleRate: d.sampleRate, warnings };
}

/** Size of a leading ID3v2 tag (MP3s and some FLACs carry one), 0 when there is none. */
export function id3v2Size(b: Uint8Array): number {
  if (b.length < 10 || b[0] !== 0x49 || b[1] !== 0x44 || b[2] !== 0x33) return 0;
  if ((b[6] | b[7] | b[8] | b[9]) & 0x80) return 0;
  const size = (b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9];
  return 10 + size + (b[5] & 0x10 ? 10 : 0);
}

/** An MPEG audio frame header at `o` (sync, a layer, a valid bitrate and rate index). */
export function mpegFrameAt(b: Uint8Array, o: number): boolean {
  if (o + 4 > b.length || b[o] !== 0xff || (b[o + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[o + 1] >> 3) & 3;
  const layer = (b[o + 1] >> 1) & 3;
  const bitrate = b[o + 2] >> 4;
  const rate = (b[o + 2] >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 15 && rate !== 3;
}

/**
 * Channels of an MPEG audio stream from its first frame header (after an ID3v2 tag): mode 3 is
 * single-channel. 0 when no frame header is found in the first 64 KiB.
 */
export function mpegChannels(bytes: Uint8Array): number {
  for (let o = id3v2Size(bytes), end = Math.min(bytes.length - 4, o + 65536); o <= end; o++) {
    if (mpegFrameAt(bytes, o)) return bytes[o + 3] >> 6 === 3 ? 1 : 2;
  }
  return 0;
}

/**
 * MPEG audio (MP3, and layers I/II) through mpg123. The package always returns two channels
 * (a mono stream twice); a single-channel stream is given back as one, as libsndfile does.
 */
export async function decodeMpeg(bytes: Uint8Array, name: string): Promise<DecodedChannels> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { MPEGDecoder } = require('mpg123-decoder');
  const d = await runDecoder(() => new MPEGDecoder(), bytes, name, 'MP3');
  const channels = mpegChannels(bytes) === 1 ? d.channelData.slice(0, 1) : d.channelData;
  return { channels, sampleRate: d.sampleRate, warnings: warningsOf(d) };
}

export const COMPRESSED_DECODERS: Record<CompressedCodec, (bytes: Uint8Array, name: string) => Promise<DecodedChannels>> = {
  flac: decodeFlac,
  'ogg-flac': decodeFlac,
  'ogg-vorbis': decodeVorbis,
  'ogg-opus': decodeOpus,
  mp3: decodeMpeg,
};
