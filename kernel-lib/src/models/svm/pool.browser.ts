/**
 * The browser build of ./pool (selected by kernel-lib's package.json "browser" field). A
 * page has no `node:worker_threads`: every SVM task runs in the page's thread, so an SVC made
 * there defaults to one worker (its in-thread path, the same code and results as in Node);
 * asking for a pool of threads says why there is none.
 */
export { toShared } from '../../platform/shared';

/** A page cannot know the machine's free memory: null ('auto' kernel caches take scikit-learn's 200 MB). */
export function freeMemoryBytes(): number | null {
  return null;
}

/** In a browser: 1 (the SVM runs in the calling thread). */
export function defaultSvmWorkers(): number {
  return 1;
}

/** There are no SVM worker threads in a browser: throws, saying so. */
export function svmPool(size?: number): never {
  throw new Error(`SVC: ${size ?? ''} worker threads asked, but a browser has no worker threads for the SVM: use workers 0 or 1`);
}

/** Nothing to close in a browser. */
export async function closeSvmPool(): Promise<void> {
  // no pool
}
