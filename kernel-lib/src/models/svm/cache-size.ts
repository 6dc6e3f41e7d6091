/**
 * The size of the kernel cache of one binary SVM problem. scikit-learn's SVC takes
 * `cache_size=200` (MB) per problem; `cacheSizeMb: 'auto'` (SVC's default here) sizes it to
 * the problem and the machine instead: enough for every column of Q (then each kernel column is
 * computed at most once, however the solver revisits it), but no more than
 * `AUTO_CACHE_CAP_MB` per problem nor half of the free memory shared among the problems solved
 * at once, and never less than scikit-learn's 200 MB. The cache holds Q exactly as libsvm's
 * `Cache` does, whatever its size, so the size changes the time of a fit, never its result.
 */

/** scikit-learn's cache_size default (MB), the least 'auto' gives. */
export const SKLEARN_CACHE_MB = 200;

/** The most 'auto' gives one binary problem (MB). */
export const AUTO_CACHE_CAP_MB = 4096;

/**
 * MB that libsvm's `Cache` needs to hold all l columns of an l-row problem: l * l floats plus
 * its per-column header (32 bytes, counted as 8 floats per column as libsvm does).
 */
export function fullCacheMb(l: number): number {
  return Math.ceil(((l * l + 8 * l) * 4) / (1 << 20)) + 1;
}

/**
 * The cache of one problem of `l` rows when `concurrent` problems run at once and `freeBytes`
 * of memory are free (null where unknown, e.g. a browser: scikit-learn's 200 MB).
 */
export function autoCacheMb(l: number, concurrent: number, freeBytes: number | null): number {
  if (freeBytes === null || !(freeBytes > 0)) return SKLEARN_CACHE_MB;
  const share = Math.floor(freeBytes / 2 / Math.max(1, concurrent) / (1 << 20));
  return Math.max(SKLEARN_CACHE_MB, Math.min(fullCacheMb(l), AUTO_CACHE_CAP_MB, share));
}
