/**
 * Saving and resuming.
 *
 * - `file://` model IO for plain @tensorflow/tfjs in Node (tfjs-node registers it, plain tfjs
 *   does not): `model.save('file:///abs/dir')` writes model.json + weights.bin in tfjs-node's
 *   layout, `tf.loadLayersModel('file:///abs/dir/model.json')` reads it back. Registered on
 *   import of this module when no handler exists. `saveTfjsModel` / `loadTfjsModel` wrap both.
 * - Training checkpoints: one file per fold (`fold-<k>.ckpt`) holding the epoch state (history,
 *   early-stopping counters, RNG state) and the trainable weights (current and best) plus the
 *   optimizer's slots, written atomically after every epoch, so a killed run resumes at the
 *   last finished epoch. A finished fold leaves `fold-<k>.json` (its result) and
 *   `fold-<k>-model/` (the restored-best model).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, ensureDir } from '../../core/fs';

// ---- file:// model IO ---------------------------------------------------------------------

function joinWeightData(d: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  if (!d) return new ArrayBuffer(0);
  return Array.isArray(d) ? tf.io.CompositeArrayBuffer.join(d) : d;
}

class FileModelIO implements tf.io.IOHandler {
  constructor(private readonly target: string) {}

  private dir(): string {
    return this.target.endsWith('model.json') ? path.dirname(this.target) : this.target;
  }

  async save(a: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    const dir = ensureDir(this.dir());
    if (a.modelTopology instanceof ArrayBuffer) throw new Error('file:// save: binary topologies are not supported');
    const weights = joinWeightData(a.weightData as any);
    writeFileAtomic(path.join(dir, 'weights.bin'), new Uint8Array(weights));
    const json: tf.io.ModelJSON = {
      modelTopology: a.modelTopology,
      format: a.format ?? 'layers-model',
      generatedBy: a.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: a.convertedBy ?? null,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
      ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
      ...(a.userDefinedMetadata ? { userDefinedMetadata: a.userDefinedMetadata } : {}),
    } as tf.io.ModelJSON;
    writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...a, weightData: weights }) };
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    const file = this.target.endsWith('.json') ? this.target : path.join(this.target, 'model.json');
    if (!fs.existsSync(file)) throw new Error(`${file}: no such file (expected a tfjs layers-model)`);
    const dir = path.dirname(file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as tf.io.ModelJSON;
    return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
      const specs: tf.io.WeightsManifestEntry[] = [];
      const bufs: Buffer[] = [];
      for (const g of manifest) {
        for (const p of g.paths) bufs.push(fs.readFileSync(path.join(dir, p)));
        specs.push(...g.weights);
      }
      const b = Buffer.concat(bufs);
      return [specs, b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)];
    });
  }
}

function fileUrlPath(url: string | string[]): string | null {
  const u = Array.isArray(url) ? url[0] : url;
  if (typeof u !== 'string' || !u.startsWith('file://')) return null;
  return u.slice('file://'.length);
}

let routersRegistered = false;
/** Registers the file:// handlers unless some package (tfjs-node) already did. */
export function registerFileIO(): void {
  if (routersRegistered) return;
  routersRegistered = true;
  const probe = 'file:///tmp/probe';
  if (tf.io.getSaveHandlers(probe).length === 0) {
    tf.io.registerSaveRouter((url) => {
      const p = fileUrlPath(url);
      return (p === null ? null : new FileModelIO(p)) as unknown as tf.io.IOHandler;
    });
  }
  if (tf.io.getLoadHandlers(probe).length === 0) {
    tf.io.registerLoadRouter((url) => {
      const p = fileUrlPath(url);
      return (p === null ? null : new FileModelIO(p)) as unknown as tf.io.IOHandler;
    });
  }
}
registerFileIO();

export function fileUrl(dir: string): string {
  return `file://${path.resolve(dir)}`;
}

/** model.save('file://<dir>') with the directory made absolute. */
export async function saveTfjsModel(model: tf.LayersModel, dir: string): Promise<string> {
  await model.save(fileUrl(dir));
  return path.resolve(dir);
}

/** tf.loadLayersModel from a directory holding model.json (or the model.json path). */
export async function loadTfjsModel(dirOrJson: string): Promise<tf.LayersModel> {
  const p = dirOrJson.endsWith('.json') ? dirOrJson : path.join(dirOrJson, 'model.json');
  return tf.loadLayersModel(fileUrl(p));
}

// ---- training checkpoints -----------------------------------------------------------------

export interface WeightBlob {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Snapshot of tensors as plain arrays (no tensors kept alive). */
export function snapshot(named: { name: string; tensor: tf.Tensor }[]): WeightBlob[] {
  return named.map(({ name, tensor }) => ({
    name,
    shape: tensor.shape.slice(),
    data: Float32Array.from(tensor.dataSync() as Float32Array),
  }));
}

const MAGIC = 'SERCKPT1';

/** Writes JSON state + groups of weights into one file, atomically. */
export function writeCheckpoint(file: string, state: unknown, groups: Record<string, WeightBlob[]>): void {
  const index: { group: string; name: string; shape: number[]; offset: number; length: number }[] = [];
  let offset = 0;
  for (const [group, blobs] of Object.entries(groups)) {
    for (const b of blobs) {
      index.push({ group, name: b.name, shape: b.shape, offset, length: b.data.length });
      offset += b.data.length;
    }
  }
  const header = Buffer.from(JSON.stringify({ state, index }), 'utf8');
  const out = Buffer.alloc(8 + 4 + header.length + offset * 4);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  const base = 12 + header.length;
  let i = 0;
  for (const blobs of Object.values(groups)) {
    for (const b of blobs) {
      const bytes = Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength);
      bytes.copy(out, base + index[i].offset * 4);
      i++;
    }
  }
  writeFileAtomic(file, out);
}

/** Reads a checkpoint; null when absent or unreadable (a torn file is ignored, not fatal). */
export function readCheckpoint<S = unknown>(file: string): { state: S; groups: Record<string, WeightBlob[]> } | null {
  if (!fs.existsSync(file)) return null;
  try {
    const buf = fs.readFileSync(file);
    if (buf.toString('latin1', 0, 8) !== MAGIC) return null;
    const hl = buf.readUInt32LE(8);
    const { state, index } = JSON.parse(buf.toString('utf8', 12, 12 + hl));
    const base = 12 + hl;
    const groups: Record<string, WeightBlob[]> = {};
    for (const e of index as { group: string; name: string; shape: number[]; offset: number; length: number }[]) {
      const start = base + e.offset * 4;
      const data = new Float32Array(e.length);
      Buffer.from(data.buffer).set(buf.subarray(start, start + e.length * 4));
      (groups[e.group] ??= []).push({ name: e.name, shape: e.shape, data });
    }
    return { state: state as S, groups };
  } catch {
    return null;
  }
}
