// The wasm training kernels (models/wasm-kernels.ts) against the plain cpu backend.
import assert from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { modelsCnnBackend, modelsCnnWasmKernels } from 'kernel-lib/internal';
const { chooseBackend } = modelsCnnBackend;

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('wasm training kernels', function () {
  this.timeout(120000);
  let wasm = false;
  before(async () => {
    const c = await chooseBackend({ log: () => undefined });
    wasm = c.tfBackend === 'wasm';
  });
  after(async () => {
    if (wasm) await tf.setBackend('wasm');
  });

  const convCases: [number, number, number, number, number, number, number, 'same' | 'valid'][] = [
    // [B, H, W, Ci, Co, k, stride, pad]
    [2, 9, 9, 3, 4, 5, 1, 'same'],
    [2, 10, 11, 5, 6, 3, 2, 'same'],
    [1, 12, 12, 4, 3, 5, 2, 'valid'],
    [3, 8, 8, 2, 2, 5, 1, 'valid'],
  ];
  const poolCases: [number, number, number, number, number, number, 'same' | 'valid'][] = [
    // [B, H, W, C, k, stride, pad]
    [2, 16, 16, 3, 5, 2, 'same'],
    [1, 13, 11, 4, 5, 5, 'same'],
    [2, 8, 8, 2, 2, 2, 'valid'],
  ];

  function grads(kind: string, c: (typeof convCases)[number] | (typeof poolCases)[number], seed: number): tf.TypedArray[] {
    if (kind === 'conv') {
      const [B, H, W, ci, co, k, s, pad] = c as (typeof convCases)[number];
      const x: tf.Tensor4D = tf.randomNormal([B, H, W, ci], 0, 1, 'float32', seed);
      const w: tf.Tensor4D = tf.randomNormal([k, k, ci, co], 0, 1, 'float32', seed + 1);
      const dy = tf.randomNormal(tf.conv2d(x, w, s, pad).shape, 0, 1, 'float32', seed + 2);
      const gw = tf.grad((ww) =>
        tf
          .conv2d(x, ww as tf.Tensor4D, s, pad)
          .mul(dy)
          .sum(),
      )(w);
      const gx = tf.grad((xx) =>
        tf
          .conv2d(xx as tf.Tensor4D, w, s, pad)
          .mul(dy)
          .sum(),
      )(x);
      return [gw.dataSync().slice(), gx.dataSync().slice()];
    }
    const [B, H, W, C, k, s, pad] = c as (typeof poolCases)[number];
    const x: tf.Tensor4D = tf.randomNormal([B, H, W, C], 0, 1, 'float32', seed);
    const dy = tf.randomNormal(tf.maxPool(x, k, s, pad).shape, 0, 1, 'float32', seed + 2);
    const gx = tf.grad((xx) =>
      tf
        .maxPool(xx as tf.Tensor4D, k, s, pad)
        .mul(dy)
        .sum(),
    )(x);
    return [gx.dataSync().slice()];
  }

  for (const [kind, cases] of [
    ['conv', convCases],
    ['maxpool', poolCases],
  ] as [string, (typeof convCases | typeof poolCases)[number][]][]) {
    cases.forEach((c, i) => {
      it(`${kind} gradients ${JSON.stringify(c)} match the cpu backend`, async function () {
        if (!wasm) this.skip();
        await tf.setBackend('cpu');
        const ref = tf.tidy(() => grads(kind, c, 10 + i));
        await tf.setBackend('wasm');
        const got = tf.tidy(() => grads(kind, c, 10 + i));
        ref.forEach((r, j) => {
          const d = maxAbs(r, got[j]);
          assert.ok(d < 1e-4 * Math.max(1, Math.max(...r.map(Math.abs))), `${kind} grad ${j}: max diff ${d}`);
        });
      });
    });
  }

  it('registers Conv2DBackpropFilter for wasm (missing from the package)', function () {
    if (!wasm) this.skip();
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
    const { wasmSetup } = modelsCnnWasmKernels;
    const s = wasmSetup();
    assert.ok(s && s.threads >= 1, JSON.stringify(s));
  });
});
