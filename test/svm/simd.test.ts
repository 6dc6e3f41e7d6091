// The SVM's WebAssembly SIMD dot products (issue #14): colDotsAhead, which touches the next
// pass's rows before each pass (a fit's kernel rows, read from main memory), gives the same bits
// as colDots for every start, length, feature count and row order.
import assert from 'node:assert';
import { modelsSvmSimd, core } from 'kernel-lib/internal';

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
});
