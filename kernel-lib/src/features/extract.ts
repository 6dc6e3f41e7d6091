/**
 * Feature extraction over a corpus into the feature store (`ser features`, notebook 03):
 * for every clip, load (22050 Hz, offset 0.5 s, duration 2.5 s), optionally make the three
 * augmented copies (paper III.A), compute the feature vector of each (the paper's 173 by
 * default), in worker threads, with progress, resumable, deterministic. File format and
 * reader: ./store.ts.
 */
import { INPUT_RULE } from '../core/input-rule';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { addNoise, noiseRng, pitchShift, stretchAndPitch, timeStretch } from '../audio/augment';
import { AUDIO_EXTENSIONS } from '../audio/decode';
import { loadBytes } from '../audio/load';
import * as corpora from '../corpora';
import { type Clip, EMOTIONS } from '../core/types';
import { type FeatureExtractor, isBuiltinExtractor, paper173Extractor, withMeyda } from './extractors';
import { type RunContext, runContext } from '../core/context';
import { progress as makeProgress, type Progress } from '../core/progress';
import { type RecipeOptions, recipeVariant, RECIPE_DEFAULTS } from './recipe';
import {
  AUG_KINDS,
  type AugKind,
  compareRows,
  type FeatureTable,
  JournalWriter,
  journalPath,
  labelOf,
  readFeatureStore,
  readJournal,
  rowClipId,
  type SkippedClip,
  storeRowsByKey,
  writeFeatureStore,
} from './store';

// ---------------------------------------------------------------------------------------------
// Parameters

/** Everything that determines a row's values (part of its cache key). */
export interface ExtractParams {
  /** feature extractor: 'paper173' (built in) or an absolute path to a module exporting a FeatureExtractor */
  extractor: string;
  /** append the meyda descriptors (not part of the paper's 173; see meyda-extra.ts) */
  meyda: boolean;
  sr: number;
  offset: number;
  duration: number;
  /** make the noise / stretch / pitch copies too */
  augment: boolean;
  /** global seed; the noise of a clip derives from it and the clip id */
  seed: number;
  noise: { amplitude: number };
  stretch: { rate: number };
  pitch: { nSteps: number; resType: 'kaiser_best' | 'kaiser_fast' };
  /**
   * variant of the reference recipe (features/recipe.ts: padMode, resType of the load, nMfcc);
   * absent for the reference recipe. Only non-default options are kept (recipeVariant), so the
   * reference recipe's cache keys and store header do not change. The augmented copies are
   * made as without it (their own STFTs and resampling keep librosa 0.10's defaults).
   */
  recipe?: RecipeOptions;
}

export const DEFAULT_EXTRACT_PARAMS: ExtractParams = {
  extractor: 'paper173',
  meyda: false,
  ...INPUT_RULE,
  augment: false,
  seed: 0,
  noise: { amplitude: 0.035 },
  stretch: { rate: 0.8 },
  pitch: { nSteps: 0.7, resType: 'kaiser_best' },
};

/**
 * Bump when the numbers an extractor produces change (a fix in the features or the
 * augmentation): cached rows made by an older version are then recomputed, and saved models
 * are refused (retrain). 2: the CQT octaves are decimated by resampy's own loop (tonnetz exact
 * to 1e-6 on real clips where it was 3e-4).
 */
export const FEATURE_CODE_VERSION = 2;

export type { FeatureExtractor } from './extractors';

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function hashText(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The parameters a row of `kind` depends on (noise rows: the clip id too, as the seed does). */
export function rowParams(p: ExtractParams, extractorName: string, kind: AugKind, clipId: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    code: FEATURE_CODE_VERSION,
    extractor: extractorName,
    meyda: p.meyda,
    sr: p.sr,
    offset: p.offset,
    duration: p.duration,
    kind,
  };
  const recipe = recipeVariant(p.recipe);
  if (recipe) base.recipe = recipe;
  if (kind === 'noise') base.noise = { amplitude: p.noise.amplitude, seed: p.seed, clipId };
  if (kind === 'stretch') base.stretch = { rate: p.stretch.rate };
  if (kind === 'pitch') base.pitch = { nSteps: p.pitch.nSteps, resType: p.pitch.resType };
  return base;
}

/** Cache key of a row: content hash of the source file + hash of the row's parameters. */
export function rowKey(sha256: string, p: ExtractParams, extractorName: string, kind: AugKind, clipId: string): string {
  return `${sha256}:${hashText(stableJson(rowParams(p, extractorName, kind, clipId))).slice(0, 24)}`;
}

/** Checks the load parameters (rate, offset, duration); a bad value is a one-line error. */
export function checkLoadParams(p: Pick<ExtractParams, 'sr' | 'offset' | 'duration'>): void {
  if (!(Number.isInteger(p.sr) && p.sr > 0)) throw new Error(`sr must be a positive integer (Hz), got ${p.sr}`);
  if (!(Number.isFinite(p.offset) && p.offset >= 0)) throw new Error(`offset must be a number of seconds >= 0, got ${p.offset}`);
  if (!(Number.isFinite(p.duration) && p.duration > 0)) throw new Error(`duration must be a number of seconds > 0, got ${p.duration}`);
}

export function kindsFor(p: ExtractParams): AugKind[] {
  return p.augment ? [...AUG_KINDS] : ['orig'];
}

// ---------------------------------------------------------------------------------------------
// One clip

/**
 * Resolves the extractor named in the parameters: a built-in one (features/extractors) or a
 * module on disk exporting {name, layout, extract}; with the meyda columns appended when asked.
 */
export function resolveExtractor(p: ExtractParams): FeatureExtractor {
  let base: FeatureExtractor;
  if (isBuiltinExtractor(p.extractor)) base = paper173Extractor(p.recipe);
  else {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const m = require(path.resolve(p.extractor));
    const ex: FeatureExtractor = m.default ?? m.extractor ?? m;
    if (!ex || typeof ex.extract !== 'function' || !Array.isArray(ex.layout) || typeof ex.name !== 'string') {
      throw new Error(`${p.extractor}: not a feature extractor module (needs name, layout, extract)`);
    }
    const variant = recipeVariant(p.recipe);
    if (variant?.nMfcc !== undefined || variant?.padMode !== undefined)
      throw new Error(`${p.extractor}: the recipe options n_mfcc and pad_mode apply to the built-in paper173 extractor only`);
    base = ex;
  }
  return p.meyda ? withMeyda(base) : base;
}

/**
 * librosa.load(<bytes>, sr, offset, duration, res_type='kaiser_best' or the recipe's resType):
 * decode the native span [int(offset*sr0), +int(duration*sr0)), mix to mono, resample to `sr`.
 */
export async function loadClipBytes(
  bytes: Uint8Array,
  name: string,
  p: Pick<ExtractParams, 'sr' | 'offset' | 'duration' | 'recipe'>,
): Promise<Float32Array> {
  return (
    await loadBytes(bytes, name, {
      sr: p.sr,
      offset: p.offset,
      duration: p.duration,
      resType: p.recipe?.resType ?? RECIPE_DEFAULTS.resType,
    })
  ).y;
}

/** The signal of one row kind, made from the loaded clip. */
export function augmentedSignal(y: Float32Array, kind: AugKind, p: ExtractParams, clipId: string): Float32Array {
  return augmentedSignals(y, [kind], p, clipId)[0];
}

/**
 * The signals of row kinds of one clip: the clip itself and its noise, stretch and pitch copies
 * (paper III.A). When both the stretch and the pitch copy are asked for, they share the clip's
 * STFT (`stretchAndPitch`: the same samples as made apart).
 */
export function augmentedSignals(y: Float32Array, kinds: AugKind[], p: ExtractParams, clipId: string): Float32Array[] {
  const stretch = { rate: p.stretch.rate };
  const pitch = { nSteps: p.pitch.nSteps, resType: p.pitch.resType };
  const both = kinds.includes('stretch') && kinds.includes('pitch') ? stretchAndPitch(y, p.sr, stretch, pitch) : null;
  return kinds.map((kind) => {
    if (kind === 'orig') return y;
    if (kind === 'noise') return addNoise(y, { amplitude: p.noise.amplitude, rng: noiseRng(p.seed, clipId) });
    if (kind === 'stretch') return both ? both.stretch : timeStretch(y, stretch);
    return both ? both.pitch : pitchShift(y, p.sr, pitch);
  });
}

export interface ClipRow {
  kind: AugKind;
  values: Float32Array;
}

/** Loads one clip from its bytes and computes the rows of the given kinds. Throws on a bad file. */
export async function computeClipRows(
  bytes: Uint8Array,
  name: string,
  clipId: string,
  kinds: AugKind[],
  p: ExtractParams,
  ex: FeatureExtractor,
): Promise<ClipRow[]> {
  const signals = augmentedSignals(await loadClipBytes(bytes, name, p), kinds, p, clipId);
  return kinds.map((kind, q) => {
    const v = ex.extract(signals[q], p.sr);
    if (v.length !== ex.layout.length)
      throw new Error(`${name}: extractor ${ex.name} gave ${v.length} values, layout has ${ex.layout.length}`);
    return { kind, values: Float32Array.from(v as ArrayLike<number>) };
  });
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** A clip to extract: where it is and its labels. */
export interface ClipInput {
  clipId: string;
  path: string;
  /** '' when unknown */
  emotion: string;
  speaker: string;
  corpus: string;
  /** name used in messages (default: path) */
  file?: string;
}

/** Every file with an audio extension under `dir`, in sorted order. */
function walkAudioFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (AUDIO_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Clips for a list of inputs: a folder is scanned with the corpus scanner (labels from the
 * file names); an audio file is labelled by the corpus parsers when its name is a corpus name,
 * else unlabelled. A folder the scanner finds no corpus in falls back to all its audio files.
 */
export function resolveInputs(inputs: string[]): ClipInput[] {
  const clips: ClipInput[] = [];
  for (const input of inputs) {
    const abs = path.resolve(input);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      const e = new Error(`${input}: no such file or folder`);
      (e as any).usage = true;
      throw e;
    }
    if (st.isDirectory()) {
      const found: Clip[] = corpora.scanCorpora(abs).clips;
      if (found.length) {
        for (const c of found)
          clips.push({
            clipId: c.clipId,
            path: c.path,
            emotion: c.emotion,
            speaker: c.speaker,
            corpus: c.corpus,
            file: path.relative(abs, c.path),
          });
      } else {
        for (const f of walkAudioFiles(abs)) clips.push(fileClip(f, path.relative(abs, f)));
      }
    } else {
      clips.push(fileClip(abs, input));
    }
  }
  return clips;
}

function fileClip(abs: string, shown: string): ClipInput {
  const parsed = corpora.parseClipPath(abs);
  if (parsed && parsed.kind === 'clip') {
    const c = parsed.clip;
    return { clipId: c.clipId, path: abs, emotion: c.emotion, speaker: c.speaker, corpus: c.corpus, file: shown };
  }
  return { clipId: `file:${path.basename(abs)}`, path: abs, emotion: '', speaker: '', corpus: '', file: shown };
}

// ---------------------------------------------------------------------------------------------
// Worker pool

/** A clip sent to a worker thread (extract-worker.ts): its bytes and the row kinds wanted. */
export interface ExtractJob {
  id: number;
  bytes: Uint8Array;
  name: string;
  clipId: string;
  kinds: AugKind[];
}

type Job = ExtractJob;
type JobResult = { id: number; rows?: { kind: AugKind; values: Float32Array }[]; error?: string; ms?: number };

/**
 * Runs jobs on N worker threads (N = 0: in this thread, yielding between clips). Each worker
 * holds up to QUEUE_DEPTH jobs, so it starts its next clip as soon as it posts a result
 * instead of waiting for the main thread to read, hash and send one. A worker that dies fails
 * the job it was running (the oldest it holds: workers take messages in order); the jobs
 * queued behind it go to its replacement.
 */
const QUEUE_DEPTH = 2;

class Pool {
  private workers: { w: Worker | null; jobs: Job[] }[] = [];
  private pending = new Map<number, (r: JobResult) => void>();
  private idle: (() => void)[] = [];
  private local: FeatureExtractor | null = null;
  private closed = false;

  constructor(
    private readonly n: number,
    private readonly params: ExtractParams,
  ) {
    if (n === 0) this.local = resolveExtractor(params);
    for (let i = 0; i < n; i++) this.workers.push({ w: this.spawn(i), jobs: [] });
  }

  private spawn(i: number): Worker {
    const w = new Worker(path.join(__dirname, 'extract-worker.js'), { workerData: { params: this.params } });
    w.on('message', (r: JobResult) => {
      const slot = this.workers[i];
      slot.jobs = slot.jobs.filter((j) => j.id !== r.id);
      this.settle(r);
    });
    const fail = (why: string) => {
      const slot = this.workers[i];
      if (slot.w !== w) return;
      const [job, ...queued] = slot.jobs;
      slot.jobs = [];
      slot.w = null;
      if (!this.closed) {
        slot.w = this.spawn(i);
        for (const q of queued) this.post(slot, q);
      } else {
        for (const q of queued) this.settle({ id: q.id, error: `worker failed: ${why}` });
      }
      if (job) this.settle({ id: job.id, error: `worker failed: ${why}` });
      else this.wake();
    };
    w.on('error', (e) => fail(e.message.split('\n')[0]));
    w.on('exit', (code) => {
      if (!this.closed) fail(`exited with code ${code}`);
    });
    return w;
  }

  private settle(r: JobResult): void {
    const done = this.pending.get(r.id);
    this.pending.delete(r.id);
    done?.(r);
    this.wake();
  }

  private wake(): void {
    const f = this.idle.shift();
    if (f) f();
  }

  private free(): { w: Worker | null; jobs: Job[] } | undefined {
    let best: { w: Worker | null; jobs: Job[] } | undefined;
    for (const s of this.workers) if (s.w && s.jobs.length < QUEUE_DEPTH && (!best || s.jobs.length < best.jobs.length)) best = s;
    return best;
  }

  /** Resolves when a job can be submitted without waiting. */
  async ready(): Promise<void> {
    if (this.n === 0) return;
    while (!this.free()) await new Promise<void>((r) => this.idle.push(r));
  }

  private post(slot: { w: Worker | null; jobs: Job[] }, job: Job): void {
    slot.jobs.push(job);
    // copied, not transferred: a job queued behind one that kills its worker is sent again
    slot.w!.postMessage(job);
  }

  /** Submits a job (call after `ready()`); the promise settles with its result. */
  submit(job: Job): Promise<JobResult> {
    if (this.n === 0) {
      return new Promise((resolve) =>
        setImmediate(async () => {
          const t0 = Date.now();
          try {
            const rows = await computeClipRows(job.bytes, job.name, job.clipId, job.kinds, this.params, this.local as FeatureExtractor);
            resolve({ id: job.id, rows, ms: Date.now() - t0 });
          } catch (e) {
            resolve({ id: job.id, error: errorReason(e, job.name) });
          }
        }),
      );
    }
    const slot = this.free();
    if (!slot?.w) throw new Error('pool: no free worker (call ready() first)');
    return new Promise((resolve) => {
      this.pending.set(job.id, resolve);
      this.post(slot, job);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((s) => (s.w ? s.w.terminate() : Promise.resolve(0))));
  }
}

/** One-line reason of a failure, without repeating the file name twice. */
export function errorReason(e: unknown, name: string): string {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  return msg.startsWith(`${name}: `) ? msg.slice(name.length + 2) : msg;
}

// ---------------------------------------------------------------------------------------------
// The store builder

export interface BuildFeatureStoreOptions {
  /** folders (scanned as corpora) and/or audio files */
  inputs?: string[];
  /** or the clips themselves */
  clips?: ClipInput[];
  /** the store file to write */
  out: string;
  augment?: boolean;
  /** worker threads (default: all cores; 0 = in this thread) */
  workers?: number;
  seed?: number;
  meyda?: boolean;
  /** 'paper173' or a path to an extractor module */
  extractor?: string;
  /** override load/augmentation parameters (tests, ablations) */
  params?: Partial<ExtractParams>;
  /** false: no progress output; an object: progress options (default: a bar on stderr / a live display in a notebook) */
  progress?: boolean | { silent?: boolean; stream?: NodeJS.WritableStream; intervalMs?: number };
  /** called for each skipped clip as it happens */
  onSkip?: (s: SkippedClip) => void;
  /** stop after this many newly computed clips (tests of resume) */
  stopAfter?: number;
  /** false: compute every clip even when its rows exist (benchmarks); default true */
  reuse?: boolean;
  /** other store files whose rows may be reused (same cache keys), e.g. the plain store when building the augmented one */
  reuseFrom?: string[];
}

export interface BuildFeatureStoreResult {
  out: string;
  /** clips found (including skipped ones) */
  found: number;
  /** clips in the store */
  nClips: number;
  nRows: number;
  nFeatures: number;
  /** clips whose rows were computed in this run */
  computed: number;
  /** clips whose rows all came from the existing store or journal */
  reused: number;
  skipped: SkippedClip[];
  seconds: number;
  /** computed clips per second (load + features of every kind) */
  clipsPerSecond: number;
  workers: number;
  params: ExtractParams;
  /** false when stopped early (stopAfter): the journal holds the work */
  complete: boolean;
}

export function defaultWorkers(): number {
  return typeof (os as any).availableParallelism === 'function' ? (os as any).availableParallelism() : os.cpus().length;
}

/**
 * Extracts features for every clip into a feature store (the function behind
 * `ser features`). Resumes from `<out>.journal` and reuses rows of an existing `<out>` with
 * the same cache keys; a clip that fails to load is reported and skipped.
 */
export async function buildFeatureStore(opts: BuildFeatureStoreOptions): Promise<BuildFeatureStoreResult> {
  const t0 = Date.now();
  const params: ExtractParams = {
    ...DEFAULT_EXTRACT_PARAMS,
    ...(opts.params ?? {}),
    ...(opts.augment !== undefined ? { augment: opts.augment } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.meyda !== undefined ? { meyda: opts.meyda } : {}),
    ...(opts.extractor !== undefined ? { extractor: opts.extractor } : {}),
  };
  // clips, sorted by id; duplicates (same id twice) are skipped with a reason
  const all = [...(opts.clips ?? []), ...(opts.inputs ? resolveInputs(opts.inputs) : [])];
  if (params.extractor !== 'paper173') params.extractor = path.resolve(params.extractor);
  checkLoadParams(params);
  const recipe = recipeVariant(params.recipe);
  if (recipe) params.recipe = recipe;
  else delete params.recipe;
  const ex = resolveExtractor(params);
  const nFeatures = ex.layout.length;
  const kinds = kindsFor(params);

  all.sort((a, b) => (a.clipId < b.clipId ? -1 : a.clipId > b.clipId ? 1 : 0));
  const clips: ClipInput[] = [];
  const skipped: SkippedClip[] = [];
  const skip = (s: SkippedClip) => {
    skipped.push(s);
    opts.onSkip?.(s);
  };
  for (const c of all) {
    if (clips.length && clips[clips.length - 1].clipId === c.clipId) {
      skip({
        clipId: c.clipId,
        file: c.file ?? c.path,
        reason: `duplicate clip id (also ${clips[clips.length - 1].file ?? clips[clips.length - 1].path})`,
      });
    } else clips.push(c);
  }

  // what exists: rows of an earlier store and of an interrupted run
  const out = path.resolve(opts.out);
  const jfile = journalPath(out);
  const reuse = opts.reuse !== false;
  const cache: Map<string, Float32Array> = new Map();
  if (reuse) {
    for (const f of [...(opts.reuseFrom ?? []).map((x) => path.resolve(x)), out]) {
      for (const [k, v] of storeRowsByKey(f)) if (v.length === nFeatures) cache.set(k, v);
    }
  }
  if (reuse) for (const [k, v] of readJournal(jfile, nFeatures)) cache.set(k, v);
  else fs.rmSync(jfile, { force: true });
  const journal = new JournalWriter(jfile);

  const nWorkers = Math.max(0, Math.floor(opts.workers ?? defaultWorkers()));
  const pool = new Pool(nWorkers, params);
  const show = opts.progress !== false;
  const popts = typeof opts.progress === 'object' ? opts.progress : {};
  const bar: Progress = makeProgress(`features${params.augment ? ' (x4 augmented)' : ''}`, clips.length, {
    unit: 'clips',
    silent: !show || popts.silent,
    stream: popts.stream,
    intervalMs: popts.intervalMs,
  });

  interface Done {
    clip: ClipInput;
    sha: string;
    keys: string[];
  }
  const done: (Done | null)[] = new Array(clips.length).fill(null);
  let computed = 0;
  let reused = 0;
  const inflight = new Set<Promise<void>>();
  let stopped = false;
  let jobId = 0;

  try {
    for (let i = 0; i < clips.length; i++) {
      if (opts.stopAfter !== undefined && computed + inflight.size >= opts.stopAfter) {
        stopped = true;
        break;
      }
      const clip = clips[i];
      const name = clip.file ?? clip.path;
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(clip.path);
      } catch (e) {
        skip({ clipId: clip.clipId, file: name, reason: `cannot read (${(e as NodeJS.ErrnoException).code ?? errorReason(e, name)})` });
        bar.tick(1);
        continue;
      }
      const sha = createHash('sha256').update(bytes).digest('hex');
      const keys = kinds.map((k) => rowKey(sha, params, ex.name, k, clip.clipId));
      const missing = reuse ? kinds.filter((_, j) => !cache.has(keys[j])) : kinds;
      if (!missing.length) {
        done[i] = { clip, sha, keys };
        reused++;
        bar.tick(1);
        continue;
      }
      await pool.ready();
      const job: Job = { id: ++jobId, bytes, name, clipId: clip.clipId, kinds: missing };
      const p = pool.submit(job).then((r) => {
        inflight.delete(p);
        if (r.error !== undefined || !r.rows) {
          skip({ clipId: clip.clipId, file: name, reason: r.error ?? 'no result' });
        } else {
          const rows = r.rows.map((row) => ({ key: keys[kinds.indexOf(row.kind)], values: row.values }));
          journal.append(rows);
          for (const row of rows) cache.set(row.key, row.values);
          done[i] = { clip, sha, keys };
          computed++;
        }
        bar.tick(1);
      });
      inflight.add(p);
      if (nWorkers === 0) await p;
    }
    await Promise.all([...inflight]);
  } finally {
    journal.close();
    await pool.close();
  }

  const seconds = (Date.now() - t0) / 1000;
  const result = (complete: boolean, nRows: number): BuildFeatureStoreResult => ({
    out,
    found: all.length,
    nClips: complete ? done.filter((d) => d !== null).length : 0,
    nRows,
    nFeatures,
    computed,
    reused,
    skipped,
    seconds,
    clipsPerSecond: computed / Math.max(1e-9, seconds),
    workers: nWorkers,
    params,
    complete,
  });
  if (stopped) {
    bar.done(`stopped after ${computed} clips (resumable)`);
    return result(false, 0);
  }

  // the canonical store: rows sorted by clip id then kind
  type R = { sourceClipId: string; kind: AugKind; clip: ClipInput; sha: string; key: string };
  const rows: R[] = [];
  for (const d of done) {
    if (!d) continue;
    kinds.forEach((kind, j) => rows.push({ sourceClipId: d.clip.clipId, kind, clip: d.clip, sha: d.sha, key: d.keys[j] }));
  }
  rows.sort(compareRows);
  const X = new Float32Array(rows.length * nFeatures);
  rows.forEach((r, i) => X.set(cache.get(r.key) as Float32Array, i * nFeatures));
  skipped.sort((a, b) => (a.clipId < b.clipId ? -1 : a.clipId > b.clipId ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  writeFeatureStore(
    out,
    {
      nRows: rows.length,
      nFeatures,
      layout: ex.layout,
      emotions: [...EMOTIONS],
      params: { ...params, extractor: ex.name, kinds, featureCodeVersion: FEATURE_CODE_VERSION },
      columns: {
        clipId: rows.map((r) => rowClipId(r.sourceClipId, r.kind)),
        sourceClipId: rows.map((r) => r.sourceClipId),
        kind: rows.map((r) => r.kind),
        emotion: rows.map((r) => r.clip.emotion),
        label: rows.map((r) => labelOf(r.clip.emotion)),
        speaker: rows.map((r) => r.clip.speaker),
        corpus: rows.map((r) => r.clip.corpus),
        sha256: rows.map((r) => r.sha),
        key: rows.map((r) => r.key),
      },
      skipped,
    },
    X,
  );
  fs.rmSync(jfile, { force: true });
  bar.done(`${rows.length} rows, ${computed} clips computed, ${reused} reused, ${skipped.length} skipped`);
  return result(true, rows.length);
}

/** buildFeatureStore, then the store read back (for notebooks). */
export async function extractFeatureTable(opts: BuildFeatureStoreOptions): Promise<FeatureTable & { result: BuildFeatureStoreResult }> {
  const result = await buildFeatureStore(opts);
  return { ...readFeatureStore(result.out), result };
}

/**
 * Where the notebooks keep the feature stores of a run: `<outDir>/features/paper173.ser`
 * (`-augmented` with the copies, `+meyda` with the extra descriptors). An augmented store also
 * holds the original rows (kind 'orig'): select them for the no-augmentation experiment.
 */
export function featureStorePath(outDir: string, opts: { augment?: boolean; meyda?: boolean } = {}): string {
  return path.join(outDir, 'features', `paper173${opts.meyda ? '+meyda' : ''}${opts.augment ? '-augmented' : ''}.ser`);
}

export interface EnsureFeatureStoreOptions {
  augment?: boolean;
  meyda?: boolean;
  /** run context (default: runContext(): profile, data folder, output folder) */
  ctx?: RunContext;
  /** corpus root (default: corpusRoot(ctx): SER_DATA or the demo corpus) */
  root?: string;
  workers?: number;
  progress?: BuildFeatureStoreOptions['progress'];
}

/**
 * The feature store of this run's corpus at `featureStorePath(ctx.outDir, opts)`, built if
 * missing (resuming / reusing whatever exists, including the rows of the other variant of the
 * store), and read back. What notebooks 03 and 04 call.
 */
export async function ensureFeatureStore(
  opts: EnsureFeatureStoreOptions = {},
): Promise<FeatureTable & { result: BuildFeatureStoreResult }> {
  const ctx = opts.ctx ?? runContext();
  const root = opts.root ?? (await corpora.corpusRoot(ctx));
  const out = featureStorePath(ctx.outDir, opts);
  const other = featureStorePath(ctx.outDir, { ...opts, augment: !opts.augment });
  return extractFeatureTable({
    inputs: [root],
    out,
    augment: !!opts.augment,
    meyda: !!opts.meyda,
    workers: opts.workers,
    progress: opts.progress,
    reuseFrom: [other],
  });
}
