// `ser cnn` end to end on a tiny corpus (RAVDESS naming, tones per emotion): the JSON document,
// the resume of finished folds, the saved model that `ser predict` applies, and bad arguments.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, audioWav, models, modelsCnnBackend } from 'kernel-lib/internal';
const { main } = cli;
const { encodeWav } = audioWav;

function capture(): { io: cli.CommandIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

/** the part of `ser cnn --json` read here */
interface CnnJson {
  model: string;
  profile: string;
  folds: number;
  data: { clips: number };
  perClass: unknown[];
  accuracy: { mean: number };
  foldResults: { history: unknown[]; cached: boolean }[];
  notes: string[];
  backend: string;
  transfer: boolean;
  weights: { kind: string; layers: unknown[] };
  trainableParams: number;
  dir: string;
}

describe('ser cnn', function () {
  this.timeout(300000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-cnn-cli-'));
    // 8 emotions x 3 clips: 3.5 s tones whose pitch depends on the emotion (RAVDESS actors 1-3)
    const sr = 16000;
    for (let e = 1; e <= 8; e++) {
      for (let a = 1; a <= 3; a++) {
        const y = new Float32Array(sr * 3.5);
        const f = 150 * 2 ** (e / 4);
        for (let i = 0; i < y.length; i++) y[i] = 0.3 * Math.sin((2 * Math.PI * f * i) / sr) * (0.6 + 0.4 * Math.sin(i / (400 * a)));
        const actor = String(a).padStart(2, '0');
        const intensity = e === 1 ? '01' : '02';
        const d = path.join(dir, 'corpus', `Actor_${actor}`);
        fs.mkdirSync(d, { recursive: true });
        fs.writeFileSync(path.join(d, `03-01-0${e}-${intensity}-01-01-${actor}.wav`), encodeWav(y, sr));
      }
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const args = () => [
    'cnn',
    '--data',
    path.join(dir, 'corpus'),
    '--model',
    'custom',
    '--profile',
    'demo',
    '--folds',
    '3',
    '--epochs',
    '2',
    '--out',
    path.join(dir, 'out'),
    '--cache',
    path.join(dir, 'cache'),
    '--quiet',
    '--json',
  ];

  it('trains k folds and prints Table V as JSON; a second run reuses the finished folds', async () => {
    const c = capture();
    const code = await main([...args(), '--save', path.join(dir, 'model')], c.io);
    assert.strictEqual(code, 0, c.err.join('\n'));
    const j: CnnJson = JSON.parse(c.out.join('\n'));
    assert.strictEqual(j.model, 'custom');
    assert.strictEqual(j.profile, 'demo');
    assert.strictEqual(j.folds, 3);
    assert.strictEqual(j.data.clips, 24);
    assert.strictEqual(j.perClass.length, 8);
    assert.ok(j.accuracy.mean >= 0 && j.accuracy.mean <= 1);
    assert.strictEqual(j.foldResults.length, 3);
    assert.ok(j.foldResults.every((f) => f.history.length >= 1 && f.history.length <= 2));
    assert.ok(j.notes.some((n) => /DEMO SCALE/.test(n)));
    assert.match(j.backend, /wasm|cpu|tensorflow/);
    assert.ok(fs.existsSync(path.join(dir, 'model', 'ser-model.json')));
    const c2 = capture();
    const t = Date.now();
    assert.strictEqual(await main(args(), c2.io), 0, c2.err.join('\n'));
    const j2: CnnJson = JSON.parse(c2.out.join('\n'));
    assert.deepStrictEqual(j2.accuracy, j.accuracy);
    assert.ok(Date.now() - t < 60000);
    assert.ok(j2.foldResults.every((f) => f.cached));
    // the clip protocol's folds equal the paper protocol's here (no augmented copies): read, not retrained
    const c3 = capture();
    assert.strictEqual(await main([...args(), '--protocol', 'clip'], c3.io), 0, c3.err.join('\n'));
    const j3: CnnJson = JSON.parse(c3.out.join('\n'));
    assert.ok(j3.foldResults.every((f) => f.cached));
    assert.deepStrictEqual(j3.accuracy, j.accuracy);
  });

  it('the saved model predicts with `ser predict`', async () => {
    const c = capture();
    const wav = path.join(dir, 'corpus', 'Actor_01', '03-01-05-02-01-01-01.wav');
    const code = await main(['predict', wav, '--model', path.join(dir, 'model'), '--json'], c.io);
    assert.strictEqual(code, 0, c.err.join('\n'));
    const j = JSON.parse(c.out.join('\n'));
    const p = (j.predictions ?? j.results ?? j)[0] ?? j;
    const probs = p.probabilities;
    assert.ok(probs, JSON.stringify(j).slice(0, 300));
    const sum = Object.values(probs as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
  });

  it('--model vgg16 --weights: ImageNet-style weights load, the base is frozen, features are computed once', async () => {
    const m = models;
    await modelsCnnBackend.chooseBackend({ log: () => undefined });
    // a full-width VGG16 base (the demo profile's transfer model: 32x32 input) written in Keras' layout
    const src = m.vgg16Transfer({ inputSize: 32, seed: 7 });
    const h5 = path.join(dir, 'vgg16_notop.h5');
    await m.writeKerasH5Weights(src.layers.slice(0, src.layers.findIndex((l) => l.name === 'block5_pool') + 1), h5);
    src.dispose();
    const c = capture();
    const out = path.join(dir, 'out-vgg');
    const code = await main(
      [
        'cnn',
        '--data',
        path.join(dir, 'corpus'),
        '--model',
        'vgg16',
        '--weights',
        h5,
        '--profile',
        'demo',
        '--folds',
        '2',
        '--epochs',
        '2',
        '--out',
        out,
        '--cache',
        path.join(dir, 'cache'),
        '--quiet',
        '--json',
      ],
      c.io,
    );
    assert.strictEqual(code, 0, c.err.join('\n'));
    const j: CnnJson = JSON.parse(c.out.join('\n'));
    assert.strictEqual(j.transfer, true);
    assert.strictEqual(j.weights.kind, 'keras-h5');
    assert.strictEqual(j.weights.layers.length, 13);
    assert.strictEqual(j.trainableParams, 512 * 8 + 8);
    assert.ok(!j.notes.some((n) => /NOT the paper's transfer/.test(n)));
    const runDir = j.dir;
    assert.ok(fs.existsSync(path.join(runDir, 'frozen-features.bin')));
  });

  it('bad arguments exit 2 with a one-line reason', async () => {
    const c = capture();
    assert.strictEqual(await main(['cnn', '--data', path.join(dir, 'nope'), '--json'], c.io), 2);
    assert.match(c.err.join('\n'), /not a directory/);
    const c2 = capture();
    assert.strictEqual(await main(['cnn', '--model', 'custom', '--weights', 'x.h5'], c2.io), 2);
    const c3 = capture();
    assert.strictEqual(await main(['cnn', '--folds', '1'], c3.io), 2);
  });
});
