/**
 * The browser build of ./libsvmjs (selected by kernel-lib's package.json "browser" field).
 * The libsvm-js reference engine loads libsvm 3.22's wasm through Node's fs; a page trains (if
 * ever) with the default 'ts' engine, and asking for 'libsvm-js' there says so.
 */
import type { BinaryProblem, BinarySolution, KernelSpec, SolverOptions } from './solver';

/** Not available in a browser: throws, saying to use engine 'ts'. */
export async function solveCSvcLibsvmJs(
  _p: BinaryProblem,
  _kernel: KernelSpec,
  _Cp: number,
  _Cn: number,
  _opts: SolverOptions,
  _probability: boolean,
): Promise<BinarySolution & { probA?: number; probB?: number }> {
  throw new Error("SVC engine 'libsvm-js' (libsvm 3.22 in wasm, the reference) runs only in Node: use engine 'ts' in a browser");
}
