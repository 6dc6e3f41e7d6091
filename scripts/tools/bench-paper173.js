#!/usr/bin/env node
/**
 * Per-stage timing of load + the paper's 173 features on one thread, over the 20 fixture WAVs
 * (test/fixtures/audio: 12 synthetic files at 16/24.4/44.1/48 kHz; test/fixtures/real/audio:
 * 8 RAVDESS/SAVEE clips). Runs `--passes` passes (default 3) and reports the best pass per
 * stage (the first pass includes JIT warm-up and filter-table loading; it is shown separately).
 * Also reports CPU time (process.cpuUsage, in total and for resample / paper173 separately),
 * which is less disturbed by other processes than wall time; the per-stage columns are wall time.
 * Reference: librosa 0.10.2 takes 0.77 s/clip (load+resample 0.32, tonnetz/CQT 0.31, hpss 0.12,
 * the rest 0.02; /work/shared/fixtures/librosa/README.md).
 *
 * usage: node scripts/tools/bench-paper173.js [--passes N]
 */

const fs = require('node:fs');
const path = require('node:path');
const K = require('kernel-lib/internal'); // readPcmFile is internal

const ROOT = path.join(__dirname, '..', '..');
const dirs = [path.join(ROOT, 'test', 'fixtures', 'audio'), path.join(ROOT, 'test', 'fixtures', 'real', 'audio')];
const files = [];
for (const d of dirs) if (fs.existsSync(d)) for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.wav')) files.push(path.join(d, f));
const pi = process.argv.indexOf('--passes');
const passes = pi > 0 ? Number(process.argv[pi + 1]) : 3;
const STAGES = ['read', 'resample', 'stft', 'mel', 'mfcc', 'chroma', 'contrast', 'harmonic', 'tonnetz'];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function onePass() {
  const t = Object.fromEntries(STAGES.map((s) => [s, 0]));
  let cpuResample = 0,
    cpuFeatures = 0;
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  for (const f of files) {
    let a = performance.now();
    const r = K.audio.readPcmFile(f, { offset: 0.5, duration: 2.5 });
    const b = performance.now();
    t.read += b - a;
    const c0 = cpuMs();
    const y = K.audio.resample(r.y, r.sr, 22050);
    const c1 = cpuMs();
    a = performance.now();
    t.resample += a - b;
    const timing = { stft: 0, mel: 0, mfcc: 0, chroma: 0, contrast: 0, harmonic: 0, tonnetz: 0 };
    K.features.paper173(y, 22050, { timing });
    cpuFeatures += cpuMs() - c1;
    cpuResample += c1 - c0;
    for (const k of Object.keys(timing)) t[k] += timing[k];
  }
  const wall = performance.now() - w0;
  const cpu = process.cpuUsage(cpu0);
  return { t, wall, cpu: (cpu.user + cpu.system) / 1000, cpuResample, cpuFeatures };
}

const results = [];
for (let p = 0; p < passes; p++) results.push(onePass());
const n = files.length;
const fmt = (v) => (v / n).toFixed(2).padStart(8);
console.log(`load + paper173, ${n} clips, one thread, ms per clip (node ${process.version})`);
console.log(`${'stage'.padEnd(10)} ${'pass 1'.padStart(8)} ${'best'.padStart(8)}`);
for (const s of STAGES) {
  const best = Math.min(
    ...results
      .slice(1)
      .map((r) => r.t[s])
      .concat(passes === 1 ? [results[0].t[s]] : []),
  );
  console.log(`${s.padEnd(10)} ${fmt(results[0].t[s])} ${fmt(best)}`);
}
const bestWall = Math.min(...results.slice(passes > 1 ? 1 : 0).map((r) => r.wall));
const bestCpu = Math.min(...results.slice(passes > 1 ? 1 : 0).map((r) => r.cpu));
console.log(`${'total'.padEnd(10)} ${fmt(results[0].wall)} ${fmt(bestWall)}   (CPU ${fmt(bestCpu).trim()} ms/clip)`);
const kept = results.slice(passes > 1 ? 1 : 0);
console.log(
  `CPU (min of passes): resample ${fmt(Math.min(...kept.map((r) => r.cpuResample))).trim()} ms/clip, paper173 ${fmt(Math.min(...kept.map((r) => r.cpuFeatures))).trim()} ms/clip`,
);
console.log(`speed-up vs librosa 770 ms/clip: wall ${(770 / (bestWall / n)).toFixed(1)}x, CPU ${(770 / (bestCpu / n)).toFixed(1)}x`);
