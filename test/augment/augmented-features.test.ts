// The augmented 173-vectors (issue #5 item 4): paper173(timeStretch(y, 0.8)) and
// paper173(pitchShift(y, sr, 0.7)) against librosa's `augmented.*.features_173` for the 12
// synthetic files (y = the fixture's y.npy) and the 11 real corpus clips (y = audio.load of the
// WAV: 48 kHz / 44.1 kHz through the kaiser_best resampler).
//
// Tolerances: per block, max|diff| / max|reference| over the block, measured on all 40 vectors:
//   block          measured   asserted
//   mfcc           1.8e-6     1e-5
//   chroma         1.2e-5     1e-4
//   mel            2.6e-5     1e-4
//   contrast 0-5   2.8e-5     2e-4
//   contrast 6     2.9e-3     1e-2   (6.4-11 kHz band, ill-conditioned: see fixtures README)
//   tonnetz        1.7e-4     1e-3   except below
// One vector (tts3_clock_engbrp-m3_44100hz, pitch shift) has tonnetz off by 9%: the copy differs
// from librosa's by ~1e-5 (phase vocoder, see augment.test.js) and that flips the CQT tuning
// estimate (a histogram argmax at 0.01-bin resolution) from 0.04 to -0.14. The test accepts a
// tonnetz outlier only when that is what happened: the tuning estimated on our copy differs from
// the one on librosa's copy (pitch_shift.npy), and paper173 of librosa's copy matches the
// reference tonnetz to 1e-3.
import assert from 'node:assert';

import type { StemRef } from '../features/helpers';
import { type AugRefKind, STEMS, REAL_STEMS, fixtureY, augmentedRef, augmentedVectors, realClip } from './fixtures';
import { audioAugment as aug, audioLoad, featuresPaper173, featuresTuning, featuresHpss } from 'kernel-lib/internal';
const { load } = audioLoad;
const { paper173, paper173Blocks } = featuresPaper173;
const { estimateTuning } = featuresTuning;
const { harmonic } = featuresHpss;

const TOL = { mfcc: 1e-5, chroma: 1e-4, mel: 1e-4, contrast05: 2e-4, contrast6: 1e-2, tonnetz: 1e-3 };

type Block = keyof typeof TOL;

function blockErrors(v: ArrayLike<number>, ref: ArrayLike<number>): Record<Block, number> {
  const rel = (s: number, e: number): number => {
    let m = 0;
    let mx = 0;
    for (let i = s; i < e; i++) {
      m = Math.max(m, Math.abs(v[i] - ref[i]));
      mx = Math.max(mx, Math.abs(ref[i]));
    }
    return m / mx;
  };
  const b = paper173Blocks;
  return {
    mfcc: rel(...b.mfcc),
    chroma: rel(...b.chroma_stft),
    mel: rel(...b.melspectrogram),
    contrast05: rel(b.spectral_contrast[0], b.spectral_contrast[0] + 6),
    contrast6: rel(b.spectral_contrast[0] + 6, b.spectral_contrast[1]),
    tonnetz: rel(...b.tonnetz),
  };
}

const KINDS: { key: string; ref: AugRefKind; make: (y: Float32Array) => Float32Array }[] = [
  { key: 'time_stretch_0.8', ref: 'time_stretch', make: (y) => aug.timeStretch(y, { rate: 0.8 }) },
  { key: 'pitch_shift_0.7', ref: 'pitch_shift', make: (y) => aug.pitchShift(y, 22050, { nSteps: 0.7 }) },
];

function check(name: string, y: Float32Array, augmented: StemRef['augmented'], refStem: string | null): string[] {
  const failures: string[] = [];
  for (const k of KINDS) {
    const copy = k.make(y);
    const ref = augmented[k.key].features_173;
    const e = blockErrors(paper173(copy, 22050), ref);
    for (const [block, tol] of Object.entries(TOL) as [Block, number][]) {
      if (e[block] <= tol) continue;
      if (block === 'tonnetz' && refStem) {
        // the tuning flip described above
        const refCopy = augmentedRef(refStem, k.ref);
        const tOurs = estimateTuning({ y: harmonic(copy), sr: 22050, binsPerOctave: 36 });
        const tRef = estimateTuning({ y: harmonic(refCopy), sr: 22050, binsPerOctave: 36 });
        const eRef = blockErrors(paper173(refCopy, 22050), ref);
        if (tOurs !== tRef && eRef.tonnetz <= tol) continue;
        failures.push(
          `${name} ${k.key}: tonnetz ${e.tonnetz.toExponential(2)} (tuning ours ${tOurs}, librosa's copy ${tRef}; from librosa's copy ${eRef.tonnetz.toExponential(2)})`,
        );
        continue;
      }
      failures.push(`${name} ${k.key}: ${block} ${e[block].toExponential(2)} > ${tol}`);
    }
  }
  return failures;
}

describe('augmentation: augmented 173-vectors vs librosa', function () {
  this.timeout(300000);

  it('12 synthetic files: time_stretch 0.8 and pitch_shift 0.7', () => {
    assert.strictEqual(STEMS.length, 12);
    const failures: string[] = [];
    for (const s of STEMS) failures.push(...check(s, fixtureY(s), augmentedVectors(s), s));
    assert.deepStrictEqual(failures, []);
  });

  it('11 real corpus clips, loaded from the WAV files', async () => {
    assert.strictEqual(REAL_STEMS.length, 11);
    const failures: string[] = [];
    for (const s of REAL_STEMS) {
      const clip = realClip(s);
      const { y, sr } = await load(clip.wav);
      assert.strictEqual(sr, 22050);
      assert.strictEqual(y.length, 55125);
      failures.push(...check(s, y, clip.augmented, null));
    }
    assert.deepStrictEqual(failures, []);
  });
});
