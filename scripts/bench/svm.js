#!/usr/bin/env node

// `npm run bench -- svm [--sizes=12162,48648] [--folds=5] [--run-folds=N] [--engine=ts|libsvm-js] [--workers=N]`
//
// Fit + predict time of StandardScaler + SVC over stratified k folds at the paper's sizes
// (12162 x 173 without augmentation, C=30; 48648 x 173 with, C=100), against the same run of
// scikit-learn's SVC (Debian python3-sklearn via /usr/bin/python3) on the same matrix and the
// same folds, and the ratio ours / scikit-learn (< 1: we are faster). The sklearn side is
// skipped with a notice when /usr/bin/python3 cannot import sklearn.
//
// Data: synthetic, class-structured (8 classes with the paper's class proportions, a 12-dim
// latent Gaussian per class mapped to 173 features with unequal scales and noise), seeded, so
// both sides see identical bytes; its difficulty is set to give ~75-85 % accuracy, i.e. a
// realistic number of support vectors. --sizes=3000 makes a quick run; --run-folds=N times only
// the first N of the k folds (same split) on both sides, for a quicker look at the big size.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const PY = '/usr/bin/python3';

function parseFlags(argv) {
  const f = {};
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m) f[m[1]] = m[2] === undefined ? true : m[2];
  }
  return f;
}

const { mulberry32: rng } = require('kernel-lib/dist/core/random');

/** n x 173 synthetic SER-like features and labels (the paper's class proportions). */
function makeData(n, seed = 42) {
  const d = 173;
  const latent = 12;
  const r = rng(seed);
  const gauss = () => {
    let u = 0;
    while (u === 0) u = r();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  };
  const W = Array.from({ length: latent }, () => Float64Array.from({ length: d }, gauss));
  const M = Array.from({ length: 8 }, () => Float64Array.from({ length: latent }, () => gauss() * 0.9));
  const props = [1923, 192, 1923, 1923, 1923, 1703, 1923, 652]; // clips per emotion in the paper (Table I)
  const tot = props.reduce((a, b) => a + b, 0);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let u = r() * tot;
    let c = 0;
    while (u >= props[c]) u -= props[c++];
    y[i] = c;
    const z = Float64Array.from({ length: latent }, (_, a) => M[c][a] + gauss());
    for (let j = 0; j < d; j++) {
      let v = 0.6 * gauss();
      for (let a = 0; a < latent; a++) v += z[a] * W[a][j] * 0.3;
      X[i * d + j] = v * (1 + (j % 7)) + j;
    }
  }
  return { X, y, n, d };
}

const PY_SCRIPT = `
import json, sys, time
import numpy as np
from sklearn.svm import SVC
from sklearn.preprocessing import StandardScaler
xf, yf, ff, C, nrun = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
y = np.fromfile(yf); X = np.fromfile(xf).reshape(len(y), -1); tf = np.fromfile(ff, dtype=np.int32)
out = []
for f in range(min(nrun, int(tf.max()) + 1)):
    tr = np.where(tf != f)[0]; te = np.where(tf == f)[0]
    t0 = time.perf_counter(); c0 = time.process_time()
    sc = StandardScaler().fit(X[tr]); m = SVC(kernel='rbf', C=C).fit(sc.transform(X[tr]), y[tr])
    t1 = time.perf_counter()
    p = m.predict(sc.transform(X[te]))
    t2 = time.perf_counter(); c2 = time.process_time()
    out.append(dict(fit=t1 - t0, predict=t2 - t1, cpu=c2 - c0, acc=float((p == y[te]).mean()), nsv=int(m.n_support_.sum()), pred=p.astype(int).tolist()))
    print(f'  sklearn fold {f + 1}: fit {t1 - t0:.1f} s, predict {t2 - t1:.1f} s', file=sys.stderr, flush=True)
json.dump(out, sys.stdout)
`;

function sklearnAvailable() {
  if (!fs.existsSync(PY)) return `${PY} not found`;
  const r = spawnSync(PY, ['-c', 'import sklearn, numpy; print(sklearn.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) return `${PY} cannot import sklearn (apt-get install python3-sklearn)`;
  return { version: r.stdout.trim() };
}

const fmt = (s) => (s === null || s === undefined ? '-' : s.toFixed(1));

async function run(argv = []) {
  const flags = parseFlags(argv);
  const root = path.resolve(__dirname, '..', '..');
  let models;
  let ev;
  try {
    models = require(path.join(root, 'kernel-lib', 'dist', 'models'));
    ev = require(path.join(root, 'kernel-lib', 'dist', 'eval'));
  } catch (e) {
    throw new Error(`kernel-lib is not built (${e.message.split('\n')[0]}); run 'npm run build'`);
  }
  const sizes = String(flags.sizes || '12162,48648')
    .split(',')
    .map(Number);
  const folds = Number(flags.folds || 5);
  const runFolds = Math.min(folds, Number(flags['run-folds'] || folds));
  const engine = flags.engine || 'ts';
  const workers = flags.workers !== undefined ? Number(flags.workers) : models.defaultSvmWorkers();
  const sk = sklearnAvailable();
  if (typeof sk === 'string') process.stdout.write(`notice: scikit-learn side skipped: ${sk}\n`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-bench-svm-'));
  const rows = [];
  try {
    for (const n of sizes) {
      const C = n > 20000 ? 100 : 30;
      process.stderr.write(`[bench svm] ${n} x 173, C=${C}, ${folds} folds, engine ${engine}, ${workers} worker(s)\n`);
      const { X, y, d } = makeData(n);
      const tf = new ev.StratifiedKFold({ k: folds, shuffle: true, seed: 0 }).testFolds(Array.from(y));
      const M = { rows: n, cols: d, data: X };
      let fit = 0;
      let pred = 0;
      const cpu0 = process.cpuUsage();
      let correct = 0;
      const ours = [];
      let tested = 0;
      for (let f = 0; f < runFolds; f++) {
        const tr = [];
        const te = [];
        for (let i = 0; i < n; i++) (tf[i] === f ? te : tr).push(i);
        tested += te.length;
        const Xtr = models.takeRows(M, tr);
        const Xte = models.takeRows(M, te);
        const t0 = Date.now();
        const pipe = models.makePipeline(new models.StandardScaler(), new models.SVC({ kernel: 'rbf', C, workers, engine }));
        await pipe.fit(
          Xtr,
          tr.map((i) => y[i]),
        );
        const t1 = Date.now();
        const p = await pipe.predict(Xte);
        const t2 = Date.now();
        fit += (t1 - t0) / 1000;
        pred += (t2 - t1) / 1000;
        p.forEach((v, q) => (correct += v === y[te[q]] ? 1 : 0));
        ours.push(...p.map((v, q) => [te[q], v]));
        process.stderr.write(
          `  ours fold ${f + 1}: fit ${((t1 - t0) / 1000).toFixed(1)} s, predict ${((t2 - t1) / 1000).toFixed(1)} s, ${pipe.estimator.support.length} SVs\n`,
        );
      }
      const cu = process.cpuUsage(cpu0);
      const row = {
        n,
        C,
        oursFit: fit,
        oursPredict: pred,
        oursCpu: (cu.user + cu.system) / 1e6,
        oursAcc: correct / tested,
        skFit: null,
        skPredict: null,
        skCpu: null,
        skAcc: null,
        agree: null,
        differ: null,
      };
      if (typeof sk !== 'string') {
        const xf = path.join(tmp, 'X.f64');
        const yf = path.join(tmp, 'y.f64');
        const ff = path.join(tmp, 'folds.i32');
        fs.writeFileSync(xf, Buffer.from(X.buffer));
        fs.writeFileSync(yf, Buffer.from(y.buffer));
        fs.writeFileSync(ff, Buffer.from(Int32Array.from(tf).buffer));
        const r = spawnSync(PY, ['-c', PY_SCRIPT, xf, yf, ff, String(C), String(runFolds)], {
          encoding: 'utf8',
          maxBuffer: 1 << 28,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        if (r.status !== 0) throw new Error(`scikit-learn run failed (exit ${r.status})`);
        const res = JSON.parse(r.stdout);
        row.skFit = res.reduce((a, x) => a + x.fit, 0);
        row.skPredict = res.reduce((a, x) => a + x.predict, 0);
        row.skCpu = res.reduce((a, x) => a + x.cpu, 0);
        let ok = 0;
        let same = 0;
        const skPred = new Map();
        for (let f = 0; f < runFolds; f++) {
          const te = [];
          for (let i = 0; i < n; i++) if (tf[i] === f) te.push(i);
          res[f].pred.forEach((v, q) => skPred.set(te[q], v));
        }
        for (const [i, v] of ours) {
          if (skPred.get(i) === v) same++;
        }
        for (const [i, v] of skPred) if (v === y[i]) ok++;
        row.skAcc = ok / tested;
        row.agree = same / tested;
        row.differ = tested - same;
      }
      rows.push(row);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const header = [
    'rows x 173',
    'C',
    'ours fit s',
    'ours predict s',
    'ours total s',
    'sklearn fit s',
    'sklearn predict s',
    'sklearn total s',
    'ratio ours/sklearn',
    'CPU s ours',
    'CPU s sklearn',
    'acc ours %',
    'acc sklearn %',
    'same predictions %',
    'differing predictions',
  ];
  const body = rows.map((r) => [
    r.n,
    r.C,
    fmt(r.oursFit),
    fmt(r.oursPredict),
    fmt(r.oursFit + r.oursPredict),
    fmt(r.skFit),
    fmt(r.skPredict),
    r.skFit === null ? '-' : fmt(r.skFit + r.skPredict),
    r.skFit === null ? '-' : ((r.oursFit + r.oursPredict) / (r.skFit + r.skPredict)).toFixed(2),
    fmt(r.oursCpu),
    fmt(r.skCpu),
    (r.oursAcc * 100).toFixed(2),
    r.skAcc === null ? '-' : (r.skAcc * 100).toFixed(2),
    r.agree === null ? '-' : (r.agree * 100).toFixed(2),
    r.differ === null ? '-' : r.differ,
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((b) => String(b[j]).length)));
  const line = (cells) => cells.map((c, j) => String(c).padStart(widths[j])).join('  ');
  process.stdout.write(
    [
      `svm: ${folds}-fold${runFolds < folds ? ` (first ${runFolds} timed)` : ''} StandardScaler + SVC(rbf, gamma='scale'), engine ${engine}, ${workers} worker thread(s) on ${os.cpus().length} core(s) (${os.cpus()[0].model}); sklearn ${typeof sk === 'string' ? 'skipped' : sk.version} single-threaded libsvm`,
      line(header),
      line(header.map((_, j) => '-'.repeat(widths[j]))),
      ...body.map(line),
      "differing predictions: test rows where our predicted label is not scikit-learn's (0 = identical predictions).",
      'ratio = (ours fit + predict) / (sklearn fit + predict), wall time of the same folds; < 1 means faster than scikit-learn.',
      `CPU s: process CPU time (ours: all threads). Load average now ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores: on a busy machine the wall times and the ratio are not meaningful.`,
      '',
    ].join('\n'),
  );
  await models.closeSvmPool();
  return rows;
}

module.exports = { run, makeData };

if (require.main === module) {
  run(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`bench svm failed: ${e?.stack ? e.stack : e}\n`);
    process.exitCode = 1;
  });
}
