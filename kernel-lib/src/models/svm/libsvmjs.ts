/**
 * The `libsvm-js` engine: one binary C-SVC problem trained by libsvm 3.22 compiled to
 * WebAssembly (npm `libsvm-js`), read back as the same per-row coefficients and rho that the
 * TypeScript port returns, so both engines share the model assembly and the predictor.
 *
 * libsvm-js exposes train / sv indices / a text serialisation, but no decision values, and it
 * stores every feature as a sparse node, which makes its solver several times slower than
 * scikit-learn's dense libsvm (measured in scripts/bench/svm.js). It is kept as the reference:
 * "libsvm itself, compiled", against which the port is checked.
 */
import { kFunction } from './solver';
import type { BinaryProblem, BinarySolution, KernelSpec, SolverOptions } from './solver';

interface LibsvmJsSVM {
  train(samples: ArrayLike<number>[], labels: number[]): void;
  getSVIndices(): number[];
  serializeModel(): string;
  free(): void;
}
interface LibsvmJsCtor {
  new (options: Record<string, unknown>): LibsvmJsSVM;
  KERNEL_TYPES: Record<string, string>;
  SVM_TYPES: Record<string, string>;
}

let loading: Promise<LibsvmJsCtor> | null = null;

/** Loads the wasm build once per thread (its harmless "streaming compile failed" notices are dropped). */
export function loadLibsvmJs(): Promise<LibsvmJsCtor> {
  if (!loading) {
    const orig = console.warn;
    // emscripten binds Module.printErr to console.warn when the module is evaluated
    console.warn = (...a: unknown[]) => {
      const s = String(a[0] ?? '');
      if (/wasm streaming compile failed|falling back to ArrayBuffer/.test(s)) return;
      orig.apply(console, a as []);
    };
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      loading = require('libsvm-js') as Promise<LibsvmJsCtor>;
    } finally {
      console.warn = orig;
    }
  }
  return loading;
}

const KERNEL_CODE: Record<KernelSpec['kernel'], string> = { linear: '0', poly: '1', rbf: '2', sigmoid: '3' };

/** Parses libsvm's model text: rho, probA/probB and the SV coefficients in SV order. */
export function parseLibsvmModel(text: string): { rho: number[]; probA?: number[]; probB?: number[]; coefs: number[][]; labels: number[] } {
  const lines = text.split('\n');
  const out: { rho: number[]; probA?: number[]; probB?: number[]; coefs: number[][]; labels: number[] } = {
    rho: [],
    coefs: [],
    labels: [],
  };
  let nrClass = 2;
  let i = 0;
  for (; i < lines.length; i++) {
    const parts = lines[i].trim().split(/\s+/);
    const key = parts[0];
    const nums = parts.slice(1).map(Number);
    if (key === 'nr_class') nrClass = nums[0];
    else if (key === 'rho') out.rho = nums;
    else if (key === 'probA') out.probA = nums;
    else if (key === 'probB') out.probB = nums;
    else if (key === 'label') out.labels = nums;
    else if (key === 'SV') {
      i++;
      break;
    }
  }
  for (; i < lines.length; i++) {
    const t = lines[i].trim();
    if (!t) continue;
    const parts = t.split(/\s+/);
    out.coefs.push(parts.slice(0, nrClass - 1).map(Number));
  }
  return out;
}

/**
 * libsvm-js prints rho with '%g' (6 significant digits). Recomputed here in double precision
 * as libsvm defines it: the mean over free support vectors (0 < alpha < C) of
 * y_i * grad_i = sum_j coef_j K(x_j, x_i) - y_i. Null when no vector is free (libsvm then uses
 * the midpoint of its bounds; the printed value is kept).
 */
function recomputeRho(prob: BinaryProblem, coef: Float64Array, k: KernelSpec, Cp: number, Cn: number): number | null {
  const { l, d, X, y } = prob;
  let sum = 0;
  let nFree = 0;
  for (let i = 0; i < l; i++) {
    const a = Math.abs(coef[i]);
    const C = y[i] > 0 ? Cp : Cn;
    if (!(a > 0 && a < C)) continue;
    let f = 0;
    for (let j = 0; j < l; j++) if (coef[j] !== 0) f += coef[j] * kFunction(X, j * d, X, i * d, d, k);
    sum += f - y[i];
    nFree++;
  }
  return nFree ? sum / nFree : null;
}

/**
 * Trains one binary problem with libsvm-js. Rows with y = +1 must come first (they are the
 * first label libsvm meets, so its decision value is positive for them, as in the port).
 * Probability estimates, when asked, come from libsvm 3.22's own internal CV (its C `rand()`),
 * printed by libsvm-js with 6 significant digits.
 */
export async function solveCSvcLibsvmJs(
  prob: BinaryProblem,
  k: KernelSpec,
  Cp: number,
  Cn: number,
  opts: SolverOptions,
  probability: boolean,
): Promise<BinarySolution & { probA?: number; probB?: number }> {
  const SVM = await loadLibsvmJs();
  const { l, d, X, y } = prob;
  if (l > 0 && y[0] !== 1) throw new Error('solveCSvcLibsvmJs: the +1 rows must come first');
  const options: Record<string, unknown> = {
    type: SVM.SVM_TYPES.C_SVC,
    kernel: KERNEL_CODE[k.kernel],
    gamma: k.gamma,
    degree: k.degree,
    coef0: k.coef0,
    cost: 1,
    cacheSize: opts.cacheSizeMb,
    tolerance: opts.eps,
    shrinking: opts.shrinking,
    probabilityEstimates: probability,
    // per-class C through libsvm's -wi weights: C_+ = Cp, C_- = Cn
    weight: { '1': Cp, '-1': Cn },
    quiet: true,
  };
  const svm = new SVM(options);
  const samples: Float64Array[] = [];
  for (let i = 0; i < l; i++) samples.push(X.subarray(i * d, (i + 1) * d));
  try {
    svm.train(
      samples,
      Array.from(y, (v) => (v > 0 ? 1 : -1)),
    );
    const idx = svm.getSVIndices();
    const m = parseLibsvmModel(svm.serializeModel());
    if (m.labels[0] !== 1) throw new Error(`libsvm-js: unexpected label order ${m.labels.join(' ')}`);
    const coef = new Float64Array(l);
    idx.forEach((r, q) => (coef[r] = m.coefs[q][0]));
    return {
      coef,
      rho: recomputeRho(prob, coef, k, Cp, Cn) ?? m.rho[0],
      obj: NaN,
      iter: -1,
      timedOut: false,
      probA: m.probA?.[0],
      probB: m.probB?.[0],
    };
  } finally {
    svm.free();
  }
}
