// Shared helpers for the librosa parity tests: fixture access (test/fixtures/librosa, written by
// scripts/tools/librosa-fixtures.js) and the error metric of the issue: per block
// max|ours - librosa| / max|librosa|, collected into a table printed at the end.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { featuresPaper173 } from 'kernel-lib/internal';

type Paper173Blocks = featuresPaper173.Paper173Blocks;

const FIX = path.join(__dirname, '..', 'fixtures');
const LIB = path.join(FIX, 'librosa');
const REAL = path.join(FIX, 'real');

/** A stored array of test/fixtures/librosa (index.json `arrays` / `common`). */
interface ArrayMeta {
  file: string;
  shape: number[];
  dtype: 'float32' | 'float64';
  params?: Record<string, number>;
}
/** The librosa reference of one clip (index.json `stems`, synthetic and real). */
interface StemRef {
  wav: string;
  sha256?: string;
  made_by?: string;
  sr_native: number;
  frames: number;
  channels: number;
  tuning_chroma_stft: number;
  tuning_cqt: number;
  features_173: number[];
  features_173_f64mean: number[];
  features_173_float64_pipeline?: number[];
  augmented: Record<string, { features_173: number[]; features_173_f64mean: number[] }>;
}
/** A synthetic clip of test/fixtures/librosa: the intermediate arrays too. */
interface LibrosaStemRef extends StemRef {
  features_173_float64_pipeline: number[];
  arrays: Record<string, ArrayMeta>;
}
/** test/fixtures/librosa/index.json */
interface LibrosaIndex {
  source: string;
  /** features_173_layout: block -> [start, end) */
  layout: Record<keyof Paper173Blocks, [number, number]>;
  stems: Record<string, LibrosaStemRef>;
  common: Record<string, ArrayMeta>;
}
/** test/fixtures/real/index.json */
interface RealIndex {
  source: string;
  stems: Record<string, StemRef>;
}
/** A stored reference array (C order). */
interface RefArray {
  shape: number[];
  data: Float32Array | Float64Array;
}

let libIndex: LibrosaIndex | null = null;
function librosaIndex(): LibrosaIndex {
  if (!libIndex) libIndex = JSON.parse(fs.readFileSync(path.join(LIB, 'index.json'), 'utf8')) as LibrosaIndex;
  return libIndex;
}
let realIdx: RealIndex | null = null;
function realIndex(): RealIndex {
  if (!realIdx) realIdx = JSON.parse(fs.readFileSync(path.join(REAL, 'index.json'), 'utf8')) as RealIndex;
  return realIdx;
}

/** A stored reference array as { shape, data } (Float32Array / Float64Array, C order). */
function array(stem: string, name: string): RefArray | null {
  const meta = stem === '_common' ? librosaIndex().common[name] : librosaIndex().stems[stem].arrays[name];
  if (!meta) return null;
  const buf = fs.readFileSync(path.join(LIB, meta.file));
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const data = meta.dtype === 'float32' ? new Float32Array(ab) : new Float64Array(ab);
  return { shape: meta.shape, data };
}

function wavPath(stem: string): string {
  return path.join(LIB, librosaIndex().stems[stem].wav);
}
function realWavPath(stem: string): string {
  return path.join(REAL, realIndex().stems[stem].wav);
}

/** max|a - b| / max|b| over [lo, hi) (the whole arrays by default). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>, lo = 0, hi = b.length): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let md = 0;
  let mx = 0;
  for (let i = lo; i < hi; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > md || Number.isNaN(d)) md = d;
    if (Math.abs(b[i]) > mx) mx = Math.abs(b[i]);
  }
  return mx > 0 ? md / mx : md;
}

/** fraction of elements that are bit-identical */
function exactFraction(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (a[i] === b[i]) n++;
  return n / b.length;
}

/** Worst error per named quantity, printed as a table by printWorst(). */
interface WorstRow {
  err: number;
  limit: number;
  where: string;
  n: number;
}
class Worst {
  readonly title: string;
  readonly rows = new Map<string, WorstRow>();
  constructor(title: string) {
    this.title = title;
  }
  add(name: string, err: number, limit: number, where: string): void {
    const r = this.rows.get(name);
    if (!r || err > r.err || (Number.isNaN(err) && !Number.isNaN(r.err))) this.rows.set(name, { err, limit, where, n: (r ? r.n : 0) + 1 });
    else r.n++;
  }
  print(): void {
    if (!this.rows.size) return;
    const lines = [`  ${this.title}: worst max|diff| / max|librosa| per block`];
    const w = Math.max(...[...this.rows.keys()].map((k) => k.length));
    for (const [k, r] of this.rows) {
      lines.push(
        `    ${k.padEnd(w)}  ${r.err.toExponential(2).padStart(9)}  (limit ${r.limit.toExponential(0)}, ${r.n} case${r.n === 1 ? '' : 's'}, worst: ${r.where})`,
      );
    }
    console.log(lines.join('\n'));
  }
}

import assert from 'node:assert';
/** the paper173 parity limits: per block 1e-4; spectral_contrast band 6 (ill-conditioned, see the fixture README) 1e-2 */
const BLOCK_LIMIT = 1e-4;
const BLOCK_LIMIT_CONTRAST6 = 1e-2;

/**
 * Compares a feature vector with librosa's per block (blocks: name -> [lo, hi), as
 * features.paper173Blocks / paper173BlocksFor), records each error in `worst` under `label` and
 * asserts the limits.
 */
function compareBlocks(
  worst: Worst,
  label: string,
  stem: string,
  v: Float32Array | Float64Array,
  ref: readonly number[],
  blocks: Readonly<Record<string, readonly [number, number]>>,
): void {
  assert.strictEqual(v.length, ref.length, `${stem}: ${v.length} values, librosa ${ref.length}`);
  const errs: Record<string, [number, number]> = {};
  for (const [name, [lo, hi]] of Object.entries(blocks)) {
    if (name === 'spectral_contrast') {
      const e05 = relErr(v.subarray(lo, hi - 1), Float64Array.from(ref.slice(lo, hi - 1)));
      const e6 = Math.abs(v[hi - 1] - ref[hi - 1]) / Math.abs(ref[hi - 1]);
      worst.add(`${label} spectral_contrast 0-5`, e05, BLOCK_LIMIT, stem);
      worst.add(`${label} spectral_contrast 6`, e6, BLOCK_LIMIT_CONTRAST6, stem);
      errs['spectral_contrast 0-5'] = [e05, BLOCK_LIMIT];
      errs['spectral_contrast 6'] = [e6, BLOCK_LIMIT_CONTRAST6];
    } else {
      const e = relErr(v.subarray(lo, hi), Float64Array.from(ref.slice(lo, hi)));
      worst.add(`${label} ${name}`, e, BLOCK_LIMIT, stem);
      errs[name] = [e, BLOCK_LIMIT];
    }
  }
  for (const [name, [e, lim]] of Object.entries(errs)) {
    assert.ok(e <= lim, `${stem} ${name}: max|diff|/max = ${e.toExponential(3)} > ${lim}`);
  }
}

export type { ArrayMeta, StemRef, LibrosaStemRef, LibrosaIndex, RealIndex, RefArray };
export {
  FIX,
  LIB,
  REAL,
  librosaIndex,
  realIndex,
  array,
  wavPath,
  realWavPath,
  relErr,
  exactFraction,
  Worst,
  compareBlocks,
  BLOCK_LIMIT,
  BLOCK_LIMIT_CONTRAST6,
};
