import assert from 'node:assert';
import { modelsCnnBackend } from 'kernel-lib/internal';
const { chooseBackend } = modelsCnnBackend;

describe('TensorFlow.js backend choice', () => {
  const quiet = () => undefined;
  const failing = (name: modelsCnnBackend.BackendName, msg: string): modelsCnnBackend.BackendCandidate => ({
    name,
    load: async () => {
      throw new Error(`${msg}\nsecond line`);
    },
  });
  const cpu: modelsCnnBackend.BackendCandidate = {
    name: 'cpu',
    load: async () => {
      const tf = await import('@tensorflow/tfjs');
      await tf.setBackend('cpu');
    },
  };

  it('reports a backend that fails to load and falls back to the next', async () => {
    const lines: string[] = [];
    const c = await chooseBackend({
      candidates: [failing('tensorflow-gpu', 'libcudart.so.11.0: cannot open shared object file'), failing('wasm', 'no wasm'), cpu],
      env: {},
      log: (s) => lines.push(s),
    });
    assert.strictEqual(c.name, 'cpu');
    assert.strictEqual(c.tfBackend, 'cpu');
    assert.deepStrictEqual(
      c.attempts.map((a) => [a.name, a.ok]),
      [
        ['tensorflow-gpu', false],
        ['wasm', false],
        ['cpu', true],
      ],
    );
    assert.strictEqual(c.attempts[0].error, 'libcudart.so.11.0: cannot open shared object file');
    assert.ok(lines.some((l) => /backend tensorflow-gpu unavailable: libcudart/.test(l)));
    assert.ok(lines.some((l) => /TensorFlow.js backend: cpu/.test(l)));
  });

  it('honours SER_BACKEND and fails clearly when the forced backend cannot load', async () => {
    const c = await chooseBackend({ candidates: [failing('wasm', 'x'), cpu], env: { SER_BACKEND: 'cpu' }, log: quiet });
    assert.strictEqual(c.name, 'cpu');
    assert.strictEqual(c.forced, true);
    await assert.rejects(
      chooseBackend({ candidates: [failing('wasm', 'broken wasm'), cpu], env: { SER_BACKEND: 'wasm' }, log: quiet }),
      /broken wasm/,
    );
    await assert.rejects(
      chooseBackend({ candidates: [cpu], env: { SER_BACKEND: 'cuda' }, log: quiet }),
      /SER_BACKEND='cuda' is not one of/,
    );
  });

  it('the default order ends on a working backend here (wasm or better)', async () => {
    const c = await chooseBackend({ env: {}, log: quiet, again: true });
    assert.ok(['tensorflow-gpu', 'tensorflow', 'wasm'].includes(c.name), c.name);
    // the overridden @tensorflow/tfjs-node (plain tfjs, so danfojs installs) must be reported, not picked
    const tfnode = c.attempts.find((a) => a.name === 'tensorflow');
    if (tfnode) assert.ok(tfnode.ok || /did not register|failed/.test(tfnode.error!)); // a failed attempt has its error
  });
});
