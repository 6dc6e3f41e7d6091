/**
 * A small pool of `node:worker_threads` workers running SVM tasks (worker.ts), so the
 * one-vs-one problems of a fit, and blocks of rows at prediction, use every core. Tasks are
 * handed out largest first by the caller; a worker holds the process open only while it has
 * work (idle workers are unref'd), so scripts exit without an explicit shutdown.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SvmTask } from './tasks';

interface Pending {
  resolve: (v: any) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: number | null;
}

/** Free memory of the machine in bytes (os.freemem: MemAvailable on Linux), for 'auto' kernel caches. */
export function freeMemoryBytes(): number | null {
  return os.freemem();
}

/** Default worker count: one per core. */
export function defaultSvmWorkers(): number {
  return Math.max(1, os.cpus().length);
}

export class SvmPool {
  private slots: Slot[] = [];
  private queue: { id: number; task: SvmTask }[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number = defaultSvmWorkers()) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`SvmPool: size must be an integer >= 1, got ${size}`);
  }

  /** Path of the compiled worker script (next to this file in dist/models/svm). */
  static workerFile(): string {
    return path.join(__dirname, 'worker.js');
  }

  private spawn(): Slot {
    const worker = new Worker(SvmPool.workerFile());
    const slot: Slot = { worker, busy: null };
    worker.unref();
    worker.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      slot.busy = null;
      worker.unref();
      if (p) {
        if (msg.ok) p.resolve(msg.result);
        else p.reject(new Error(`svm worker: ${msg.error}`));
      }
      this.pump();
    });
    worker.on('error', (e) => this.fail(slot, e));
    worker.on('exit', (code) => {
      if (!this.closed && slot.busy !== null) this.fail(slot, new Error(`svm worker exited with code ${code}`));
      this.slots = this.slots.filter((s) => s !== slot);
    });
    this.slots.push(slot);
    return slot;
  }

  private fail(slot: Slot, e: Error): void {
    if (slot.busy !== null) {
      const p = this.pending.get(slot.busy);
      this.pending.delete(slot.busy);
      slot.busy = null;
      p?.reject(e);
    }
    this.slots = this.slots.filter((s) => s !== slot);
    void slot.worker.terminate();
    this.pump();
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.busy === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.busy = job.id;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, task: job.task });
    }
  }

  /** Queues a task; resolves with its result. */
  run<T>(task: SvmTask): Promise<T> {
    if (this.closed) return Promise.reject(new Error('SvmPool is closed'));
    const id = this.nextId++;
    const p = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push({ id, task });
    this.pump();
    return p;
  }

  /** Stops every worker; queued tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue) this.pending.get(q.id)?.reject(new Error('SvmPool closed'));
    this.queue = [];
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}

let shared: SvmPool | null = null;

/** The process-wide pool with `size` workers (re-created when the size changes). */
export function svmPool(size: number = defaultSvmWorkers()): SvmPool {
  if (!shared || shared.size !== size) {
    if (shared) void shared.close();
    shared = new SvmPool(size);
  }
  return shared;
}

/** Terminates the shared pool (optional: idle workers never keep a process alive). */
export async function closeSvmPool(): Promise<void> {
  if (shared) {
    const s = shared;
    shared = null;
    await s.close();
  }
}

/** Copies a matrix into shared memory so workers read it without a copy per message. */
export { toShared } from '../../platform/shared';
