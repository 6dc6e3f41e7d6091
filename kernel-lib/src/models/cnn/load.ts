/**
 * Loads a CNN saved by `ser cnn --save` (model.json + weights.bin + ser-model.json) for
 * `ser predict` and the live page: the mel image of the saved size and resize, then the model's
 * softmax. models/predict.ts requires this module only when a CNN is asked for, so SVM-only
 * predictions never load tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { imageFloats, melImage, type ResizeMethod } from '../../features/image';
import type { LoadedModel, SavedModelMeta } from '../saved';
import { chooseBackend } from './backend';
import { loadTfjsModel } from './checkpoint';

/** The saved CNN in `dir` as a LoadedModel (class probabilities of clips at meta.input.sr). */
export async function loadCnnModel(dir: string, meta: SavedModelMeta): Promise<LoadedModel> {
  await chooseBackend({ log: () => undefined });
  const model = await loadTfjsModel(dir);
  const p = meta.input.params as { size?: number; resize?: ResizeMethod };
  const size = p.size ?? 128;
  const resize = p.resize ?? 'nearest';
  return {
    meta,
    dir,
    async predictProba(ys: Float32Array[]) {
      const px = size * size * 3;
      const buf = new Float32Array(ys.length * px);
      ys.forEach((y, i) => imageFloats(melImage(y, meta.input.sr, { size, resize }), buf, i * px));
      const out = tf.tidy(() => model.predict(tf.tensor4d(buf, [ys.length, size, size, 3])) as tf.Tensor);
      const v = Array.from(out.dataSync());
      out.dispose();
      const k = meta.classes.length;
      return ys.map((_, i) => v.slice(i * k, (i + 1) * k));
    },
    dispose: () => model.dispose(),
  };
}
