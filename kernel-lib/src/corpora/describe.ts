/**
 * Per-clip facts read from the WAV headers (no samples): duration, sample rate, channels,
 * bit depth. Used by notebook 01 (durations histogram, sample rates) and by anyone who needs to
 * know what a scan found before extracting features. Unreadable files are listed, not thrown.
 */
import { readWavInfo, WavError } from '../audio/wav';
import { Clip } from './types';

export interface ClipInfo extends Clip {
  sampleRate: number;
  channels: number;
  bitDepth: number;
  format: string;
  frames: number;
  durationS: number;
}

export interface DescribeResult {
  infos: ClipInfo[];
  errors: { path: string; clipId: string; reason: string }[];
}

export function describeClips(clips: Clip[]): DescribeResult {
  const infos: ClipInfo[] = [];
  const errors: DescribeResult['errors'] = [];
  for (const c of clips) {
    try {
      const h = readWavInfo(c.path);
      infos.push({ ...c, sampleRate: h.sampleRate, channels: h.channels, bitDepth: h.bitDepth, format: h.format, frames: h.frames, durationS: h.durationS });
    } catch (e: any) {
      errors.push({ path: c.path, clipId: c.clipId, reason: e instanceof WavError ? e.reason : String(e?.message ?? e) });
    }
  }
  return { infos, errors };
}
