// Issue #12, item 3: the corpus scan matches clips by file name whatever the audio extension, the
// feature store picks the decoder from the bytes (TESS's two AIFF files named .wav), and a FLAC
// copy of a corpus scans to the same Table I and gives the same 173 features.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpora } from 'kernel-lib';
import { tmp } from './helpers';
import { featuresExtract, featuresStore as store } from 'kernel-lib/internal';
const { buildFeatureStore } = featuresExtract;

const F = path.join(__dirname, '..', 'fixtures', 'formats');

/** A small corpus tree: [relative path, fixture] (names from the four corpora). */
const TREE = [
  ['tess/YAF_angry/YAF_germ_angry.wav', 'tess-like.aiff.wav'], // AIFF under a .wav name, as in TESS
  ['tess/YAF_fear/YAF_neat_fear.wav', 'tess-like.aiff.wav'],
  ['savee/DC_a01.wav', 'mono-s16.aiff'],
  ['savee/DC_h01.wav', 'stereo-s16.wav'],
  ['ravdess/Actor_01/03-01-05-01-01-01-01.wav', 'stereo-s24.aiff'],
  ['cremad/AudioWAV/1001_DFA_SAD_XX.wav', 'mono-sowt.aifc'],
];

function build(root: string, ext: string, pick: (fixture: string) => string): void {
  for (const [rel, fixture] of TREE) {
    const file = path.join(root, rel.replace(/\.wav$/, ext));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(path.join(F, pick(fixture)), file);
  }
}

describe('corpus scan and feature store: clips by name, decoders by content', function () {
  this.timeout(180000);
  let dir: string;
  before(() => {
    dir = tmp('formats-store');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a FLAC copy (same names, .flac) scans to the same Table I; a mixed tree too', () => {
    build(path.join(dir, 'wav'), '.wav', (f) => f);
    build(path.join(dir, 'flac'), '.flac', () => 'mono-16.flac');
    build(path.join(dir, 'mixed'), '.mp3', () => 'mono-16k.mp3');
    const a = corpora.scanCorpora(path.join(dir, 'wav'));
    const b = corpora.scanCorpora(path.join(dir, 'flac'));
    const c = corpora.scanCorpora(path.join(dir, 'mixed'));
    assert.strictEqual(a.total, TREE.length);
    assert.deepStrictEqual(a.skipped, []);
    for (const s of [b, c]) {
      assert.deepStrictEqual(s.counts, a.counts);
      assert.deepStrictEqual(
        s.clips.map((k) => k.clipId),
        a.clips.map((k) => k.clipId),
      );
    }
  });

  it('the store takes AIFF named .wav and every container, with no skip; FLAC and AIFF of the same samples give the same rows', async () => {
    const out = path.join(dir, 'wav.serfeat');
    const res = await buildFeatureStore({ inputs: [path.join(dir, 'wav')], out, workers: 1, progress: false });
    assert.deepStrictEqual(res.skipped, []);
    assert.strictEqual(res.nRows, TREE.length);
    const t = store.readFeatureStore(out);
    for (let i = 0; i < t.nRows * t.nFeatures; i++) assert.ok(Number.isFinite(t.X[i]));
    // mono-16.flac and mono-s16.aiff hold the same 16-bit samples: the same 173 features
    const flacDir = path.join(dir, 'one-flac');
    const aiffDir = path.join(dir, 'one-aiff');
    for (const [d, f, name] of [
      [flacDir, 'mono-16.flac', 'DC_a01.flac'],
      [aiffDir, 'mono-s16.aiff', 'DC_a01.wav'],
    ]) {
      fs.mkdirSync(path.join(d, 'savee'), { recursive: true });
      fs.copyFileSync(path.join(F, f), path.join(d, 'savee', name));
    }
    const rows = [];
    for (const d of [flacDir, aiffDir]) {
      const o = path.join(d, 'x.serfeat');
      const r = await buildFeatureStore({ inputs: [d], out: o, workers: 0, progress: false });
      assert.deepStrictEqual(r.skipped, []);
      rows.push(store.readFeatureStore(o));
    }
    assert.deepStrictEqual(Array.from(rows[0].X), Array.from(rows[1].X));
    assert.deepStrictEqual(rows[0].clipId, rows[1].clipId);
  });
});
