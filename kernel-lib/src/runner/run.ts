/**
 * `ser run-notebooks`: executes notebooks/*.ipynb in order, each in a fresh tslab kernel, with
 * profile and data location passed as environment variables (read by report/context.ts);
 * writes executed copies to <out>/notebooks, collects the tables and figures the notebooks
 * wrote through the report helpers, renders figures to PNG/SVG in headless Chromium when
 * present, and writes <out>/summary.json. No Python involved.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Artifact, ARTIFACT_LOG, readArtifacts } from '../report/artifacts';
import { RESULTS_FILE } from '../report/results';
import { fmtSeconds } from '../core/progress';
import { ENV, type ProfileName } from '../core/context';
import { ensureDir, findProjectRoot, writeFileAtomic } from '../core/fs';
import { exportFigures } from './export';
import { TslabKernel } from './kernel';
import { executeNotebook, type Notebook, readNotebook, writeNotebook } from './notebook';

export interface RunOptions {
  profile: ProfileName;
  /** corpus root; null = demo corpus */
  dataDir: string | null;
  /** default <root>/results/<profile> */
  outDir?: string;
  /** default <root>/notebooks */
  notebooksDir?: string;
  /** only notebooks whose file name contains one of these */
  only?: string[];
  /** leave out notebooks whose name contains one of these */
  skip?: string[];
  /** seconds per notebook */
  timeoutS?: number;
  /** skip the Chromium export */
  noExport?: boolean;
  /** extra environment for the kernels */
  env?: NodeJS.ProcessEnv;
  log?: (s: string) => void;
  /** with stderr not a terminal: how long a cell runs before it is logged, and how often then (default 30000 ms) */
  heartbeatMs?: number;
}

export interface NotebookSummary {
  name: string;
  status: 'ok' | 'failed';
  seconds: number;
  /** when this notebook started and ended (a run in stages, with --only / --skip, keeps each one's own) */
  startedAt?: string;
  finishedAt?: string;
  error: string | null;
  output: string;
  cells: { total: number; ok: number; failed: number; skipped: number };
}

export interface RunSummary {
  ok: boolean;
  profile: ProfileName;
  dataDir: string | null;
  outDir: string;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  node: string;
  /** where it ran: what a reader needs to judge the wall times */
  machine: MachineInfo;
  notebooks: NotebookSummary[];
  /**
   * Notebooks of this run not finished yet: written after each notebook, so a run that is stopped
   * (killed, machine gone) still records the ones it finished; absent once the run has ended.
   */
  pending?: string[];
  artifacts: (Artifact & { exists: boolean })[];
  figureExport: { available: boolean; notice: string | null; errors: Record<string, string> };
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
}

/** This machine: CPU model, logical cores, memory, OS. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function listNotebooks(dir: string, only?: string[], skip?: string[]): string[] {
  if (!fs.existsSync(dir)) throw new Error(`${dir}: notebook folder not found`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .filter((f) => !only || only.length === 0 || only.some((o) => f.includes(o)))
    .filter((f) => !skip?.some((o) => f.includes(o)))
    .sort();
}

/** Adds the exported PNG to the notebook's plotly outputs, so nbconvert's HTML shows them. */
function embedPngs(nb: Notebook, outDir: string): boolean {
  let changed = false;
  for (const c of nb.cells) {
    for (const o of c.outputs ?? []) {
      const t = o.data?.['text/plain'];
      const m = typeof t === 'string' ? /^<plotly figure (.+)>$/.exec(t) : null;
      if (!m) continue;
      const png = path.join(outDir, 'figures', `${m[1]}.png`);
      if (fs.existsSync(png)) {
        o.data['image/png'] = fs.readFileSync(png).toString('base64');
        changed = true;
      }
    }
  }
  return changed;
}

/** ': <the running cell's last output line>' (at most 160 characters), or '' when it printed nothing. */
function lastLine(kernel: TslabKernel): string {
  const l = kernel.lastLine;
  return l ? `: ${l.length > 160 ? `${l.slice(0, 157)}...` : l}` : '';
}

export async function runNotebooks(opts: RunOptions): Promise<RunSummary> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const root = findProjectRoot();
  const nbDir = path.resolve(opts.notebooksDir ?? path.join(root, 'notebooks'));
  const outDir = path.resolve(opts.outDir ?? path.join(root, 'results', opts.profile));
  const timeoutS = opts.timeoutS ?? (opts.profile === 'paper' ? 7 * 24 * 3600 : 1200);
  const names = listNotebooks(nbDir, opts.only, opts.skip);
  if (names.length === 0) throw new Error(`${nbDir}: no notebooks to run`);
  if (opts.dataDir && !fs.existsSync(opts.dataDir))
    throw Object.assign(new Error(`${opts.dataDir}: data folder not found`), { usage: true });

  ensureDir(outDir);
  const partial = !!(opts.only?.length || opts.skip?.length);
  if (!partial) {
    // a full run regenerates everything: old artifacts must not be listed as this run's
    for (const sub of ['notebooks', 'tables', 'figures']) fs.rmSync(path.join(outDir, sub), { recursive: true, force: true });
    for (const f of [ARTIFACT_LOG, RESULTS_FILE, 'report.md', 'report.html']) fs.rmSync(path.join(outDir, f), { force: true });
  }
  const nbOut = ensureDir(path.join(outDir, 'notebooks'));
  const started = new Date();
  const summaries: NotebookSummary[] = [];
  const prev =
    partial && fs.existsSync(path.join(outDir, 'summary.json'))
      ? (JSON.parse(fs.readFileSync(path.join(outDir, 'summary.json'), 'utf8')) as RunSummary)
      : null;
  const noExport: RunSummary['figureExport'] = { available: false, notice: 'figure export skipped (--no-export)', errors: {} };
  /** summary.json of the notebooks finished so far (and, with --only / --skip, the others' last results) */
  const writeSummary = (pending: string[], artifacts = readArtifacts(outDir), figureExport = noExport): RunSummary => {
    const all = [...summaries];
    // --only: keep the other notebooks' last results in the summary
    if (prev) for (const p of prev.notebooks) if (!all.some((s) => s.name === p.name) && !pending.includes(p.name)) all.push(p);
    all.sort((a, b) => a.name.localeCompare(b.name));
    const finished = new Date();
    const summary: RunSummary = {
      ok: pending.length === 0 && all.every((s) => s.status === 'ok'),
      profile: opts.profile,
      dataDir: opts.dataDir,
      outDir,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      seconds: (finished.getTime() - started.getTime()) / 1000,
      node: process.version,
      machine: machineInfo(),
      notebooks: all,
      ...(pending.length ? { pending } : {}),
      artifacts: artifacts.map((a) => ({ ...a, exists: a.files.every((f) => fs.existsSync(path.join(outDir, f))) })),
      figureExport,
    };
    writeFileAtomic(path.join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  };

  for (const [k, name] of names.entries()) {
    const t0 = Date.now();
    log(`[${k + 1}/${names.length}] ${name} ...`);
    const env: NodeJS.ProcessEnv = {
      ...opts.env,
      [ENV.profile]: opts.profile,
      [ENV.out]: outDir,
      [ENV.notebook]: name,
      [ENV.data]: opts.dataDir ?? '',
    };
    let summary: NotebookSummary;
    const outFile = path.join(nbOut, name);
    const kernel = new TslabKernel({ cwd: nbDir, env, projectRoot: root });
    // in a log (stderr not a terminal): a line when a cell has run 30 s, then every 30 s, with the
    // cell's latest output line (its progress bar: count, rate, ETA), and the time of each cell
    // that took that long
    const cellLog = { i: -1, n: 0, t: Date.now() };
    const beat = opts.heartbeatMs ?? 30000;
    const heartbeat = process.stderr.isTTY
      ? null
      : setInterval(() => {
          if (cellLog.i >= 0 && Date.now() - cellLog.t >= beat)
            log(`    cell ${cellLog.i + 1}/${cellLog.n} running for ${fmtSeconds((Date.now() - cellLog.t) / 1000)}${lastLine(kernel)}`);
        }, beat);
    heartbeat?.unref();
    try {
      const nb = readNotebook(path.join(nbDir, name));
      await kernel.start();
      const run = await executeNotebook(nb, {
        kernel,
        timeoutS,
        onCell: (i, n) => {
          if (process.stderr.isTTY) process.stderr.write(`\r    cell ${i + 1}/${n}`);
          else if (cellLog.i >= 0 && Date.now() - cellLog.t >= beat)
            log(`    cell ${cellLog.i + 1}/${cellLog.n} took ${fmtSeconds((Date.now() - cellLog.t) / 1000)}`);
          Object.assign(cellLog, { i, n, t: Date.now() });
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\r');
      writeNotebook(outFile, run.notebook);
      const cs = run.cells;
      summary = {
        name,
        status: run.status,
        seconds: (Date.now() - t0) / 1000,
        startedAt: new Date(t0).toISOString(),
        finishedAt: new Date().toISOString(),
        error: run.error,
        output: path.relative(outDir, outFile),
        cells: {
          total: cs.length,
          ok: cs.filter((c) => c.status === 'ok').length,
          failed: cs.filter((c) => c.status === 'error' || c.status === 'timeout').length,
          skipped: cs.filter((c) => c.status === 'skipped').length,
        },
      };
    } catch (e) {
      summary = {
        name,
        status: 'failed',
        seconds: (Date.now() - t0) / 1000,
        startedAt: new Date(t0).toISOString(),
        finishedAt: new Date().toISOString(),
        error: (e as Error).message.split('\n')[0],
        output: '',
        cells: { total: 0, ok: 0, failed: 0, skipped: 0 },
      };
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      if (!process.stderr.isTTY && cellLog.i >= 0 && Date.now() - cellLog.t >= beat)
        log(`    cell ${cellLog.i + 1}/${cellLog.n} took ${fmtSeconds((Date.now() - cellLog.t) / 1000)}`);
      await kernel.shutdown();
    }
    summaries.push(summary);
    log(`    ${summary.status === 'ok' ? 'ok' : 'FAILED'} in ${summary.seconds.toFixed(1)} s${summary.error ? `: ${summary.error}` : ''}`);
    if (k + 1 < names.length) writeSummary(names.slice(k + 1));
  }

  let artifacts = readArtifacts(outDir);
  const figures = artifacts.filter((a) => a.kind === 'figure').map((a) => a.name);
  let figureExport = noExport;
  if (!opts.noExport) {
    if (figures.length) log(`exporting ${figures.length} figure(s) to PNG/SVG ...`);
    const ex = await exportFigures(outDir, figures);
    figureExport = { available: ex.available, notice: ex.notice, errors: ex.errors };
    if (ex.notice) log(`notice: ${ex.notice}`);
    for (const [n, err] of Object.entries(ex.errors)) log(`figure ${n}: export failed: ${err}`);
    artifacts = artifacts.map((a) =>
      a.kind === 'figure' && ex.files[a.name] ? { ...a, files: [...new Set([...a.files, ...ex.files[a.name]])] } : a,
    );
    for (const s of summaries) {
      if (!s.output) continue;
      const f = path.join(outDir, s.output);
      const nb = readNotebook(f);
      if (embedPngs(nb, outDir)) writeNotebook(f, nb);
    }
  }
  return writeSummary([], artifacts, figureExport);
}
