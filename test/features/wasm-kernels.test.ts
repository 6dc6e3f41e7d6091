// The wasm DSP kernels (kernel-lib/wasm/dsp.ts, compiled by `npm run build`) against the
// TypeScript loops they replace: the same bits for the real FFT (forward, bin range, inverse),
// resampy's float32 loop, the median filters, and the whole 173-vector (a child process with
// SER_DSP_WASM=0 computes it in TypeScript).
import assert from 'node:assert';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { dsp, evaluation } from 'kernel-lib/internal';

const rng = (seed: number) => evaluation.mulberry32(seed);
import { wavPath, realWavPath, librosaIndex, realIndex } from './helpers';
import { dspFft, audioResample, audioAugment, dspStft, dspWasm } from 'kernel-lib/internal';
const { RealFFTPlan } = dspFft;
const { resample } = audioResample;

/** index of the first element whose bits differ (Object.is: -0 and NaN exact), or -1 */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('wasm DSP kernels', () => {
  it('are built and loaded (npm run build compiles kernel-lib/wasm/dsp.ts)', () => {
    const e = dsp.dspEngine();
    assert.strictEqual(e.engine, 'wasm-simd', `the kernels did not load: ${e.detail}`);
  });

  it('real FFT: forward (windowed, at the edges), bin ranges and inverse give the TypeScript bits', () => {
    const r = rng(7);
    for (const n of [4, 8, 16, 64, 512, 1024, 2048, 4096]) {
      const A = new RealFFTPlan(n);
      const B = new RealFFTPlan(n, null);
      assert.strictEqual(A.engine, 'wasm-simd');
      assert.strictEqual(B.engine, 'typescript');
      const h = n / 2;
      for (let trial = 0; trial < 12; trial++) {
        const len = n + Math.floor(r() * 2 * n);
        const x =
          trial % 3 === 0 ? Float64Array.from({ length: len }, () => r() - 0.5) : Float32Array.from({ length: len }, () => r() - 0.5);
        const win = dsp.getWindow('hann', n, true);
        const off = Math.floor(r() * (len + n)) - n;
        const w = trial % 2 ? win : undefined;
        const a = [new Float64Array(h + 1), new Float64Array(h + 1)],
          b = [new Float64Array(h + 1), new Float64Array(h + 1)];
        A.forward(x, a[0], a[1], off, w);
        B.forward(x, b[0], b[1], off, w);
        assert.strictEqual(firstDiff(a[0], b[0]), -1, `forward re n=${n} offset=${off}`);
        assert.strictEqual(firstDiff(a[1], b[1]), -1, `forward im n=${n} offset=${off}`);
        const lo = Math.floor(r() * h),
          hi = lo + Math.floor(r() * (h - lo + 1));
        for (const v of [...a, ...b]) v.fill(7);
        A.forwardRange(x, a[0], a[1], off, lo, hi);
        B.forwardRange(x, b[0], b[1], off, lo, hi);
        assert.strictEqual(firstDiff(a[0], b[0]), -1, `range re n=${n} ${lo}..${hi}`);
        assert.strictEqual(firstDiff(a[1], b[1]), -1, `range im n=${n} ${lo}..${hi}`);
        B.forward(x, b[0], b[1], off, w);
        const oa = new Float64Array(n),
          ob = new Float64Array(n);
        A.inverse(b[0], b[1], oa);
        B.inverse(b[0], b[1], ob);
        assert.strictEqual(firstDiff(oa, ob), -1, `inverse n=${n}`);
      }
    }
  });

  it('real FFT, every size 4..4096 (split-layout half transform, odd and even log2): the TypeScript bits, signed zeros included', () => {
    // wasm/dsp.ts runs the half-size transform of rfftForward / rfftInverse on split re/im
    // arrays, two butterflies per vector, its first stages fused into the bit-reversal packing
    // (the radix-2 pass and m = 2 stage when log2(n/2) is odd, the m = 1 stage when even, n/2 < 8
    // apart): every size exercises a different mix of those paths
    const r = rng(11);
    for (let bits = 2; bits <= 12; bits++) {
      const n = 2 ** bits,
        h = n / 2;
      const A = new RealFFTPlan(n);
      const B = new RealFFTPlan(n, null);
      assert.strictEqual(A.engine, 'wasm-simd');
      const win = dsp.getWindow('hann', n, true);
      for (let trial = 0; trial < 12; trial++) {
        const len = n + Math.floor(r() * n);
        // random magnitudes; small integers and signed zeros (exact cancellations, -0 results)
        const x = Float64Array.from({ length: len }, () =>
          trial < 4 ? (r() - 0.5) * 2 ** Math.floor(r() * 20 - 10) : trial < 8 ? Math.floor(r() * 5) - 2 : r() < 0.5 ? -0 : 0,
        );
        // interior frames (the gathered packing) and frames past either end (staged with zeros),
        // or wholly outside x
        let off = trial % 3 === 2 ? Math.floor(r() * (len + n)) - n : Math.floor(r() * (len - n + 1));
        if (trial === 8) off = -n - 3;
        if (trial === 11) off = len + 1;
        const w = trial % 2 ? win : undefined;
        const a = [new Float64Array(h + 1), new Float64Array(h + 1)],
          b = [new Float64Array(h + 1), new Float64Array(h + 1)];
        A.forward(x, a[0], a[1], off, w);
        B.forward(x, b[0], b[1], off, w);
        assert.strictEqual(firstDiff(a[0], b[0]), -1, `forward re n=${n} trial ${trial} offset=${off}`);
        assert.strictEqual(firstDiff(a[1], b[1]), -1, `forward im n=${n} trial ${trial} offset=${off}`);
        // bin ranges: both parities of start and length, single bins, the ends
        const ranges = [
          [0, h],
          [0, 0],
          [h, h],
          [1, h - 1],
          [Math.min(1, h), Math.min(2, h)],
          [Math.floor(r() * h), h],
        ];
        const lo = Math.floor(r() * (h + 1));
        ranges.push([lo, lo + Math.floor(r() * (h + 1 - lo))]);
        for (const [kLo, kHi] of ranges) {
          for (const v of [...a, ...b]) v.fill(7);
          A.forwardRange(x, a[0], a[1], off, kLo, kHi);
          B.forwardRange(x, b[0], b[1], off, kLo, kHi);
          assert.strictEqual(firstDiff(a[0], b[0]), -1, `range re n=${n} ${kLo}..${kHi}`);
          assert.strictEqual(firstDiff(a[1], b[1]), -1, `range im n=${n} ${kLo}..${kHi}`);
        }
        // inverse of a spectrum and of random bins (the imaginary DC / Nyquist parts ignored)
        B.forward(x, b[0], b[1], off, w);
        const rb = [Float64Array.from({ length: h + 1 }, () => r() - 0.5), Float64Array.from({ length: h + 1 }, () => r() - 0.5)];
        for (const [re, im] of [b, rb]) {
          const oa = new Float64Array(n),
            ob = new Float64Array(n);
          A.inverse(re, im, oa);
          B.inverse(re, im, ob);
          assert.strictEqual(firstDiff(oa, ob), -1, `inverse n=${n} trial ${trial}`);
        }
      }
    }
  });

  it('complex FFT (FFTPlan.transform, forward and inverse): the TypeScript stages give the same bits', () => {
    const r = rng(5);
    for (const n of [4, 8, 32, 256, 1024, 2048]) {
      const plan = new dsp.FFTPlan(n);
      for (const inverse of [false, true]) {
        const re = Float64Array.from({ length: n }, () => r() - 0.5),
          im = Float64Array.from({ length: n }, () => r() - 0.5);
        const a = [re.slice(), im.slice()];
        plan.transform(a[0], a[1], inverse);
        // TypeScript: the bit-reversal permutation, then the stages
        const b = [new Float64Array(n), new Float64Array(n)];
        for (let i = 0; i < n; i++) {
          b[0][plan.rev[i]] = re[i];
          b[1][plan.rev[i]] = im[i];
        }
        plan.transformPermuted(b[0], b[1], inverse);
        assert.strictEqual(firstDiff(a[0], b[0]), -1, `re n=${n} inverse=${inverse}`);
        assert.strictEqual(firstDiff(a[1], b[1]), -1, `im n=${n} inverse=${inverse}`);
      }
    }
  });

  it('hypot(x, y) is Math.hypot bit for bit (random magnitudes, zeros, subnormals, infinities, NaN)', () => {
    const r = rng(9);
    const special = [0, -0, 5e-324, 1e-310, 1e308, 1.7976931348623157e308, Infinity, -Infinity, NaN, 1, -3, 4];
    for (const x of special) for (const y of special) assert.ok(Object.is(dsp.hypot(x, y), Math.hypot(x, y)), `hypot(${x}, ${y})`);
    for (let i = 0; i < 200000; i++) {
      const x = (r() - 0.5) * 2 ** Math.floor(r() * 80 - 40),
        y = (r() - 0.5) * 2 ** Math.floor(r() * 80 - 40);
      if (!Object.is(dsp.hypot(x, y), Math.hypot(x, y)))
        assert.fail(`hypot(${x}, ${y}) = ${dsp.hypot(x, y)}, Math.hypot ${Math.hypot(x, y)}`);
    }
  });

  it('complex64 magnitude (numpy cabs): the TypeScript cabs32 value for every element, zeros, infinities and NaN included', () => {
    const r = rng(13);
    const special = [0, -0, Infinity, -Infinity, NaN, 1e-45, 3.4028234663852886e38, 1, -2];
    const n = 40001;
    const re = new Float32Array(n),
      im = new Float32Array(n);
    // exponents over float32's whole range (subnormal parts and ratios included) for most
    // elements, a narrower one for the rest
    const span = (i: number): number => (i % 3 === 0 ? 2 ** Math.floor(r() * 270 - 150) : 2 ** Math.floor(r() * 60 - 30));
    for (let i = 0; i < n; i++) {
      re[i] = i % 7 === 0 ? special[i % special.length] : (r() - 0.5) * span(i);
      im[i] = i % 11 === 0 ? special[(i >> 1) % special.length] : (r() - 0.5) * span(i + 1);
    }
    const m = dsp.magnitude({ rows: 1, cols: n, re, im }).data;
    for (let i = 0; i < n; i++)
      assert.ok(
        Object.is(m[i], Math.fround(dsp.cabs32(re[i], im[i]))),
        `element ${i}: (${re[i]}, ${im[i]}) -> ${m[i]}, cabs32 ${dsp.cabs32(re[i], im[i])}`,
      );
  });

  it('stftMagnitude (the fused frame loop, four bins at a time) gives |stft| bin for bin, silent frames and every n_fft size included', () => {
    const r = rng(14);
    for (const nFft of [2048, 1024, 512, 8, 4]) {
      const y = Float32Array.from({ length: 9000 }, (_, i) =>
        i > 3000 && i < 5200 ? 0 : Math.fround((r() - 0.5) * 2 ** Math.floor(r() * 40 - 20)),
      );
      const a = dsp.stftMagnitude(y, { nFft, hopLength: nFft >> 2 });
      const b = dsp.magnitude(dsp.stft(y, { nFft, hopLength: nFft >> 2 }));
      assert.strictEqual(firstDiff(a.data, b.data), -1, `n_fft ${nFft}`);
    }
  });

  it("resampy's float32 loop: the same bits at the corpora's rates and at 8 and 96 kHz", () => {
    const r = rng(11);
    for (const sr of [8000, 16000, 24414, 44100, 48000, 96000]) {
      const x = Float32Array.from({ length: Math.floor(sr * 0.7) + 3 }, () => r() - 0.5);
      const a = resample(x, sr, 22050);
      const b = resample(x, sr, 22050, { typescript: true });
      assert.strictEqual(firstDiff(a, b), -1, `${sr} -> 22050`);
    }
  });

  it("resampy's float32 loop at pitch_shift's ratio (wasm: taps from the table by offset) and the CQT's 2 -> 1 (one weight for all lanes): wasm, TypeScript plan and resampy's direct loop agree bit for bit", () => {
    const { resampleReference } = require('kernel-lib/internal').audioResample;
    const r = rng(12);
    const rate = 2 ** (-0.7 / 12);
    // lengths around the kernels' groups of 16 outputs (2 -> 1: 24, then 16) and their tails,
    // short and clip-long, and one past resampleTable32's chunk of 65536 outputs (pitch_shift's
    // ratio runs it)
    for (const len of [37, 1000, 1017, 1115, 1148, 57399, 70001]) {
      const x = Float32Array.from({ length: len }, () => r() - 0.5);
      for (const [from, to] of [
        [22050 / rate, 22050],
        [2, 1],
      ]) {
        const a = resample(x, from, to, { fix: false });
        const b = resample(x, from, to, { fix: false, typescript: true });
        const c = resample(x, from, to, { fix: false, direct: true });
        assert.strictEqual(firstDiff(a, b), -1, `${len}: ${from} -> ${to}, wasm vs TypeScript`);
        assert.strictEqual(firstDiff(a, c), -1, `${len}: ${from} -> ${to}, wasm vs direct loop`);
        if (len <= 1017)
          assert.strictEqual(firstDiff(a, resampleReference(x, from, to)), -1, `${len}: ${from} -> ${to}, vs resampleReference`);
      }
    }
  });

  it('phase vocoder (time stretch, pitch shift, speed-up): the same bits, also where cos/sin fall back to Math.cos/sin', () => {
    const { phaseVocoder } = audioAugment;
    const { stft } = dspStft;
    const r = rng(21);
    const signals: Float32Array[] = [];
    for (let trial = 0; trial < 3; trial++) {
      const len = 20000 + Math.floor(r() * 40000);
      signals.push(
        Float32Array.from({ length: len }, (_, i) => Math.fround(0.3 * Math.sin(i * (0.01 + trial * 0.02)) + 0.2 * (r() - 0.5))),
      );
    }
    // 1050 frames: the top bins' phase passes 1.6e6 rad near the end, beyond the kernel's
    // argument reduction, so those elements are listed and computed with Math.cos / Math.sin
    signals.push(Float32Array.from({ length: 1050 * 512 }, () => r() - 0.5));
    for (const y of signals) {
      const D = stft(y, { nFft: 2048, hopLength: 512 });
      const rates = y.length > 100000 ? [1] : [0.8, 2 ** (-0.7 / 12), 1.3];
      for (const rate of rates) {
        const a = phaseVocoder(D, rate);
        const b = phaseVocoder(D, rate, { typescript: true });
        assert.strictEqual(firstDiff(a.re, b.re), -1, `${y.length} samples, rate ${rate}: real part`);
        assert.strictEqual(firstDiff(a.im, b.im), -1, `${y.length} samples, rate ${rate}: imaginary part`);
      }
    }
  });

  it("HPSS harmonic soft mask (harmonicMask32, f32x4 lanes): harmonicMaskTs's bits, ties, zeros, tiny, subnormal, huge and infinite values included", () => {
    const { harmonicMaskTs } = require('kernel-lib/internal').featuresHpss;
    const w = dspWasm.dspWasm() as dspWasm.DspWasm;
    assert.ok(w);
    const r = rng(31);
    const special = [0, 0, 1e-45, 1e-39, 1.1754943508222875e-38, 2e-38, 3.4e38, Infinity, 1, 1];
    const draw = (): number => {
      const u = r();
      if (u < 0.08) return special[Math.floor(r() * special.length)];
      if (u < 0.15) return Math.fround(10 ** (-44 + r() * 82));
      return Math.fround(r() * 10 ** Math.floor(r() * 6 - 3));
    };
    for (const [n, margin, fill] of [
      [4099, 1, 0.5],
      [4096, 1, 0],
      [1031, 2, 0],
      [3, 1, 0.5],
    ]) {
      const harm = Float32Array.from({ length: n }, draw);
      const perc = Float32Array.from({ length: n }, (_, i) => (i % 9 === 0 ? harm[i] : draw()));
      const mag = Float32Array.from({ length: n }, draw);
      const sre = Float32Array.from({ length: n }, () => (r() < 0.5 ? -1 : 1) * draw());
      const sim = Float32Array.from({ length: n }, () => (r() < 0.5 ? -1 : 1) * draw());
      const wantRe = new Float32Array(n),
        wantIm = new Float32Array(n);
      harmonicMaskTs(harm, perc, mag, sre, sim, margin, fill, wantRe, wantIm);
      const ps = [harm, perc, mag, sre, sim].map((a, k): number => {
        const p: number = w.scratch(`test.hm${k}`, 4 * n);
        w.f32(p, n).set(a);
        return p;
      });
      const orp = w.scratch('test.hmRe', 4 * n),
        oip = w.scratch('test.hmIm', 4 * n);
      assert.strictEqual(w.exports.harmonicMask32(ps[0], ps[1], ps[2], ps[3], ps[4], orp, oip, n, margin, fill), 0);
      assert.strictEqual(firstDiff(w.f32(orp, n), wantRe), -1, `n ${n} margin ${margin}: re`);
      assert.strictEqual(firstDiff(w.f32(oip, n), wantIm), -1, `n ${n} margin ${margin}: im`);
      // a negative input is refused
      w.f32(ps[1], n)[n - 1] = -1;
      assert.strictEqual(w.exports.harmonicMask32(ps[0], ps[1], ps[2], ps[3], ps[4], orp, oip, n, margin, fill), 1);
    }
  });

  it('filter bank on S * S (square: true) is the bank on the squared matrix, float32 (wasm) and float64', () => {
    const { applyFilterbank, squared } = require('kernel-lib/internal').features;
    const fb = dsp.mel(22050, 2048);
    const r = rng(51);
    for (const T of [1, 2, 7, 108]) {
      const data = Float32Array.from({ length: 1025 * T }, () => (r() < 0.1 ? 0 : Math.fround(r() ** 2 * 3)));
      for (const S of [
        { rows: 1025, cols: T, data },
        { rows: 1025, cols: T, data: Float64Array.from(data) },
      ]) {
        const a = applyFilterbank(fb, S, { square: true });
        const b = applyFilterbank(fb, { ...S, data: squared(S.data) });
        assert.strictEqual(a.data.constructor, S.data.constructor);
        assert.strictEqual(firstDiff(a.data, b.data), -1, `T ${T} ${S.data.constructor.name}`);
      }
    }
  });

  it("the fast sin/cos and exp constants are the ones derived in scripts/tools/constants.js, the series' coefficients (-1)^k / n!", () => {
    const { constants } = require('../../scripts/tools/constants.js');
    const src = require('node:fs').readFileSync(path.join(__dirname, '..', '..', 'kernel-lib', 'wasm', 'dsp.ts'), 'utf8');
    const value = (name: string): number => {
      const m = new RegExp(`\\b${name}: f64 = ([-0-9.e+]+)`).exec(src);
      assert.ok(m, `${name} not found in dsp.ts`);
      return Number(m[1]);
    };
    for (const [name, v] of Object.entries(constants() as Record<string, number>)) assert.strictEqual(value(name), v, name);
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    for (let k = 1; k <= 8; k++) {
      assert.strictEqual(value(`S${k}`), (k % 2 ? -1 : 1) / fact(2 * k + 1), `S${k}`);
      assert.strictEqual(value(`C${k}`), (k % 2 ? 1 : -1) / fact(2 * k + 2), `C${k}`);
    }
  });

  it('median filters (rows, columns, both; ties, zeros, short lines): the same values', () => {
    const r = rng(3);
    for (let trial = 0; trial < 60; trial++) {
      const rows = 1 + Math.floor(r() * 50),
        cols = 1 + Math.floor(r() * 50);
      const x = Float32Array.from({ length: rows * cols }, () => (r() < 0.2 ? 0 : Math.fround(r() * (r() < 0.5 ? 1 : 1e-3))));
      if (trial % 3 === 0) for (let i = 0; i < x.length; i += 7) x[i] = x[(i * 13) % x.length];
      const s1 = 1 + Math.floor(r() * 40),
        s2 = 1 + Math.floor(r() * 40);
      const [h, p] = dsp.medianFilterRowsCols(x, rows, cols, s1, s2);
      // Float64 input never takes the wasm path
      const x64 = Float64Array.from(x);
      const h64 = dsp.medianFilterRows(x64, rows, cols, s1),
        p64 = dsp.medianFilterCols(x64, rows, cols, s2);
      assert.strictEqual(firstDiff(Float64Array.from(h), h64), -1, `rows ${rows}x${cols} size ${s1}`);
      assert.strictEqual(firstDiff(Float64Array.from(p), p64), -1, `cols ${rows}x${cols} size ${s2}`);
      assert.strictEqual(firstDiff(dsp.medianFilterRows(x, rows, cols, s1), h), -1);
      assert.strictEqual(firstDiff(dsp.medianFilterCols(x, rows, cols, s2), p), -1);
    }
    // HPSS's shape and window (1025 bins x 108 frames, 31 both ways; four lines per SIMD group
    // and a remainder of one), with repeated values, zeros and signed values
    const rows = 1025,
      cols = 108;
    const x = Float32Array.from({ length: rows * cols }, (_, i) => (i % 11 === 0 ? 0 : Math.fround((r() - 0.3) * (r() < 0.1 ? 1e-6 : 1))));
    for (let i = 0; i < x.length; i += 5) x[i] = x[(i * 7) % x.length];
    const [h, p] = dsp.medianFilterRowsCols(x, rows, cols, 31, 31);
    const x64 = Float64Array.from(x);
    assert.strictEqual(firstDiff(Float64Array.from(h), dsp.medianFilterRows(x64, rows, cols, 31)), -1, 'rows 1025x108 size 31');
    assert.strictEqual(firstDiff(Float64Array.from(p), dsp.medianFilterCols(x64, rows, cols, 31)), -1, 'cols 1025x108 size 31');
  });

  it('the 173-vector of fixture clips is bit-identical with SER_DSP_WASM=0 (TypeScript only)', function () {
    this.timeout(120000);
    const files = [wavPath(Object.keys(librosaIndex().stems)[0]), realWavPath(Object.keys(realIndex().stems)[0])];
    const script = `
      const { load } = require('kernel-lib/internal').audioLoad;
      const { paper173 } = require('kernel-lib/internal').featuresPaper173;
      const { dspEngine } = require('kernel-lib/internal').dspWasm;
      const out = { engine: dspEngine().engine, v: [] };
      (async () => {
        for (const f of ${JSON.stringify(files)}) { const { y, sr } = await load(f); out.v.push(Array.from(paper173(y, sr))); }
        process.stdout.write(JSON.stringify(out));
      })();`;
    const run = (env: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['-e', script], {
          cwd: path.join(__dirname, '..', '..'),
          env: { ...process.env, SER_DSP_WASM: env },
        }).toString(),
      );
    const ts = run('0');
    const wasm = run('1');
    assert.strictEqual(ts.engine, 'typescript');
    assert.strictEqual(wasm.engine, 'wasm-simd');
    for (let i = 0; i < files.length; i++) {
      assert.strictEqual(firstDiff(wasm.v[i], ts.v[i]), -1, `${path.basename(files[i])}: 173-vectors differ`);
    }
  });
});
