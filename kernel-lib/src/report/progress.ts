/**
 * Progress for long work: a bar on stderr in a terminal (rate and ETA), an updating output in
 * a notebook. Updates are throttled; `done()` prints the final line.
 */
import { inNotebook, LiveDisplay } from './display';

export interface Progress {
  tick(n?: number, note?: string): void;
  done(note?: string): void;
}

export interface ProgressOptions {
  /** minimum milliseconds between two updates (default 250) */
  intervalMs?: number;
  /** unit for the rate, e.g. 'clips' */
  unit?: string;
  /** write nothing (tests, --quiet) */
  silent?: boolean;
  stream?: NodeJS.WritableStream;
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function progressLine(label: string, done: number, total: number, elapsedS: number, unit: string, note = ''): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const width = 24;
  const full = Math.round(frac * width);
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  return `${label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${total} ${(frac * 100).toFixed(0)}% ${rate.toFixed(2)} ${unit}/s ETA ${fmtSeconds(eta)}${note ? ' ' + note : ''}`;
}

export function progress(label: string, total: number, opts: ProgressOptions = {}): Progress {
  const start = Date.now();
  const interval = opts.intervalMs ?? 250;
  const unit = opts.unit ?? 'items';
  const nb = inNotebook();
  const live = nb ? new LiveDisplay() : null;
  const stream = opts.stream ?? process.stderr;
  const tty = !nb && (stream as any).isTTY;
  let done = 0;
  let last = 0;
  const render = (final: boolean, note?: string) => {
    if (opts.silent) return;
    const line = progressLine(label, done, total, (Date.now() - start) / 1000, unit, note);
    if (live) live.text(line);
    else if (tty) stream.write(`\r${line}${final ? '\n' : ''}`);
    else if (final || Date.now() - last >= Math.max(interval, 5000)) stream.write(line + '\n');
  };
  return {
    tick(n = 1, note?: string) {
      done += n;
      const now = Date.now();
      if (now - last >= interval) {
        render(false, note);
        last = now;
      }
    },
    done(note?: string) {
      render(true, note ?? `done in ${fmtSeconds((Date.now() - start) / 1000)}`);
    },
  };
}
