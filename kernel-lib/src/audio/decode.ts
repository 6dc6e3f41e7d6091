/**
 * Audio bytes to librosa's samples, whatever the container, chosen by content as libsndfile
 * (soundfile, under librosa.load) chooses it: never by the file name. No Node built-ins (the
 * browser page uses this module); file.ts adds disk access and the ffmpeg fallback.
 *
 * | format | reader | exact against soundfile? |
 * | --- | --- | --- |
 * | WAV (RIFF/WAVE, WAVE_FORMAT_EXTENSIBLE) | wav.ts | bit-identical |
 * | AIFF, AIFF-C (NONE, twos, sowt, fl32, ...) | aiff.ts | bit-identical |
 * | FLAC, Ogg FLAC | codecs.ts (libFLAC) | bit-identical |
 * | Ogg Vorbis, Ogg Opus, MP3 | codecs.ts (libvorbis, libopus, mpg123) | within the tolerance in environment.md |
 *
 * `decodeAudio(bytes, {offset, duration})` returns the frames
 * [int(offset*sr), int(offset*sr) + int(duration*sr)) at the native rate, mixed to mono by
 * librosa.to_mono. The PCM containers convert only those frames; the compressed formats are
 * decoded whole and then cut (their frames depend on the ones before them).
 */
import { AIFF_CONTAINER, type AiffInfo } from './aiff';
import { COMPRESSED_DECODERS, type CompressedCodec, type DecodedChannels, id3v2Size, mpegFrameAt } from './codecs';
import { AudioError, type ByteSource, bufferSource, frameSpan, planarToMono, printable, readPcmContainer, type SpanOptions } from './pcm';
import { WAV_CONTAINER, type WavInfo } from './wav';

/** The container/codec a file was read as ('ffmpeg': through librosa's audioread fallback). */
export type AudioFormat = 'wav' | 'aiff' | CompressedCodec | 'ffmpeg';

/** The formats this module reads, for messages and docs. */
export const SUPPORTED_FORMATS = 'WAV, AIFF/AIFF-C, FLAC, Ogg Vorbis, Ogg Opus and MP3';

/**
 * File extensions a corpus scan takes as audio clips. The name only says "this is meant to be
 * audio": the reader is chosen from the bytes (TESS has AIFF files named .wav).
 */
export const AUDIO_EXTENSIONS: readonly string[] = [
  '.wav',
  '.wave',
  '.aif',
  '.aiff',
  '.aifc',
  '.flac',
  '.ogg',
  '.oga',
  '.opus',
  '.mp3',
  '.m4a',
  '.aac',
  '.wma',
];

/** What `sniffFormat` found: a readable format, or a description of what the bytes are. */
export type Sniffed = { format: Exclude<AudioFormat, 'ffmpeg'> } | { format: null; what: string };

/** Bytes that need no more than this to be told apart (an ID3v2 tag is skipped first). */
export const SNIFF_BYTES = 64;

const ascii = (b: Uint8Array, o: number, n: number): string => String.fromCharCode(...b.subarray(o, o + n));

/**
 * The container and codec of audio bytes, from their first bytes (`head` may be just the first
 * SNIFF_BYTES, or the bytes after an ID3v2 tag). Mirrors libsndfile's format guess
 * (sf_open with format 0): RIFF/WAVE, FORM/AIFF|AIFC, fLaC, OggS + the first packet's codec, MPEG
 * audio frames.
 */
export function sniffFormat(head: Uint8Array): Sniffed {
  if (head.length === 0) return { format: 'wav' }; // the WAV reader words the empty-file error
  const id = ascii(head, 0, 4);
  if (id === 'RIFF' || id === 'RIFX' || id === 'RF64') return { format: 'wav' };
  if (id === 'FORM') {
    const t = ascii(head, 8, 4);
    if (t === 'AIFF' || t === 'AIFC') return { format: 'aiff' };
    return { format: null, what: `IFF file of type '${printable(t)}'` };
  }
  if (id === 'fLaC') return { format: 'flac' };
  if (id === 'OggS') {
    if (head.length < 28) return { format: null, what: 'truncated Ogg page' };
    const p = 27 + head[26];
    const pkt = ascii(head, p, 8);
    if (pkt.startsWith('\x01vorbis')) return { format: 'ogg-vorbis' };
    if (pkt === 'OpusHead') return { format: 'ogg-opus' };
    if (pkt.startsWith('\x7fFLAC')) return { format: 'ogg-flac' };
    if (pkt.startsWith('Speex')) return { format: null, what: 'Ogg Speex' };
    return {
      format: null,
      what: p + 8 > head.length ? 'Ogg stream (first packet not in the bytes read)' : 'Ogg stream of an unknown codec',
    };
  }
  if (mpegFrameAt(head, 0)) return { format: 'mp3' };
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xf6) === 0xf0) return { format: null, what: 'AAC (ADTS)' };
  if (ascii(head, 4, 4) === 'ftyp') return { format: null, what: `MP4/M4A (${printable(ascii(head, 8, 4)).trim()})` };
  if (id === 'caff') return { format: null, what: 'Core Audio (CAF)' };
  if (id === 'wvpk') return { format: null, what: 'WavPack' };
  if (id === 'MAC ') return { format: null, what: "Monkey's Audio (APE)" };
  if (id === '.snd') return { format: null, what: 'Sun/NeXT AU' };
  if (head.length >= 4 && head[0] === 0x30 && head[1] === 0x26 && head[2] === 0xb2 && head[3] === 0x75)
    return { format: null, what: 'ASF/WMA' };
  if (id === '#!AM') return { format: null, what: 'AMR' };
  return { format: null, what: `not a known audio format (starts with '${printable(ascii(head, 0, Math.min(4, head.length)))}')` };
}

/** sniffFormat on whole bytes, looking past a leading ID3v2 tag. */
export function sniffBytes(bytes: Uint8Array): Sniffed {
  const skip = id3v2Size(bytes);
  if (skip > 0) {
    if (skip >= bytes.length) return { format: null, what: 'ID3 tag without audio after it' };
    const after = sniffFormat(bytes.subarray(skip, skip + SNIFF_BYTES));
    if (after.format === 'flac' || after.format === 'mp3') return after;
    // mpg123 resynchronises after a tag; libsndfile also treats an ID3v2-tagged file as MPEG
    return { format: 'mp3' };
  }
  return sniffFormat(bytes.subarray(0, SNIFF_BYTES));
}

/** What every format reports about a stream, before the span is cut. */
export interface AudioInfo {
  format: AudioFormat;
  /** 'pcm' or 'float' for WAV/AIFF, else the codec ('flac', 'vorbis', 'opus', 'mp3') */
  encoding: string;
  sampleRate: number;
  channels: number;
  frames: number;
  durationS: number;
  /** bits per sample where the format has them (PCM, FLAC) */
  bitDepth?: number;
}

export interface DecodedAudio {
  /** mono float32 samples of the span, at the native rate */
  y: Float32Array;
  sr: number;
  info: AudioInfo;
  /** damaged frames a lossy decoder skipped */
  warnings: string[];
}

/** Error of an unreadable format: says what is read, and that ffmpeg reads the rest. */
export function unsupportedFormat(name: string, what: string): AudioError {
  return new AudioError(
    name,
    `unsupported format: ${what}; ${SUPPORTED_FORMATS} are read, and installing ffmpeg adds the rest (M4A/AAC, WMA, ...)`,
  );
}

const ENCODING: Record<CompressedCodec, string> = {
  flac: 'flac',
  'ogg-flac': 'flac',
  'ogg-vorbis': 'vorbis',
  'ogg-opus': 'opus',
  mp3: 'mp3',
};

/** AudioInfo of a parsed WAV or AIFF header. */
export function pcmInfo(format: 'wav' | 'aiff', h: WavInfo | AiffInfo): AudioInfo {
  return {
    format,
    encoding: h.format,
    sampleRate: h.sampleRate,
    channels: h.channels,
    frames: h.frames,
    durationS: h.durationS,
    bitDepth: h.bitDepth,
  };
}

/** The uncompressed containers, by format. */
const PCM_CONTAINERS = { wav: WAV_CONTAINER, aiff: AIFF_CONTAINER };

/** The span of a WAV or AIFF source (only its header and the span's bytes are read). */
export function readPcmSource(src: ByteSource, kind: 'wav' | 'aiff', name: string, opts: SpanOptions): DecodedAudio {
  const a = readPcmContainer<WavInfo | AiffInfo>(PCM_CONTAINERS[kind], src, name, opts);
  return { y: a.y, sr: a.sr, info: pcmInfo(kind, a.info), warnings: [] };
}

/** AudioInfo of a WAV or AIFF source (its header only). */
export function pcmSourceInfo(src: ByteSource, kind: 'wav' | 'aiff', name: string): AudioInfo {
  return pcmInfo(kind, PCM_CONTAINERS[kind].parseHeader(src, name));
}

function compressedInfo(format: CompressedCodec, d: DecodedChannels): AudioInfo {
  const frames = d.channels[0].length;
  return {
    format,
    encoding: ENCODING[format],
    sampleRate: d.sampleRate,
    channels: d.channels.length,
    frames,
    durationS: frames / d.sampleRate,
    ...(d.bitDepth ? { bitDepth: d.bitDepth } : {}),
  };
}

/** Decodes a compressed stream and cuts librosa's span from it. */
async function decodeCompressed(format: CompressedCodec, bytes: Uint8Array, name: string, opts: SpanOptions): Promise<DecodedAudio> {
  const d = await COMPRESSED_DECODERS[format](bytes, name);
  for (const ch of d.channels) {
    for (let i = 0; i < ch.length; i++) {
      if (!Number.isFinite(ch[i])) throw new AudioError(name, `${Number.isNaN(ch[i]) ? 'NaN' : 'infinite'} sample at frame ${i}`);
    }
  }
  const info = compressedInfo(format, d);
  const { start, count } = frameSpan(info.sampleRate, info.frames, opts);
  return { y: planarToMono(d.channels, start, count), sr: info.sampleRate, info, warnings: d.warnings };
}

/**
 * librosa.load(<bytes>, sr=None, mono=True, offset, duration): the span at the native rate,
 * mono, for any format of the table above. Unreadable bytes throw an AudioError
 * `<name>: <reason>`; a format this module does not read says so and names ffmpeg.
 */
export async function decodeAudio(bytes: Uint8Array, opts: SpanOptions = {}, name = '<buffer>'): Promise<DecodedAudio> {
  const s = sniffBytes(bytes);
  if (s.format === null) throw unsupportedFormat(name, s.what);
  if (s.format === 'wav' || s.format === 'aiff') return readPcmSource(bufferSource(bytes), s.format, name, opts);
  return decodeCompressed(s.format, bytes, name, opts);
}

/** Rate, channels, frames and duration of audio bytes (headers only for WAV and AIFF). */
export async function decodeAudioInfo(bytes: Uint8Array, name = '<buffer>'): Promise<AudioInfo> {
  const s = sniffBytes(bytes);
  if (s.format === null) throw unsupportedFormat(name, s.what);
  if (s.format === 'wav' || s.format === 'aiff') return pcmSourceInfo(bufferSource(bytes), s.format, name);
  return compressedInfo(s.format, await COMPRESSED_DECODERS[s.format](bytes, name));
}
