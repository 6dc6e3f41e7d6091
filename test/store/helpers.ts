// Small WAV trees for the feature-store tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { audioWav, type featuresExtract } from 'kernel-lib/internal';
const { encodeWav } = audioWav;

const CHEAP = path.resolve(__dirname, '..', 'fixtures', 'augment', 'cheap-extractor.js');

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ser-${prefix}-`));
}

/** A deterministic test signal: a few partials plus a little hash noise. */
function signal(i: number, sr = 22050, seconds = 3.2): Float32Array {
  const n = Math.round(sr * seconds);
  const y = new Float32Array(n);
  const f0 = 110 + 23 * i;
  let h = ((i + 1) * 2654435761) >>> 0;
  for (let t = 0; t < n; t++) {
    h = (h ^ (h << 13)) >>> 0;
    h = (h ^ (h >>> 17)) >>> 0;
    h = (h ^ (h << 5)) >>> 0;
    const env = Math.min(1, t / (0.3 * sr)) * Math.exp(-t / (2.5 * sr));
    y[t] =
      env * (0.4 * Math.sin((2 * Math.PI * f0 * t) / sr) + 0.2 * Math.sin((2 * Math.PI * 2.01 * f0 * t) / sr)) +
      0.01 * (h / 4294967296 - 0.5);
  }
  return y;
}

/**
 * n clips as flat WAV files in `dir` (names clip-00.wav ...), with labels for the clips option;
 * `corrupt` extra files that do not decode.
 */
function makeClips(dir: string, n: number, { sr = 22050, corrupt = 0 } = {}): featuresExtract.ClipInput[] {
  const emotions = ['angry', 'calm', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprised'];
  fs.mkdirSync(dir, { recursive: true });
  const clips: featuresExtract.ClipInput[] = [];
  for (let i = 0; i < n; i++) {
    const file = path.join(dir, `clip-${String(i).padStart(2, '0')}.wav`);
    fs.writeFileSync(file, encodeWav(signal(i, sr), sr));
    clips.push({
      clipId: `TEST:${String(i).padStart(2, '0')}`,
      path: file,
      emotion: emotions[i % 8],
      speaker: `TEST:S${i % 3}`,
      corpus: 'TEST',
      file: path.basename(file),
    });
  }
  for (let j = 0; j < corrupt; j++) {
    const file = path.join(dir, `broken-${j}.wav`);
    fs.writeFileSync(file, Buffer.from('RIFF\x10\x00\x00\x00WAVEjunkjunkjunk', 'latin1'));
    clips.push({ clipId: `TEST:broken-${j}`, path: file, emotion: 'sad', speaker: 'TEST:S9', corpus: 'TEST', file: path.basename(file) });
  }
  return clips;
}

export { CHEAP, tmp, signal, makeClips };
