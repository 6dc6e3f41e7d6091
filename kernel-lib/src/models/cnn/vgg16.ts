/**
 * VGG16 transfer learning (paper IV.B): keras.applications.VGG16(include_top=False,
 * weights='imagenet', input_shape=(128, 128, 3)), then Flatten, Dropout(0.5), Dense(8, softmax).
 *
 * The convolutional base is rebuilt layer by layer with Keras' layer names (block1_conv1 ...
 * block5_pool), so the ImageNet weights load by name from Keras' own file
 * `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5` (keras-h5.ts) or from a tfjs
 * layers-model directory. Nothing is downloaded: the file's path comes from `--weights` or
 * SER_VGG16_WEIGHTS. With weights the base is frozen (the paper trains only the new top: "we
 * don't want to train all 138 million parameters"; its custom CNN "needs to learn a higher
 * number of parameters" than the transfer model). Without them the whole network is trained
 * from scratch, which is not the paper's transfer setting, and the caller must say so.
 *
 * Inputs are the images / 255, as the paper feeds them (not keras' vgg16.preprocess_input).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { layerSeed } from './network';

/** Keras' VGG16 conv blocks: [convs per block, filters]. */
export const VGG16_BLOCKS: [number, number][] = [
  [2, 64],
  [2, 128],
  [3, 256],
  [3, 512],
  [3, 512],
];

export const VGG16_WEIGHTS_FILE = 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5';
export const VGG16_WEIGHTS_ENV = 'SER_VGG16_WEIGHTS';

export interface Vgg16Config {
  inputSize?: number;
  numClasses?: number;
  /** dropout after Flatten (paper 0.5) */
  dropout?: number;
  /** divide every block's filters by this (demo scale; 1 = VGG16, the only width the weights fit) */
  widthDivisor?: number;
  /** freeze the convolutional base (default: true when weights are loaded, else false) */
  freezeBase?: boolean;
  seed?: number;
}

/** The name of the last layer of the base: everything up to it is the feature extractor. */
export const VGG16_BASE_OUTPUT = 'block5_pool';

/** Builds VGG16 (no top) + Flatten + Dropout + Dense(softmax), Keras layer names. */
export function vgg16Transfer(cfg: Vgg16Config = {}): tf.Sequential {
  const size = cfg.inputSize ?? 128;
  const div = cfg.widthDivisor ?? 1;
  const seed = cfg.seed ?? 0;
  if (size < 32) throw new Error(`vgg16Transfer: input ${size} is below VGG16's minimum of 32`);
  const model = tf.sequential({ name: 'vgg16_transfer' });
  let li = 0;
  VGG16_BLOCKS.forEach(([n, filters], b) => {
    for (let i = 0; i < n; i++) {
      model.add(
        tf.layers.conv2d({
          name: `block${b + 1}_conv${i + 1}`,
          ...(b === 0 && i === 0 ? { inputShape: [size, size, 3] } : {}),
          filters: Math.max(1, Math.round(filters / div)),
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, li++) }),
        }),
      );
    }
    model.add(tf.layers.maxPooling2d({ name: `block${b + 1}_pool`, poolSize: 2, strides: 2 }));
  });
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dropout({ name: 'dropout', rate: cfg.dropout ?? 0.5 }));
  model.add(
    tf.layers.dense({
      name: 'predictions',
      units: cfg.numClasses ?? 8,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, li++) }),
    }),
  );
  if (cfg.freezeBase) freezeBase(model);
  return model;
}

/** Marks every layer up to block5_pool as not trainable. */
export function freezeBase(model: tf.LayersModel, lastBaseLayer = VGG16_BASE_OUTPUT): void {
  for (const l of model.layers) {
    l.trainable = false;
    if (l.name === lastBaseLayer) break;
  }
}

/** Where the ImageNet weights are: the flag, else SER_VGG16_WEIGHTS; null when neither is set. */
export function vgg16WeightsPath(flag?: string | null, env: NodeJS.ProcessEnv = process.env): string | null {
  const p = flag || env[VGG16_WEIGHTS_ENV] || null;
  return p ? path.resolve(p) : null;
}

export interface WeightsLoadReport {
  source: string;
  kind: 'keras-h5' | 'tfjs-layers-model';
  layers: string[];
  tensors: number;
}

/**
 * Loads ImageNet weights into the base of a VGG16 built by vgg16Transfer: a Keras .h5 file
 * (layer_names / weight_names layout) or a tfjs layers-model directory (model.json + shards).
 * Layers are matched by name; a missing layer or a shape mismatch is an error naming it.
 */
export async function loadVgg16Weights(model: tf.LayersModel, source: string): Promise<WeightsLoadReport> {
  if (!fs.existsSync(source)) throw new Error(`VGG16 weights not found: ${source}`);
  const base = model.layers.slice(0, model.layers.findIndex((l) => l.name === VGG16_BASE_OUTPUT) + 1).filter((l) => l.getWeights().length);
  const { loadKerasH5Weights, readTfjsLayersWeights } = require('./keras-h5') as typeof import('./keras-h5');
  if (fs.statSync(source).isDirectory()) {
    const named = await readTfjsLayersWeights(source);
    const used: string[] = [];
    let tensors = 0;
    for (const l of base) {
      const ws = l.weights.map((w) => {
        // tfjs weight names: '<layer>/kernel', '<layer>/bias' (possibly with a model prefix)
        const suffix = w.originalName.split('/').slice(-2).join('/');
        const t = named.get(w.originalName) ?? [...named.entries()].find(([k]) => k.endsWith(suffix))?.[1];
        if (!t) throw new Error(`${source}: no weight '${suffix}' for layer ${l.name}`);
        if (t.shape.join('x') !== w.shape.join('x'))
          throw new Error(`${source}: ${suffix} has shape ${t.shape} but the model needs ${w.shape}`);
        return t;
      });
      l.setWeights(ws);
      used.push(l.name);
      tensors += ws.length;
    }
    for (const t of named.values()) t.dispose();
    return { source, kind: 'tfjs-layers-model', layers: used, tensors };
  }
  const r = await loadKerasH5Weights(base, source);
  return { source, kind: 'keras-h5', layers: r.layers, tensors: r.tensors };
}
