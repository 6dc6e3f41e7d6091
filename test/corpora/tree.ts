// Builds a name-only copy of the four corpora from the manifests: every official file name, in
// a Kaggle-like download layout, as a tiny valid WAV (44-byte header + 4 samples), plus the
// debris real downloads carry (RAVDESS song and video files, Kaggle's duplicate folders,
// macOS resource forks, READMEs, other formats). Files are hard links of a few base files:
// replace a file (write a new one) rather than modify it in place.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { audioWav, corpora } from 'kernel-lib/internal';
const { encodeWav } = audioWav;
const { readManifests } = corpora;

const RATES: Record<string, number> = { 'CREMA-D': 16000, RAVDESS: 48000, SAVEE: 44100, TESS: 24414 };
const TESS_TOP = 'toronto-emotional-speech-set-tess';
const TESS_DATA = 'TESS Toronto emotional speech set data';

/** Where each manifest path goes in the Kaggle-like tree. */
function layout(corpus: string, p: string): string {
  switch (corpus) {
    case 'CREMA-D':
      return path.join('cremad', 'AudioWAV', p);
    case 'RAVDESS':
      return path.join('ravdess-emotional-speech-audio', 'audio_speech_actors_01-24', p);
    case 'SAVEE':
      return path.join('surrey-audiovisual-expressed-emotion-savee', 'ALL', p);
    case 'TESS':
      return path.join(TESS_TOP, TESS_DATA, p);
  }
  throw new Error(corpus);
}

/**
 * @param root empty folder
 */
function buildNameOnlyTree(root: string, opts: { debris?: boolean } = {}): { files: number; debris: Record<string, string[]> } {
  const manifests = readManifests();
  const wav: Record<string, Buffer> = {};
  for (const c of Object.keys(RATES)) wav[c] = Buffer.from(encodeWav(new Float32Array([0, 0.25, -0.25, 0]), RATES[c], { bitDepth: 16 }));
  // one file per distinct content, hard-linked under every name: a link is one metadata
  // operation, ~20x faster than writing 12162 small files (the base files sit beside root)
  const baseDir = `${root}.base`;
  fs.mkdirSync(baseDir, { recursive: true });
  const bases = new Map<Buffer, string>();
  const made = new Set<string>();
  const write = (rel: string, bytes: Buffer): void => {
    const f = path.join(root, rel);
    const d = path.dirname(f);
    if (!made.has(d)) {
      fs.mkdirSync(d, { recursive: true });
      made.add(d);
    }
    let base = bases.get(bytes);
    if (!base) {
      base = path.join(baseDir, `b${bases.size}`);
      fs.writeFileSync(base, bytes);
      bases.set(bytes, base);
    }
    try {
      fs.linkSync(base, f);
    } catch {
      fs.writeFileSync(f, bytes);
    }
  };
  let files = 0;
  for (const [c, entries] of Object.entries(manifests)) {
    for (const e of entries) {
      write(layout(c, e.path), wav[c]);
      files++;
    }
  }
  const debris: Record<string, string[]> = { duplicate: [], notUsed: [], unknown: [], notAudio: [], lossyCopy: [] };
  if (opts.debris !== false) {
    // Kaggle's RAVDESS holds the actors twice: Actor_XX/ and audio_speech_actors_01-24/Actor_XX/
    for (const e of manifests.RAVDESS.filter((x) => x.path.startsWith('Actor_01/'))) {
      const rel = path.join('ravdess-emotional-speech-audio', e.path);
      write(rel, wav.RAVDESS);
      debris.duplicate.push(rel);
    }
    // Kaggle's TESS holds a nested second copy of the data folder
    for (const e of manifests.TESS.filter((x) => x.path.startsWith('YAF_sad/'))) {
      const rel = path.join(TESS_TOP, 'tess toronto emotional speech set data', TESS_DATA, e.path);
      write(rel, wav.TESS);
      debris.duplicate.push(rel);
    }
    // RAVDESS song (vocal channel 02) and video files, CREMA-D in another format
    for (const rel of [
      'ravdess-song/Actor_01/03-02-01-01-01-01-01.wav',
      'ravdess-song/Actor_01/03-02-03-02-02-01-01.wav',
      'ravdess-video/Actor_02/01-01-05-01-01-01-02.mp4',
      'ravdess-video/Actor_02/02-01-05-01-01-01-02.mp4',
      'cremad/AudioMP3/1001_DFA_ANG_XX.mp3',
    ]) {
      write(rel, rel.endsWith('.wav') ? wav.RAVDESS : Buffer.from('not audio'));
      (rel.endsWith('.mp3') ? debris.lossyCopy : debris.notUsed).push(rel);
    }
    for (const rel of [
      'misc/hello.wav',
      'cremad/AudioWAV/1001_DFA_XYZ_XX.wav',
      'ravdess-emotional-speech-audio/Actor_03/03-01-09-01-01-01-03.wav',
    ]) {
      write(rel, wav['CREMA-D']);
      debris.unknown.push(rel);
    }
    write('__MACOSX/cremad/AudioWAV/._1001_DFA_ANG_XX.wav', Buffer.from('apple'));
    write('cremad/AudioWAV/._1001_DFA_DIS_XX.wav', Buffer.from('apple'));
    debris.notAudio.push('cremad/AudioWAV/._1001_DFA_DIS_XX.wav');
    write('README.md', Buffer.from('# corpora\n'));
    write('cremad/LICENSE.txt', Buffer.from('ODbL\n'));
  }
  return { files, debris };
}

export { buildNameOnlyTree, layout, RATES };
