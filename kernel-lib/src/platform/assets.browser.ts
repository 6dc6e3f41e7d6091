/**
 * The browser build of ./assets (selected by kernel-lib's package.json "browser" field): assets
 * come only from memory. The page fetches them from the server and calls `provideAsset` before
 * the first computation; reading one that was not provided throws, naming it.
 */
import { providedAsset } from './asset-store';

export { provideAsset, providedAssetNames } from './asset-store';

/** In the browser an asset has no place on disk: its name is its address relative to kernel-lib. */
export function assetPath(name: string): string {
  return name;
}

/** The bytes provided for asset `name`. */
export function readAsset(name: string): Uint8Array {
  const mem = providedAsset(name);
  if (!mem) throw new Error(`${name}: not provided to this page (fetch it and call provideAsset('${name}', bytes) first)`);
  return mem;
}
