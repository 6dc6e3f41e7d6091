/**
 * Assets handed to kernel-lib in memory, by name (their path relative to the kernel-lib folder,
 * e.g. 'dist/wasm/dsp.wasm'). A browser page fetches the assets it needs and provides them here
 * before the first computation; `readAsset` (./assets) looks here first.
 */
const provided = new Map<string, Uint8Array>();

/** Makes `bytes` the content of asset `name` (a later call replaces it). */
export function provideAsset(name: string, bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) throw new Error(`provideAsset(${name}): expected a Uint8Array`);
  provided.set(name, bytes);
}

/** The bytes provided for `name`, or undefined. */
export function providedAsset(name: string): Uint8Array | undefined {
  return provided.get(name);
}

/** Names of the assets provided so far. */
export function providedAssetNames(): string[] {
  return [...provided.keys()];
}
