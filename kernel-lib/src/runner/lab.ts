/**
 * `ser lab`: a Jupyter server on the notebooks with the project-local tslab kernel. What it
 * passes, and why:
 * - `JUPYTER_PATH` names the project's kernelspec (runner/kernelspec.ts), so nothing is
 *   installed into the user's Jupyter.
 * - `SER_PROFILE` / `SER_DATA` reach every kernel the server starts (Jupyter kernels inherit the
 *   server's environment), so `ser lab --data /data/ser` opens the notebooks on that corpus,
 *   exactly as `ser run-notebooks --data` runs them (report/context.ts reads the same variables).
 * - `--allow-root` when the process runs as root (containers): Jupyter otherwise refuses to start
 *   ("Running as root is not recommended").
 * - `--no-browser` when there is no display to open one on.
 * The argument list is built by a pure function, so it is tested without starting a server.
 */
import * as path from 'node:path';
import { ENV, type ProfileName } from '../core/context';

export type JupyterFlavour = 'lab' | 'classic';

export interface LabOptions {
  /** jupyter-lab or jupyter-notebook */
  flavour: JupyterFlavour;
  /** the folder the server shows (the project's notebooks/) */
  notebookDir: string;
  /** effective user id (process.getuid()); 0 adds --allow-root */
  uid: number | null;
  /** true when a browser can be opened (a display is set and not --no-browser) */
  openBrowser: boolean;
  ip?: string;
  port?: number;
  /** a fixed access token (tests); Jupyter makes a random one otherwise */
  token?: string;
}

/** The command-line arguments for jupyter-lab / jupyter-notebook. */
export function labArgs(o: LabOptions): string[] {
  const app = o.flavour === 'lab' ? 'ServerApp' : 'NotebookApp';
  const args = [`--notebook-dir=${o.notebookDir}`];
  if (o.uid === 0) args.push('--allow-root');
  if (!o.openBrowser) args.push('--no-browser');
  if (o.ip) args.push(`--ip=${o.ip}`);
  if (o.port !== undefined) args.push(`--port=${o.port}`, '--port-retries=0');
  if (o.token !== undefined) args.push(`--${app}.token=${o.token}`);
  return args;
}

/** The server's environment: the kernelspec path first, then the run context for the kernels. */
export function labEnv(
  base: NodeJS.ProcessEnv,
  o: { jupyterPath: string; profile?: ProfileName; dataDir?: string | null },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    JUPYTER_PATH: [o.jupyterPath, base.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
  if (o.profile) env[ENV.profile] = o.profile;
  if (o.dataDir) env[ENV.data] = path.resolve(o.dataDir);
  return env;
}

/** True when a browser window can be opened here (X11 or Wayland display, or macOS/Windows). */
export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return !!(env.DISPLAY || env.WAYLAND_DISPLAY);
}
