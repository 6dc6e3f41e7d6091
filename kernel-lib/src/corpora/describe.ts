/**
 * Per-clip facts read from the audio headers (WAV/AIFF: no samples; compressed: decoded): duration, sample rate, channels,
 * bit depth. Used by notebook 01 (durations histogram, sample rates) and by anyone who needs to
 * know what a scan found before extracting features. Unreadable files are listed, not thrown.
 */
import { readAudioInfo } from '../audio/file';
import { AudioError } from '../audio/pcm';
import type { Clip } from '../core/types';

export interface ClipInfo extends Clip {
  sampleRate: number;
  channels: number;
  /** bits per sample (0 for lossy codecs) */
  bitDepth: number;
  /** 'pcm' or 'float' (WAV, AIFF), else the codec ('flac', 'vorbis', 'opus', 'mp3', ...) */
  format: string;
  /** the container read ('wav', 'aiff', 'flac', 'ogg-vorbis', ..., 'ffmpeg') */
  container: string;
  frames: number;
  durationS: number;
}

export interface DescribeResult {
  infos: ClipInfo[];
  errors: { path: string; clipId: string; reason: string }[];
}

export async function describeClips(clips: Clip[]): Promise<DescribeResult> {
  const infos: ClipInfo[] = [];
  const errors: DescribeResult['errors'] = [];
  for (const c of clips) {
    try {
      const h = await readAudioInfo(c.path);
      infos.push({
        ...c,
        sampleRate: h.sampleRate,
        channels: h.channels,
        bitDepth: h.bitDepth ?? 0,
        format: h.encoding,
        container: h.format,
        frames: h.frames,
        durationS: h.durationS,
      });
    } catch (e: any) {
      errors.push({ path: c.path, clipId: c.clipId, reason: e instanceof AudioError ? e.reason : String(e?.message ?? e) });
    }
  }
  return { infos, errors };
}
