/**
 * librosa.load's fallback for what soundfile cannot read (M4A/AAC, WMA, ...): audioread with its
 * ffmpeg backend (Node only). As librosa 0.10.2's `__audioread_load` does it:
 *
 * - ffmpeg decodes the file to 16-bit little-endian PCM at the native rate and channel count
 *   (`ffmpeg -i FILE -f s16le -`), and each sample becomes x / 32768 (`util.buf_to_float`);
 * - the span is `[round(offset*sr), round(offset*sr) + round(duration*sr))` frames: audioread's
 *   path uses `np.round` (ties to even) where soundfile's uses `int()`, and this mirrors that;
 * - channels are mixed by librosa.to_mono (pcm.ts).
 * The rate and channel count come from ffprobe (shipped with ffmpeg). `SER_FFMPEG` names the
 * ffmpeg binary (ffprobe is taken from the same folder); `SER_FFMPEG=0` turns the fallback off.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { DecodedAudio } from './decode';
import { AudioError, type SpanOptions, toMono } from './pcm';

interface Tools {
  ffmpeg: string;
  ffprobe: string;
}

let cached: { key: string; tools: Tools | null } | null = null;

/** The ffmpeg and ffprobe binaries, or null when they cannot be run (or SER_FFMPEG=0). */
export function ffmpegTools(): Tools | null {
  const env = process.env.SER_FFMPEG ?? '';
  if (cached && cached.key === env) return cached.tools;
  let tools: Tools | null = null;
  if (env !== '0') {
    const ffmpeg = env || 'ffmpeg';
    const ffprobe = env ? path.join(path.dirname(env), 'ffprobe') : 'ffprobe';
    const ok = (bin: string) => spawnSync(bin, ['-version'], { stdio: 'ignore', timeout: 10000 }).status === 0;
    if (ok(ffmpeg) && ok(ffprobe)) tools = { ffmpeg, ffprobe };
  }
  cached = { key: env, tools };
  return tools;
}

/** Whether the ffmpeg fallback can run here. */
export function ffmpegAvailable(): boolean {
  return ffmpegTools() !== null;
}

/** numpy's np.round (ties to even). */
const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

const lastLine = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop() ?? '';

/** Decodes `file` through ffmpeg as librosa's audioread fallback does (see the module comment). */
export async function ffmpegDecode(file: string, opts: SpanOptions = {}): Promise<DecodedAudio> {
  const t = ffmpegTools();
  if (!t) throw new AudioError(file, 'ffmpeg is not available');
  const probe = spawnSync(
    t.ffprobe,
    ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=sample_rate,channels,codec_name', '-of', 'json', file],
    { encoding: 'utf8', timeout: 60000 },
  );
  if (probe.status !== 0)
    throw new AudioError(file, `ffmpeg cannot read it (${lastLine(probe.stderr || '') || `ffprobe exit ${probe.status}`})`);
  let stream: { sample_rate?: string; channels?: number; codec_name?: string } | undefined;
  try {
    stream = JSON.parse(probe.stdout).streams?.[0];
  } catch {
    stream = undefined;
  }
  const sr = Number(stream?.sample_rate);
  const ch = Number(stream?.channels);
  if (!stream || !(sr > 0) || !(ch > 0)) throw new AudioError(file, 'ffmpeg finds no audio stream');
  const run = spawnSync(t.ffmpeg, ['-nostdin', '-v', 'error', '-i', file, '-map', '0:a:0', '-f', 's16le', '-acodec', 'pcm_s16le', '-'], {
    maxBuffer: 2 ** 31 - 1,
    timeout: 600000,
  });
  if (run.status !== 0) throw new AudioError(file, `ffmpeg failed (${lastLine(run.stderr?.toString() ?? '') || `exit ${run.status}`})`);
  const raw: Buffer = run.stdout;
  const total = Math.floor(raw.length / (2 * ch));
  if (total === 0) throw new AudioError(file, 'zero-length: ffmpeg decoded no audio frames');
  const off = opts.offset ?? 0;
  if (!(off >= 0) || !Number.isFinite(off)) throw new RangeError(`offset must be a finite number >= 0, got ${opts.offset}`);
  const start = Math.min(roundHalfEven(off * sr), total);
  let count = total - start;
  if (opts.duration !== undefined && opts.duration !== null) {
    if (!(opts.duration >= 0) || !Number.isFinite(opts.duration))
      throw new RangeError(`duration must be a finite number >= 0, got ${opts.duration}`);
    count = Math.min(count, roundHalfEven(opts.duration * sr));
  }
  const v = new Float32Array(count * ch);
  for (let i = 0, p = start * ch * 2; i < v.length; i++, p += 2) v[i] = raw.readInt16LE(p) / 32768;
  return {
    y: toMono(v, ch),
    sr,
    info: {
      format: 'ffmpeg',
      encoding: stream.codec_name ?? 'unknown',
      sampleRate: sr,
      channels: ch,
      frames: total,
      durationS: total / sr,
      bitDepth: 16,
    },
    warnings: [],
  };
}
