/**
 * Loaded into the tslab kernel process before tslab (`node --require <this file> tslab kernel`,
 * by the runner and by the kernelspec `ser kernel install` writes): serialises the sends of each
 * ZeroMQ socket.
 *
 * tslab 1.0.22 calls zeromq 6's `socket.send()` without waiting for it. When a socket cannot
 * write at once (a busy client, live outputs every second), a second send while the first is
 * pending fails with "Socket is busy writing; only one send operation may be in progress at any
 * time", an unhandled rejection that kills the kernel halfway through a cell. Seen on
 * 2026-12-06 in the paper profile's VGG16 run (notebook 06, fold 3 of 5) on 2 busy cores.
 * Here each socket's sends wait for the previous one, in order; a failed send is written to the
 * kernel's own stderr instead of killing the process. No Jupyter counterpart: IPython's kernel
 * uses pyzmq, whose sends are synchronous.
 *
 * It also keeps file-system events outside the notebook from failing its next cell. tslab's
 * TypeScript watch program has one timer slot and throws "Unexpected pending rebuildTimer" when
 * a second timer is asked for. Directory watchers (module-resolution failures, `@types`) and
 * package.json watchers ask for one whenever something changes under node_modules or the
 * watched folders: an `npm install`, a rebuild of kernel-lib, even hard links made to the
 * packages. Seen on 2026-12-06: notebook 03 of a paper-profile run failed at cell 19 after
 * another checkout was made with `cp -al node_modules`. Those watchers become inert here; the
 * code a kernel has loaded does not change under it anyway (require's cache), so a kernel restart
 * picks up new packages, as in IPython. Watchers of the notebook's own .ts side inputs stay.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Send = (this: object, msg: unknown) => Promise<void>;

/** Patches zeromq's socket classes (the copy tslab loads); returns the names patched. */
export function serialiseZmqSends(zmq: Record<string, { prototype: { send?: Send } } | undefined>): string[] {
  const patched: string[] = [];
  for (const name of ['Publisher', 'Router', 'Reply', 'Dealer']) {
    const proto = zmq[name]?.prototype;
    const send = proto?.send;
    if (!proto || typeof send !== 'function' || (send as { serialised?: boolean }).serialised) continue;
    const chains = new WeakMap<object, Promise<void>>();
    const serial = function (this: object, msg: unknown): Promise<void> {
      const next = (chains.get(this) ?? Promise.resolve()).then(() => send.call(this, msg));
      const settled = next.catch((e: unknown) => {
        fs.writeSync(2, `[ser kernel] a ZeroMQ ${name} send failed: ${e instanceof Error ? e.message : String(e)}\n`);
      });
      chains.set(this, settled);
      return settled;
    };
    Object.assign(serial, { serialised: true });
    Object.defineProperty(proto, 'send', { value: serial, writable: true, configurable: true });
    patched.push(name);
  }
  return patched;
}

/** zeromq as tslab resolves it (its own dependency when it has one). */
export function tslabZmq(): Record<string, { prototype: { send?: Send } } | undefined> {
  const tslabDir = path.dirname(require.resolve('tslab/package.json'));
  return require(require.resolve('zeromq', { paths: [tslabDir] }));
}

interface WatchSys {
  watchFile?: (file: string, ...rest: unknown[]) => { close(): void };
  watchDirectory?: (dir: string, ...rest: unknown[]) => { close(): void };
  inertWatchers?: boolean;
}

const INERT = { close: () => {} };

/** A file whose changes re-resolve modules rather than re-convert the notebook's own sources. */
export const resolutionInput = (file: string): boolean => /[\\/]node_modules[\\/]/.test(file) || /(^|[\\/])package\.json$/.test(file);

/**
 * Makes the directory watchers and the module-resolution file watchers of a TypeScript `sys`
 * inert (see the module comment); returns false when already done.
 */
export function inertResolutionWatchers(sys: WatchSys): boolean {
  if (sys.inertWatchers) return false;
  const watchFile = sys.watchFile;
  if (watchFile) sys.watchFile = (file, ...rest) => (resolutionInput(file) ? INERT : watchFile.call(sys, file, ...rest));
  if (sys.watchDirectory) sys.watchDirectory = () => INERT;
  sys.inertWatchers = true;
  return true;
}

/** The TypeScript `sys` of the compiler tslab loads. */
export function tslabTypeScriptSys(): WatchSys {
  const tslabDir = path.dirname(require.resolve('tslab/package.json'));
  return require(require.resolve('@tslab/typescript-for-tslab', { paths: [tslabDir] })).sys;
}

// patches only as a preload (`--require` this file); importing it (tests) changes nothing
if (process.execArgv.some((a) => path.resolve(a) === __filename)) {
  serialiseZmqSends(tslabZmq());
  inertResolutionWatchers(tslabTypeScriptSys());
}
