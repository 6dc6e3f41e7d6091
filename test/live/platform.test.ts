// The browser-safe building blocks of kernel-lib (issue #16): base64 without Buffer, assets
// provided in memory (the page's way) or read from disk (Node's), the browser builds of the SVM
// pool and of the libsvm-js engine, shared arrays, and the live page's sample ring buffer.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  platformBase64,
  platformAssets as assets,
  platformAssetsBrowser as browserAssets,
  modelsSvmPoolBrowser as poolBrowser,
  modelsSvmLibsvmjsBrowser as libsvmBrowser,
  platformShared,
  liveRingBuffer,
  coreRandom,
} from 'kernel-lib/internal';
const { bytesToBase64, base64ToBytes } = platformBase64;
const { sharedFloat64, toShared } = platformShared;
const { SampleRing } = liveRingBuffer;
const { mulberry32 } = coreRandom;

describe('live: browser-safe platform pieces', () => {
  it('base64 matches Buffer for every length 0..300 and a large array, and reads it back', () => {
    const rnd = mulberry32(7);
    for (let n = 0; n <= 300; n++) {
      const b = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
      const s = bytesToBase64(b);
      assert.strictEqual(s, Buffer.from(b).toString('base64'), `length ${n}`);
      assert.deepStrictEqual(base64ToBytes(s), b, `length ${n}`);
    }
    const big = new Float64Array(50000).map(() => rnd() * 1e6 - 5e5);
    const bytes = new Uint8Array(big.buffer);
    assert.strictEqual(bytesToBase64(bytes), Buffer.from(bytes).toString('base64'));
    assert.throws(() => base64ToBytes('AAA*'), /base64: invalid character '\*' at 3/);
  });

  it('Node reads an asset from disk, a provided one from memory; the browser build only from memory', () => {
    const wasm = assets.readAsset('dist/wasm/dsp.wasm');
    assert.deepStrictEqual(Buffer.from(wasm), fs.readFileSync(path.join(__dirname, '..', '..', 'kernel-lib', 'dist', 'wasm', 'dsp.wasm')));
    assert.throws(() => assets.readAsset('assets/no-such-asset.bin'), /ENOENT.*no-such-asset\.bin/);
    assert.throws(
      () => browserAssets.readAsset('assets/only-in-memory.bin'),
      /^Error: assets\/only-in-memory\.bin: not provided to this page \(fetch it and call provideAsset/,
    );
    const mem = new Uint8Array([1, 2, 3]);
    browserAssets.provideAsset('assets/only-in-memory.bin', mem);
    assert.strictEqual(browserAssets.readAsset('assets/only-in-memory.bin'), mem);
    // both builds share one store: what a page provides, Node's readAsset sees first
    assert.strictEqual(assets.readAsset('assets/only-in-memory.bin'), mem);
    assert.throws(
      () => browserAssets.provideAsset('x', [1, 2] as any) /* any: deliberately not a Uint8Array */,
      /provideAsset\(x\): expected a Uint8Array/,
    );
  });

  it('the browser SVM pool runs in the calling thread and says why a pool of threads is refused', async () => {
    assert.strictEqual(poolBrowser.defaultSvmWorkers(), 1);
    assert.throws(
      () => poolBrowser.svmPool(4),
      /4 worker threads asked, but a browser has no worker threads for the SVM: use workers 0 or 1/,
    );
    await assert.rejects(
      (libsvmBrowser.solveCSvcLibsvmJs as (...a: unknown[]) => Promise<unknown>)() /* no arguments: it must refuse before reading them */,
      /engine 'libsvm-js' .* runs only in Node: use engine 'ts' in a browser/,
    );
  });

  it('shared arrays are zeroed, copy their input, and live in a SharedArrayBuffer where one exists', () => {
    const a = sharedFloat64(5);
    assert.strictEqual(a.length, 5);
    assert.ok(a.buffer instanceof SharedArrayBuffer);
    assert.deepStrictEqual(Array.from(a), [0, 0, 0, 0, 0]);
    assert.strictEqual(sharedFloat64(0).length, 0);
    const b = toShared([1.5, -2, 3]);
    assert.deepStrictEqual(Array.from(b), [1.5, -2, 3]);
    assert.ok(b.buffer instanceof SharedArrayBuffer);
  });

  it('SampleRing keeps the last samples across wrap-arounds, as a plain array would', () => {
    const rnd = mulberry32(3);
    const ring = new SampleRing(1000);
    const all = [];
    for (let k = 0; k < 200; k++) {
      const n = Math.floor(rnd() * 700);
      const block = Float32Array.from({ length: n }, () => rnd() * 2 - 1);
      ring.push(block);
      all.push(...block);
      assert.strictEqual(ring.written, all.length);
      assert.strictEqual(ring.length, Math.min(1000, all.length));
      const want = Math.floor(rnd() * (ring.length + 1));
      assert.deepStrictEqual(Array.from(ring.latest(want)), Array.from(Float32Array.from(all.slice(all.length - want))), `step ${k}`);
    }
    ring.push(new Float32Array(2500).map((_, i) => i));
    assert.deepStrictEqual(Array.from(ring.latest(3)), [2497, 2498, 2499]);
    assert.strictEqual(ring.latest(1000)[0], 1500);
    assert.throws(() => ring.latest(1001), /1001 samples asked, 1000 held/);
    assert.throws(() => new SampleRing(0), /capacity must be an integer >= 1/);
  });
});
