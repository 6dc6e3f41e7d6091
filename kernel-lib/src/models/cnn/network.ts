/**
 * The paper's custom CNN (IV.C, Fig. 4) as a tfjs-layers model, keras.Sequential style.
 *
 * What the paper states: input 128x128x3; 4 blocks of Conv2D (256, 256, 128, 64 filters, 5x5,
 * stride 1, padding 'same', ReLU) each followed by 5x5 max pooling; two Dropout(0.3); Flatten;
 * Dense(8, softmax); 2,813,672 trainable parameters.
 *
 * What it leaves open, and the choice made here (PAPER_CNN):
 * - pooling stride and padding: 2 and 'same' (128 -> 64 -> 32 -> 16 -> 8);
 * - where the dropouts go and what comes between Flatten and the output: after the third
 *   pooling, and a Dense(32, ReLU) hidden layer with the second dropout after it.
 * This is the layout of a widely shared Kaggle speech-emotion network (there in 1-D; the paper's
 * CNN was "based on different Kaggle notebooks"), and it is the only arrangement found that
 * gives exactly 2,813,672 parameters: the four convolutions hold 2,682,304; an 8x8x64 = 4096
 * Flatten into Dense(32) adds 131,104 and Dense(8) 264. Read literally (Flatten -> Dense 8,
 * `hiddenUnits: 0`) the same blocks give 2,715,080 with stride 2 and 2,682,824 with stride 5
 * (Keras' default stride = pool size), and no stride or padding reaches the paper's count
 * without the hidden layer (see `parameterCountTable`).
 */
import * as tf from '@tensorflow/tfjs';

export interface CustomCnnConfig {
  /** square input side (paper 128) */
  inputSize?: number;
  channels?: number;
  /** filters per block (paper 256, 256, 128, 64) */
  filters?: number[];
  kernelSize?: number;
  poolSize?: number;
  /** pooling stride (not in the paper; 2 reproduces its parameter count) */
  poolStrides?: number;
  poolPadding?: 'same' | 'valid';
  dropout?: number;
  /** 1-based block after whose pooling the first dropout sits (0: none there) */
  dropoutAfterBlock?: number;
  /** Dense(hidden, relu) + dropout before the output; 0 = Flatten -> Dropout -> Dense(8) */
  hiddenUnits?: number;
  numClasses?: number;
  /** seed of the weight initialisers */
  seed?: number;
}

export const PAPER_CNN: Required<CustomCnnConfig> = {
  inputSize: 128,
  channels: 3,
  filters: [256, 256, 128, 64],
  kernelSize: 5,
  poolSize: 5,
  poolStrides: 2,
  poolPadding: 'same',
  dropout: 0.3,
  dropoutAfterBlock: 3,
  hiddenUnits: 32,
  numClasses: 8,
  seed: 0,
};

/** The paper's count of trainable parameters (IV.C). */
export const PAPER_CNN_PARAMS = 2813672;

export function resolveCnnConfig(cfg: CustomCnnConfig = {}): Required<CustomCnnConfig> {
  const c = { ...PAPER_CNN, ...Object.fromEntries(Object.entries(cfg).filter(([, v]) => v !== undefined)) } as Required<CustomCnnConfig>;
  if (c.filters.length < 1) throw new Error('customCnn: at least one block');
  return c;
}

/** Seeds for the initialisers: one distinct value per layer, derived from the model seed. */
export function layerSeed(seed: number, i: number): number {
  return ((seed >>> 0) * 1000003 + i * 7919 + 17) % 2147483647;
}

/** Builds (does not compile) the custom CNN. Layer names: conv2d_1.., max_pooling2d_1.., dense_1.. */
export function customCnn(cfg: CustomCnnConfig = {}): tf.Sequential {
  const c = resolveCnnConfig(cfg);
  const model = tf.sequential({ name: 'custom_cnn' });
  let li = 0;
  c.filters.forEach((f, b) => {
    model.add(
      tf.layers.conv2d({
        name: `conv2d_${b + 1}`,
        ...(b === 0 ? { inputShape: [c.inputSize, c.inputSize, c.channels] } : {}),
        filters: f,
        kernelSize: c.kernelSize,
        strides: 1,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(c.seed, li++) }),
      }),
    );
    model.add(
      tf.layers.maxPooling2d({ name: `max_pooling2d_${b + 1}`, poolSize: c.poolSize, strides: c.poolStrides, padding: c.poolPadding }),
    );
    if (c.dropoutAfterBlock === b + 1 && c.dropout > 0) model.add(tf.layers.dropout({ name: 'dropout_1', rate: c.dropout }));
  });
  model.add(tf.layers.flatten({ name: 'flatten' }));
  if (c.hiddenUnits > 0) {
    model.add(
      tf.layers.dense({
        name: 'dense_1',
        units: c.hiddenUnits,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(c.seed, li++) }),
      }),
    );
    if (c.dropout > 0) model.add(tf.layers.dropout({ name: 'dropout_2', rate: c.dropout }));
  } else if (c.dropout > 0) {
    model.add(tf.layers.dropout({ name: 'dropout_2', rate: c.dropout }));
  }
  model.add(
    tf.layers.dense({
      name: 'predictions',
      units: c.numClasses,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(c.seed, li++) }),
    }),
  );
  return model;
}

/** Output side of one pooling (Keras/TF rule). */
export function pooledSize(n: number, pool: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - pool) / stride) + 1;
}

/**
 * Trainable parameters of the custom CNN computed from its configuration (no tensors built);
 * null when the input shrinks to nothing (e.g. 'valid' 5x5/5 pooling of 128 after 3 blocks).
 */
export function countCnnParams(cfg: CustomCnnConfig = {}): number | null {
  const c = resolveCnnConfig(cfg);
  let side = c.inputSize;
  let ch = c.channels;
  let n = 0;
  for (const f of c.filters) {
    n += c.kernelSize * c.kernelSize * ch * f + f;
    ch = f;
    side = pooledSize(side, c.poolSize, c.poolStrides, c.poolPadding);
    if (side < 1) return null;
  }
  let flat = side * side * ch;
  if (c.hiddenUnits > 0) {
    n += flat * c.hiddenUnits + c.hiddenUnits;
    flat = c.hiddenUnits;
  }
  return n + flat * c.numClasses + c.numClasses;
}

/** Candidate readings of the paper's text and their parameter counts (for notebook 07). */
export function parameterCountTable(): { pooling: string; head: string; flatten: string; params: string; matchesPaper: string }[] {
  const rows: { pooling: string; head: string; flatten: string; params: string; matchesPaper: string }[] = [];
  for (const [stride, padding] of [
    [5, 'valid'],
    [5, 'same'],
    [2, 'valid'],
    [2, 'same'],
    [1, 'same'],
  ] as [number, 'same' | 'valid'][]) {
    for (const hidden of [0, 32]) {
      const cfg = { poolStrides: stride, poolPadding: padding, hiddenUnits: hidden };
      const p = countCnnParams(cfg);
      let side = 128;
      for (let i = 0; i < 4 && side > 0; i++) side = pooledSize(side, 5, stride, padding);
      rows.push({
        pooling: `5x5, stride ${stride}, '${padding}'`,
        head: hidden ? 'Flatten, Dense(32, relu), Dropout, Dense(8)' : 'Flatten, Dropout, Dense(8)',
        flatten: side > 0 ? `${side}x${side}x64 = ${side * side * 64}` : 'input shrinks to 0 (Keras error)',
        params: p === null ? '-' : p.toLocaleString('en-US'),
        matchesPaper: p === PAPER_CNN_PARAMS ? 'yes' : 'no',
      });
    }
  }
  return rows;
}

/** Trainable parameter count of a built model. */
export function trainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}

/** model.summary() as text (tfjs prints it through a callback). */
export function summaryText(model: tf.LayersModel, lineLength = 90): string {
  const lines: string[] = [];
  model.summary(lineLength, undefined, (s?: any) => lines.push(String(s ?? '')));
  return lines.join('\n');
}
