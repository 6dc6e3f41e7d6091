// The project's own copies of the librosa reference data the augmentation tests use
// (test/fixtures/librosa: y and the augmented 173-vectors; test/fixtures/augment/librosa:
// time_stretch / pitch_shift arrays; test/fixtures/real: the 11 real clips and their vectors).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ArrayMeta, LibrosaIndex, RealIndex, StemRef } from '../features/helpers';

const FIX = path.resolve(__dirname, '..', 'fixtures');
const LIB = path.join(FIX, 'librosa');
const AUG = path.join(FIX, 'augment', 'librosa');
const REAL = path.join(FIX, 'real');

/** test/fixtures/augment/librosa/index.json: librosa's augmented copies of each synthetic stem */
interface AugIndex {
  source: string;
  stems: Record<string, Record<AugRefKind, ArrayMeta>>;
}
type AugRefKind = 'time_stretch' | 'pitch_shift';

const libIndex: LibrosaIndex = JSON.parse(fs.readFileSync(path.join(LIB, 'index.json'), 'utf8'));
const augIndex: AugIndex = JSON.parse(fs.readFileSync(path.join(AUG, 'index.json'), 'utf8'));
const realIndex: RealIndex = JSON.parse(fs.readFileSync(path.join(REAL, 'index.json'), 'utf8'));

function f32(file: string): Float32Array {
  const buf = fs.readFileSync(file);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** the 12 synthetic stems */
const STEMS = Object.keys(libIndex.stems).sort();
/** the fixture's y (librosa.load output) */
const fixtureY = (stem: string): Float32Array => f32(path.join(LIB, libIndex.stems[stem].arrays.y.file));
/** librosa's augmented copy: kind 'time_stretch' | 'pitch_shift' */
const augmentedRef = (stem: string, kind: AugRefKind): Float32Array => f32(path.join(AUG, augIndex.stems[stem][kind].file));
/** { 'time_stretch_0.8': {features_173}, 'pitch_shift_0.7': {...} } */
const augmentedVectors = (stem: string): StemRef['augmented'] => libIndex.stems[stem].augmented;
/** the 11 real clips: stem, wav path, augmented vectors */
const REAL_STEMS = Object.keys(realIndex.stems).sort();
const realClip = (stem: string): { wav: string; augmented: StemRef['augmented'] } => ({
  wav: path.join(REAL, realIndex.stems[stem].wav),
  augmented: realIndex.stems[stem].augmented,
});

export type { AugRefKind };
export { STEMS, REAL_STEMS, fixtureY, augmentedRef, augmentedVectors, realClip, REAL };
