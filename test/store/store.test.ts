// Feature store (issue #4 item 5): format round trip, determinism, reuse, skip of corrupt
// files, resume after a kill. Uses a cheap stand-in extractor so it runs in seconds.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { CHEAP, tmp, makeClips, signal } from './helpers';
import { featuresStore as store, featuresExtract, audioWav } from 'kernel-lib/internal';
const { buildFeatureStore } = featuresExtract;
const { encodeWav } = audioWav;

const ROOT = path.resolve(__dirname, '..', '..');
const SER = path.join(ROOT, 'scripts', 'ser.js');
const quiet = { progress: false };

describe('feature store', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = tmp('store');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('encodes and decodes the SERFEAT1 format', () => {
    const X = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const cols: store.FeatureStoreColumns = {
      clipId: ['a', 'a#noise'],
      sourceClipId: ['a', 'a'],
      kind: ['orig', 'noise'],
      emotion: ['sad', 'sad'],
      label: [6, 6],
      speaker: ['s', 's'],
      corpus: ['TEST', 'TEST'],
      sha256: ['00', '00'],
      key: ['k1', 'k2'],
    };
    const buf = store.encodeFeatureStore(
      { nRows: 2, nFeatures: 3, layout: ['x', 'y', 'z'], emotions: ['sad'], params: { p: 1 }, columns: cols, skipped: [] },
      X,
    );
    assert.strictEqual(buf.toString('ascii', 0, 8), 'SERFEAT1');
    assert.strictEqual((12 + buf.readUInt32LE(8)) % 8, 0, 'matrix starts 8-byte aligned');
    const t = store.decodeFeatureStore(buf);
    assert.deepStrictEqual(Array.from(t.X), [1, 2, 3, 4, 5, 6]);
    assert.deepStrictEqual(t.kind, ['orig', 'noise']);
    assert.deepStrictEqual(Array.from(store.featureRow(t, 1)), [4, 5, 6]);
    const o = store.selectRows(t, (i) => t.kind[i] === 'orig');
    assert.strictEqual(o.nRows, 1);
    assert.deepStrictEqual(Array.from(store.selectFeatures(t, [2, 0]).X), [3, 1, 6, 4]);
    assert.throws(() => store.decodeFeatureStore(Buffer.from('nope'), 'f.bin'), /f\.bin: not a feature store/);
    assert.throws(() => store.decodeFeatureStore(buf.subarray(0, buf.length - 4), 'f.bin'), /f\.bin: feature store body/);
  });

  it('extracts every clip, labelled and sorted; a corrupt file is skipped with its reason', async () => {
    const clips = makeClips(path.join(dir, 'a'), 10, { corrupt: 1 });
    const skips = [];
    const out = path.join(dir, 'a.ser');
    const res = await buildFeatureStore({
      clips: [...clips].reverse(),
      out,
      extractor: CHEAP,
      workers: 2,
      onSkip: (s) => skips.push(s),
      ...quiet,
    });
    assert.strictEqual(res.complete, true);
    assert.strictEqual(res.nRows, 10);
    assert.strictEqual(res.skipped.length, 1);
    assert.strictEqual(skips.length, 1);
    assert.strictEqual(res.skipped[0].file, 'broken-0.wav');
    assert.match(res.skipped[0].reason, /truncated|no fmt|not a/i);
    const t = store.readFeatureStore(out);
    assert.strictEqual(t.nFeatures, 6);
    assert.deepStrictEqual(t.layout, ['mean', 'std', 'max', 'min', 'zcr', 'n']);
    assert.deepStrictEqual(
      t.clipId,
      clips.slice(0, 10).map((c) => c.clipId),
    );
    assert.deepStrictEqual(
      t.emotion,
      clips.slice(0, 10).map((c) => c.emotion),
    );
    assert.deepStrictEqual(
      t.label,
      clips.slice(0, 10).map((c) => t.emotions.indexOf(c.emotion)),
    );
    assert.ok(t.kind.every((k) => k === 'orig'));
    assert.deepStrictEqual(t.sourceClipId, t.clipId);
    assert.strictEqual(t.skipped[0].clipId, 'TEST:broken-0');
    // loaded as librosa does: 2.5 s at 22050 Hz after a 0.5 s offset
    assert.ok(Array.from({ length: t.nRows }, (_, i) => t.X[i * 6 + 5]).every((n) => n === 55125));
    assert.ok(!fs.existsSync(`${out}.journal`), 'journal removed after the final write');
  });

  it('a clip that kills its worker is skipped with the reason; the clips queued behind it on that worker are still computed', async () => {
    const d = path.join(dir, 'crash');
    const clips = makeClips(d, 8);
    const poison = path.join(d, 'poison.wav');
    fs.writeFileSync(poison, encodeWav(new Float32Array(22050 * 4).fill(0.25), 22050));
    clips.splice(1, 0, { clipId: 'TEST:poison', path: poison, emotion: 'sad', speaker: 'TEST:S0', corpus: 'TEST', file: 'poison.wav' });
    const res = await buildFeatureStore({
      clips,
      out: path.join(dir, 'crash.ser'),
      extractor: path.join(__dirname, 'crash-extractor.js'),
      workers: 2,
      ...quiet,
    });
    assert.strictEqual(res.complete, true);
    assert.deepStrictEqual(
      res.skipped.map((s) => [s.clipId, s.reason]),
      [['TEST:poison', 'worker failed: exited with code 7']],
    );
    assert.strictEqual(res.nRows, 8);
    assert.deepStrictEqual(
      store.readFeatureStore(path.join(dir, 'crash.ser')).clipId,
      clips
        .filter((c) => c.clipId !== 'TEST:poison')
        .map((c) => c.clipId)
        .sort(),
    );
  });

  it('two runs (different worker counts) write identical bytes; a re-run reuses every clip', async () => {
    const clips = makeClips(path.join(dir, 'b'), 9, { corrupt: 1 });
    const o1 = path.join(dir, 'b1.ser');
    const o2 = path.join(dir, 'b2.ser');
    await buildFeatureStore({ clips, out: o1, extractor: CHEAP, workers: 0, ...quiet });
    await buildFeatureStore({ clips, out: o2, extractor: CHEAP, workers: 2, ...quiet });
    assert.ok(fs.readFileSync(o1).equals(fs.readFileSync(o2)));
    const again = await buildFeatureStore({ clips, out: o1, extractor: CHEAP, workers: 2, ...quiet });
    assert.strictEqual(again.computed, 0);
    assert.strictEqual(again.reused, 9);
    assert.ok(fs.readFileSync(o1).equals(fs.readFileSync(o2)));
  });

  it('a file whose bytes changed is recomputed (keyed by content hash)', async () => {
    const clips = makeClips(path.join(dir, 'c'), 4);
    const out = path.join(dir, 'c.ser');
    await buildFeatureStore({ clips, out, extractor: CHEAP, workers: 0, ...quiet });
    const before = store.readFeatureStore(out);
    fs.writeFileSync(clips[2].path, encodeWav(signal(40), 22050));
    const res = await buildFeatureStore({ clips, out, extractor: CHEAP, workers: 0, ...quiet });
    assert.strictEqual(res.computed, 1);
    assert.strictEqual(res.reused, 3);
    const after = store.readFeatureStore(out);
    assert.notStrictEqual(after.sha256[2], before.sha256[2]);
    assert.deepStrictEqual(Array.from(store.featureRow(after, 0)), Array.from(store.featureRow(before, 0)));
  });

  it('resumes after a kill with identical output (ser features, SIGKILL mid-run)', async () => {
    const d = path.join(dir, 'kill');
    makeClips(d, 24, { corrupt: 1 });
    const ref = path.join(dir, 'kill-ref.ser');
    const out = path.join(dir, 'kill.ser');
    const args = [SER, 'features', d, '--extractor', CHEAP, '--workers', '2', '--quiet', '--json'];
    const full = spawnSync(process.execPath, [...args, '--out', ref], { encoding: 'utf8' });
    assert.strictEqual(full.status, 0, full.stderr);
    // slow run, killed once some clips are in the journal
    const child = spawn(process.execPath, [...args, '--out', out], { env: { ...process.env, CHEAP_DELAY_MS: '150' }, stdio: 'ignore' });
    const journal = `${out}.journal`;
    const lines = () => (fs.existsSync(journal) ? fs.readFileSync(journal, 'utf8').split('\n').length - 1 : 0);
    const t0 = Date.now();
    while (lines() < 5 && Date.now() - t0 < 60000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const kept = lines();
    assert.ok(kept >= 5 && kept < 24, `journal rows at kill: ${kept}`);
    assert.ok(!fs.existsSync(out), 'no store written by the killed run');
    // a torn last line (killed mid-write) must not hurt
    fs.appendFileSync(journal, '{"k":"torn');
    const resumed = spawnSync(process.execPath, [...args, '--out', out], { encoding: 'utf8' });
    assert.strictEqual(resumed.status, 0, resumed.stderr);
    const j = JSON.parse(resumed.stdout);
    assert.ok(j.computed <= 24 - kept, `recomputed ${j.computed} with ${kept} in the journal`);
    assert.strictEqual(j.computed + j.reused, 24);
    assert.match(resumed.stderr, /skipped broken-0\.wav: /);
    assert.ok(fs.readFileSync(out).equals(fs.readFileSync(ref)), 'resumed store identical to an uninterrupted run');
  });

  it('ser features: usage errors exit 2 with a reason', () => {
    const r1 = spawnSync(process.execPath, [SER, 'features', dir], { encoding: 'utf8' });
    assert.strictEqual(r1.status, 2);
    assert.match(r1.stderr, /missing --out/);
    const r2 = spawnSync(process.execPath, [SER, 'features', path.join(dir, 'nope'), '--out', path.join(dir, 'x.ser')], {
      encoding: 'utf8',
    });
    assert.strictEqual(r2.status, 2);
    assert.match(r2.stderr, /nope: no such file or folder/);
  });
});
