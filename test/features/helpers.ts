// Shared helpers for the librosa parity tests: fixture access (test/fixtures/librosa, written by
// scripts/tools/librosa-fixtures.js) and the error metric of the issue: per block
// max|ours - librosa| / max|librosa|, collected into a table printed at the end.
import * as fs from 'fs';
import * as path from 'path';

const FIX = path.join(__dirname, '..', 'fixtures');
const LIB = path.join(FIX, 'librosa');
const REAL = path.join(FIX, 'real');

let libIndex: any = null;
/** test/fixtures/librosa/index.json (any: the JSON that scripts/tools/librosa-fixtures.js writes) */
function librosaIndex(): any {
  if (!libIndex) libIndex = JSON.parse(fs.readFileSync(path.join(LIB, 'index.json'), 'utf8'));
  return libIndex;
}
let realIdx: any = null;
/** test/fixtures/real/index.json (any: written by the fixture script) */
function realIndex(): any {
  if (!realIdx) realIdx = JSON.parse(fs.readFileSync(path.join(REAL, 'index.json'), 'utf8'));
  return realIdx;
}

/** A stored reference array as { shape, data } (Float32Array / Float64Array, C order). */
function array(stem: string, name: string): { shape: number[]; data: Float32Array | Float64Array } | null {
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
class Worst {
  title: string;
  rows: Map<string, { err: number; limit: number; where: string; n: number }>;
  constructor(title: string) {
    this.title = title;
    this.rows = new Map();
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
      lines.push(`    ${k.padEnd(w)}  ${r.err.toExponential(2).padStart(9)}  (limit ${r.limit.toExponential(0)}, ${r.n} case${r.n === 1 ? '' : 's'}, worst: ${r.where})`);
    }
    console.log(lines.join('\n'));
  }
}

export { FIX, LIB, REAL, librosaIndex, realIndex, array, wavPath, realWavPath, relErr, exactFraction, Worst };
