/**
 * Where a run is: profile (demo | paper), data root, output folder. The headless runner and
 * `ser run-notebooks` pass these to notebooks through environment variables; a notebook opened
 * by hand in JupyterLab gets the defaults (demo profile, generated demo corpus, results/demo).
 */
import * as path from 'node:path';
import { findProjectRoot } from './fs';

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
  /** paper profile only: the CNNs' scale, 'paper' or 'cpu' (SER_CNN_SCALE, `--cnn-scale`); null = by the backend */
  cnnScale?: 'paper' | 'cpu' | null;
}

export const ENV = {
  profile: 'SER_PROFILE',
  data: 'SER_DATA',
  out: 'SER_OUT',
  notebook: 'SER_NOTEBOOK',
  backend: 'SER_BACKEND',
  cnnScale: 'SER_CNN_SCALE',
} as const;

export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const projectRoot = findProjectRoot();
  const p = (env[ENV.profile] || 'demo').toLowerCase();
  if (p !== 'demo' && p !== 'paper') {
    throw new Error(`${ENV.profile} must be 'demo' or 'paper', got '${p}'`);
  }
  const profile = p as ProfileName;
  const dataDir = env[ENV.data] ? path.resolve(env[ENV.data] as string) : null;
  const outDir = env[ENV.out] ? path.resolve(env[ENV.out] as string) : path.join(projectRoot, 'results', profile);
  const scale = (env[ENV.cnnScale] || '').toLowerCase();
  if (scale !== '' && scale !== 'paper' && scale !== 'cpu') {
    throw new Error(`${ENV.cnnScale} must be 'paper' or 'cpu', got '${scale}'`);
  }
  const cnnScale = scale === '' ? null : (scale as 'paper' | 'cpu');
  return { profile, dataDir, outDir, projectRoot, notebook: env[ENV.notebook] || null, cnnScale };
}
