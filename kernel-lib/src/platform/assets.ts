/**
 * kernel-lib's data files, by their path relative to the kernel-lib folder: the compiled DSP
 * kernels ('dist/wasm/dsp.wasm') and the resampy filter tables ('assets/resampy/...').
 *
 * Node (this file): an asset provided in memory (./asset-store) wins, otherwise the file is read
 * from disk. A browser bundle gets ./assets.browser instead (kernel-lib's package.json "browser"
 * field maps this file to it): the same functions without the disk, so the page provides every
 * asset it needs and no `fs` is on its import graph.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { providedAsset } from './asset-store';

export { provideAsset, providedAssetNames } from './asset-store';

/** The kernel-lib folder (dist/platform/assets.js is two levels below it). */
const KERNEL_LIB_DIR = path.join(__dirname, '..', '..');

/** Where asset `name` is on disk. */
export function assetPath(name: string): string {
  return path.join(KERNEL_LIB_DIR, name);
}

/** The bytes of asset `name` (provided in memory, else read from disk). Throws naming the file. */
export function readAsset(name: string): Uint8Array {
  const mem = providedAsset(name);
  if (mem) return mem;
  return fs.readFileSync(assetPath(name));
}
