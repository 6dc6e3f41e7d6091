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

// patches only as a preload (`--require` this file); importing it (tests) changes nothing
if (process.execArgv.some((a) => path.resolve(a) === __filename)) serialiseZmqSends(tslabZmq());
