// HPSS, CQT, chroma_cqt and tonnetz against librosa 0.10.2 (issue "Features"; the tonnetz block
// of the 173-vector). Reference arrays: test/fixtures/librosa/<stem>/{harmonic,cqt_mag,
// chroma_cqt,tonnetz} (scripts/tools/make-cqt-fixtures.js, index cqt-index.json) for the 12 synthetic
// files; the input y is the fixture's y (test/fixtures/librosa/index.json), so these tests do not
// depend on load/resample. Recipe (fixture README): harmonic = effects.harmonic(y);
// C = |cqt(harmonic, sr=22050, hop 512, n_bins 252, bins_per_octave 36, res_type kaiser_best)|
// with the tuning estimated; chroma_cqt(C=C); tonnetz(chroma=...).
// Metric: max|ours - librosa| / max|librosa| per array, limit 1e-4; the worst values and the
// timings are printed at the end.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as K from 'kernel-lib/internal';
import type { ArrayMeta, LibrosaIndex, RefArray } from '../features/helpers';

const { dsp, features, audio } = K;
const LIB = path.join(__dirname, '..', 'fixtures', 'librosa');
const LIMIT = 1e-4;
const SR = 22050;

/** test/fixtures/librosa/cqt-index.json: the HPSS / CQT / chroma_cqt / tonnetz arrays of each stem */
const cqtIndex: { stems: Record<string, { tuning_cqt: number; arrays: Record<string, ArrayMeta> }> } = JSON.parse(
  fs.readFileSync(path.join(LIB, 'cqt-index.json'), 'utf8'),
);
const mainIndex: LibrosaIndex = JSON.parse(fs.readFileSync(path.join(LIB, 'index.json'), 'utf8'));
const STEMS = Object.keys(cqtIndex.stems).sort();

function readArray(meta: ArrayMeta): RefArray {
  const buf = fs.readFileSync(path.join(LIB, meta.file));
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return { shape: meta.shape, data: meta.dtype === 'float32' ? new Float32Array(ab) : new Float64Array(ab) };
}
const ref = (stem: string, name: string): RefArray => readArray(cqtIndex.stems[stem].arrays[name]);
const inputY = (stem: string): Float32Array | Float64Array => readArray(mainIndex.stems[stem].arrays.y).data;

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length, `length ${a.length} != ${b.length}`);
  let md = 0;
  let mx = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > md || Number.isNaN(d)) md = d;
    if (Math.abs(b[i]) > mx) mx = Math.abs(b[i]);
  }
  return mx > 0 ? md / mx : md;
}

const worst = new Map<string, { err: number; stem: string; n: number }>();
function check(name: string, stem: string, a: ArrayLike<number>, b: ArrayLike<number>, limit = LIMIT): void {
  const err = relErr(a, b);
  const w = worst.get(name);
  if (!w || err > w.err || Number.isNaN(err)) worst.set(name, { err, stem, n: (w ? w.n : 0) + 1 });
  else w.n++;
  assert.ok(err <= limit, `${stem} ${name}: max|diff|/max = ${err.toExponential(3)} > ${limit}`);
}
const timings: string[] = [];

/** our chain for one stem, computed once */
interface Chain {
  y: Float32Array | Float64Array;
  yh: Float32Array | Float64Array;
  tuning: number;
  C: K.dsp.Matrix;
  chroma: K.dsp.Matrix;
  tz: K.dsp.Matrix<Float64Array>;
}
const chainCache = new Map<string, Chain>();
function chain(stem: string): Chain {
  if (chainCache.has(stem)) return chainCache.get(stem)!;
  const y = inputY(stem);
  const yh = features.harmonic(y);
  const tuning = features.estimateTuning({ y: yh, sr: SR, binsPerOctave: 36 });
  const C = features.cqtMagnitude(yh, { sr: SR, hopLength: 512, nBins: 252, binsPerOctave: 36, tuning, resType: 'kaiser_best' });
  const chroma = features.chromaCqt({ C, sr: SR });
  const tz = features.tonnetz({ chroma });
  const r = { y, yh, tuning, C, chroma, tz };
  chainCache.set(stem, r);
  return r;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}
/** wall-clock median and minimum, and the minimum process CPU time (robust on a loaded machine) */
function timeIt(f: () => unknown, reps: number): { median: number; min: number; cpu: number } {
  const ts: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    f();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cs.push((c.user + c.system) / 1e3);
  }
  return { median: median(ts), min: Math.min(...ts), cpu: Math.min(...cs) };
}
const fmt = (t: { median: number; min: number; cpu: number }): string =>
  `wall median ${t.median.toFixed(1)} ms, min ${t.min.toFixed(1)} ms, min CPU ${t.cpu.toFixed(1)} ms`;

describe('HPSS, CQT, chroma_cqt, tonnetz (librosa 0.10.2 parity)', function () {
  this.timeout(300000);
  after(() => {
    const lines = ['  cqt/hpss/tonnetz parity: worst max|diff| / max|librosa| per array (limit 1e-4)'];
    const w = Math.max(...[...worst.keys()].map((k) => k.length));
    for (const [k, r] of worst)
      lines.push(`    ${k.padEnd(w)}  ${r.err.toExponential(2).padStart(9)}  (${r.n} case${r.n === 1 ? '' : 's'}, worst: ${r.stem})`);
    for (const t of timings) lines.push(`    timing: ${t}`);
    console.log(lines.join('\n'));
  });

  it('fixtures are present (12 stems, harmonic/cqt_mag/chroma_cqt/tonnetz and y)', () => {
    assert.strictEqual(STEMS.length, 12);
    for (const s of STEMS) {
      for (const n of ['harmonic', 'cqt_mag', 'chroma_cqt', 'tonnetz'])
        assert.ok(fs.existsSync(path.join(LIB, cqtIndex.stems[s].arrays[n].file)), `${s}: ${n}`);
      assert.ok(mainIndex.stems[s]?.arrays.y, `${s}: y`);
    }
  });

  describe('median filter = scipy.ndimage.median_filter(mode="reflect")', () => {
    // brute force: sort the reflected window
    function bruteRows(x: ArrayLike<number>, rows: number, cols: number, size: number): Float64Array {
      const out = new Float64Array(rows * cols);
      const half = size >> 1;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const w: number[] = [];
          for (let j = c - half; j < c - half + size; j++) w.push(x[r * cols + dsp.reflectIndex(j, cols)]);
          w.sort((a, b) => a - b);
          out[r * cols + c] = w[size >> 1];
        }
      }
      return out;
    }
    it("reflect extension is scipy's (d c b a | a b c d | d c b a), periodic", () => {
      const n = 4;
      const got = [];
      for (let j = -9; j < 13; j++) got.push(dsp.reflectIndex(j, n));
      // positions -9..12 of a b c d mirrored about the sample edges
      assert.deepStrictEqual(got, [0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1, 2, 3, 3]);
      assert.strictEqual(dsp.reflectIndex(-5, 1), 0);
    });
    for (const [rows, cols, size] of [
      [7, 108, 31],
      [5, 9, 31],
      [3, 1, 5],
      [4, 50, 4],
      [2, 17, 1],
    ]) {
      it(`rows and columns, ${rows}x${cols}, size ${size}, with ties`, () => {
        const x = new Float32Array(rows * cols);
        let s = 12345;
        for (let i = 0; i < x.length; i++) {
          s = (s * 1103515245 + 12345) % 2147483648;
          x[i] = Math.floor((s / 2147483648) * 20) / 4; // many ties
        }
        const a = dsp.medianFilterRows(x, rows, cols, size);
        assert.ok(a instanceof Float32Array);
        assert.deepStrictEqual(Array.from(a), Array.from(bruteRows(x, rows, cols, size)));
        // columns = rows of the transpose
        const xt = new Float32Array(rows * cols);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) xt[c * rows + r] = x[r * cols + c];
        const bt = bruteRows(xt, cols, rows, size);
        const b = dsp.medianFilterCols(x, rows, cols, size);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) assert.strictEqual(b[r * cols + c], bt[c * rows + r]);
      });
    }
  });

  describe('softmask = librosa.util.softmask', () => {
    it('power 2, split_zeros, in float32', () => {
      const X = Float32Array.from([1, 0, 3, 0, 2]);
      const R = Float32Array.from([1, 0, 1, 2, 1e-30]);
      const m = features.softmask(X, R, { power: 2, splitZeros: true });
      assert.ok(m instanceof Float32Array);
      assert.deepStrictEqual(Array.from(m), [0.5, 0.5, Math.fround(0.9), 0, 1]);
      const m0 = features.softmask(X, R, { power: 2 });
      assert.strictEqual(m0[1], 0);
      const hard = features.softmask(X, R, { power: Infinity });
      assert.deepStrictEqual(Array.from(hard), [0, 0, 1, 0, 1]);
    });
    it('hpss masks sum to 1 (margin 1) and the parts add up to the input', () => {
      const y = inputY(STEMS[0]);
      const D = dsp.stft(y);
      const { harmonic: mh, percussive: mp } = features.hpss(D, { mask: true });
      for (let i = 0; i < mh.data.length; i += 97) assert.ok(Math.abs(mh.data[i] + mp.data[i] - 1) < 1e-6);
      const { harmonic: H, percussive: P } = features.hpss(D);
      let e = 0;
      let mx = 0;
      for (let i = 0; i < D.re.length; i++) {
        e = Math.max(e, Math.abs(H.re[i] + P.re[i] - D.re[i]), Math.abs(H.im[i] + P.im[i] - D.im[i]));
        mx = Math.max(mx, Math.abs(D.re[i]));
      }
      assert.ok(e / mx < 1e-6, `H + P != D: ${e / mx}`);
    });
  });

  describe('harmonic(y) = librosa.effects.harmonic(y)', () => {
    for (const stem of STEMS) {
      it(stem, () => {
        const { yh } = chain(stem);
        assert.ok(yh instanceof Float32Array);
        check('harmonic', stem, yh, ref(stem, 'harmonic').data);
      });
    }
  });

  describe('CQT tuning = estimate_tuning(y=harmonic, bins_per_octave=36) (exact)', () => {
    for (const stem of STEMS) {
      it(stem, () => {
        // from the reference harmonic and from ours
        const t0 = features.estimateTuning({ y: ref(stem, 'harmonic').data, sr: SR, binsPerOctave: 36 });
        assert.strictEqual(t0, cqtIndex.stems[stem].tuning_cqt);
        assert.strictEqual(chain(stem).tuning, cqtIndex.stems[stem].tuning_cqt);
      });
    }
  });

  describe('filters: wavelet basis, lengths, sparsified FFT basis', () => {
    it('lengths and cut-off (36 bins/octave, C1, tuning 0.11)', () => {
      const fmin = features.C1_HZ * 2 ** (0.11 / 36);
      const freqs = dsp.intervalFrequencies(252, fmin, 36);
      assert.ok(Math.abs(freqs[251] / freqs[0] - 2 ** (251 / 36)) < 1e-12);
      const alpha = dsp.relativeBandwidth(freqs);
      const r = 2 ** (1 / 36);
      for (const a of [alpha[0], alpha[100], alpha[251]]) assert.ok(Math.abs(a - (r * r - 1) / (r * r + 1)) < 1e-12);
      const { lengths, cutoff } = dsp.waveletLengths({ freqs, sr: SR, alpha });
      assert.ok(Math.abs(lengths[0] - 22050 / alpha[0] / freqs[0]) < 1e-9);
      assert.ok(Math.abs(cutoff - freqs[251] * (1 + (0.5 * 1.50018310546875 * alpha[251]) / 1)) < 1e-9);
    });
    it('each wavelet is an L1-normalised Hann-windowed phasor, centred, complex64', () => {
      const freqs = dsp.intervalFrequencies(36, 2000, 36);
      const { basis, lengths } = dsp.wavelet({ freqs, sr: SR });
      assert.strictEqual(basis.size, 2 ** Math.ceil(Math.log2(Math.max(...lengths))));
      for (const k of [0, 17, 35]) {
        let l1 = 0;
        let nz = 0;
        for (let i = 0; i < basis.size; i++) {
          const a = basis.re[k * basis.size + i];
          const b = basis.im[k * basis.size + i];
          l1 += Math.hypot(a, b);
          if (a !== 0 || b !== 0) nz++;
        }
        assert.ok(Math.abs(l1 - 1) < 1e-5, `L1 ${l1}`);
        assert.ok(Math.abs(nz - lengths[k]) <= 2, `support ${nz} vs length ${lengths[k]}`);
      }
    });
    it("sparsify_rows keeps the entries holding >= 99% of each row's L1 mass", () => {
      const freqs = dsp.intervalFrequencies(36, 2000, 36);
      const { fftBasis, nFft } = dsp.vqtFilterFft({ sr: SR, freqs, sparsity: 0.01 });
      assert.strictEqual(fftBasis.cols, nFft / 2 + 1);
      const full = dsp.vqtFilterFft({ sr: SR, freqs, sparsity: 0 }).fftBasis;
      for (let r = 0; r < 36; r++) {
        let kept = 0;
        let all = 0;
        for (let j = fftBasis.rowPtr[r]; j < fftBasis.rowPtr[r + 1]; j++) kept += Math.hypot(fftBasis.re[j], fftBasis.im[j]);
        for (let j = full.rowPtr[r]; j < full.rowPtr[r + 1]; j++) all += Math.hypot(full.re[j], full.im[j]);
        assert.ok(kept / all >= 0.99 - 1e-6 && kept / all < 1, `row ${r}: ${kept / all}`);
        assert.ok(fftBasis.rowPtr[r + 1] - fftBasis.rowPtr[r] < 60);
      }
    });
    it('cq_to_chroma: 3 CQT bins per chroma bin, centred, every octave', () => {
      const M = dsp.cqToChroma(252, { binsPerOctave: 36, nChroma: 12 });
      assert.strictEqual(M.rows, 12);
      assert.strictEqual(M.cols, 252);
      for (let i = 0; i < 12; i++) {
        const cols = [];
        for (let c = 0; c < 36; c++) if (M.data[i * 252 + c]) cols.push(c);
        const want = [3 * i - 1, 3 * i, 3 * i + 1].map((c) => (c + 36) % 36).sort((a, b) => a - b);
        assert.deepStrictEqual(cols, want);
        for (let c = 0; c < 252; c++) assert.strictEqual(M.data[i * 252 + c], M.data[i * 252 + (c % 36)]);
      }
    });
  });

  describe('octave decimation = librosa.resample(y, orig_sr=2, target_sr=1, res_type, scale=True)', () => {
    for (const resType of ['kaiser_best', 'kaiser_fast'] as const) {
      it(resType, () => {
        const y = ref(STEMS[0], 'harmonic').data;
        for (const n of [y.length, 1001, 147, 2]) {
          const x = y.subarray(0, n);
          const a = features.resampleHalf(x, resType);
          const b = audio.resample(x, 2, 1, { filter: resType });
          assert.strictEqual(a.length, Math.ceil(n / 2));
          assert.strictEqual(b.length, a.length);
          const d = Math.fround(Math.sqrt(0.5));
          const bs = b.map((v) => v / d);
          // resampy accumulates in float32: differences are float32 roundings
          if (n > 2) assert.ok(relErr(a, bs) < 2e-6, `${n}: ${relErr(a, bs)}`);
        }
      });
    }
  });

  describe('|cqt(harmonic)| (252 bins, 36/octave, kaiser_best) = cqt_mag', () => {
    for (const stem of STEMS) {
      it(`${stem} (from librosa's harmonic)`, () => {
        const yh = ref(stem, 'harmonic').data;
        const C = features.cqtMagnitude(yh, { sr: SR, nBins: 252, binsPerOctave: 36, tuning: null });
        assert.deepStrictEqual([C.rows, C.cols], [252, 108]);
        assert.ok(C.data instanceof Float32Array);
        check('cqt_mag (librosa harmonic in)', stem, C.data, ref(stem, 'cqt_mag').data);
      });
      it(`${stem} (whole chain from y)`, () => {
        check('cqt_mag (chain from y)', stem, chain(stem).C.data, ref(stem, 'cqt_mag').data);
      });
    }
  });

  describe('chroma_cqt = librosa.feature.chroma_cqt', () => {
    for (const stem of STEMS) {
      it(stem, () => {
        const want = ref(stem, 'chroma_cqt').data;
        const fromRef = features.chromaCqt({ C: { rows: 252, cols: 108, data: ref(stem, 'cqt_mag').data } });
        check('chroma_cqt (librosa C in)', stem, fromRef.data, want);
        check('chroma_cqt (chain from y)', stem, chain(stem).chroma.data, want);
      });
    }
  });

  describe('tonnetz = librosa.feature.tonnetz', () => {
    it('phi: fifths, minor and major thirds (sin/cos), radii 1, 1, 0.5', () => {
      const phi = features.tonnetzMatrix(12);
      for (let c = 0; c < 12; c++) {
        const want = [
          Math.sin((7 * Math.PI * c) / 6),
          Math.cos((7 * Math.PI * c) / 6),
          Math.sin((3 * Math.PI * c) / 2),
          Math.cos((3 * Math.PI * c) / 2),
          0.5 * Math.sin((2 * Math.PI * c) / 3),
          0.5 * Math.cos((2 * Math.PI * c) / 3),
        ];
        for (let p = 0; p < 6; p++) assert.ok(Math.abs(phi[p * 12 + c] - want[p]) < 1e-12);
      }
    });
    for (const stem of STEMS) {
      it(stem, () => {
        const want = ref(stem, 'tonnetz').data;
        const fromRef = features.tonnetz({ chroma: { rows: 12, cols: 108, data: ref(stem, 'chroma_cqt').data } });
        assert.ok(fromRef.data instanceof Float64Array);
        check('tonnetz (librosa chroma in)', stem, fromRef.data, want);
        check('tonnetz (chain from y)', stem, chain(stem).tz.data, want);
      });
    }
    it("exactDecimation (resampy's float32 accumulation) brings the chain closer still", () => {
      for (const stem of [STEMS[5], STEMS[2]]) {
        const yh = ref(stem, 'harmonic').data;
        const tz = features.tonnetz({ y: yh, sr: SR, exactDecimation: true });
        check('tonnetz (librosa harmonic in, exactDecimation)', stem, tz.data, ref(stem, 'tonnetz').data, 3e-5);
      }
    });
    it('tonnetz({y: harmonic(y), sr}) runs the same chain', () => {
      const stem = STEMS[3];
      const { yh, tz } = chain(stem);
      const t2 = features.tonnetz({ y: yh, sr: SR });
      assert.deepStrictEqual(Array.from(t2.data), Array.from(tz.data));
    });
  });

  describe('CQT sanity off the fixtures', () => {
    it('scale=True: a sine peaks in its bin with magnitude ~ sqrt(filter length), in every octave (early downsampling included)', () => {
      const sr = 22050;
      const n = 2 * sr;
      for (const [nBins, bpo] of [
        [84, 12],
        [24, 12],
      ]) {
        const peaks = [];
        const fmin = features.C1_HZ;
        // nBins 24 at hop 512 takes the early-downsampling path (by 2**5)
        const freqs = features.cqtFrequencies({ nBins, fmin, binsPerOctave: bpo });
        for (const k of [2, Math.floor(nBins / 2), nBins - 3]) {
          const y = new Float32Array(n);
          for (let i = 0; i < n; i++) y[i] = Math.sin((2 * Math.PI * freqs[k] * i) / sr);
          const C = features.cqtMagnitude(y, { sr, nBins, binsPerOctave: bpo, tuning: 0 });
          const mid = C.cols >> 1;
          let best = 0;
          for (let b = 1; b < nBins; b++) if (C.data[b * C.cols + mid] > C.data[best * C.cols + mid]) best = b;
          assert.strictEqual(best, k, `peak bin ${best} != ${k}`);
          // L1-normalised filters scaled by 1/sqrt(length): a unit sine gives ~ sqrt(length) / 4
          const { lengths } = dsp.waveletLengths({ freqs, sr });
          peaks.push(C.data[k * C.cols + mid] / Math.sqrt(lengths[k]));
        }
        const lo = Math.min(...peaks);
        const hi = Math.max(...peaks);
        assert.ok(hi / lo < 1.15, `${nBins} bins: peaks ${peaks.map((p) => p.toFixed(4))}`);
      }
    });
    it('float64 input gives a complex128 CQT close to the float32 one', () => {
      const y = ref(STEMS[1], 'harmonic').data;
      const o = { sr: SR, nBins: 252, binsPerOctave: 36, tuning: cqtIndex.stems[STEMS[1]].tuning_cqt };
      const a = features.cqt(y, o);
      const b = features.cqt(Float64Array.from(y), o);
      assert.ok(a.re instanceof Float32Array && b.re instanceof Float64Array);
      assert.ok(relErr(a.re, b.re) < 1e-5);
    });
    it('rejects bins beyond Nyquist', () => {
      assert.throws(() => features.cqt(new Float32Array(4096), { sr: 8000, nBins: 96, binsPerOctave: 12, tuning: 0 }), /Nyquist/);
    });
  });

  describe('speed (one thread; printed, loose bound)', () => {
    it('harmonic and tonnetz per 2.5 s clip', () => {
      const stem = STEMS[0];
      const y = inputY(stem);
      const yh = features.harmonic(y);
      features.tonnetz({ y: yh, sr: SR }); // warm-up (builds and caches the filter bases)
      const th = timeIt(() => features.harmonic(y), 15);
      const tt = timeIt(() => features.tonnetz({ y: yh, sr: SR }), 15);
      const tuning = features.estimateTuning({ y: yh, sr: SR, binsPerOctave: 36 });
      const tc = timeIt(() => features.cqt(yh, { sr: SR, nBins: 252, binsPerOctave: 36, tuning }), 15);
      features.clearCqtCache();
      const tcold = timeIt(() => {
        features.clearCqtCache();
        features.cqt(yh, { sr: SR, nBins: 252, binsPerOctave: 36, tuning });
      }, 3);
      timings.push(`harmonic(y): ${fmt(th)}`);
      timings.push(`tonnetz({y: yh}) (tuning estimate + cqt + chroma_cqt + tonnetz): ${fmt(tt)}`);
      timings.push(
        `cqt alone, cached bases: ${fmt(tc)}; building the 7 octave bases: +${(tcold.min - tc.min).toFixed(0)} ms once per tuning`,
      );
      // loose bounds, so a loaded machine does not fail the suite
      assert.ok(th.min < 200 && tt.min < 300);
    });
  });
});
