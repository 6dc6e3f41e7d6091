// The Keras HDF5 weights loader, on small files written here with h5wasm in Keras' layout
// (root attr layer_names, per-layer attr weight_names, datasets <layer>/<weight name>).
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { modelsCnnBackend, models as m } from 'kernel-lib/internal';
const { chooseBackend } = modelsCnnBackend;

const importEsm = new Function('s', 'return import(s)');

describe('Keras HDF5 weights loader (VGG16 ImageNet weights path)', function () {
  this.timeout(60000);
  let h5: any /* h5wasm, an ES module loaded at run time */;
  let dir: string;
  before(async () => {
    await chooseBackend({ log: () => undefined });
    h5 = (await importEsm('h5wasm/node')).default;
    await h5.ready;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-h5-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // a VGG16 of 1/16 width on 32x32 inputs: same names and layout as the real notop file
  const cfg = { inputSize: 32, widthDivisor: 16 };
  const value = (layer: string, w: number, i: number): number => layer.length * 0.01 + w * 0.1 + (i % 97) * 1e-3;

  /** Writes the base's weights as keras 2.x notop files do: names like block1_conv1_W_1:0. */
  function writeKerasFile(
    file: string,
    model: ReturnType<typeof m.vgg16Transfer>,
    { wrap = false, skip = null, badShape = null }: { wrap?: boolean; skip?: string | null; badShape?: string | null } = {},
  ): Record<string, Float32Array> {
    const f = new h5.File(file, 'w');
    const root = wrap ? f.create_group('model_weights') : f;
    const base = model.layers.slice(0, model.layers.findIndex((l) => l.name === 'block5_pool') + 1);
    const names = ['input_1', ...base.map((l) => l.name)].filter((n) => n !== skip);
    root.create_attribute('layer_names', names);
    root.create_attribute('backend', 'tensorflow');
    root.create_attribute('keras_version', '2.1.2');
    const expected: Record<string, Float32Array> = {};
    if (skip !== 'input_1') root.create_group('input_1').create_attribute('weight_names', []);
    for (const l of base) {
      if (l.name === skip) continue;
      const g = root.create_group(l.name);
      const ws = l.weights;
      const wn = ws.length ? [`${l.name}_W_1:0`, `${l.name}_b_1:0`] : [];
      g.create_attribute('weight_names', wn);
      ws.forEach((w, j) => {
        let shape = w.shape.slice() as number[]; // a weight's shape has no null (batch) dimension
        if (badShape === l.name && j === 0) shape = [shape[0], shape[1], shape[2], shape[3] + 1];
        const n = shape.reduce((a, b) => a * b, 1);
        const data = Float32Array.from({ length: n }, (_, i) => value(l.name, j, i));
        g.create_dataset({ name: wn[j], data, shape, dtype: '<f' });
        expected[`${l.name}/${j}`] = data;
      });
    }
    f.close();
    return expected;
  }

  it('loads every base layer by name, kernel then bias', async () => {
    const model = m.vgg16Transfer(cfg);
    const file = path.join(dir, 'vgg16_notop_small.h5');
    const expected = writeKerasFile(file, model);
    const r = await m.loadVgg16Weights(model, file);
    assert.strictEqual(r.kind, 'keras-h5');
    assert.strictEqual(r.layers.length, 13);
    assert.strictEqual(r.tensors, 26);
    for (const l of model.layers.filter((x) => x.name.startsWith('block') && x.weights.length)) {
      l.getWeights().forEach((t, j) => {
        const want = expected[`${l.name}/${j}`];
        const got = t.dataSync();
        assert.strictEqual(got.length, want.length);
        for (let i = 0; i < got.length; i += 7) assert.strictEqual(got[i], want[i], `${l.name}/${j}[${i}]`);
      });
    }
    // the top is untouched by the loader
    assert.ok(
      model
        .getLayer('predictions')
        .getWeights()[0]
        .dataSync()
        .some((v) => v !== 0),
    );
    model.dispose();
  });

  it('reads a whole-model file (weights under /model_weights)', async () => {
    const model = m.vgg16Transfer(cfg);
    const file = path.join(dir, 'whole.h5');
    const expected = writeKerasFile(file, model, { wrap: true });
    await m.loadVgg16Weights(model, file);
    assert.strictEqual(model.getLayer('block3_conv2').getWeights()[1].dataSync()[3], expected['block3_conv2/1'][3]);
    model.dispose();
  });

  it('names the layer when one is missing or has the wrong shape', async () => {
    const model = m.vgg16Transfer(cfg);
    const f1 = path.join(dir, 'missing.h5');
    writeKerasFile(f1, model, { skip: 'block4_conv2' });
    await assert.rejects(m.loadVgg16Weights(model, f1), /no weights for layer 'block4_conv2'/);
    const f2 = path.join(dir, 'shape.h5');
    writeKerasFile(f2, model, { badShape: 'block2_conv1' });
    await assert.rejects(m.loadVgg16Weights(model, f2), /block2_conv1\/block2_conv1_W_1:0 has shape/);
    await assert.rejects(m.loadVgg16Weights(model, path.join(dir, 'nope.h5')), /not found/);
    model.dispose();
  });

  it('writeKerasH5Weights round-trips, and a tfjs layers-model directory loads too', async () => {
    const a = m.vgg16Transfer({ ...cfg, seed: 1 });
    const b = m.vgg16Transfer({ ...cfg, seed: 2 });
    const file = path.join(dir, 'roundtrip.h5');
    await m.writeKerasH5Weights(a.layers, file);
    await m.loadVgg16Weights(b, file);
    assert.deepStrictEqual(
      Array.from(b.getLayer('block5_conv3').getWeights()[0].dataSync()),
      Array.from(a.getLayer('block5_conv3').getWeights()[0].dataSync()),
    );
    const c = m.vgg16Transfer({ ...cfg, seed: 3 });
    const tfjsDir = path.join(dir, 'tfjs');
    await a.save(`file://${tfjsDir}`);
    const r = await m.loadVgg16Weights(c, tfjsDir);
    assert.strictEqual(r.kind, 'tfjs-layers-model');
    assert.deepStrictEqual(
      Array.from(c.getLayer('block1_conv1').getWeights()[1].dataSync()),
      Array.from(a.getLayer('block1_conv1').getWeights()[1].dataSync()),
    );
    [a, b, c].forEach((x) => x.dispose());
  });
});
