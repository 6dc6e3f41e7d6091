// Shared by the SVM tests that compare two ways of fitting the same model (cache sizes, the
// shared kernel matrix): seeded class-structured data and a bit-for-bit model comparison.
import assert from 'node:assert';
import { coreRandom, type models } from 'kernel-lib/internal';
const { mulberry32 } = coreRandom;

/** n x d noisy class-structured rows (seeded), k classes. */
export function synthetic(n: number, d: number, k: number, seed: number, noise: number): { rows: number[][]; y: number[] } {
  const r = mulberry32(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => r() * 2 - 1));
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * k);
    rows.push(centres[c].map((v) => v + (r() * 2 - 1) * noise));
    y.push(c);
  }
  return { rows, y };
}

/** Two fitted SVCs are the same model: support, iterations, intercepts and dual coefficients, bit for bit. */
export function sameModel(a: models.SVC, b: models.SVC, what: string): void {
  assert.deepStrictEqual(Array.from(a.support), Array.from(b.support), `${what}: support`);
  assert.deepStrictEqual(a.nIter, b.nIter, `${what}: n_iter`);
  assert.deepStrictEqual(a.intercept, b.intercept, `${what}: intercept (bit-identical)`);
  assert.deepStrictEqual(a.dualCoef, b.dualCoef, `${what}: dual_coef (bit-identical)`);
}
