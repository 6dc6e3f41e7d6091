// The wasm kernels' atan2 / log / log10 approximations (kernel-lib/wasm/dsp.ts atan2Fast, logFast,
// log10Fast) are within their documented error bound of Math.* on millions of arguments, and list
// the arguments they do not handle (zeros, subnormals, infinities, NaN, negatives for log); the
// loops moved to wasm with them (augment.ts spectrumPolar, addNoise, convert.ts powerToDb on
// float32 data), with their fix lists recomputed in TypeScript, give the TypeScript loops' bits,
// also when the margin is forced so large that every element is listed.
import assert from 'node:assert';
import { audioAugment, dsp, dspStft, dspWasm as dspWasmModule, evaluation } from 'kernel-lib/internal';

const rng = (seed: number) => evaluation.mulberry32(seed);

/** index of the first element whose bits differ (Object.is: -0 and NaN exact), or -1 */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

const SPECIAL = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  2 ** -1030,
  1.5,
  0.5,
  2,
  10,
  1e22,
  1e-12,
];

/** `n` arguments: the special values, then a mix of the kinds described above (deterministic). */
function args(n: number, seed: number, positive = false): Float64Array {
  const r = rng(seed);
  const u = new Uint32Array(2);
  const bits = new Float64Array(u.buffer);
  const x = new Float64Array(n);
  const sign = () => (positive || r() < 0.5 ? 1 : -1);
  for (let i = 0; i < n; i++) {
    if (i < SPECIAL.length) {
      x[i] = positive ? Math.abs(SPECIAL[i]) : SPECIAL[i];
      continue;
    }
    switch (i % 8) {
      case 0:
      case 1: // any bit pattern
        u[0] = (r() * 2 ** 32) >>> 0;
        u[1] = (r() * 2 ** 32) >>> 0;
        x[i] = positive ? Math.abs(bits[0]) : bits[0];
        break;
      case 2:
      case 3: // float32 values, magnitudes 1e-12 .. 1e4 (spectra, powers)
        x[i] = sign() * Math.fround(10 ** (r() * 16 - 12));
        break;
      case 4: // float32 values of any magnitude, subnormals included
        u[0] = (r() * 2 ** 32) >>> 0;
        x[i] = sign() * Math.abs(new Float32Array(u.buffer, 0, 1)[0]);
        break;
      case 5: // near 1 (log's small values, atan2's y = x)
        x[i] = sign() * (1 + (r() - 0.5) * 2 ** -Math.floor(r() * 53));
        break;
      case 6: // powers of two and their neighbours, subnormals
        x[i] = sign() * 2 ** (Math.floor(r() * 2100) - 1074) * (r() < 0.5 ? 1 : 1 + 2 ** -52 * Math.floor(r() * 4));
        break;
      default: // around the reductions' points: k/16 and the midpoints, sqrt(2), 2^±500, and plain values
        x[i] =
          sign() *
            [Math.floor(r() * 33) / 32, Math.SQRT2, Math.SQRT1_2, 2 ** 500, 2 ** -500, 1][Math.floor(r() * 6)] *
            (1 + (r() - 0.5) * 2 ** -20) || r();
    }
  }
  return x;
}

/** 2^-53 */
const EPS = 2 ** -53;
/** the documented bounds (wasm/dsp.ts) of |approximation - exact| / |exact|, plus Math.*'s own 1 ulp (<= 2 eps) */
const BOUND = { atan2: 20 * EPS, log: 10 * EPS, log10: 12 * EPS };
/** the kernels' margin (wasm/dsp.ts libMargin): the bounds must stay well inside it */
const MARGIN = 1e-14;

describe('wasm kernels: atan2 / log / log10 approximations (wasm/dsp.ts atan2Fast, logFast, log10Fast)', function () {
  this.timeout(300000);
  const { dspWasm } = dspWasmModule;
  const N = 1 << 18;
  const ROUNDS = 9; // 9 * 2^18 = 2.36 million arguments per function

  it('the bounds are well inside the margin', () => {
    for (const b of Object.values(BOUND)) assert.ok(b * 4 < MARGIN);
  });

  function runLog(ten: 0 | 1, lanes: 0 | 1) {
    const W = dspWasm();
    assert.ok(W, 'the wasm kernels did not load');
    const f = ten ? Math.log10 : Math.log;
    const bound = ten ? BOUND.log10 : BOUND.log;
    let worst = 0;
    let checked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const x = args(N, 100 * round + 7 + ten, round % 3 !== 0);
      const px = W.scratch('test.x', 8 * N);
      const po = W.scratch('test.o', 8 * N);
      const pf = W.scratch('test.fix', 4 * N);
      W.f64(px, N).set(x);
      const nf = W.exports.approxArray(ten ? 2 : 1, px, 0, po, N, lanes, pf);
      const got = W.f64(po, N);
      const listed: Set<number> = new Set<number>(W.i32(pf, nf));
      for (let i = 0; i < N; i++) {
        // outside the range (zeros, subnormals, negatives, infinities, NaN): listed, never approximated
        const special = !(x[i] >= 2 ** -1022 && x[i] < Infinity);
        if (special !== listed.has(i)) assert.fail(`log ${ten ? 10 : 'e'} (${x[i]}): listed ${listed.has(i)}`);
        if (special) continue;
        const want = f(x[i]);
        const err = want === 0 ? Math.abs(got[i]) : Math.abs(got[i] - want) / Math.abs(want);
        if (!(err <= bound)) assert.fail(`log ${ten ? 10 : 'e'} (${x[i]}) = ${got[i]}, Math gives ${want} (relative ${err})`);
        worst = Math.max(worst, err);
        checked++;
      }
      for (const v of [0, -0, Infinity, -Infinity, NaN, 5e-324, 2 ** -1030, -1]) assert.ok(!(v >= 2 ** -1022 && v < Infinity));
    }
    assert.ok(checked >= 1.5e6, `${checked} arguments in range`);
    return worst;
  }

  for (const lanes of [0, 1] as const) {
    const how = lanes ? 'two lanes (logLanes)' : 'scalar';
    it(`log, ${how}: within 10 eps of Math.log on 2.4 million arguments; 0, subnormals, negatives, Inf, NaN listed`, () => {
      runLog(0, lanes);
    });
    it(`log10, ${how}: within 12 eps of Math.log10 on 2.4 million arguments; 0, subnormals, negatives, Inf, NaN listed`, () => {
      runLog(1, lanes);
    });
  }
  it('log and log10 near 1 (relative accuracy where the value is tiny) and at powers of two and ten', () => {
    const W = dspWasm();
    assert.ok(W);
    const x: number[] = [];
    for (let k = 1; k <= 52; k++) x.push(1 + 2 ** -k, 1 - 2 ** -k, 1 + 3 * 2 ** -k, 1 - 3 * 2 ** -(k + 1));
    for (let e = -1022; e <= 1023; e++)
      x.push(2 ** e, 2 ** e * Math.SQRT2, 2 ** e * (Math.SQRT2 - 2 ** -52), 2 ** e * (Math.SQRT2 + 2 ** -52));
    for (let e = -307; e <= 308; e++) x.push(Number(`1e${e}`));
    const n = x.length;
    const px = W.scratch('test.x', 8 * n);
    const po = W.scratch('test.o', 8 * n);
    const pf = W.scratch('test.fix', 4 * n);
    for (const [ten, lanes] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]) {
      W.f64(px, n).set(x);
      const nf = W.exports.approxArray(ten ? 2 : 1, px, 0, po, n, lanes, pf);
      assert.strictEqual(nf, 0);
      const got = W.f64(po, n);
      const f = ten ? Math.log10 : Math.log;
      for (let i = 0; i < n; i++) {
        const want = f(x[i]);
        const err = want === 0 ? Math.abs(got[i]) : Math.abs(got[i] - want) / Math.abs(want);
        if (!(err <= (ten ? BOUND.log10 : BOUND.log))) assert.fail(`log${ten ? 10 : ''}(${x[i]}) = ${got[i]}, Math gives ${want}`);
      }
    }
  });

  it('atan2, scalar and two lanes: within 20 eps of Math.atan2 on 2.4 million argument pairs (all quadrants); pairs with 0, subnormals, Inf, NaN, |.| beyond 2^±500 listed', () => {
    const W = dspWasm();
    assert.ok(W, 'the wasm kernels did not load');
    const inRange = (v: number) => Math.abs(v) >= 2 ** -500 && Math.abs(v) <= 2 ** 500;
    let checked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const y = args(N, 1000 + round);
      const x = args(N, 2000 + round);
      // every pair of special values, and float32 spectra-like pairs (re, im of an STFT bin)
      let i = 0;
      for (const a of SPECIAL) {
        for (const b of SPECIAL) {
          for (const s of [1, -1]) {
            y[i] = s * a;
            x[i++] = b;
          }
        }
      }
      const r = rng(round);
      for (; i < N / 2; i++) {
        y[i] = Math.fround((r() - 0.5) * 10 ** (r() * 6 - 4));
        x[i] = Math.fround((r() - 0.5) * 10 ** (r() * 6 - 4));
        // all octants, and the reduction's points c = k/16 and their midpoints
        if (i % 4 === 0) x[i] = y[i] / ((Math.floor(r() * 33) / 32) * (1 + (r() - 0.5) * 1e-9) || 1);
      }
      const py = W.scratch('test.y', 8 * N);
      const px = W.scratch('test.x', 8 * N);
      const po = W.scratch('test.o', 8 * N);
      const pf = W.scratch('test.fix', 4 * N);
      W.f64(py, N).set(y);
      W.f64(px, N).set(x);
      // scalar (atan2Fast) and two lanes (atan2Lanes)
      for (const lanes of [0, 1]) {
        const nf = W.exports.approxArray(0, py, px, po, N, lanes, pf);
        const got = W.f64(po, N);
        const listed: Set<number> = new Set<number>(W.i32(pf, nf));
        for (let k = 0; k < N; k++) {
          const special = !(inRange(y[k]) && inRange(x[k]));
          if (special !== listed.has(k)) assert.fail(`atan2(${y[k]}, ${x[k]}): listed ${listed.has(k)} (lanes ${lanes})`);
          if (special) continue;
          const want = Math.atan2(y[k], x[k]);
          const err = Math.abs(got[k] - want) / Math.abs(want);
          if (!(err <= BOUND.atan2))
            assert.fail(`atan2(${y[k]}, ${x[k]}) = ${got[k]}, Math gives ${want} (relative ${err}, lanes ${lanes})`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 3e6, `${checked} pairs in range (both ways)`);
  });
});

describe('wasm kernels: the loops that use them give the TypeScript bits', function () {
  this.timeout(300000);

  const W = () => {
    const w = dspWasmModule.dspWasm();
    assert.ok(w, 'the wasm kernels did not load');
    return w;
  };

  it('with the margin forced huge, the kernels list every element', () => {
    const old = W().exports.setLibMargin(Infinity);
    try {
      const w = W();
      const n = 1000;
      const ps = w.scratch('test.x', 8 * n);
      const po = w.scratch('test.o', 8 * n);
      const pf = w.scratch('test.fix', 24 * n);
      w.f32(ps, n).set(Float32Array.from({ length: n }, (_, i) => Math.fround(0.001 + i)));
      assert.strictEqual(w.exports.powerToDb32(ps, po, n, 1e-10, 0, pf), n);
      w.f32(ps, 2 * n).set(Float32Array.from({ length: 2 * n }, (_, i) => Math.fround(0.5 + i)));
      assert.strictEqual(w.exports.spectrumPolar32(ps, ps + 4 * n, 10, 100, po, po + 4 * 1020, pf), n);
    } finally {
      W().exports.setLibMargin(old);
    }
  });

  for (const forced of [false, true]) {
    describe(forced ? 'margin forced huge: every element listed and computed in TypeScript' : "with the kernels' margin", () => {
      let old = 0;
      before(() => {
        if (forced) old = W().exports.setLibMargin(Infinity);
      });
      after(() => {
        if (forced) W().exports.setLibMargin(old);
      });

      it('spectrumPolar (phase vocoder input): magnitudes and angles of float32 STFTs, zeros and tiny values included', () => {
        const { spectrumPolar } = audioAugment;
        const { stft } = dspStft;
        const r = rng(5);
        const cases: dspStft.ComplexMatrix[] = [];
        for (let trial = 0; trial < 3; trial++) {
          const len = 8000 + Math.floor(r() * 30000);
          const y = Float32Array.from({ length: len }, (_, i) =>
            i < 3000 ? 0 : Math.fround(0.3 * Math.sin(i * 0.013 * (trial + 1)) + 0.1 * (r() - 0.5)),
          );
          cases.push(stft(y, { nFft: 2048, hopLength: 512 }));
        }
        // a matrix with signed zeros, subnormals, infinities and NaN among ordinary values
        const rows = 37,
          cols = 41;
        const pick = () => {
          const v = r();
          if (v < 0.1) return r() < 0.5 ? 0 : -0;
          if (v < 0.15) return (r() < 0.5 ? 1 : -1) * 1e-45 * Math.floor(1 + r() * 100);
          if (v < 0.17) return [Infinity, -Infinity, NaN][Math.floor(r() * 3)];
          return Math.fround((r() - 0.5) * 10 ** (r() * 16 - 12));
        };
        cases.push({
          rows,
          cols,
          re: Float32Array.from({ length: rows * cols }, pick),
          im: Float32Array.from({ length: rows * cols }, pick),
        });
        for (const D of cases) {
          const a = spectrumPolar(D);
          const b = spectrumPolar(D, { typescript: true });
          assert.strictEqual(firstDiff(a.mag, b.mag), -1, `${D.rows}x${D.cols}: magnitudes`);
          assert.strictEqual(firstDiff(a.ang, b.ang), -1, `${D.rows}x${D.cols}: angles`);
        }
      });

      it('powerToDb on float32 data (ref numbers and max, amin, top_db or none; zeros, NaN, infinities): the same values', () => {
        const r = rng(9);
        for (let trial = 0; trial < 40; trial++) {
          const n = 1 + Math.floor(r() * 20000);
          const S = Float32Array.from({ length: n }, () => {
            const v = r();
            if (v < 0.05) return 0;
            if (trial % 5 === 4 && v < 0.06) return [NaN, Infinity, -1][Math.floor(r() * 3)];
            return Math.fround(10 ** (r() * 18 - 14));
          });
          const ref = [1.0, 'max' as const, 3.7, 1e-20][trial % 4];
          const amin = [1e-10, 1e-5, 1e-20][trial % 3];
          const topDb = [80, null, 0, 120.5][Math.floor(trial / 4) % 4];
          const a = dsp.powerToDb(S, { ref, amin, topDb });
          const b = dsp.powerToDb(S, { ref, amin, topDb, typescript: true });
          assert.strictEqual(firstDiff(a, b), -1, `trial ${trial}: n ${n} ref ${ref} amin ${amin} top_db ${topDb}`);
        }
      });

      it('addNoise with randomState (MT19937 and legacy_gauss in wasm): the same samples, and the generator continues as after the TypeScript loop', () => {
        const { addNoise, randomState } = audioAugment;
        const r = rng(13);
        for (let trial = 0; trial < 24; trial++) {
          const n = [0, 1, 2, 311, 312, 313, 5000, 55125][trial % 8] + (trial >= 8 ? Math.floor(r() * 700) : 0);
          const y = Float32Array.from({ length: n }, () => Math.fround((r() - 0.5) * (trial % 3 === 0 ? 1e-3 : 1)));
          const seed = Math.floor(r() * 2 ** 32);
          const ra = randomState(seed);
          const rb = randomState(seed);
          // start mid-stream: with and without a cached second gaussian, mid-way through the words
          for (let k = trial % 5; k > 0; k--) {
            const u = ra.uniform() + ra.normal();
            assert.ok(Object.is(u, rb.uniform() + rb.normal()));
          }
          const amplitude = [0.035, 1, 0.5][trial % 3];
          const a = addNoise(y, { amplitude, rng: ra });
          const b = addNoise(y, { amplitude, rng: rb, typescript: true });
          assert.strictEqual(firstDiff(a, b), -1, `trial ${trial}: ${n} samples, seed ${seed}`);
          for (let k = 0; k < 1000; k++) {
            const ga = k % 3 ? ra.normal() : ra.uniform();
            const gb = k % 3 ? rb.normal() : rb.uniform();
            if (!Object.is(ga, gb)) assert.fail(`trial ${trial}: draw ${k} after the noise differs`);
          }
        }
      });
    });
  }
});
