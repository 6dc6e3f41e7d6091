/**
 * Samples the CNN training loop can batch (the tf.data-free equivalent of a Keras generator):
 * a per-sample shape, labels, and a way to fill a batch buffer. Mel images are stored as bytes
 * and fed as bytes / 255; frozen-base features as floats.
 */
/** Samples the loop can batch: a per-sample shape, labels, and a way to fill a batch buffer. */
export interface SampleSource {
  n: number;
  /** per-sample shape, e.g. [128, 128, 3] */
  shape: number[];
  labels: Int32Array;
  numClasses: number;
  /** writes the samples `idx` (as float32) into `out` (idx.length * prod(shape)) */
  fill(idx: ArrayLike<number>, out: Float32Array): void;
}

export function sampleSize(s: { shape: number[] }): number {
  return s.shape.reduce((a, b) => a * b, 1);
}

/** A source of `n = labels.length` samples of `shape` whose batches `fill` writes. */
function source(shape: number[], labels: Int32Array, numClasses: number, fill: SampleSource['fill']): SampleSource {
  return { n: labels.length, shape: shape.slice(), labels, numClasses, fill };
}

/** Images stored as bytes (n x h x w x c), fed as bytes / 255. */
export function imageSource(pixels: Uint8Array, shape: [number, number, number], labels: Int32Array, numClasses: number): SampleSource {
  const size = shape[0] * shape[1] * shape[2];
  if (pixels.length !== labels.length * size)
    throw new Error(`imageSource: ${pixels.length} bytes for ${labels.length} images of ${shape.join('x')}`);
  return source(shape, labels, numClasses, (idx, out) => {
    for (let k = 0; k < idx.length; k++) {
      const src = idx[k] * size;
      const dst = k * size;
      for (let i = 0; i < size; i++) out[dst + i] = pixels[src + i] / 255;
    }
  });
}

/** Float features (n x prod(shape)). */
export function floatSource(data: Float32Array, shape: number[], labels: Int32Array, numClasses: number): SampleSource {
  const size = sampleSize({ shape });
  return source(shape, labels, numClasses, (idx, out) => {
    for (let k = 0; k < idx.length; k++) out.set(data.subarray(idx[k] * size, (idx[k] + 1) * size), k * size);
  });
}
