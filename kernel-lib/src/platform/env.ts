/**
 * Environment switches (SER_DSP_WASM, SER_SVM_SIMD, ...) read where there is an environment:
 * `process.env` in Node; in a browser there is none and every switch is unset.
 */
export function envVar(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env ? p.env[name] : undefined;
}
