// The SVM's WebAssembly kernels (issue #14) change its speed, never its model:
// - colDotsAhead, which touches the next pass's rows before each pass (a fit's kernel rows, read
//   from main memory), gives the same bits as colDots for every start, length, feature count and
//   row order;
// - the working-set selection and gradient update in the DSP kernels (dsp/wasm.ts wssMaxUp,
//   wssMinObj, smoGradient) train the model the TypeScript loops train, bit for bit.
import assert from 'node:assert';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { modelsSvmSimd, modelsSvmSolver, core, dspWasm } from 'kernel-lib/internal';

const { wssMaxUpTs, wssMinObjTs } = modelsSvmSolver;

const ROOT = path.resolve(__dirname, '..', '..');

describe('svm SIMD kernel', () => {
  const k = modelsSvmSimd.simdKernel();

  it('colDotsAhead equals colDots bit for bit (odd and even d, short and long ranges, rows in any order)', function () {
    if (!k) {
      console.log('      (skipped: this engine has no wasm SIMD, so neither function is used)');
      this.skip();
    }
    const simd = k as NonNullable<typeof k>;
    const rng = core.mulberry32(7);
    for (const d of [1, 2, 3, 8, 173]) {
      const rows = 203;
      const top = simd.alloc(0);
      try {
        const xAddr = simd.alloc(rows * d * 8);
        const offAddr = simd.alloc(rows * 4);
        const outA = simd.alloc((rows + 4) * 8);
        const outB = simd.alloc((rows + 4) * 8);
        const X = new Float64Array(simd.memory.buffer, xAddr, rows * d);
        for (let i = 0; i < X.length; i++) X[i] = (rng() - 0.5) * 10 ** Math.floor(rng() * 6 - 3);
        // rows in a shuffled order, as a shrunk problem's offsets are
        const order = Array.from({ length: rows }, (_, i) => i);
        for (let i = rows - 1; i > 0; i--) {
          const j = Math.floor(rng() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
        new Int32Array(simd.memory.buffer, offAddr, rows).set(order.map((r) => xAddr + r * d * 8));
        for (const [start, len] of [
          [0, rows],
          [0, 1],
          [0, 3],
          [0, 4],
          [5, 11],
          [17, rows],
          [rows - 2, rows],
          [100, 100],
        ]) {
          const xi = xAddr + ((start * 31 + 7) % rows) * d * 8;
          new Float64Array(simd.memory.buffer, outA, rows + 4).fill(NaN);
          new Float64Array(simd.memory.buffer, outB, rows + 4).fill(NaN);
          simd.colDots(xi, offAddr, start, len, d, outA);
          simd.colDotsAhead(xi, offAddr, start, len, d, outB);
          const a = new Float64Array(simd.memory.buffer, outA, rows + 4);
          const b = new Float64Array(simd.memory.buffer, outB, rows + 4);
          for (let j = 0; j < rows + 4; j++) {
            assert.ok(Object.is(a[j], b[j]), `d=${d} [${start}, ${len}) j=${j}: ${a[j]} vs ${b[j]}`);
            if (j >= start && j < len) {
              // and the value is the dot product (to rounding)
              let s = 0;
              let sAbs = 0;
              for (let t = 0; t < d; t++) {
                const p = X[order[j] * d + t] * X[((start * 31 + 7) % rows) * d + t];
                s += p;
                sAbs += Math.abs(p);
              }
              assert.ok(Math.abs(a[j] - s) <= 1e-13 * sAbs, `d=${d} j=${j}: ${a[j]} vs ${s}`);
            } else assert.ok(Number.isNaN(a[j]), `d=${d} [${start}, ${len}) wrote outside at ${j}`);
          }
        }
      } finally {
        simd.release(top);
      }
    }
  });

  it("WSS3 and the gradient update in wasm give the TypeScript loops' model, bit for bit (n_iter, support, intercepts, dual coefficients)", function () {
    this.timeout(60000);
    // seeded, overlapping classes and a large C: thousands of iterations, shrinking and unshrinking
    const code = `
      const { models, coreRandom, dspWasm } = require('kernel-lib/internal');
      const r = coreRandom.mulberry32(3);
      const k = 5, d = 17, n = 1000;
      const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => r() * 2 - 1));
      const X = [], y = [];
      for (let i = 0; i < n; i++) { const c = Math.floor(r() * k); X.push(centres[c].map((v) => v + (r() * 2 - 1) * 1.5)); y.push(c); }
      const out = {};
      for (const kernel of ['rbf', 'poly']) {
        const Xs = new models.StandardScaler().fitTransform(X);
        const m = new models.SVC({ kernel, C: 100, workers: 0 }).fitSync(Xs, y);
        out[kernel] = { nIter: m.nIter, support: Array.from(m.support), intercept: m.intercept, dualCoef: m.dualCoef };
      }
      out.engine = dspWasm.dspEngine().engine;
      process.stdout.write(JSON.stringify(out));`;
    const run = (env: Record<string, string>) => {
      const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, ...env } });
      assert.strictEqual(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    const wasm = run({});
    const ts = run({ SER_DSP_WASM: '0' });
    assert.strictEqual(wasm.engine, 'wasm-simd');
    assert.strictEqual(ts.engine, 'typescript');
    for (const kernel of ['rbf', 'poly']) {
      assert.ok(
        wasm[kernel].nIter.some((t: number) => t > 500),
        `${kernel}: a long solve (${wasm[kernel].nIter})`,
      );
      assert.deepStrictEqual(wasm[kernel], ts[kernel], kernel);
    }
  });

  it("wssMaxUp / wssMinObj choose as libsvm's scans in order, ties (the later index) and +-0 included", () => {
    const w = dspWasm.dspWasm();
    assert.ok(w, 'the DSP kernels load');
    const rng = core.mulberry32(11);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)];
    const TAU = 1e-12;
    for (let trial = 0; trial < 400; trial++) {
      const n = trial < 4 ? trial : 1 + Math.floor(rng() * 60);
      // few distinct values: many ties, signed zeros, quad <= 0
      const G = Float64Array.from({ length: n }, () => pick([-1, -0.5, -0, 0, 0.5, 1, 2]));
      const yf = Float64Array.from({ length: n }, () => pick([-1, 1]));
      const QD = Float64Array.from({ length: n }, () => pick([0, 0.5, 1]));
      const Qi = Float32Array.from({ length: n }, () => pick([-1, -0.5, 0, 0.5, 1]));
      const up = Uint8Array.from({ length: n }, () => (rng() < 0.7 ? 1 : 0));
      const low = Uint8Array.from({ length: n }, () => (rng() < 0.7 ? 1 : 0));
      // reference: solver.ts's TypeScript scans
      const ref = new Float64Array(1);
      const iRef = wssMaxUpTs(G, yf, up, n, ref);
      const Gmax = ref[0];
      const QDi = iRef >= 0 ? QD[iRef] : 0.5;
      const yi2 = iRef >= 0 ? 2 * yf[iRef] : 2;
      const jRef = wssMinObjTs(G, yf, low, QD, Qi, n, Gmax, QDi, yi2, ref);
      const Gmax2 = ref[0];
      const wasm: dspWasm.DspWasm = w as dspWasm.DspWasm;
      const base = wasm.scratch('test.wss', 32 * n + 64);
      const pG = base,
        pYf = pG + 8 * n,
        pQD = pYf + 8 * n,
        pQi = pQD + 8 * n,
        pUp = pQi + 4 * n,
        pLow = pUp + n;
      const pOut = Math.ceil((pLow + n) / 16) * 16;
      wasm.f64(pG, n).set(G);
      wasm.f64(pYf, n).set(yf);
      wasm.f64(pQD, n).set(QD);
      wasm.f32(pQi, n).set(Qi);
      new Uint8Array(wasm.exports.memory.buffer, pUp, n).set(up);
      new Uint8Array(wasm.exports.memory.buffer, pLow, n).set(low);
      const i: number = wasm.exports.wssMaxUp(pG, pYf, pUp, n, pOut);
      assert.strictEqual(i, iRef, `trial ${trial}: i`);
      assert.ok(Object.is(wasm.f64(pOut, 1)[0], Gmax), `trial ${trial}: Gmax`);
      const j: number = wasm.exports.wssMinObj(pG, pYf, pLow, pQD, pQi, n, Gmax, QDi, yi2, TAU, pOut);
      assert.strictEqual(j, jRef, `trial ${trial}: j`);
      assert.ok(Object.is(wasm.f64(pOut, 1)[0], Gmax2), `trial ${trial}: Gmax2 ${wasm.f64(pOut, 1)[0]} vs ${Gmax2}`);
    }
  });
});
