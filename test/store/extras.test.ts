// The optional meyda descriptors (issue #4 item 6: not part of the paper's 173) and the
// notebook helpers behind notebooks 02 / 03 (energy profile, layout blocks, per-emotion means).
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHEAP, tmp, makeClips } from './helpers';
import {
  featuresMeydaExtra,
  featuresExtract,
  featuresStore as store,
  reportFiguresSignals as plots,
  audioWav,
  featuresPaper173,
} from 'kernel-lib/internal';
const { meydaExtra, MEYDA_EXTRA_LAYOUT } = featuresMeydaExtra;
const { buildFeatureStore } = featuresExtract;
const { encodeWav } = audioWav;

describe('meyda extra descriptors (not part of the 173)', () => {
  const sr = 22050;
  const tone = (f: number, n = 55125) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / sr));

  it('gives the expected values on a pure tone', () => {
    const v = meydaExtra(tone(1000), sr);
    assert.strictEqual(v.length, 5);
    assert.deepStrictEqual(
      [...MEYDA_EXTRA_LAYOUT],
      ['meyda:rms', 'meyda:zcr', 'meyda:spectralCentroid_hz', 'meyda:spectralFlatness', 'meyda:spectralRolloff_hz'],
    );
    assert.ok(Math.abs(v[1] - 2000 / sr) < 0.002, `zcr ${v[1]}`);
    assert.ok(Math.abs(v[2] - 1000) < 30, `centroid ${v[2]} Hz`);
    assert.ok(v[3] < 0.01, `flatness ${v[3]}`);
    assert.ok(v[4] > 900 && v[4] < 1500, `rolloff ${v[4]} Hz`);
    assert.ok(v[0] > 0.1 && v[0] < 0.5, `rms ${v[0]}`);
  });

  it('ignores silent frames and returns 0 for all-silent input', () => {
    const y = tone(500);
    y.fill(0, 0, 20000);
    const v = meydaExtra(y, sr);
    assert.ok(v.every(Number.isFinite));
    assert.ok(Math.abs(v[2] - 500) < 30, `centroid ${v[2]}`);
    assert.deepStrictEqual(Array.from(meydaExtra(new Float32Array(8192), sr)), [0, 0, 0, 0, 0]);
  });

  it('a --meyda store appends the 5 labelled columns after the base features', async () => {
    const dir = tmp('meyda');
    try {
      const clips = makeClips(path.join(dir, 'w'), 3);
      const out = path.join(dir, 'm.ser');
      const r = await buildFeatureStore({ clips, out, extractor: CHEAP, meyda: true, workers: 0, progress: false });
      assert.strictEqual(r.nFeatures, 11);
      const t = store.readFeatureStore(out);
      assert.deepStrictEqual(t.layout.slice(6), [...MEYDA_EXTRA_LAYOUT]);
      assert.strictEqual(t.params.extractor, 'cheap-test+meyda');
      const base = store.selectFeatures(t, [0, 1, 2, 3, 4, 5]);
      assert.strictEqual(base.nFeatures, 6);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('notebook helpers (features/plots)', () => {
  it("energyProfile splits each clip's energy around the 0.5-3.0 s window", async () => {
    const dir = tmp('energy');
    try {
      const sr = 8000;
      const y = new Float32Array(4 * sr);
      for (let i = sr; i < 2 * sr; i++) y[i] = 0.5; // all energy in 1-2 s
      fs.writeFileSync(path.join(dir, 'a.wav'), encodeWav(y, sr));
      fs.writeFileSync(path.join(dir, 'bad.wav'), Buffer.from('nope'));
      const p = await plots.energyProfile([{ path: path.join(dir, 'a.wav'), corpus: 'X' }, { path: path.join(dir, 'bad.wav') }], {
        binS: 0.5,
        maxS: 4,
      });
      assert.strictEqual(p.clips.length, 1);
      assert.strictEqual(p.failed.length, 1);
      assert.ok(Math.abs(p.clips[0].inside - 1) < 1e-9);
      assert.deepStrictEqual(
        p.meanShare.map((v) => Math.round(v * 100)),
        [0, 0, 50, 50, 0, 0, 0, 0],
      );
      const rows = plots.energyProfileRows(p);
      assert.strictEqual(rows[0]['energy 0.5-3 s (%)'], 100);
      assert.ok(plots.energyProfileFigure(p).data.length === 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('layoutBlocks reads the 173 layout; perEmotionMeans averages standardised columns per class', () => {
    const { PAPER173_LAYOUT } = featuresPaper173;
    assert.deepStrictEqual(
      plots.layoutBlocks(PAPER173_LAYOUT).map((b) => [b.block, b.size, b.first]),
      [
        ['mfcc', 20, 0],
        ['chroma', 12, 20],
        ['mel', 128, 32],
        ['contrast', 7, 160],
        ['tonnetz', 6, 167],
      ],
    );
    const t = {
      X: Float32Array.from([0, 10, 2, 10, 4, 20, 6, 20]),
      nRows: 4,
      nFeatures: 2,
      layout: ['a_1', 'b_1'],
      emotions: ['angry', 'calm', 'sad'],
      label: [0, 0, 1, -1],
      kind: ['orig', 'orig', 'orig', 'orig'],
    };
    const pm = plots.perEmotionMeans(t as unknown as Parameters<typeof plots.perEmotionMeans>[0]); // only the columns it reads
    assert.deepStrictEqual(pm.emotions, ['angry', 'calm']);
    assert.deepStrictEqual(pm.counts, [2, 1]);
    // column a over labelled rows: 0, 2, 4 -> mean 2, sd sqrt(8/3)
    assert.ok(Math.abs(pm.z[0][0] - -1 / Math.sqrt(8 / 3)) < 1e-3);
    assert.ok(Math.abs(pm.z[1][0] - 2 / Math.sqrt(8 / 3)) < 1e-3);
  });

  it('augmentationGrowthRows: N -> 4N per emotion and in total', () => {
    const rows = plots.augmentationGrowthRows({ angry: 3, sad: 1 }, ['angry', 'calm', 'sad']);
    assert.deepStrictEqual(
      rows.map((r) => [r.emotion, r['clips (N)'], r['rows with augmentation (4N)']]),
      [
        ['angry', 3, 12],
        ['calm', 0, 0],
        ['sad', 1, 4],
        ['total', 4, 16],
      ],
    );
  });

  it('audioPlayersHtml embeds one playable WAV per item', () => {
    const html = plots.audioPlayersHtml([
      { label: 'a <b>', y: new Float32Array(100), sr: 22050 },
      { label: 'b', y: new Float32Array(10).fill(2), sr: 22050 },
    ]);
    assert.strictEqual((html.match(/<audio controls/g) || []).length, 2);
    assert.match(html, /data:audio\/wav;base64,UklGR/);
    assert.match(html, /a &lt;b&gt;/);
  });
});
