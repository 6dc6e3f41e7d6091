/**
 * The feature store: one file holding the feature matrix of a corpus (one row per clip, or four
 * per clip with augmentation) and the columns that label each row.
 *
 * File format `SERFEAT1` (little-endian, versioned by the magic):
 *
 * ```
 * offset 0   8 bytes   ASCII "SERFEAT1"
 * offset 8   uint32    H = byte length of the header
 * offset 12  H bytes   header: UTF-8 JSON (FeatureStoreHeader), space-padded so 12 + H is a multiple of 8
 * then       nRows * nFeatures float32, row-major (row i = X[i * nFeatures .. (i + 1) * nFeatures])
 * ```
 *
 * The header holds the string columns (clip id, source clip id, kind, emotion, label, speaker,
 * corpus, sha256 of the source file, cache key), the layout (a name per feature column), the
 * parameters and the clips that were skipped with their reason. Rows are sorted by source clip id
 * (UTF-16 code unit order) and then kind (orig, noise, stretch, pitch), and the header has no
 * time stamps or machine paths, so two runs over the same files write identical bytes.
 *
 * While a run is going, every finished clip is appended to `<out>.journal` (one JSON line per
 * row, written with one `write` per clip); a killed run leaves it behind and the next run
 * takes what it holds, then writes the store atomically (temp + rename) and deletes it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EMOTIONS } from '../core/types';
import { writeFileAtomic } from '../core/fs';

export const STORE_MAGIC = 'SERFEAT1';
export const STORE_VERSION = 1;

/** The row kinds: the clip itself and its three augmented copies (paper III.A, Fig. 1). */
export const AUG_KINDS = ['orig', 'noise', 'stretch', 'pitch'] as const;
export type AugKind = (typeof AUG_KINDS)[number];

export interface SkippedClip {
  clipId: string;
  /** file name as given (relative to the scanned root when a root was scanned) */
  file: string;
  reason: string;
}

/** String/number columns of the store, one entry per row. */
export interface FeatureStoreColumns {
  /** unique row id: the clip id for `orig`, `<clipId>#<kind>` for a copy */
  clipId: string[];
  /** the clip a row was made from (equal to clipId for `orig`): keep these together in folds */
  sourceClipId: string[];
  kind: AugKind[];
  /** emotion name ('' when the file name carries no label) */
  emotion: string[];
  /** index into `emotions` (EMOTIONS order), -1 when unlabelled */
  label: number[];
  speaker: string[];
  corpus: string[];
  /** sha256 (hex) of the source WAV file's bytes */
  sha256: string[];
  /** cache key: sha256 + hash of the parameters that made the row */
  key: string[];
}

export interface FeatureStoreHeader {
  format: 'ser-features';
  version: number;
  nRows: number;
  nFeatures: number;
  /** a name per feature column, e.g. 'mfcc_1', ..., 'tonnetz_6' (PAPER173_LAYOUT) */
  layout: string[];
  /** label names, index = label */
  emotions: string[];
  /** how the rows were made (extractor, load, augmentation parameters, seed) */
  params: Record<string, unknown>;
  columns: FeatureStoreColumns;
  skipped: SkippedClip[];
}

/** What `readFeatureStore` returns: the matrix and its columns. */
export interface FeatureTable extends FeatureStoreColumns {
  /** nRows x nFeatures, row-major */
  X: Float32Array;
  nRows: number;
  nFeatures: number;
  layout: string[];
  emotions: string[];
  params: Record<string, unknown>;
  skipped: SkippedClip[];
}

/** Encodes a store (rows must already be in canonical order: see `sortRows`). */
export function encodeFeatureStore(header: Omit<FeatureStoreHeader, 'format' | 'version'>, X: Float32Array): Buffer {
  const { nRows, nFeatures } = header;
  if (X.length !== nRows * nFeatures) throw new Error(`feature store: X has ${X.length} values, expected ${nRows} x ${nFeatures}`);
  if (header.layout.length !== nFeatures) throw new Error(`feature store: layout has ${header.layout.length} names, expected ${nFeatures}`);
  for (const [name, col] of Object.entries(header.columns)) {
    if ((col as unknown[]).length !== nRows)
      throw new Error(`feature store: column ${name} has ${(col as unknown[]).length} rows, expected ${nRows}`);
  }
  const full: FeatureStoreHeader = {
    format: 'ser-features',
    version: STORE_VERSION,
    nRows,
    nFeatures,
    layout: header.layout,
    emotions: header.emotions,
    params: header.params,
    columns: header.columns,
    skipped: header.skipped,
  };
  let json = Buffer.from(JSON.stringify(full), 'utf8');
  const pad = (8 - ((12 + json.length) % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const head = Buffer.alloc(12);
  head.write(STORE_MAGIC, 0, 'ascii');
  head.writeUInt32LE(json.length, 8);
  const body = Buffer.alloc(X.length * 4);
  for (let i = 0; i < X.length; i++) body.writeFloatLE(X[i], i * 4);
  return Buffer.concat([head, json, body]);
}

/** Decodes a store from its bytes; throws with a reason naming `file` when it is not one. */
export function decodeFeatureStore(buf: Uint8Array, file = '<buffer>'): FeatureTable {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.toString('ascii', 0, 8) !== STORE_MAGIC) throw new Error(`${file}: not a feature store (no ${STORE_MAGIC} magic)`);
  const h = b.readUInt32LE(8);
  if (12 + h > b.length) throw new Error(`${file}: truncated feature store header`);
  let header: FeatureStoreHeader;
  try {
    header = JSON.parse(b.toString('utf8', 12, 12 + h));
  } catch (e) {
    throw new Error(`${file}: unreadable feature store header (${(e as Error).message})`);
  }
  if (header.format !== 'ser-features' || header.version !== STORE_VERSION) {
    throw new Error(`${file}: feature store version ${header.version} is not supported (expected ${STORE_VERSION})`);
  }
  const { nRows, nFeatures } = header;
  const start = 12 + h;
  if (b.length !== start + nRows * nFeatures * 4) {
    throw new Error(`${file}: feature store body has ${b.length - start} bytes, expected ${nRows * nFeatures * 4}`);
  }
  const X = new Float32Array(nRows * nFeatures);
  for (let i = 0; i < X.length; i++) X[i] = b.readFloatLE(start + i * 4);
  return {
    X,
    nRows,
    nFeatures,
    layout: header.layout,
    emotions: header.emotions,
    params: header.params,
    skipped: header.skipped,
    ...header.columns,
  };
}

/** Reads a feature store written by `ser features` / `buildFeatureStore`. */
export function readFeatureStore(file: string): FeatureTable {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read feature store (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeFeatureStore(buf, file);
}

/** Row i of a table as a copy. */
export function featureRow(t: FeatureTable, i: number): Float32Array {
  return t.X.slice(i * t.nFeatures, (i + 1) * t.nFeatures);
}

/** A table restricted to some rows (e.g. `kind === 'orig'` for the no-augmentation experiment). */
export function selectRows(t: FeatureTable, keep: (i: number) => boolean): FeatureTable {
  const idx: number[] = [];
  for (let i = 0; i < t.nRows; i++) if (keep(i)) idx.push(i);
  const X = new Float32Array(idx.length * t.nFeatures);
  idx.forEach((r, j) => X.set(t.X.subarray(r * t.nFeatures, (r + 1) * t.nFeatures), j * t.nFeatures));
  const pick = <T>(col: T[]): T[] => idx.map((r) => col[r]);
  return {
    X,
    nRows: idx.length,
    nFeatures: t.nFeatures,
    layout: t.layout,
    emotions: t.emotions,
    params: t.params,
    skipped: t.skipped,
    clipId: pick(t.clipId),
    sourceClipId: pick(t.sourceClipId),
    kind: pick(t.kind),
    emotion: pick(t.emotion),
    label: pick(t.label),
    speaker: pick(t.speaker),
    corpus: pick(t.corpus),
    sha256: pick(t.sha256),
    key: pick(t.key),
  };
}

/** A table restricted to some feature columns (e.g. the paper's 173 out of an extended set). */
export function selectFeatures(t: FeatureTable, cols: number[]): FeatureTable {
  const X = new Float32Array(t.nRows * cols.length);
  for (let i = 0; i < t.nRows; i++) {
    for (let j = 0; j < cols.length; j++) X[i * cols.length + j] = t.X[i * t.nFeatures + cols[j]];
  }
  return { ...t, X, nFeatures: cols.length, layout: cols.map((c) => t.layout[c]) };
}

/** Canonical row order: source clip id (code unit order), then AUG_KINDS order. */
export function compareRows(a: { sourceClipId: string; kind: AugKind }, b: { sourceClipId: string; kind: AugKind }): number {
  if (a.sourceClipId !== b.sourceClipId) return a.sourceClipId < b.sourceClipId ? -1 : 1;
  return AUG_KINDS.indexOf(a.kind) - AUG_KINDS.indexOf(b.kind);
}

export function rowClipId(sourceClipId: string, kind: AugKind): string {
  return kind === 'orig' ? sourceClipId : `${sourceClipId}#${kind}`;
}

export function labelOf(emotion: string): number {
  return (EMOTIONS as readonly string[]).indexOf(emotion);
}

// ---------------------------------------------------------------------------------------------
// Journal: finished rows of an unfinished run.

export interface JournalRow {
  key: string;
  values: Float32Array;
}

export function journalPath(out: string): string {
  return `${out}.journal`;
}

function f32ToB64(v: Float32Array): string {
  const b = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) b.writeFloatLE(v[i], i * 4);
  return b.toString('base64');
}

function b64ToF32(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const v = new Float32Array(b.length / 4);
  for (let i = 0; i < v.length; i++) v[i] = b.readFloatLE(i * 4);
  return v;
}

/**
 * Reads a journal; a torn last line (a run killed mid-write) is cut off the file so later
 * appends start on a fresh line. Returns key -> values.
 */
export function readJournal(file: string, nFeatures: number): Map<string, Float32Array> {
  const rows = new Map<string, Float32Array>();
  if (!fs.existsSync(file)) return rows;
  const buf = fs.readFileSync(file);
  const lastNl = buf.lastIndexOf(0x0a);
  if (lastNl + 1 !== buf.length) fs.truncateSync(file, lastNl + 1);
  const text = buf.toString('utf8', 0, lastNl + 1);
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const j = JSON.parse(line) as { k: string; v: string };
      const v = b64ToF32(j.v);
      if (typeof j.k === 'string' && v.length === nFeatures) rows.set(j.k, v);
    } catch {
      /* a damaged line: that row is recomputed */
    }
  }
  return rows;
}

/** Appends the rows of one clip with a single write (a kill loses at most the clip in flight). */
export class JournalWriter {
  private fd: number;
  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a');
  }
  append(rows: JournalRow[]): void {
    if (!rows.length) return;
    const text = rows.map((r) => `${JSON.stringify({ k: r.key, v: f32ToB64(r.values) })}\n`).join('');
    fs.writeSync(this.fd, text);
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Writes the canonical store file atomically. */
export function writeFeatureStore(file: string, header: Omit<FeatureStoreHeader, 'format' | 'version'>, X: Float32Array): void {
  writeFileAtomic(file, encodeFeatureStore(header, X));
}

/** Rows of an existing store by cache key (empty when the file is missing or not a store). */
export function storeRowsByKey(file: string): Map<string, Float32Array> & { nFeatures?: number } {
  const m = new Map<string, Float32Array>() as Map<string, Float32Array> & { nFeatures?: number };
  if (!fs.existsSync(file)) return m;
  let t: FeatureTable;
  try {
    t = readFeatureStore(file);
  } catch {
    return m;
  }
  m.nFeatures = t.nFeatures;
  for (let i = 0; i < t.nRows; i++) m.set(t.key[i], featureRow(t, i));
  return m;
}
