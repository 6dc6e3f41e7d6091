/**
 * A Python-free Jupyter client for the tslab kernel: spawns `tslab kernel --config-path`,
 * speaks the Jupyter messaging protocol v5.3 over ZeroMQ (HMAC-SHA256 signed frames),
 * executes code and collects iopub outputs until the kernel is idle again.
 * Mirrors what jupyter_client's BlockingKernelClient + nbclient do for one notebook.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zmq from 'zeromq';

export interface NbOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  [k: string]: any;
}

export interface ExecuteResult {
  status: 'ok' | 'error' | 'timeout';
  outputs: NbOutput[];
  /** stderr text of the cell (tslab reports a failing cell only there) */
  stderr: string;
  executionCount: number | null;
  errorName?: string;
  errorValue?: string;
}

const DELIM = '<IDS|MSG>';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address() as net.AddressInfo;
      srv.close(() => resolve(addr.port));
    });
  });
}

/** Preloaded into every tslab kernel: serialises its ZeroMQ sends (see kernel-preload.ts). */
export const KERNEL_PRELOAD = path.join(__dirname, 'kernel-preload.js');

/** Resolves the tslab launcher of this project. */
export function tslabBin(projectRoot: string): string {
  const local = path.join(projectRoot, 'node_modules', 'tslab', 'bin', 'tslab');
  if (fs.existsSync(local)) return local;
  return require.resolve('tslab/bin/tslab');
}

interface Msg {
  header: any;
  parent_header: any;
  metadata: any;
  content: any;
}

export interface KernelOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  projectRoot: string;
  /** milliseconds to wait for the kernel to answer kernel_info (default 60 s) */
  startTimeoutMs?: number;
}

export class TslabKernel {
  private proc: ChildProcess | null = null;
  private shell!: zmq.Dealer;
  private control!: zmq.Dealer;
  private iopub!: zmq.Subscriber;
  private key = randomBytes(32).toString('hex');
  private session = randomUUID();
  private connFile = '';
  private listeners = new Map<string, (m: Msg) => void>();
  private replies = new Map<string, (m: Msg) => void>();
  private closed = false;
  private procExit: Promise<number | null> = Promise.resolve(null);
  /** stderr of the kernel process (startup failures) */
  kernelStderr = '';
  /**
   * The last non-empty line the running cell printed or displayed (text/plain; a progress bar's
   * latest state), for a headless runner's heartbeat; '' at the start of each cell.
   */
  lastLine = '';

  constructor(private readonly opts: KernelOptions) {}

  private sign(parts: Buffer[]): string {
    const h = createHmac('sha256', this.key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }

  private encode(msgType: string, content: any): { frames: Buffer[]; msgId: string } {
    const msgId = randomUUID();
    const header = {
      msg_id: msgId,
      username: 'ser',
      session: this.session,
      msg_type: msgType,
      version: '5.3',
      date: new Date().toISOString(),
    };
    const parts = [header, {}, {}, content].map((x) => Buffer.from(JSON.stringify(x)));
    return { frames: [Buffer.from(DELIM), Buffer.from(this.sign(parts)), ...parts], msgId };
  }

  private decode(frames: Buffer[]): Msg | null {
    const i = frames.findIndex((f) => f.toString() === DELIM);
    if (i < 0 || frames.length < i + 6) return null;
    const [sig, h, p, m, c] = frames.slice(i + 1, i + 6);
    if (this.sign([h, p, m, c]) !== sig.toString()) return null;
    return {
      header: JSON.parse(h.toString()),
      parent_header: JSON.parse(p.toString()),
      metadata: JSON.parse(m.toString()),
      content: JSON.parse(c.toString()),
    };
  }

  async start(): Promise<void> {
    const ports = [];
    for (let i = 0; i < 5; i++) ports.push(await freePort());
    const conn = {
      transport: 'tcp',
      ip: '127.0.0.1',
      shell_port: ports[0],
      iopub_port: ports[1],
      stdin_port: ports[2],
      control_port: ports[3],
      hb_port: ports[4],
      signature_scheme: 'hmac-sha256',
      key: this.key,
    };
    this.connFile = path.join(os.tmpdir(), `ser-kernel-${process.pid}-${randomUUID()}.json`);
    fs.writeFileSync(this.connFile, JSON.stringify(conn));
    const bin = tslabBin(this.opts.projectRoot);
    this.proc = spawn(process.execPath, ['--require', KERNEL_PRELOAD, bin, 'kernel', '--config-path', this.connFile], {
      cwd: this.opts.cwd,
      env: { ...process.env, ...this.opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout?.on('data', () => undefined);
    this.proc.stderr?.on('data', (d) => {
      this.kernelStderr = (this.kernelStderr + d.toString()).slice(-20000);
    });
    const proc = this.proc;
    this.procExit = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));

    const url = (p: number) => `tcp://127.0.0.1:${p}`;
    this.shell = new zmq.Dealer();
    this.control = new zmq.Dealer();
    this.iopub = new zmq.Subscriber();
    for (const s of [this.shell, this.control, this.iopub]) s.linger = 0;
    this.shell.connect(url(conn.shell_port));
    this.control.connect(url(conn.control_port));
    this.iopub.connect(url(conn.iopub_port));
    this.iopub.subscribe();
    void this.pump(this.iopub, (m) => this.listeners.get(m.parent_header?.msg_id)?.(m));
    void this.pump(this.shell, (m) => this.replies.get(m.parent_header?.msg_id)?.(m));
    void this.pump(this.control, (m) => this.replies.get(m.parent_header?.msg_id)?.(m));

    // kernel_info_request until the kernel answers and iopub is connected (slow joiner)
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 60000);
    let exited = false;
    void this.procExit.then(() => (exited = true));
    for (;;) {
      if (exited) throw new Error(`tslab kernel exited during startup: ${this.kernelStderr.trim().split('\n').pop() ?? ''}`);
      if (Date.now() > deadline) throw new Error('tslab kernel did not answer kernel_info_request in time');
      const { frames, msgId } = this.encode('kernel_info_request', {});
      let gotIopub = false;
      let gotReply = false;
      this.listeners.set(msgId, () => (gotIopub = true));
      this.replies.set(msgId, () => (gotReply = true));
      await this.shell.send(frames);
      const t0 = Date.now();
      while (Date.now() - t0 < 1000 && !(gotIopub && gotReply)) await sleep(25);
      this.listeners.delete(msgId);
      this.replies.delete(msgId);
      if (gotIopub && gotReply) return;
    }
  }

  private async pump(sock: zmq.Dealer | zmq.Subscriber, onMsg: (m: Msg) => void): Promise<void> {
    while (!this.closed) {
      let frames: Buffer[];
      try {
        frames = (await sock.receive()) as Buffer[];
      } catch {
        return;
      }
      const m = this.decode(frames);
      if (m) onMsg(m);
    }
  }

  /** Executes one cell; resolves when the reply has come and iopub is idle again. */
  async execute(code: string, timeoutMs: number): Promise<ExecuteResult> {
    const { frames, msgId } = this.encode('execute_request', {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    const outputs: NbOutput[] = [];
    const displayIndex = new Map<string, number[]>();
    let stderr = '';
    let idle = false;
    let reply: Msg | null = null;
    this.lastLine = '';
    const noteLine = (text: unknown) => {
      if (typeof text !== 'string') return;
      const lines = text.split(/[\r\n]+/).filter((l) => l.trim());
      if (lines.length) this.lastLine = lines[lines.length - 1].trim();
    };
    const addStream = (name: string, text: string) => {
      noteLine(text);
      if (name === 'stderr') stderr += text;
      const last = outputs[outputs.length - 1];
      if (last && last.output_type === 'stream' && last.name === name) last.text += text;
      else outputs.push({ output_type: 'stream', name, text });
    };
    this.listeners.set(msgId, (m) => {
      const t = m.header.msg_type;
      const c = m.content;
      if (t === 'status') {
        if (c.execution_state === 'idle') idle = true;
      } else if (t === 'stream') {
        addStream(c.name, c.text);
      } else if (t === 'display_data' || t === 'execute_result') {
        const o: NbOutput =
          t === 'display_data'
            ? { output_type: 'display_data', data: c.data, metadata: c.metadata ?? {} }
            : { output_type: 'execute_result', data: c.data, metadata: c.metadata ?? {}, execution_count: c.execution_count };
        const id = c.transient?.display_id;
        noteLine(c.data?.['text/plain']);
        outputs.push(o);
        if (id) displayIndex.set(id, [...(displayIndex.get(id) ?? []), outputs.length - 1]);
      } else if (t === 'update_display_data') {
        const id = c.transient?.display_id;
        noteLine(c.data?.['text/plain']);
        for (const i of displayIndex.get(id) ?? []) {
          outputs[i] = { ...outputs[i], data: c.data, metadata: c.metadata ?? {} };
        }
      } else if (t === 'clear_output') {
        outputs.length = 0;
        displayIndex.clear();
      } else if (t === 'error') {
        outputs.push({ output_type: 'error', ename: c.ename, evalue: c.evalue, traceback: c.traceback ?? [] });
      }
    });
    this.replies.set(msgId, (m) => (reply = m));
    await this.shell.send(frames);
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.procExit.then(() => (exited = true));
    while (!(idle && reply)) {
      if (exited) {
        this.listeners.delete(msgId);
        return {
          status: 'error',
          outputs,
          stderr: `${stderr}\n${this.kernelStderr}`,
          executionCount: null,
          errorName: 'KernelDied',
          errorValue: 'the tslab kernel process exited',
        };
      }
      if (Date.now() > deadline) {
        this.listeners.delete(msgId);
        return {
          status: 'timeout',
          outputs,
          stderr,
          executionCount: null,
          errorName: 'Timeout',
          errorValue: `cell exceeded ${Math.round(timeoutMs / 1000)} s`,
        };
      }
      await sleep(10);
    }
    this.listeners.delete(msgId);
    this.replies.delete(msgId);
    const r = (reply as unknown as Msg).content;
    return {
      status: r.status === 'ok' ? 'ok' : 'error',
      outputs,
      stderr,
      executionCount: typeof r.execution_count === 'number' ? r.execution_count : null,
      errorName: r.ename || undefined,
      errorValue: r.evalue || undefined,
    };
  }

  /** Asks the kernel to shut down, then makes sure the process is gone. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.proc && this.proc.exitCode === null) {
        const { frames } = this.encode('shutdown_request', { restart: false });
        await this.control.send(frames);
        await Promise.race([this.procExit, sleep(3000)]);
      }
    } catch {
      /* fall through to kill */
    }
    this.closed = true;
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGKILL');
      await Promise.race([this.procExit, sleep(2000)]);
    }
    for (const s of [this.shell, this.control, this.iopub]) {
      try {
        s.close();
      } catch {
        /* already closed */
      }
    }
    try {
      fs.unlinkSync(this.connFile);
    } catch {
      /* gone */
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
