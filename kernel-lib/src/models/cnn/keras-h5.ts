/**
 * Reading Keras weights without Python: the HDF5 layout `model.save_weights()` writes (and that
 * keras.applications ships, e.g. vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5):
 *
 *   /                      attr layer_names = [b'input_1', b'block1_conv1', ...]
 *   /<layer>               attr weight_names = [b'block1_conv1_W_1:0', b'block1_conv1_b_1:0']
 *   /<layer>/<weight_name> dataset (kernel HWIO for Conv2D, then bias)
 *
 * A whole-model file (`model.save('x.h5')`) has the same tree under /model_weights. Files are
 * read with h5wasm (HDF5 compiled to WebAssembly; an ES module, imported dynamically).
 * Also: reading the weights of a tfjs layers-model directory (model.json + weight shards).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

// h5wasm is ESM-only with an `exports` map (import condition only): load it with a real import().
const dynamicImport = new Function('s', 'return import(s)') as (s: string) => Promise<any>;

let h5Promise: Promise<any> | null = null;
/** The h5wasm module (node build), ready to open files by path. */
export function h5wasm(): Promise<any> {
  if (!h5Promise) {
    h5Promise = dynamicImport('h5wasm/node').then(async (m) => {
      const h5 = m.default ?? m;
      await h5.ready;
      return h5;
    });
  }
  return h5Promise;
}

function asStrings(v: unknown): string[] {
  const one = (x: unknown): string => {
    if (typeof x === 'string') return x;
    if (x instanceof Uint8Array) return Buffer.from(x).toString('utf8').replace(/\0+$/, '');
    return String(x);
  };
  if (Array.isArray(v)) return v.map(one);
  if (ArrayBuffer.isView(v) && !(v instanceof Uint8Array)) return Array.from(v as unknown as ArrayLike<number>, (x) => String(x));
  if (v === null || v === undefined) return [];
  return [one(v)];
}

export interface KerasH5Layer {
  name: string;
  weights: { name: string; shape: number[]; data: Float32Array }[];
}

/** Reads every layer's weights (in weight_names order) from a Keras HDF5 weights or model file. */
export async function readKerasH5(file: string): Promise<{ layers: KerasH5Layer[]; kerasVersion: string | null; backend: string | null }> {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
  const h5 = await h5wasm();
  let f: any;
  try {
    f = new h5.File(file, 'r');
  } catch (e) {
    throw new Error(`${file}: not a readable HDF5 file (${(e as Error).message})`);
  }
  try {
    let root = f;
    if (!f.attrs.layer_names && f.get('model_weights')) root = f.get('model_weights');
    const attr = root.attrs.layer_names;
    if (!attr) throw new Error(`${file}: no 'layer_names' attribute: not a Keras weights file`);
    const layers: KerasH5Layer[] = [];
    for (const name of asStrings(attr.value)) {
      const g = root.get(name);
      if (!g) {
        // Keras writes a group for every layer, weightless ones included; tolerate its absence
        layers.push({ name, weights: [] });
        continue;
      }
      const wn = g.attrs.weight_names;
      const empty = !wn || (Array.isArray(wn.shape) && wn.shape.length === 1 && wn.shape[0] === 0);
      const weights = asStrings(empty ? [] : wn.value).map((w) => {
        const d = g.get(w);
        if (d?.type !== 'Dataset') throw new Error(`${file}: dataset '${name}/${w}' is missing`);
        const v = d.value;
        const data = v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
        return { name: w, shape: (d.shape as number[]).slice(), data };
      });
      layers.push({ name, weights });
    }
    const kv = root.attrs.keras_version ?? f.attrs.keras_version;
    const be = root.attrs.backend ?? f.attrs.backend;
    return { layers, kerasVersion: kv ? asStrings(kv.value)[0] : null, backend: be ? asStrings(be.value)[0] : null };
  } finally {
    f.close();
  }
}

/**
 * Sets the weights of `layers` from a Keras HDF5 file, matching layers by name (the file's
 * weight order is Keras': kernel then bias, same as tfjs). Every layer given must be in the
 * file with matching shapes; the error names the first one that is not.
 */
export async function loadKerasH5Weights(layers: tf.layers.Layer[], file: string): Promise<{ layers: string[]; tensors: number }> {
  const h = await readKerasH5(file);
  const byName = new Map(h.layers.map((l) => [l.name, l]));
  const done: string[] = [];
  let tensors = 0;
  for (const l of layers) {
    const want = l.weights;
    if (!want.length) continue;
    const src = byName.get(l.name);
    if (!src)
      throw new Error(
        `${file}: no weights for layer '${l.name}' (file has ${h.layers
          .filter((x) => x.weights.length)
          .map((x) => x.name)
          .join(', ')})`,
      );
    if (src.weights.length !== want.length)
      throw new Error(`${file}: layer '${l.name}' has ${src.weights.length} weights in the file, the model needs ${want.length}`);
    const values = src.weights.map((w, i) => {
      if (w.shape.join('x') !== want[i].shape.join('x')) {
        throw new Error(`${file}: ${l.name}/${w.name} has shape [${w.shape}] but the model needs [${want[i].shape}]`);
      }
      return tf.tensor(w.data, w.shape, 'float32');
    });
    l.setWeights(values);
    tf.dispose(values);
    done.push(l.name);
    tensors += values.length;
  }
  return { layers: done, tensors };
}

/**
 * Writes `layers`' weights as a Keras HDF5 weights file (layer_names / weight_names layout,
 * weight names '<layer>/kernel:0', '<layer>/bias:0'), so a trained model can go back to Keras.
 */
export async function writeKerasH5Weights(layers: tf.layers.Layer[], file: string): Promise<void> {
  const h5 = await h5wasm();
  const f = new h5.File(file, 'w');
  try {
    f.create_attribute(
      'layer_names',
      layers.map((l) => l.name),
    );
    f.create_attribute('backend', 'tensorflow');
    f.create_attribute('keras_version', '2.x (written by kernel-lib)');
    for (const l of layers) {
      const g = f.create_group(l.name);
      const names = l.weights.map((w) => `${l.name}/${w.originalName.split('/').pop()}:0`);
      g.create_attribute('weight_names', names.length ? names : []);
      const values = l.getWeights();
      // Keras 2 stores '<layer>/kernel:0' as a dataset 'kernel:0' in a subgroup '<layer>'
      const sub = values.length ? g.create_group(l.name) : null;
      values.forEach((t, i) => {
        sub.create_dataset({ name: names[i].split('/').pop()!, data: t.dataSync() as Float32Array, shape: t.shape, dtype: '<f' });
      });
    }
  } finally {
    f.close();
  }
}

/** Weights of a tfjs layers-model directory (model.json + shards) by name, as tensors. */
export async function readTfjsLayersWeights(dir: string): Promise<Map<string, tf.Tensor>> {
  const mj = path.join(dir, 'model.json');
  if (!fs.existsSync(mj)) throw new Error(`${dir}: no model.json (not a tfjs layers-model directory)`);
  const j = JSON.parse(fs.readFileSync(mj, 'utf8'));
  const out = new Map<string, tf.Tensor>();
  for (const group of j.weightsManifest ?? []) {
    const buf = Buffer.concat(group.paths.map((p: string) => fs.readFileSync(path.join(dir, p))));
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const named = tf.io.decodeWeights(ab, group.weights);
    for (const [k, v] of Object.entries(named)) out.set(k, v as tf.Tensor);
  }
  return out;
}
