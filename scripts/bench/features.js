// `npm run bench -- features [--clips N] [--augment] [--demo] [--no-ts] [--real=DIR] [--aug-clips=N]`:
// clips/s of load + the paper's 173 features, on one thread and on all cores (the feature
// store's worker pool), over real-rate clips: the demo corpus when it has been generated (or
// with --demo), else the shared fixture WAVs (16/24.4/44.1/48 kHz, speech and real corpus clips)
// cycled to N clips.
//
// Augmented features (`ser features --augment`, 4 rows per clip: original, noise, time stretch,
// pitch shift; issue #14 target >= 25 clips/s with 2 workers): measured on the real corpora
// when they are present (--real=DIR, else $SER_DATA, else /data/ser; the layout `ser corpus
// scan` reads), N clips (default 240) drawn evenly from each corpus in the paper's Table I
// proportions and interleaved, the store built by the worker pool: once (start-up included) and
// over the clips three times, whose difference is the steady rate of a long run (the target is
// judged on it, and on the whole set's estimate: fixed cost + 12162 / steady rate). Without
// the corpora it says so and measures the clips above instead (--augment: accepted, always on).
//
// What is measured, and why:
// - One thread, two passes over the same clips. The first pass also builds what every new
//   sample rate and tuning needs once per thread (resampling plans, CQT filter bases: up to 100
//   tunings of 0.01 bin, ~25 ms each); the second pass is the steady state of a long run, where
//   those tables exist. The per-thread target is judged on the second pass.
// - Per corpus (second pass), and weighted by the paper's Table I mix (CREMA-D 7442, TESS 2800,
//   RAVDESS 1440, SAVEE 480): the demo corpus is RAVDESS-heavy, the paper's corpus CREMA-D-heavy.
// - Same-run reference: the TypeScript engine (SER_DSP_WASM=0, same arithmetic, same bits) on a
//   subset in a child process, so the wasm kernels' gain is measured on this machine now.
// - The worker pool: the store over the clips (run A) and over the clips three times (run B,
//   the copies under other clip ids); B - A is two passes whose tables mostly exist, i.e. the
//   steady-state rate (two passes rather than one: the difference of two wall times is noisy
//   on a shared machine); A - N / rate is the fixed cost (workers, JIT, tables), and the
//   paper's 12162 clips are estimated as that cost plus 12162 / rate.
// Reference: librosa 0.10.2 (kaiser_best) on this 2-core machine, one process: 1.25-1.30
// clips/s (shared/fixtures/librosa/README.md); it cannot run here (no PyPI), so it is a fixed
// figure, and the TypeScript engine is the reference measured in the same run. Targets: >= 20x
// librosa per thread, 12162 clips < 5 min on 2 cores.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const LIBROSA_CLIPS_PER_S = 1.275; // midpoint of 1.25-1.30
const PAPER_CLIPS = 12162;
const PAPER_MIX = { 'CREMA-D': 7442, TESS: 2800, RAVDESS: 1440, SAVEE: 480 };

function flag(args, name, dflt) {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return dflt;
  const a = args[i];
  if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
  return typeof dflt === 'boolean' ? true : args[i + 1];
}

function fixtureFiles() {
  const shared = path.resolve(ROOT, '..', 'shared', 'fixtures');
  const dirs = [
    path.join(shared, 'audio'),
    path.join(shared, 'real', 'audio'),
    path.join(ROOT, 'test', 'fixtures', 'audio'),
    path.join(ROOT, 'test', 'fixtures', 'real', 'audio'),
  ];
  const seen = new Set();
  const files = [];
  for (const d of dirs) {
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort())
      if (f.endsWith('.wav') && !seen.has(f)) {
        seen.add(f);
        files.push(path.join(d, f));
      }
  }
  return files;
}

async function clipsFor(n, useDemo) {
  const lib = require('kernel-lib');
  const demoDir = lib.corpora.demoCorpusDir(ROOT);
  let source;
  let clips = [];
  if (useDemo) await lib.corpora.ensureDemoCorpus(demoDir);
  if (lib.corpora.isDemoCorpus(demoDir)) {
    const scan = lib.corpora.scanCorpora(demoDir);
    if (scan.clips.length >= Math.min(n, 50)) {
      // spread over the corpus so every corpus (and sample rate) is in the sample
      const step = scan.clips.length / Math.min(n, scan.clips.length);
      clips = Array.from({ length: Math.min(n, scan.clips.length) }, (_, i) => scan.clips[Math.floor(i * step)]).map((c) => ({
        ...c,
        file: path.relative(demoDir, c.path),
      }));
      source = `demo corpus (${demoDir}), ${clips.length} of ${scan.clips.length} clips spread over the 4 corpora`;
    }
  }
  if (!clips.length) {
    const files = fixtureFiles();
    if (!files.length) throw new Error('no clips: neither the demo corpus (npm run bench -- features --demo) nor the fixture WAVs');
    for (let i = 0; i < n; i++) {
      const f = files[i % files.length];
      clips.push({
        clipId: `bench:${String(i).padStart(4, '0')}`,
        path: f,
        emotion: '',
        speaker: '',
        corpus: 'fixtures',
        file: path.basename(f),
      });
    }
    source = `fixture WAVs: ${files.length} files (TTS at 16/24.4/44.1/48 kHz, RAVDESS/SAVEE) cycled to ${n} clips`;
  }
  return { clips, source };
}

const DEFAULT_REAL = '/data/ser';

/**
 * `n` clips of the real corpora under `root` in the paper's Table I proportions (CREMA-D 7442,
 * TESS 2800, RAVDESS 1440, SAVEE 480), evenly spaced within each corpus, interleaved so that
 * every stretch of the run mixes the corpora (and sample rates) as the whole set does.
 * { clips, source } or { notice } when the corpora are not there.
 */
function realCorpusClips(root, n) {
  if (!root || !fs.existsSync(root)) return { notice: `real corpora not found at ${root || '(no folder)'} (--real=DIR or SER_DATA)` };
  const lib = require('kernel-lib');
  const scan = lib.corpora.scanCorpora(root).clips;
  const by = new Map();
  for (const c of scan) (by.get(c.corpus) ?? by.set(c.corpus, []).get(c.corpus)).push(c);
  const missing = Object.keys(PAPER_MIX).filter((k) => !by.has(k));
  if (missing.length) return { notice: `real corpora at ${root} lack ${missing.join(', ')}` };
  const picked = [];
  const counts = [];
  for (const [corpus, total] of Object.entries(PAPER_MIX)) {
    const all = by.get(corpus);
    const k = Math.max(1, Math.round((n * total) / PAPER_CLIPS));
    counts.push(`${corpus} ${k}`);
    for (let i = 0; i < k; i++) {
      const c = all[Math.floor((i * all.length) / k)];
      picked.push({ pos: (i + 0.5) / k, clip: { ...c, file: path.relative(root, c.path) } });
    }
  }
  picked.sort((a, b) => a.pos - b.pos);
  return {
    clips: picked.map((p) => p.clip),
    source: `real corpora at ${root}, ${picked.length} clips (${counts.join(', ')}) of ${scan.length}`,
  };
}

/** One thread: load + 173 over `paths`, `passes` times; per pass total seconds and CPU seconds, per path the last pass's ms. */
async function timeOneThread(paths, passes) {
  const { load } = require('kernel-lib/dist/audio/load');
  const { paper173 } = require('kernel-lib/dist/features/paper173');
  const out = { passes: [], lastMs: [], loadMs: 0, featMs: 0 };
  for (let p = 0; p < passes; p++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let loadS = 0,
      featS = 0;
    const ms = [];
    for (const f of paths) {
      const a = process.hrtime.bigint();
      const { y, sr } = await load(f);
      const b = process.hrtime.bigint();
      paper173(y, sr);
      const c = process.hrtime.bigint();
      loadS += Number(b - a) / 1e9;
      featS += Number(c - b) / 1e9;
      ms.push(Number(c - a) / 1e6);
    }
    const u = process.cpuUsage(cpu0);
    out.passes.push({ s: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (u.user + u.system) / 1e6 });
    out.lastMs = ms;
    out.loadMs = (loadS / paths.length) * 1000;
    out.featMs = (featS / paths.length) * 1000;
  }
  return out;
}

/** The same in a child process with the TypeScript engine (SER_DSP_WASM=0): warm ms/clip. */
function typescriptReference(paths) {
  const script = `
    const { timeOneThread } = require(${JSON.stringify(__filename)});
    timeOneThread(${JSON.stringify(paths)}, 2).then((r) => {
      const { dspEngine } = require('kernel-lib/dist/dsp/wasm');
      process.stdout.write(JSON.stringify({ engine: dspEngine().engine, s: r.passes[1].s, cpu: r.passes[1].cpu }));
    });`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, SER_DSP_WASM: '0' }, maxBuffer: 1 << 20 });
  return JSON.parse(out.toString());
}

async function run(args = []) {
  const n = Math.max(50, Number(flag(args, 'clips', 120)) || 120);
  const useDemo = !!flag(args, 'demo', false);
  const withTs = !flag(args, 'no-ts', false);
  const { buildFeatureStore, defaultWorkers } = require('kernel-lib/dist/features/extract');
  const { dspEngine } = require('kernel-lib/dist/dsp/wasm');
  const { textTable } = require('kernel-lib/dist/cli/command');
  const { clips, source } = await clipsFor(n, useDemo);
  const cores = defaultWorkers();
  const eng = dspEngine();
  console.log(`clips: ${source}`);
  console.log(`machine: ${os.cpus()[0].model.trim()}, ${cores} cores, node ${process.version}; DSP kernels: ${eng.engine} (${eng.detail})`);
  const load0 = os.loadavg()[0];
  const per = (x) => `${(x / LIBROSA_CLIPS_PER_S).toFixed(1)}x`;
  const met = (ok) => (ok ? 'yes' : 'NO');
  const rows = [];

  // one thread: pass 1 builds the per-rate / per-tuning tables, pass 2 is the steady state
  const one = await timeOneThread(
    clips.map((c) => c.path),
    2,
  );
  const cold = clips.length / one.passes[0].s;
  const warm = clips.length / one.passes[1].s;
  rows.push(['1 thread, pass 1 (builds tables)', cold.toFixed(2), per(cold), (clips.length / one.passes[0].cpu).toFixed(2), '', '']);
  rows.push([
    '1 thread, pass 2 (steady state)',
    warm.toFixed(2),
    per(warm),
    (clips.length / one.passes[1].cpu).toFixed(2),
    '>= 25.5 (20x)',
    met(warm / LIBROSA_CLIPS_PER_S >= 20),
  ]);
  // per corpus (pass 2) and the paper's mix
  const byCorpus = new Map();
  clips.forEach((c, i) => {
    const k = c.corpus || 'fixtures';
    const e = byCorpus.get(k) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += one.lastMs[i];
    byCorpus.set(k, e);
  });
  const corpusMs = new Map([...byCorpus].map(([k, e]) => [k, e.ms / e.n]));
  let paperMs = null;
  if (Object.keys(PAPER_MIX).every((k) => corpusMs.has(k))) {
    paperMs = Object.entries(PAPER_MIX).reduce((a, [k, c]) => a + c * corpusMs.get(k), 0) / PAPER_CLIPS;
    const r = 1000 / paperMs;
    rows.push(["  weighted to the paper's corpus mix", r.toFixed(2), per(r), '', '>= 25.5 (20x)', met(r / LIBROSA_CLIPS_PER_S >= 20)]);
  }
  let tsRow = null;
  if (withTs) {
    const sub = clips.filter((_, i) => i % Math.max(1, Math.floor(clips.length / 40)) === 0).map((c) => c.path);
    const ts = typescriptReference(sub);
    // the wasm engine on the same subset, in this process (its tables exist now)
    const w = (await timeOneThread(sub, 1)).passes[0];
    const tsRate = sub.length / ts.s;
    tsRow = ['TypeScript engine, same run (reference)', tsRate.toFixed(2), per(tsRate), (sub.length / ts.cpu).toFixed(2), '', ''];
    rows.push(tsRow);
    rows.push([
      `  wasm kernels vs TypeScript (${sub.length} clips, pass 2)`,
      `${(ts.s / w.s).toFixed(2)}x`,
      '',
      `${(ts.cpu / w.cpu).toFixed(2)}x`,
      '',
      '',
    ]);
  }

  // the worker pool: run A over the clips, run B over the clips three times
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-bench-'));
  try {
    const cpuS = (u) => (u.user + u.system) / 1e6;
    // run A over the clips, run B over them three times (copies under other clip ids: other
    // noise, the same tables): B - A is the steady rate of a long run, A - N / rate the fixed
    // cost (workers, JIT, resampling plans, CQT bases per tuning)
    const storeRuns = async (what, storeClips, augment) => {
      const thrice = [...storeClips, ...[2, 3].flatMap((k) => storeClips.map((c) => ({ ...c, clipId: `${c.clipId}#${k}` })))];
      const build = async (list, name) => {
        const cpu = process.cpuUsage();
        const r = await buildFeatureStore({
          clips: list,
          out: path.join(tmp, name),
          workers: cores,
          reuse: false,
          augment,
          progress: false,
        });
        return { r, cpu: cpuS(process.cpuUsage(cpu)) };
      };
      const a = await build(storeClips, `${what}-a.ser`);
      const b = await build(thrice, `${what}-b.ser`);
      const ra = a.r;
      const rb = b.r;
      for (const r of [ra, rb]) if (r.skipped.length) console.log(`skipped: ${r.skipped.map((x) => `${x.file}: ${x.reason}`).join('; ')}`);
      const rate = (rb.computed - ra.computed) / Math.max(1e-9, rb.seconds - ra.seconds);
      const fixed = Math.max(0, ra.seconds - ra.computed / rate);
      console.log(
        `${what} store runs: A ${ra.computed} clips in ${ra.seconds.toFixed(1)} s, B ${rb.computed} clips in ${rb.seconds.toFixed(1)} s; steady rate from B - A, fixed cost A - N/rate = ${fixed.toFixed(1)} s`,
      );
      return {
        rate,
        fixed,
        cpuRate: (rb.computed - ra.computed) / Math.max(1e-9, b.cpu - a.cpu),
        startupRate: ra.computed / ra.seconds,
        startupCpuRate: ra.computed / a.cpu,
      };
    };
    const { rate, fixed, cpuRate } = await storeRuns('features', clips, false);
    rows.push([`${cores} workers: ser features store (steady)`, rate.toFixed(2), per(rate), cpuRate.toFixed(2), '', '']);
    rows.push([
      '  per thread',
      (rate / cores).toFixed(2),
      per(rate / cores),
      '',
      '>= 25.5 (20x)',
      met(rate / cores / LIBROSA_CLIPS_PER_S >= 20),
    ]);
    const est = fixed + PAPER_CLIPS / rate;
    rows.push([`  ${PAPER_CLIPS} clips, demo mix, est.`, `${est.toFixed(0)} s`, '', '', '< 300 s', met(est < 300)]);
    if (paperMs !== null) {
      // the pool's rate scaled by the one-thread ratio of the two mixes
      const demoMs = one.lastMs.reduce((a, b) => a + b, 0) / one.lastMs.length;
      const estMix = fixed + (PAPER_CLIPS / rate) * (paperMs / demoMs);
      rows.push([`  ${PAPER_CLIPS} clips, paper mix, est.`, `${estMix.toFixed(0)} s`, '', '', '< 300 s', met(estMix < 300)]);
    }
    const real = realCorpusClips(
      flag(args, 'real', process.env.SER_DATA || DEFAULT_REAL),
      Math.max(20, Number(flag(args, 'aug-clips', 240)) || 240),
    );
    if (real.clips) console.log(`augmented: ${real.source}`);
    else console.log(`augmented: ${real.notice}; measuring the clips above instead`);
    {
      const g = await storeRuns('augmented', real.clips ?? clips, true);
      const what = real.clips ? "real clips, paper's mix" : 'the clips above';
      rows.push([
        `${cores} workers: --augment, ${what} (4 rows/clip, start-up incl.)`,
        g.startupRate.toFixed(2),
        '',
        g.startupCpuRate.toFixed(2),
        '',
        '',
      ]);
      rows.push(['  steady (B - A)', g.rate.toFixed(2), '', '', real.clips ? '>= 25' : '', real.clips ? met(g.rate >= 25) : '']);
      const augEst = g.fixed + PAPER_CLIPS / g.rate;
      rows.push([
        `  ${PAPER_CLIPS} clips x4 est. (fixed cost + clips / steady rate)`,
        `${augEst.toFixed(0)} s`,
        '',
        '',
        real.clips ? '<= 486 s' : '',
        real.clips ? met(augEst <= 486) : '',
      ]);
    }
    rows.push(['librosa 0.10.2, 1 process (fixed reference)', LIBROSA_CLIPS_PER_S.toFixed(2), '1.0x', '', '', '']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log('');
  console.log(textTable(['measure', 'clips/s', 'vs librosa', 'per CPU-s', 'target', 'met'], rows));
  const load1 = os.loadavg()[0];
  console.log(
    `load average ${load0.toFixed(1)} -> ${load1.toFixed(1)} on ${cores} cores` +
      (Math.max(load0, load1) > cores + 0.5
        ? ': the machine was busy, wall-clock rates are low; "per CPU-s" (clips per CPU-second of this process) is what an idle core would give'
        : ''),
  );
  console.log('');
  console.log(
    `one thread, pass 2: load (decode + kaiser_best resample) ${one.loadMs.toFixed(1)} ms/clip, 173 features ${one.featMs.toFixed(1)} ms/clip; ` +
      `per corpus ${[...corpusMs].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')} ms/clip`,
  );
}

module.exports = { run, timeOneThread, realCorpusClips };

if (require.main === module) {
  run(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e?.stack ? e.stack : e}\n`);
    process.exitCode = 1;
  });
}
