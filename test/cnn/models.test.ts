// Model factories (paper IV.B, IV.C): the custom CNN's parameter count, VGG16's layout.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { modelsCnnBackend, models as m } from 'kernel-lib/internal';
const { chooseBackend } = modelsCnnBackend;

describe('CNN model factories', function () {
  this.timeout(60000);
  before(async () => {
    await chooseBackend({ log: () => undefined });
  });

  it("the custom CNN has the paper's 2,813,672 trainable parameters", () => {
    const model = m.customCnn();
    assert.strictEqual(m.trainableParams(model), m.PAPER_CNN_PARAMS);
    assert.strictEqual(model.countParams(), 2813672);
    assert.deepStrictEqual(model.outputs[0].shape, [null, 8]);
    const names = model.layers.map((l) => l.getClassName());
    assert.deepStrictEqual(names, [
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Dropout',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dropout',
      'Dense',
    ]);
    assert.deepStrictEqual(model.getLayer('flatten').outputShape, [null, 4096]);
    const text = m.summaryText(model);
    assert.match(text, /Trainable params: 2813672/);
    model.dispose();
  });

  it("countCnnParams agrees with built models and shows which readings reach the paper's count", () => {
    for (const cfg of [
      { hiddenUnits: 0 },
      { poolStrides: 5 },
      { poolStrides: 5, hiddenUnits: 0 },
      { inputSize: 32, filters: [8, 8, 4, 4] },
    ]) {
      const model = m.customCnn(cfg);
      assert.strictEqual(m.countCnnParams(cfg), m.trainableParams(model), JSON.stringify(cfg));
      model.dispose();
    }
    assert.strictEqual(m.countCnnParams({ hiddenUnits: 0 }), 2715080);
    assert.strictEqual(m.countCnnParams({ poolStrides: 5, hiddenUnits: 0 }), 2682824);
    assert.strictEqual(m.countCnnParams({ poolStrides: 5, poolPadding: 'valid' }), null);
    const rows = m.parameterCountTable();
    assert.deepStrictEqual(
      rows.filter((r) => r.matchesPaper === 'yes').map((r) => `${r.pooling} | ${r.head}`),
      ["5x5, stride 2, 'same' | Flatten, Dense(32, relu), Dropout, Dense(8)"],
    );
  });

  it('VGG16 transfer: Keras layer names, 14,714,688 base parameters, frozen base trains only the top', () => {
    const model = m.vgg16Transfer({ freezeBase: true });
    const base = model.layers.slice(0, model.layers.findIndex((l) => l.name === 'block5_pool') + 1);
    assert.deepStrictEqual(
      base.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.name),
      [
        'block1_conv1',
        'block1_conv2',
        'block2_conv1',
        'block2_conv2',
        'block3_conv1',
        'block3_conv2',
        'block3_conv3',
        'block4_conv1',
        'block4_conv2',
        'block4_conv3',
        'block5_conv1',
        'block5_conv2',
        'block5_conv3',
      ],
    );
    assert.strictEqual(model.countParams(), 14714688 + 4 * 4 * 512 * 8 + 8);
    assert.strictEqual(m.trainableParams(model), 4 * 4 * 512 * 8 + 8);
    model.dispose();
    const scratch = m.vgg16Transfer({ inputSize: 32, widthDivisor: 8 });
    assert.strictEqual(m.trainableParams(scratch), scratch.countParams());
    scratch.dispose();
  });

  it('file:// save and load round trip (plain tfjs has no file handler)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-model-'));
    const model = m.customCnn({ inputSize: 16, filters: [4, 4, 4, 4], hiddenUnits: 8 });
    await model.save(`file://${dir}`);
    assert.ok(fs.existsSync(path.join(dir, 'model.json')) && fs.existsSync(path.join(dir, 'weights.bin')));
    const back = await m.loadTfjsModel(dir);
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 3);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (back.predict(x) as tf.Tensor).dataSync();
    assert.deepStrictEqual(Array.from(a), Array.from(b));
    tf.dispose([x]);
    model.dispose();
    back.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
