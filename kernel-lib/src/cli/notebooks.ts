/** `ser run-notebooks`, `ser kernel install`, `ser lab`. */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findProjectRoot } from '../core/fs';
import type { ProfileName } from '../core/context';
import { installKernelspec } from '../runner/kernelspec';
import { canOpenBrowser, labArgs, labEnv } from '../runner/lab';
import { publishReproduction, publishStep } from '../runner/publish';
import { runNotebooks } from '../runner/run';
import { type Command, textTable, UsageError } from './command';

const runCmd: Command = {
  path: ['run-notebooks'],
  usage:
    'ser run-notebooks [--profile demo|paper] [--data <root>] [--cnn-scale paper|cpu] [--out results/<profile>] [--only NAME] [--skip NAME] [--publish <dir>]',
  summary:
    'execute every notebook headlessly (tslab kernel over ZeroMQ, no Python); write executed notebooks, tables, figures and summary.json',
  flags: {
    profile: { type: 'string', description: 'demo (small, CPU) or paper (full size, GPU)', default: 'demo', choices: ['demo', 'paper'] },
    data: { type: 'string', description: 'corpus root (default: the generated demo corpus)' },
    out: { type: 'string', description: 'output folder (default results/<profile>)' },
    only: { type: 'strings', description: 'run only notebooks whose name contains this (repeatable)' },
    skip: { type: 'strings', description: 'leave out notebooks whose name contains this (repeatable)' },
    'cnn-scale': {
      type: 'string',
      description:
        "paper profile: the CNNs at the paper's size ('paper', needs tfjs-node-gpu to finish) or at the declared CPU scale ('cpu'); default: paper on a native TensorFlow backend, else cpu",
      choices: ['paper', 'cpu'],
    },
    notebooks: { type: 'string', description: 'notebook folder (default notebooks/)' },
    timeout: { type: 'number', description: 'seconds per notebook (default 1200 demo, none paper)' },
    'no-export': { type: 'boolean', description: 'skip the PNG/SVG export in Chromium' },
    publish: {
      type: 'string',
      description:
        'after a run where every notebook ran, copy the report, tables (CSV, MD) and figures (PNG) to this folder (e.g. reproduction/)',
    },
  },
  async run(args, io) {
    const f = args.flags;
    if (f.data && !fs.existsSync(f.data)) throw new UsageError(`${f.data}: data folder not found`);
    if (f.notebooks && !fs.existsSync(f.notebooks)) throw new UsageError(`${f.notebooks}: notebook folder not found`);
    const s = await runNotebooks({
      profile: f.profile as ProfileName,
      dataDir: f.data ? path.resolve(f.data) : null,
      outDir: f.out,
      notebooksDir: f.notebooks,
      only: f.only,
      skip: f.skip,
      env: f['cnn-scale'] ? { SER_CNN_SCALE: f['cnn-scale'] as string } : undefined,
      timeoutS: f.timeout,
      noExport: f['no-export'],
      log: io.err,
    });
    const rows = s.notebooks.map((n) => [n.name, n.status, n.seconds.toFixed(1), n.error ?? '']);
    const counts = {
      tables: s.artifacts.filter((a) => a.kind === 'table').length,
      figures: s.artifacts.filter((a) => a.kind === 'figure').length,
    };
    const text = [
      textTable(['notebook', 'status', 'seconds', 'error'], rows),
      '',
      `${counts.tables} table(s) in ${path.join(s.outDir, 'tables')}, ${counts.figures} figure(s) in ${path.join(s.outDir, 'figures')}`,
      s.figureExport.notice ? `notice: ${s.figureExport.notice}` : '',
      `executed notebooks in ${path.join(s.outDir, 'notebooks')}; summary in ${path.join(s.outDir, 'summary.json')}`,
      s.ok
        ? 'all notebooks ran'
        : `FAILED: ${s.notebooks
            .filter((n) => n.status !== 'ok')
            .map((n) => n.name)
            .join(', ')}`,
    ]
      .filter((l) => l !== '')
      .join('\n');
    if (f.publish && s.ok) {
      const idx = publishReproduction(s.outDir, path.resolve(f.publish));
      io.err(`published ${idx.tables.length} table(s), ${idx.figures.length} figure(s) and the report to ${path.resolve(f.publish)}`);
    } else if (f.publish) io.err(`not published: not every notebook ran (see ${path.join(s.outDir, 'summary.json')})`);
    return { exitCode: s.ok ? 0 : 1, json: s, text };
  },
};

const publishCmd: Command = {
  path: ['publish'],
  usage: 'ser publish <results/profile> --to <dir> [--step NN]',
  summary:
    "copy a finished run's report (with the run's machine, versions, corpus check and wall times), tables (CSV, MD) and figures (PNG) to a folder for the repository",
  flags: {
    to: { type: 'string', description: 'destination folder, e.g. reproduction/' },
    step: {
      type: 'string',
      description:
        'add only this notebook (e.g. 10, the grid) of a run made apart to what <dir> already holds, with its own date, machine and wall time',
    },
  },
  positionals: { min: 1, max: 1, name: '<results/profile>' },
  async run(args) {
    const out = path.resolve(args.positionals[0]);
    if (!fs.existsSync(out)) throw new UsageError(`${out}: run folder not found`);
    if (!args.flags.to) throw new UsageError('--to <dir> is required');
    let idx: ReturnType<typeof publishReproduction>;
    try {
      const to = path.resolve(args.flags.to as string);
      idx = args.flags.step ? publishStep(out, to, String(args.flags.step)) : publishReproduction(out, to);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    return {
      json: idx,
      text: `published ${idx.tables.length} table(s), ${idx.figures.length} figure(s), report.md and report.html to ${path.resolve(args.flags.to as string)}${idx.skipped.length ? `; skipped ${idx.skipped.join(', ')}` : ''}`,
    };
  },
};

const kernelCmd: Command = {
  path: ['kernel', 'install'],
  usage: 'ser kernel install',
  summary: 'register the tslab kernel in <project>/.jupyter/share/jupyter (use with JUPYTER_PATH)',
  flags: {},
  async run() {
    const root = findProjectRoot();
    const r = installKernelspec(root);
    return {
      json: { ok: true, kernelspec: r.dir, jupyterPath: r.jupyterPath },
      text: `tslab kernelspec written to ${r.dir}\nuse it with: export JUPYTER_PATH=${r.jupyterPath}`,
    };
  },
};

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const labCmd: Command = {
  path: ['lab'],
  usage: 'ser lab [--data <root>] [--profile demo|paper] [--port N] [--ip ADDR] [--no-browser] [--classic] [--notebooks DIR]',
  summary: 'open the notebooks in JupyterLab (or the classic notebook) with the project-local tslab kernel, on the demo corpus or --data',
  flags: {
    data: { type: 'string', description: 'corpus root the notebooks use (default: the generated demo corpus)' },
    profile: { type: 'string', description: 'demo or paper: the sizes the notebooks run at', default: 'demo', choices: ['demo', 'paper'] },
    port: { type: 'number', description: "port to listen on (default: Jupyter's, 8888 or the next free one)" },
    ip: { type: 'string', description: "address to listen on (default: Jupyter's, localhost)" },
    token: { type: 'string', description: 'access token (default: a random one, printed by Jupyter)' },
    'no-browser': { type: 'boolean', description: 'do not open a browser (implied when there is no display)' },
    classic: { type: 'boolean', description: 'use the classic notebook even when JupyterLab is installed' },
    notebooks: { type: 'string', description: 'notebook folder inside the project (default notebooks/)' },
  },
  async run(args, io) {
    const f = args.flags;
    if (f.data && !fs.existsSync(f.data)) throw new UsageError(`${f.data}: data folder not found`);
    const root = findProjectRoot();
    const { jupyterPath } = installKernelspec(root);
    const lab = f.classic ? null : which('jupyter-lab');
    const classic = which('jupyter-notebook');
    const exe = lab ?? classic;
    if (!exe) throw new UsageError('neither jupyter-lab nor jupyter-notebook is installed (see environment.md)');
    const notebookDir = path.resolve(f.notebooks ?? path.join(root, 'notebooks'));
    if (!fs.existsSync(notebookDir)) throw new UsageError(`${notebookDir}: notebook folder not found`);
    const argv = labArgs({
      flavour: exe === lab ? 'lab' : 'classic',
      notebookDir,
      uid: typeof process.getuid === 'function' ? process.getuid() : null,
      openBrowser: !f['no-browser'] && canOpenBrowser(),
      ip: f.ip,
      port: f.port,
      token: f.token,
    });
    const env = labEnv(process.env, { jupyterPath, profile: f.profile as ProfileName, dataDir: f.data ?? null });
    io.err(`starting ${path.basename(exe)} ${argv.join(' ')}`);
    io.err(
      `kernels: profile ${f.profile}, corpus ${f.data ? path.resolve(f.data) : 'the generated demo corpus'} (JUPYTER_PATH=${jupyterPath})`,
    );
    const child = spawn(exe, argv, { cwd: notebookDir, env, stdio: 'inherit' });
    const stop = () => child.kill('SIGTERM'); // Jupyter stops on SIGTERM without asking
    process.once('SIGTERM', stop);
    const code: number = await new Promise((r) => child.on('exit', (c) => r(c ?? 1)));
    process.off('SIGTERM', stop);
    return { exitCode: code === 0 ? 0 : 1, json: { ok: code === 0 }, text: '' };
  },
};

export const commands: Command[] = [runCmd, publishCmd, kernelCmd, labCmd];
