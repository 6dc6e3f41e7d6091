// Shared by the `ser live` tests: a small saved SVM made from the fixture clips (as
// test/predict does), the ser command, Chromium discovery, and a `ser live` child process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptionsWithStringEncoding } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { coreTypes, models, featuresExtract, runnerExport } from 'kernel-lib/internal';
const { EMOTIONS } = coreTypes;
const { fitAndSaveSvm } = models;
const { DEFAULT_EXTRACT_PARAMS, loadClipBytes, resolveExtractor } = featuresExtract;
const { CHROMIUM_ARGS, findChromium } = runnerExport;

const ROOT = path.resolve(__dirname, '..', '..');
const AUDIO = path.join(ROOT, 'test', 'fixtures', 'audio');
const SER = path.join(ROOT, 'scripts', 'ser.js');

function fixtureWavs(): string[] {
  return fs
    .readdirSync(AUDIO)
    .filter((f) => f.endsWith('.wav'))
    .sort()
    .map((f) => path.join(AUDIO, f));
}

/**
 * Fits and saves a 4-class SVM (probabilities) on the fixture clips, on the paper's 173 features
 * (with the meyda columns when `meyda`); returns its directory.
 */
async function fixtureModel(dir: string, { meyda = false } = {}): Promise<string> {
  const wavs = fixtureWavs();
  const params = { ...DEFAULT_EXTRACT_PARAMS, meyda };
  const ex = resolveExtractor(params);
  const rows: Float32Array[] = [];
  for (const f of wavs) rows.push(Float32Array.from(ex.extract(await loadClipBytes(fs.readFileSync(f), f, params), 22050)));
  const labels = wavs.map((_, i) => [0, 3, 5, 7][i % 4]);
  const d = ex.layout.length;
  const X = new Float32Array(rows.length * d);
  rows.forEach((r, i) => X.set(r, i * d));
  const table: Parameters<typeof fitAndSaveSvm>[0] = {
    X,
    nRows: rows.length,
    nFeatures: d,
    layout: ex.layout,
    emotions: [...EMOTIONS],
    params,
    skipped: [],
    clipId: wavs.map((w) => path.basename(w)),
    sourceClipId: wavs.map((w) => path.basename(w)),
    kind: wavs.map(() => 'orig'),
    emotion: labels.map((l) => EMOTIONS[l]),
    label: labels,
    speaker: wavs.map(() => 's'),
    corpus: wavs.map(() => 'TEST'),
    sha256: wavs.map(() => ''),
    key: wavs.map(() => ''),
  };
  await fitAndSaveSvm(table, dir, { svc: { C: 30, kernel: 'rbf', workers: 1 } });
  return dir;
}

/** What `ser` printed and its exit status. */
interface SerRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ser(args: string[], opts: Partial<SpawnSyncOptionsWithStringEncoding> = {}): SerRun {
  const r = spawnSync(process.execPath, [SER, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300000, ...opts });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Launches the project's Chromium (runner/export's findChromium and flags) with `extraArgs`;
 * null when there is none.
 */
async function launchChromium(extraArgs: string[] = []): Promise<Browser | null> {
  const exe = findChromium();
  if (!exe) return null;
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: exe, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
}

/**
 * Starts `ser live <args>` and resolves once it prints its URL: { url, child, stdout(), stderr(),
 * stop() } where stop() sends SIGINT and resolves with { code, ms } when it has exited.
 */
/** A running `ser live` (see startLive). */
interface LiveServer {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

function startLive(args: string[], env: Record<string, string> = {}, timeoutMs = 280000): Promise<LiveServer> {
  const child = spawn(process.execPath, [SER, 'live', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ser live printed no URL in ${timeoutMs} ms; stderr: ${err.slice(-500)}`));
    }, timeoutMs);
    const onData = () => {
      const m = /ser live: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      // the banner's lines may come in separate chunks: wait for its last line
      if (!m || !out.includes('Ctrl-C to stop')) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url: m[1],
        child,
        stdout: () => out,
        stderr: () => err,
        async stop() {
          const t0 = Date.now();
          child.kill('SIGINT');
          const r = await exited;
          return { ...r, ms: Date.now() - t0 };
        },
      });
    };
    child.stdout.on('data', onData);
    exited.then((r) => {
      clearTimeout(timer);
      reject(new Error(`ser live exited (${r.code ?? r.signal}) before printing its URL; stderr: ${err.slice(-500)}`));
    });
  });
}

export { type LiveServer, type SerRun, ROOT, AUDIO, SER, fixtureWavs, fixtureModel, ser, findChromium, launchChromium, startLive };
