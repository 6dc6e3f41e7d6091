'use strict';
// `npm run bench -- features [--clips N] [--augment] [--demo]`: clips/s of load + the paper's
// 173 features, on one thread and on all cores (the feature store's worker pool), over real-rate
// clips: the demo corpus when it has been generated (or with --demo), else the shared fixture
// WAVs (16/24.4/44.1/48 kHz, speech and real corpus clips) cycled to N clips. Reference:
// librosa 0.10.2 (kaiser_best) on this 2-core machine, one process: 1.25-1.30 clips/s
// (shared/fixtures/librosa/README.md). Targets: >= 20x per thread, 12162 clips < 5 min on 2 cores.
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const LIBROSA_CLIPS_PER_S = 1.275; // midpoint of 1.25-1.30
const PAPER_CLIPS = 12162;

function flag(args, name, dflt) {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return dflt;
  const a = args[i];
  if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
  return typeof dflt === 'boolean' ? true : args[i + 1];
}

function fixtureFiles() {
  const shared = path.resolve(ROOT, '..', 'shared', 'fixtures');
  const dirs = [path.join(shared, 'audio'), path.join(shared, 'real', 'audio')];
  const files = [];
  for (const d of dirs) if (fs.existsSync(d)) for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.wav')) files.push(path.join(d, f));
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
      clips = Array.from({ length: Math.min(n, scan.clips.length) }, (_, i) => scan.clips[Math.floor(i * step)]).map((c) => ({ ...c, file: path.relative(demoDir, c.path) }));
      source = `demo corpus (${demoDir}), ${clips.length} of ${scan.clips.length} clips spread over the 4 corpora`;
    }
  }
  if (!clips.length) {
    const files = fixtureFiles();
    if (!files.length) throw new Error('no clips: neither the demo corpus (npm run bench -- features --demo) nor ../shared/fixtures');
    for (let i = 0; i < n; i++) {
      const f = files[i % files.length];
      clips.push({ clipId: `bench:${String(i).padStart(4, '0')}`, path: f, emotion: '', speaker: '', corpus: '', file: path.basename(f) });
    }
    source = `shared fixtures: ${files.length} files (12 TTS at 16/24.4/44.1/48 kHz, 8 RAVDESS/SAVEE) cycled to ${n} clips`;
  }
  return { clips, source };
}

async function run(args = []) {
  const n = Math.max(50, Number(flag(args, 'clips', 60)) || 60);
  const augment = !!flag(args, 'augment', false);
  const useDemo = !!flag(args, 'demo', false);
  const { load } = require('kernel-lib/dist/audio/load');
  const { paper173 } = require('kernel-lib/dist/features/paper173');
  const { buildFeatureStore, defaultWorkers } = require('kernel-lib/dist/features/extract');
  const { textTable } = require('kernel-lib/dist/cli/command');
  const { clips, source } = await clipsFor(n, useDemo);
  const cores = defaultWorkers();
  console.log(`clips: ${source}`);
  console.log(`machine: ${os.cpus()[0].model.trim()}, ${cores} cores, node ${process.version}`);

  // one thread: load + 173 in this thread (2 warm-up clips not timed: JIT, filter tables)
  for (const c of clips.slice(0, 2)) paper173(load(c.path).y, 22050);
  const load0 = os.loadavg()[0];
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let loadS = 0;
  let featS = 0;
  for (const c of clips) {
    const a = process.hrtime.bigint();
    const { y, sr } = load(c.path);
    const b = process.hrtime.bigint();
    paper173(y, sr);
    loadS += Number(b - a) / 1e9;
    featS += Number(process.hrtime.bigint() - b) / 1e9;
  }
  const oneS = Number(process.hrtime.bigint() - t0) / 1e9;
  const one = clips.length / oneS;
  const cpuS = (u) => (u.user + u.system) / 1e6;
  const oneCpu = clips.length / cpuS(process.cpuUsage(cpu0));

  // all cores: the feature store (worker threads, hashing, journal, final write), nothing reused
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-bench-'));
  const rows = [];
  try {
    // the store over half the clips, then over all of them: both runs pay the same start-up
    // (worker threads, filter tables, JIT), so the difference is the steady-state rate
    const half = clips.filter((_, i) => i % 2 === 0);
    const cpuA = process.cpuUsage();
    const ra = await buildFeatureStore({ clips: half, out: path.join(tmp, 'half.ser'), workers: cores, reuse: false, progress: false });
    const cpuHalf = cpuS(process.cpuUsage(cpuA));
    const cpu1 = process.cpuUsage();
    const r = await buildFeatureStore({ clips, out: path.join(tmp, 'bench.ser'), workers: cores, reuse: false, progress: false });
    const cpuAll = cpuS(process.cpuUsage(cpu1));
    if (r.skipped.length) console.log(`skipped: ${r.skipped.map((s) => `${s.file}: ${s.reason}`).join('; ')}`);
    const all = (r.computed - ra.computed) / Math.max(1e-9, r.seconds - ra.seconds);
    const poolCpu = (r.computed - ra.computed) / Math.max(1e-9, cpuAll - cpuHalf);
    console.log(`store runs: ${ra.computed} clips in ${ra.seconds.toFixed(1)} s and ${r.computed} clips in ${r.seconds.toFixed(1)} s (start-up included); steady state from the difference`);
    const per = (x) => `${(x / LIBROSA_CLIPS_PER_S).toFixed(1)}x`;
    const met = (ok) => (ok ? 'yes' : 'NO');
    rows.push(['1 thread: load + 173', one.toFixed(2), per(one), oneCpu.toFixed(2), '>= 25.5 (20x)', met(one / LIBROSA_CLIPS_PER_S >= 20)]);
    rows.push([`${cores} workers: ser features store (steady)`, all.toFixed(2), per(all), poolCpu.toFixed(2), '', '']);
    rows.push([`  per thread`, (all / cores).toFixed(2), per(all / cores), '', '>= 25.5 (20x)', met(all / cores / LIBROSA_CLIPS_PER_S >= 20)]);
    const est = PAPER_CLIPS / all;
    const estCpu = PAPER_CLIPS / (poolCpu * cores);
    rows.push([`  ${PAPER_CLIPS} clips (paper corpus) est.`, `${est.toFixed(0)} s`, '', `${estCpu.toFixed(0)} s`, '< 300 s', met(est < 300)]);
    if (augment) {
      const cpu2 = process.cpuUsage();
      const rg = await buildFeatureStore({ clips, out: path.join(tmp, 'bench-aug.ser'), workers: cores, reuse: false, augment: true, progress: false });
      const augCpu = rg.computed / cpuS(process.cpuUsage(cpu2));
      const aug = rg.computed / rg.seconds;
      rows.push([`${cores} workers: --augment (4 rows/clip, start-up incl.)`, aug.toFixed(2), '', augCpu.toFixed(2), '', '']);
      rows.push([`  ${PAPER_CLIPS} clips x4 est.`, `${(PAPER_CLIPS / aug).toFixed(0)} s`, '', `${(PAPER_CLIPS / (augCpu * cores)).toFixed(0)} s`, '', '']);
    }
    rows.push(['librosa 0.10.2, 1 process (reference)', LIBROSA_CLIPS_PER_S.toFixed(2), '1.0x', '', '', '']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log('');
  console.log(textTable(['measure', 'clips/s', 'vs librosa', 'per CPU-s', 'target', 'met'], rows));
  const load1 = os.loadavg()[0];
  console.log(`load average ${load0.toFixed(1)} -> ${load1.toFixed(1)} on ${cores} cores` +
    (Math.max(load0, load1) > cores + 0.5 ? ': the machine was busy, wall-clock rates are low; "per CPU-s" (clips per CPU-second of this process) is what an idle core would give' : ''));
  console.log('');
  console.log(`one thread split: load (decode + kaiser_best resample) ${((loadS / clips.length) * 1000).toFixed(1)} ms/clip, ` +
    `173 features ${((featS / clips.length) * 1000).toFixed(1)} ms/clip`);
}

module.exports = { run };

if (require.main === module) {
  run(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 1;
  });
}
