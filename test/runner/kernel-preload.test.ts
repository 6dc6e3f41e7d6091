// The tslab kernel's ZeroMQ sends are serialised (runner/kernel-preload.ts): without it, a second
// send while the first is pending fails with "Socket is busy writing" and, unawaited in tslab,
// kills the kernel (seen in the paper profile's notebook 06). A Dealer with no peer keeps its
// first send pending, which shows both the failure and the fix.
import assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import * as zmq from 'zeromq';
import { runner, runnerKernelPreload } from 'kernel-lib/internal';

const ROOT = path.resolve(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('the tslab kernel preload (serialised ZeroMQ sends, inert resolution watchers)', function () {
  this.timeout(30000);

  it('without it, a second send while the first is pending fails: "busy writing"', async () => {
    const d = new zmq.Dealer({ linger: 0, immediate: true }); // no queue before a peer connects
    d.connect(`tcp://127.0.0.1:${await freePort()}`);
    const first = d.send('a').catch((e: Error) => e);
    let second: Error | null = null;
    try {
      await d.send('b'); // zeromq 6 throws at once (tslab's caller does not catch it either)
    } catch (e) {
      second = e as Error;
    }
    assert.match(String(second?.message), /busy writing/);
    d.close();
    await first;
  });

  it('with it, sends queue in order and arrive once a peer is there; importing it patches nothing', async () => {
    const port = await freePort();
    const script = `
      const zmq = require('zeromq');
      const d = new zmq.Dealer({ linger: 0, immediate: true });
      d.connect('tcp://127.0.0.1:${port}');
      for (const m of ['a', 'b', 'c']) d.send(m);   // not awaited, as tslab does
      setTimeout(async () => {
        const r = new zmq.Router(); r.linger = 0;
        await r.bind('tcp://127.0.0.1:${port}');
        const got = [];
        for (let i = 0; i < 3; i++) { const [, m] = await r.receive(); got.push(m.toString()); }
        console.log(got.join(','));
        d.close(); r.close();
      }, 300);`;
    const r = spawnSync(process.execPath, ['--require', runner.KERNEL_PRELOAD, '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20000,
    });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout.trim(), 'a,b,c');
    assert.strictEqual(r.stderr, '');
    // in this process (imported, not preloaded) zeromq is untouched
    assert.ok(!(zmq.Dealer.prototype.send as { serialised?: boolean }).serialised);
    assert.deepStrictEqual(runnerKernelPreload.serialiseZmqSends({}), []);
  });
  it('module-resolution watchers (directories, node_modules, package.json) become inert; side-input .ts files stay watched', () => {
    const calls: string[] = [];
    const sys = {
      watchFile: (f: string) => {
        calls.push(`file ${f}`);
        return { close() {} };
      },
      watchDirectory: (d: string) => {
        calls.push(`dir ${d}`);
        return { close() {} };
      },
    };
    assert.strictEqual(runnerKernelPreload.inertResolutionWatchers(sys), true);
    assert.strictEqual(runnerKernelPreload.inertResolutionWatchers(sys), false, 'once');
    sys.watchDirectory('/p/notebooks/node_modules');
    sys.watchFile('/p/node_modules/@types/node/index.d.ts');
    sys.watchFile('/p/kernel-lib/package.json');
    sys.watchFile('C:\\p\\node_modules\\x\\index.d.ts');
    sys.watchFile('/p/notebooks/helpers.ts');
    sys.watchFile('/p/kernel-lib/dist/index.d.ts');
    assert.deepStrictEqual(calls, ['file /p/notebooks/helpers.ts', 'file /p/kernel-lib/dist/index.d.ts']);
    // the compiler tslab loads is found (the preload patches that one)
    assert.strictEqual(typeof runnerKernelPreload.tslabTypeScriptSys().watchFile, 'function');
  });
});
