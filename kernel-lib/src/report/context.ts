/**
 * Where a run is: profile (demo | paper), data root, output folder. The headless runner and
 * `ser run-notebooks` pass these to notebooks through environment variables; a notebook opened
 * by hand in JupyterLab gets the defaults (demo profile, generated demo corpus, results/demo).
 */
import * as fs from 'fs';
import * as path from 'path';

export type ProfileName = 'demo' | 'paper';

export interface RunContext {
  profile: ProfileName;
  /** corpus root given by the user (SER_DATA), or null: the demo corpus is used */
  dataDir: string | null;
  /** results/<profile> (SER_OUT) */
  outDir: string;
  /** the project root (folder holding the workspace package.json) */
  projectRoot: string;
  /** notebook being executed (SER_NOTEBOOK, set by the runner), or null */
  notebook: string | null;
}

export const ENV = {
  profile: 'SER_PROFILE',
  data: 'SER_DATA',
  out: 'SER_OUT',
  notebook: 'SER_NOTEBOOK',
  backend: 'SER_BACKEND',
} as const;

/** Finds the project root: the nearest folder upwards whose package.json declares workspaces. */
export function findProjectRoot(start: string = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        const j = JSON.parse(fs.readFileSync(pj, 'utf8'));
        if (Array.isArray(j.workspaces) && j.workspaces.includes('kernel-lib')) return dir;
      } catch {
        /* not ours */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // kernel-lib lives at <root>/kernel-lib/dist/report/context.js
  return path.resolve(__dirname, '..', '..', '..');
}

export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const projectRoot = findProjectRoot();
  const p = (env[ENV.profile] || 'demo').toLowerCase();
  if (p !== 'demo' && p !== 'paper') {
    throw new Error(`${ENV.profile} must be 'demo' or 'paper', got '${p}'`);
  }
  const profile = p as ProfileName;
  const dataDir = env[ENV.data] ? path.resolve(env[ENV.data] as string) : null;
  const outDir = env[ENV.out] ? path.resolve(env[ENV.out] as string) : path.join(projectRoot, 'results', profile);
  return { profile, dataDir, outDir, projectRoot, notebook: env[ENV.notebook] || null };
}

/** Creates a folder (and parents) and returns it. */
export function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a file atomically (temp file + rename), so a killed job never leaves half a file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  ensureDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
