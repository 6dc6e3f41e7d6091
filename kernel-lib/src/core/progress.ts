/**
 * Progress for long work: a bar on stderr in a terminal (rate and ETA), an updating output in
 * a notebook. Updates are throttled; `done()` prints the final line.
 */
import { inNotebook, LiveDisplay } from './display';

export interface Progress {
  /** `n` more items done */
  tick(n?: number, note?: string): void;
  /** `total` items done so far (for callbacks that report a running count) */
  to(total: number, note?: string): void;
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

/** Seconds as '45s', '3m05s' or '1h02m'. */
export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * One progress line. `rate` (units per second) defaults to the average since the start; callers
 * pass a recent rate (see `progress`) so that a cold start does not skew the ETA.
 */
export function progressLine(label: string, done: number, total: number, elapsedS: number, unit: string, note = '', rate?: number): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const width = 24;
  const full = Math.round(frac * width);
  const r = rate ?? (elapsedS > 0 ? done / elapsedS : 0);
  const eta = r > 0 ? (total - done) / r : Infinity;
  return `${label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${total} ${(frac * 100).toFixed(0)}% ${r.toFixed(2)} ${unit}/s ETA ${fmtSeconds(eta)}${note ? ` ${note}` : ''}`;
}

/**
 * The rate over a moving window: units per second between the oldest point no older than
 * `windowS` and the newest (the two newest points when the window holds fewer).
 */
export class MovingRate {
  private pts: { t: number; n: number }[] = [];
  constructor(private readonly windowS = 30) {}
  add(t: number, n: number): void {
    this.pts.push({ t, n });
    const cut = t - this.windowS * 1000;
    let k = 0;
    while (k < this.pts.length - 2 && this.pts[k].t < cut) k++;
    if (k > 0) this.pts.splice(0, k);
  }
  rate(): number {
    if (this.pts.length < 2) return 0;
    const a = this.pts[0];
    const b = this.pts[this.pts.length - 1];
    return b.t > a.t ? ((b.n - a.n) * 1000) / (b.t - a.t) : 0;
  }
}

/**
 * A progress reporter. In a terminal: a bar redrawn in place every `intervalMs`. In a notebook:
 * an updating output. Anything else (a log file, a pipe): a plain line at the start, then every
 * 10 % of the work or every 30 s, whichever comes first, and at the end. Rates and ETAs are over
 * the last 30 s, not from the first item's cold start.
 */
export function progress(label: string, total: number, opts: ProgressOptions = {}): Progress {
  const start = Date.now();
  const interval = opts.intervalMs ?? 250;
  const unit = opts.unit ?? 'items';
  const nb = inNotebook();
  const live = nb ? new LiveDisplay() : null;
  const stream = opts.stream ?? process.stderr;
  const tty = !nb && (stream as any).isTTY;
  const window = new MovingRate(30);
  window.add(start, 0);
  let done = 0;
  let last = 0;
  let loggedAt = start;
  let loggedDone = 0;
  const step = Math.max(1, Math.ceil(total / 10));
  const line = (note?: string) => progressLine(label, done, total, (Date.now() - start) / 1000, unit, note, window.rate());
  if (!opts.silent && !live && !tty) stream.write(`${label}: ${total} ${unit} to do\n`);
  const render = (final: boolean, note?: string) => {
    if (opts.silent) return;
    if (live) live.text(line(note));
    else if (tty) stream.write(`\r${line(note)}${final ? '\n' : ''}`);
    else {
      const now = Date.now();
      if (final || done - loggedDone >= step || now - loggedAt >= 30000) {
        stream.write(`${line(note)}\n`);
        loggedAt = now;
        loggedDone = done;
      }
    }
  };
  // a notebook shows the bar at 0 at once (and a headless runner's log line names this step, not the last one)
  if (live && !opts.silent) live.text(line());
  return {
    tick(n = 1, note?: string) {
      done += n;
      const now = Date.now();
      window.add(now, done);
      if (tty || live) {
        if (now - last >= interval) {
          render(false, note);
          last = now;
        }
      } else render(false, note);
    },
    to(total: number, note?: string) {
      this.tick(total - done, note);
    },
    done(note?: string) {
      render(true, note ?? `done in ${fmtSeconds((Date.now() - start) / 1000)}`);
    },
  };
}
