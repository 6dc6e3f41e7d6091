/**
 * TensorFlow.js backend choice. Order (docs/architecture.md, "Compute backends"):
 * `@tensorflow/tfjs-node-gpu` (CUDA), `@tensorflow/tfjs-node` (native CPU), the wasm backend
 * (`@tensorflow/tfjs-backend-wasm`, always installable), then plain `cpu`. The first that loads
 * and initialises wins; every failure is reported and skipped. `SER_BACKEND` forces one
 * (`tensorflow-gpu`, `tensorflow`, `wasm`, `cpu`); a forced backend that fails is an error.
 */
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendCandidate {
  name: BackendName;
  /** loads the package and makes the backend current; throws when unavailable. May resolve to a string: a detail for the log line. */
  load: () => Promise<unknown>;
}

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  error?: string;
}

export interface BackendChoice {
  name: BackendName;
  /** tf.getBackend() after the choice: 'tensorflow', 'wasm' or 'cpu' */
  tfBackend: string;
  attempts: BackendAttempt[];
  forced: boolean;
  /** e.g. 'threaded-simd, 2 threads' for wasm */
  detail?: string;
}

async function activate(tfName: string): Promise<undefined> {
  if (!tf.findBackend(tfName) && !tf.engine().registryFactory[tfName]) {
    throw new Error(`backend '${tfName}' did not register`);
  }
  const ok = await tf.setBackend(tfName);
  if (!ok) throw new Error(`backend '${tfName}' failed to initialise`);
  await tf.ready();
  return undefined;
}

/** The default candidates, in order of preference. */
export function defaultCandidates(): BackendCandidate[] {
  return [
    {
      name: 'tensorflow-gpu',
      load: async () => {
        require('@tensorflow/tfjs-node-gpu');
        return activate('tensorflow');
      },
    },
    {
      name: 'tensorflow',
      load: async () => {
        // package.json `overrides` maps @tensorflow/tfjs-node to plain tfjs so danfojs installs:
        // requiring it then registers no 'tensorflow' backend and activate() reports that.
        require('@tensorflow/tfjs-node');
        return activate('tensorflow');
      },
    },
    {
      name: 'wasm',
      load: async () => {
        // wasm-kernels.ts: adds the missing Conv2DBackpropFilter, faster Conv2DBackpropInput
        // (stride 1) and MaxPoolGrad, and the multithreaded build (all cores) where it starts
        const setup = await require('./wasm-kernels').prepareWasm();
        await activate('wasm');
        return `${setup.build}, ${setup.threads} thread${setup.threads === 1 ? '' : 's'}${setup.note ? `; ${setup.note}` : ''}`;
      },
    },
    { name: 'cpu', load: async () => activate('cpu') },
  ];
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 300);
}

let current: BackendChoice | null = null;

/**
 * Picks the backend (once per process unless `force` is given). `log` receives one line per
 * attempt and the final choice (default: stderr).
 */
export async function chooseBackend(
  opts: { candidates?: BackendCandidate[]; env?: NodeJS.ProcessEnv; log?: (s: string) => void; again?: boolean } = {},
): Promise<BackendChoice> {
  if (current && !opts.again && !opts.candidates) return current;
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  let candidates = opts.candidates ?? defaultCandidates();
  const forcedName = env.SER_BACKEND?.trim();
  if (forcedName) {
    const c = candidates.find((x) => x.name === forcedName);
    if (!c) {
      throw new Error(`SER_BACKEND='${forcedName}' is not one of ${candidates.map((x) => x.name).join(', ')}`);
    }
    candidates = [c];
  }
  const attempts: BackendAttempt[] = [];
  for (const c of candidates) {
    try {
      const loaded = await c.load();
      const detail = typeof loaded === 'string' ? loaded : undefined;
      attempts.push({ name: c.name, ok: true });
      current = { name: c.name, tfBackend: tf.getBackend(), attempts, forced: !!forcedName, ...(detail ? { detail } : {}) };
      log(`[ser] TensorFlow.js backend: ${c.name}${detail ? ` (${detail})` : ''}${forcedName ? ' (forced by SER_BACKEND)' : ''}`);
      return current;
    } catch (e) {
      attempts.push({ name: c.name, ok: false, error: firstLine(e) });
      log(`[ser] backend ${c.name} unavailable: ${firstLine(e)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded (${attempts.map((a) => `${a.name}: ${a.error}`).join('; ')})`);
}

/** The backend chosen so far in this process, or null. */
export function currentBackend(): BackendChoice | null {
  return current;
}
