// Variants of the recipe (issue #15 item 1; kernel-lib/src/features/recipe.ts) against the real
// librosa 0.10.2: test/fixtures/variants/index.json, written by
// scripts/tools/make-variant-fixtures.py, holds for 4 fixture clips (RAVDESS 48 kHz mono and
// stereo, SAVEE 44.1 kHz, a synthetic 16 kHz file) the vector of each variant: pad_mode
// 'reflect', res_type 'kaiser_fast', sr 44100, n_mfcc 40, offset 0, duration 3, and the
// reference recipe ('default'). Each is computed here the way `ser features` does (ExtractParams
// -> loadClipBytes -> resolveExtractor) and compared per block as the paper173 parity test does
// (limit 1e-4, spectral_contrast band 6: 1e-2). The default cache keys are pinned.
import assert from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as H from './helpers';
import { features } from 'kernel-lib/internal';
import { featuresExtract as E } from 'kernel-lib/internal';

/** One variant of test/fixtures/variants/index.json: its ExtractParams options and librosa's vectors. */
interface VariantFixture {
  librosa: Record<string, string | number>;
  options: Partial<E.ExtractParams>;
  stems: Record<string, { n_samples: number; tuning_chroma_stft: number; tuning_cqt: number; features: number[] }>;
}
/** test/fixtures/variants/index.json */
interface VariantsFixture {
  made_by: string;
  default: Record<string, string | number>;
  clips: Record<string, { wav: string; sha256: string }>;
  variants: Record<string, VariantFixture>;
}
const FIX: VariantsFixture = require(path.join(H.FIX, 'variants', 'index.json'));
const SER = path.join(__dirname, '..', '..', 'scripts', 'ser.js');

/** ExtractParams of a variant: the defaults with the fixture's options. */
const paramsOf = (v: VariantFixture): E.ExtractParams => ({ ...E.DEFAULT_EXTRACT_PARAMS, ...v.options });

describe('recipe variants = librosa 0.10.2 with the changed choice', function () {
  this.timeout(300000);
  const worst = new H.Worst('recipe variants vs librosa');
  after(() => worst.print());

  it('fixtures: 7 variants x 4 clips, the WAVs unchanged', () => {
    assert.deepStrictEqual(Object.keys(FIX.variants).sort(), [
      'default',
      'duration3',
      'kaiser_fast',
      'n_mfcc40',
      'offset0',
      'pad_reflect',
      'sr44100',
    ]);
    for (const [stem, c] of Object.entries(FIX.clips)) {
      const sha = crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(H.FIX, c.wav)))
        .digest('hex');
      assert.strictEqual(sha, c.sha256, stem);
    }
  });

  it("the script's default variant is the reference recipe (features_173 of the real and synthetic fixtures)", () => {
    for (const [stem, r] of Object.entries(FIX.variants.default.stems)) {
      const ref = (H.realIndex().stems[stem] ?? H.librosaIndex().stems[stem]).features_173;
      assert.deepStrictEqual(r.features, ref, stem);
    }
  });

  for (const [name, v] of Object.entries(FIX.variants)) {
    describe(`${name} ${JSON.stringify(v.options)}`, () => {
      for (const [stem, r] of Object.entries(v.stems)) {
        it(stem, async () => {
          const p = paramsOf(v);
          const file = path.join(H.FIX, FIX.clips[stem].wav);
          const y = await E.loadClipBytes(fs.readFileSync(file), file, p);
          assert.strictEqual(y.length, r.n_samples, 'samples after load');
          const ex = E.resolveExtractor(p);
          const vec = Float64Array.from(ex.extract(y, p.sr));
          const nMfcc = p.recipe?.nMfcc ?? 20;
          assert.strictEqual(ex.layout.length, nMfcc + 153);
          H.compareBlocks(worst, name, stem, vec, r.features, features.paper173BlocksFor(nMfcc));
          // the CQT tuning is a histogram argmax: it must be librosa's value exactly
          const tuning = features.estimateTuning({
            y: features.harmonic(y, { padMode: p.recipe?.padMode }),
            sr: p.sr,
            binsPerOctave: 36,
            padMode: p.recipe?.padMode,
          });
          assert.strictEqual(tuning, r.tuning_cqt, 'CQT tuning');
        });
      }
    });
  }

  it('the variants do change the vector (each differs from the default beyond the limits)', () => {
    const stem = 'ravdess_03-01-01-01-01-01-12';
    const d = FIX.variants.default.stems[stem].features;
    for (const [name, v] of Object.entries(FIX.variants)) {
      if (name === 'default') continue;
      const f = v.stems[stem].features;
      const common = name === 'n_mfcc40' ? f.slice(0, 20) : f;
      const err = H.relErr(Float64Array.from(common), Float64Array.from(d.slice(0, common.length)));
      if (name === 'n_mfcc40') assert.ok(err < 1e-12, 'the first 20 MFCC means do not depend on n_mfcc');
      else assert.ok(err > 1e-4, `${name}: ${err}`);
    }
  });
});

describe('recipe variants: options, layout, cache keys', function () {
  this.timeout(120000);

  it('the default cache keys are unchanged (pinned), and explicit default options give the same keys', () => {
    const sha = 'ab'.repeat(32);
    const clip = 'ravdess/03-01-01-01-01-01-12';
    const pinned: Record<features.AugKind, string> = {
      orig: '2beefbb6098440c279533cc8',
      noise: '924faff4343bf5976e05adf7',
      stretch: 'a54b584866c5bcc3c47db151',
      pitch: '5fd371c94906f568677ba289',
    };
    const explicit: E.ExtractParams = { ...E.DEFAULT_EXTRACT_PARAMS, recipe: { padMode: 'constant', resType: 'kaiser_best', nMfcc: 20 } };
    for (const [kind, key] of Object.entries(pinned) as [features.AugKind, string][]) {
      assert.strictEqual(E.rowKey(sha, E.DEFAULT_EXTRACT_PARAMS, 'paper173', kind, clip), `${sha}:${key}`, kind);
      assert.strictEqual(E.rowKey(sha, explicit, 'paper173', kind, clip), `${sha}:${key}`, `${kind} (explicit defaults)`);
    }
    const keys = new Set([E.rowKey(sha, E.DEFAULT_EXTRACT_PARAMS, 'paper173', 'orig', clip)]);
    for (const v of Object.values(FIX.variants)) keys.add(E.rowKey(sha, paramsOf(v), 'paper173', 'orig', clip));
    assert.strictEqual(keys.size, Object.keys(FIX.variants).length, 'one key per variant (default included once)');
  });

  it('recipeVariant keeps the non-default options only; bad options are one-line errors', () => {
    assert.strictEqual(features.recipeVariant(undefined), undefined);
    assert.strictEqual(features.recipeVariant({ padMode: 'constant', nMfcc: 20, resType: 'kaiser_best' }), undefined);
    assert.deepStrictEqual(features.recipeVariant({ resType: 'kaiser_fast', padMode: 'constant', nMfcc: 40 }), {
      nMfcc: 40,
      resType: 'kaiser_fast',
    });
    // @ts-expect-error -- deliberately not a PadMode
    assert.throws(() => features.recipeVariant({ padMode: 'edge' }), /^Error: unknown pad_mode 'edge' \(have constant, reflect\)$/);
    // @ts-expect-error -- deliberately not a ResampyFilter
    assert.throws(() => features.recipeVariant({ resType: 'soxr_hq' }), /unknown res_type 'soxr_hq'/);
    assert.throws(() => features.paper173(new Float32Array(22050), 22050, { nMfcc: 0 }), /n_mfcc must be an integer from 1 to 128/);
    assert.throws(() => E.checkLoadParams({ sr: 22050.5, offset: 0.5, duration: 2.5 }), /sr must be a positive integer/);
    assert.throws(() => E.checkLoadParams({ sr: 22050, offset: -1, duration: 2.5 }), /offset must be/);
  });

  it('layout follows n_mfcc: 193 names with 40 MFCCs, blocks shifted', () => {
    const L = features.paper173Layout(40);
    assert.strictEqual(L.length, 193);
    assert.strictEqual(L[39], 'mfcc_40');
    assert.strictEqual(L[40], 'chroma_1');
    assert.strictEqual(L[192], 'tonnetz_6');
    assert.deepStrictEqual(features.paper173BlocksFor(40).tonnetz, [187, 193]);
    assert.deepStrictEqual(features.paper173Layout(), Array.from(features.PAPER173_LAYOUT));
    assert.deepStrictEqual(features.paper173BlocksFor(), features.paper173Blocks);
  });

  it("ser features --n-mfcc 40 writes a 193-column store (layout, recipe) whose rows are librosa's; explicit defaults leave the default store", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-variant-'));
    try {
      const stems = ['ravdess_03-01-01-01-01-01-12', 'savee_DC_a01'];
      const wavs = stems.map((s) => path.join(H.FIX, FIX.clips[s].wav));
      const out = path.join(dir, 'v.ser');
      const r = spawnSync(process.execPath, [SER, 'features', ...wavs, '--out', out, '--workers', '0', '--quiet', '--n-mfcc', '40'], {
        encoding: 'utf8',
      });
      assert.strictEqual(r.status, 0, r.stderr);
      const t = features.readFeatureStore(out);
      assert.strictEqual(t.nFeatures, 193);
      assert.deepStrictEqual(t.layout, features.paper173Layout(40));
      assert.deepStrictEqual(t.params.recipe, { nMfcc: 40 });
      const worst = new H.Worst('unused');
      stems.forEach((s, i) => {
        const row = t.sourceClipId.indexOf(`file:${path.basename(wavs[i])}`);
        assert.ok(row >= 0, `${s} in the store (${t.sourceClipId.join(', ')})`);
        H.compareBlocks(
          worst,
          'store n_mfcc40',
          s,
          Float64Array.from(features.featureRow(t, row)),
          FIX.variants.n_mfcc40.stems[s].features,
          features.paper173BlocksFor(40),
        );
      });
      const out0 = path.join(dir, 'd.ser');
      const r0 = spawnSync(
        process.execPath,
        [SER, 'features', wavs[0], '--out', out0, '--workers', '0', '--quiet', '--pad-mode', 'constant'],
        { encoding: 'utf8' },
      );
      assert.strictEqual(r0.status, 0, r0.stderr);
      const t0 = features.readFeatureStore(out0);
      assert.ok(!('recipe' in t0.params), 'explicit default options leave the store as the default recipe');
      assert.strictEqual(t0.nFeatures, 173);
      const bad = spawnSync(process.execPath, [SER, 'features', wavs[0], '--out', path.join(dir, 'x.ser'), '--pad-mode', 'edge'], {
        encoding: 'utf8',
      });
      assert.strictEqual(bad.status, 2);
      assert.strictEqual(bad.stderr.trim().split('\n').length, 1, bad.stderr);
      assert.match(bad.stderr, /--pad-mode must be one of constant, reflect, got 'edge'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
