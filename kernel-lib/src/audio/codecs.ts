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
 * measured by test/audio/formats.test.js and stated in environment.md.
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
export async function decodeFlac(bytes: Uint8Array, name: string): Promise<DecodedChannels> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { FLACDecoder } = require('@wasm-audio-decoders/flac');
  const d = await runDecoder(() => new FLACDecoder(), bytes, name, 'FLAC');
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
  return { channels, sampleRate: d.sampleRate, bitDepth: bits, warnings: warningsOf(d) };
}

/** Ogg Vorbis through libvorbis. */
export async function decodeVorbis(bytes: Uint8Array, name: string): Promise<DecodedChannels> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { OggVorbisDecoder } = require('@wasm-audio-decoders/ogg-vorbis');
  const d = await runDecoder(() => new OggVorbisDecoder(), bytes, name, 'Ogg Vorbis');
  return { channels: d.channelData, sampleRate: d.sampleRate, warnings: warningsOf(d) };
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
  const d = await runDecoder(() => new OggOpusDecoder({ sampleRate }), bytes, name, 'Ogg Opus');
  return { channels: d.channelData, sampleRate: d.sampleRate, warnings: warningsOf(d) };
}

/** MPEG audio (MP3, and layers I/II) through mpg123. */
export async function decodeMpeg(bytes: Uint8Array, name: string): Promise<DecodedChannels> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { MPEGDecoder } = require('mpg123-decoder');
  const d = await runDecoder(() => new MPEGDecoder(), bytes, name, 'MP3');
  return { channels: d.channelData, sampleRate: d.sampleRate, warnings: warningsOf(d) };
}

export const COMPRESSED_DECODERS: Record<CompressedCodec, (bytes: Uint8Array, name: string) => Promise<DecodedChannels>> = {
  flac: decodeFlac,
  'ogg-flac': decodeFlac,
  'ogg-vorbis': decodeVorbis,
  'ogg-opus': decodeOpus,
  mp3: decodeMpeg,
};
