// `ser features --augment` with the real extractor (paper173) on real corpus clips laid out as
// the corpora are downloaded: four rows per clip (orig, noise, stretch, pitch) tagged with kind
// and source clip; identical bytes from two runs with different worker counts; the orig /
// stretch / pitch rows equal librosa's vectors (to the tolerances of the parity tests); a corrupt
// file in the tree is skipped with its reason.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { tmp } from './helpers';
import type { RealIndex } from '../features/helpers';
import { featuresStore as store } from 'kernel-lib/internal';

const ROOT = path.resolve(__dirname, '..', '..');
const SER = path.join(ROOT, 'scripts', 'ser.js');
const REAL = path.join(ROOT, 'test', 'fixtures', 'real');
const REAL_INDEX: RealIndex = JSON.parse(fs.readFileSync(path.join(REAL, 'index.json'), 'utf8'));

/** fixture WAV, path in the corpus tree, the clip id it gets (null: looked up by emotion), emotion */
const FILES: [src: string, rel: string, clipId: string | null, emotion: string][] = [
  ['ravdess_03-01-05-01-01-01-02.wav', 'RAVDESS/Actor_02/03-01-05-01-01-01-02.wav', 'RAVDESS:03-01-05-01-01-01-02', 'angry'],
  ['ravdess_03-01-08-01-02-02-01.wav', 'RAVDESS/Actor_01/03-01-08-01-02-02-01.wav', 'RAVDESS:03-01-08-01-02-02-01', 'surprised'],
  ['savee_JE_sa01.wav', 'SAVEE/ALL/JE_sa01.wav', null, 'sad'],
];

describe('feature store with augmentation (paper173, real clips)', function () {
  this.timeout(600000);
  let dir: string;
  before(() => {
    dir = tmp('augstore');
    for (const [src, rel] of FILES) {
      fs.mkdirSync(path.dirname(path.join(dir, 'corpus', rel)), { recursive: true });
      fs.copyFileSync(path.join(REAL, 'audio', src), path.join(dir, 'corpus', rel));
    }
    // a damaged download: a RAVDESS name whose bytes stop inside the header
    fs.writeFileSync(
      path.join(dir, 'corpus', 'RAVDESS', 'Actor_02', '03-01-03-01-01-01-02.wav'),
      fs.readFileSync(path.join(REAL, 'audio', FILES[0][0])).subarray(0, 30),
    );
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('writes 4 tagged rows per clip, deterministically, skipping the corrupt file with its reason', () => {
    const run = (out: string, workers: number) =>
      spawnSync(
        process.execPath,
        [SER, 'features', path.join(dir, 'corpus'), '--out', out, '--augment', '--workers', String(workers), '--json', '--quiet'],
        { encoding: 'utf8' },
      );
    const a = run(path.join(dir, 'a.ser'), 2);
    assert.strictEqual(a.status, 0, a.stderr);
    const j = JSON.parse(a.stdout);
    assert.strictEqual(j.clips, 3);
    assert.strictEqual(j.rows, 12);
    assert.strictEqual(j.features, 173);
    assert.strictEqual(j.skipped.length, 1);
    assert.strictEqual(j.skipped[0].clipId, 'RAVDESS:03-01-03-01-01-01-02');
    assert.match(j.skipped[0].file, /03-01-03-01-01-01-02\.wav$/);
    assert.match(j.skipped[0].reason, /truncated|header/);
    assert.match(a.stderr, /skipped RAVDESS\/Actor_02\/03-01-03-01-01-01-02\.wav: /);

    const b = run(path.join(dir, 'b.ser'), 1);
    assert.strictEqual(b.status, 0, b.stderr);
    assert.ok(fs.readFileSync(path.join(dir, 'a.ser')).equals(fs.readFileSync(path.join(dir, 'b.ser'))), 'two runs give identical bytes');

    const t = store.readFeatureStore(path.join(dir, 'a.ser'));
    assert.strictEqual(t.nFeatures, 173);
    assert.strictEqual(t.layout[0], 'mfcc_1');
    assert.strictEqual(t.params.augment, true);
    for (let c = 0; c < 3; c++) {
      assert.deepStrictEqual(t.kind.slice(4 * c, 4 * c + 4), ['orig', 'noise', 'stretch', 'pitch']);
      const src = t.sourceClipId[4 * c];
      assert.deepStrictEqual(t.sourceClipId.slice(4 * c, 4 * c + 4), [src, src, src, src]);
      assert.deepStrictEqual(t.clipId.slice(4 * c, 4 * c + 4), [src, `${src}#noise`, `${src}#stretch`, `${src}#pitch`]);
      assert.strictEqual(new Set(t.sha256.slice(4 * c, 4 * c + 4)).size, 1);
    }
    for (const [src, , clipId, emotion] of FILES) {
      const manifest = REAL_INDEX.stems[src.replace(/\.wav$/, '')];
      const i = clipId
        ? t.clipId.indexOf(clipId)
        : t.emotion.findIndex((e, k) => e === emotion && t.corpus[k] === 'SAVEE' && t.kind[k] === 'orig');
      assert.ok(i >= 0, `${src} in the store`);
      assert.strictEqual(t.emotion[i], emotion);
      assert.strictEqual(t.label[i], t.emotions.indexOf(emotion));
      const rel = (row: number, ref: ArrayLike<number>, s: number, e: number): number => {
        let m = 0;
        let mx = 0;
        for (let k = s; k < e; k++) {
          m = Math.max(m, Math.abs(t.X[row * 173 + k] - ref[k]));
          mx = Math.max(mx, Math.abs(ref[k]));
        }
        return m / mx;
      };
      // mfcc + mel blocks: loose enough for both the plain and the augmented parity
      assert.ok(rel(i, manifest.features_173, 0, 20) < 1e-5, `${src} orig mfcc`);
      assert.ok(rel(i + 2, manifest.augmented['time_stretch_0.8'].features_173, 0, 20) < 1e-5, `${src} stretch mfcc`);
      assert.ok(rel(i + 2, manifest.augmented['time_stretch_0.8'].features_173, 32, 160) < 1e-4, `${src} stretch mel`);
      assert.ok(rel(i + 3, manifest.augmented['pitch_shift_0.7'].features_173, 0, 20) < 1e-5, `${src} pitch mfcc`);
      assert.ok(rel(i + 3, manifest.augmented['pitch_shift_0.7'].features_173, 32, 160) < 1e-4, `${src} pitch mel`);
      // the noise copy differs from the original, but not by much (amplitude <= 3.5% of the peak)
      const d = rel(i + 1, Array.from(t.X.subarray(i * 173, i * 173 + 173)), 0, 20);
      assert.ok(d > 0 && d < 0.5, `${src} noise mfcc change ${d}`);
    }

    // a re-run reuses everything
    const c = run(path.join(dir, 'a.ser'), 2);
    assert.strictEqual(c.status, 0, c.stderr);
    assert.strictEqual(JSON.parse(c.stdout).computed, 0);
    assert.ok(fs.readFileSync(path.join(dir, 'a.ser')).equals(fs.readFileSync(path.join(dir, 'b.ser'))));
  });
});
