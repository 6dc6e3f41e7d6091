// The live page's classifier (kernel-lib live/classifier) gives exactly `ser predict`'s
// probabilities for the same samples: on the model-rate clip, and on the native-rate span that
// the page's file picker decodes (decodeForModel) and resamples inside classifyWindow.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtureModel, fixtureWavs } from './helpers';
import { models, liveClassifier, modelsInputRule, audioWav } from 'kernel-lib/internal';
const { loadModel, predictFiles, readForModel } = models;
const { classifyWindow, liveModelFromJson, liveModelProblem, windowFrames } = liveClassifier;
const { decodeForModel } = modelsInputRule;
const { encodeWav } = audioWav;

describe('live: classifier = ser predict', function () {
  this.timeout(180000);
  let dir: string;
  let modelDir: string;
  let live: ReturnType<typeof liveModelFromJson>;
  let predictModel: Awaited<ReturnType<typeof loadModel>>;
  const liveModel = (d: string) =>
    liveModelFromJson(
      JSON.parse(fs.readFileSync(path.join(d, 'ser-model.json'), 'utf8')),
      JSON.parse(fs.readFileSync(path.join(d, 'pipeline.json'), 'utf8')),
    );
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-live-cls-'));
    modelDir = await fixtureModel(path.join(dir, 'svm'));
    live = liveModel(modelDir);
    predictModel = await loadModel(modelDir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** classifyWindow on the model-rate clip and on the native span = ser predict, bit for bit. */
  async function samePredictions(
    live: ReturnType<typeof liveModelFromJson>,
    predictModel: Awaited<ReturnType<typeof loadModel>>,
    wavs: string[],
  ): Promise<void> {
    const preds = await predictFiles(predictModel, wavs);
    for (let i = 0; i < wavs.length; i++) {
      const f = wavs[i];
      const expected = predictModel.meta.classes.map((c) => preds[i].probabilities![c]); // the fixture clips decode: every prediction is ok
      const { y } = await readForModel(f, predictModel.meta);
      const a = await classifyWindow(live, y, 22050);
      assert.deepStrictEqual(a.probabilities, expected, `${path.basename(f)} at 22050 Hz`);
      assert.strictEqual(a.top, preds[i].emotion);
      assert.strictEqual(a.samples, y.length);
      const clip = await decodeForModel(new Uint8Array(fs.readFileSync(f)), path.basename(f), live.meta.input);
      const b = await classifyWindow(live, clip.y, clip.sr);
      assert.deepStrictEqual(b.probabilities, expected, `${path.basename(f)} at its native ${clip.sr} Hz`);
      assert.strictEqual(b.samples, y.length, 'resampled to the length audio.load gives');
      assert.strictEqual(b.melDb.rows, 128);
      assert.ok(b.timing.total >= b.timing.features && b.timing.features > 0);
      assert.strictEqual(b.features.length, predictModel.meta.input.representation === 'paper173+meyda' ? 178 : 173);
    }
  }

  it('same probabilities, bit for bit, from the model-rate clip and from the native-rate span', async () => {
    await samePredictions(live, predictModel, fixtureWavs());
  });

  it('the same for a model trained with the meyda columns (ser features --meyda)', async () => {
    const d = await fixtureModel(path.join(dir, 'svm-meyda'), { meyda: true });
    const m = liveModel(d);
    assert.strictEqual(m.meta.input.representation, 'paper173+meyda');
    await samePredictions(m, await loadModel(d), fixtureWavs().slice(0, 4));
  });

  it("a short file gets ser predict's warning; one with nothing after the offset its error", async () => {
    const y = new Float32Array(16000 * 2);
    for (let i = 0; i < y.length; i++) y[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / 16000);
    const short = path.join(dir, 'short.wav');
    fs.writeFileSync(short, encodeWav(y, 16000, { bitDepth: 16 }));
    const { warning } = await readForModel(short, predictModel.meta);
    const clip = await decodeForModel(new Uint8Array(fs.readFileSync(short)), short, live.meta.input);
    assert.strictEqual(clip.warning, warning);
    assert.match(clip.warning!, /2\.00 s long, shorter than offset 0\.5 s \+ duration 2\.5 s/);
    const tiny = encodeWav(new Float32Array(4000), 16000, { bitDepth: 16 });
    await assert.rejects(
      decodeForModel(tiny, 'tiny.wav', live.meta.input),
      /^Error: tiny\.wav: only 0\.25 s long, nothing after the 0\.5 s offset$/,
    );
    await assert.rejects(
      decodeForModel(new TextEncoder().encode('not audio at all'), 'junk.bin', live.meta.input),
      /junk\.bin: .*unsupported format/,
    );
  });

  it('windows are int(duration * sr) frames; bad windows are refused in one line', async () => {
    assert.strictEqual(windowFrames(live, 44100), 110250);
    assert.strictEqual(windowFrames(live, 24414), 61035);
    await assert.rejects(classifyWindow(live, new Float32Array(0), 48000), /classifyWindow: empty window/);
    await assert.rejects(
      classifyWindow(live, new Float64Array(10) as any, 48000) /* any: deliberately the wrong array type */,
      /y must be a Float32Array/,
    );
    await assert.rejects(classifyWindow(live, new Float32Array(10), 0), /sample rate must be > 0, got 0/);
  });

  it('refuses CNN models, models of an extractor module on disk, and a pipeline that does not match its metadata', () => {
    const meta = live.meta;
    const pj = JSON.parse(fs.readFileSync(path.join(modelDir, 'pipeline.json'), 'utf8'));
    assert.strictEqual(liveModelProblem(meta), null);
    assert.match(
      liveModelProblem({ ...meta, kind: 'cnn' })!,
      /holds a cnn model: the live page runs SVM models only \(a CNN would need TensorFlow\.js/,
    );
    const custom = {
      ...meta,
      input: { ...meta.input, representation: 'mine', params: { extractor: '/home/me/my-extractor.js', meyda: false } },
    };
    assert.match(
      liveModelProblem(custom)!,
      /computes its features with the module \/home\/me\/my-extractor\.js: a page cannot load modules from disk/,
    );
    assert.throws(() => liveModelFromJson({ ...meta, kind: 'cnn' }, pj), /^Error: model: holds a cnn model/);
    assert.throws(
      () => liveModelFromJson({ ...meta, classes: ['calm', 'sad'] }, pj),
      /pipeline classes angry,fear,neutral,surprised differ from ser-model\.json's calm,sad/,
    );
  });
});
