/** Messages between the page (page.ts) and its engine worker (engine.worker.ts). */
import type { WindowTiming } from 'kernel-lib/dist/browser';

export type ToEngine =
  | { type: 'init' }
  | { type: 'window'; id: number; y: Float32Array; sr: number }
  | { type: 'file'; id: number; name: string; bytes: ArrayBuffer }
  | { type: 'measure'; id: number; y: Float32Array; sr: number; n: number };

export interface EngineReady {
  type: 'ready';
  classes: string[];
  dspEngine: { engine: string; detail: string };
  /** a first window of silence, cold caches */
  warmupMs: number;
}

export interface WindowDone {
  type: 'window';
  id: number;
  probabilities: number[];
  top: string;
  timing: WindowTiming;
  mel: { rows: number; cols: number; data: Float32Array };
}

export interface FileDone {
  type: 'file';
  id: number;
  name: string;
  probabilities: number[];
  top: string;
  warning?: string;
  timing: WindowTiming;
}

export interface MeasureDone {
  type: 'measure';
  id: number;
  sr: number;
  /** one per window, in order */
  timings: WindowTiming[];
}

export interface EngineError {
  type: 'error';
  /** the request that failed, or -1 for initialisation */
  id: number;
  message: string;
}

export type FromEngine = EngineReady | WindowDone | FileDone | MeasureDone | EngineError;
