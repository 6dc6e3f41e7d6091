/**
 * Every number the paper reports, as data (paper.txt: abstract, section III.E, IV.E, Tables
 * II-V), so notebooks and the reproduction report compare against it instead of retyping it.
 * Percentages; per-class rows in the order of corpora/types EMOTIONS.
 */
import { type Emotion, EMOTIONS } from '../core/types';
import type { MeanStd } from '../eval/metrics';

export interface PaperClassRow {
  emotion: Emotion;
  precision: MeanStd;
  recall: MeanStd;
  f1: MeanStd;
  /** mean test-fold support */
  samples: number;
}

export type PaperModel = 'svm-augmented' | 'svm' | 'vgg16' | 'custom-cnn';

export interface PaperResult {
  model: PaperModel;
  table: 'II' | 'III' | 'IV' | 'V';
  title: string;
  accuracy: MeanStd;
  perClass: PaperClassRow[];
}

const ms = (mean: number, std: number): MeanStd => ({ mean, std });

/** One row per emotion: precision, its std, recall, its std, F1, its std, samples (as printed). */
type TableRow = [number, number, number, number, number, number, number];

/** A table of the paper: its model, number, title, accuracy (mean, std) and per-class rows. */
function table(model: PaperModel, num: PaperResult['table'], title: string, accuracy: [number, number], values: TableRow[]): PaperResult {
  const perClass = values.map((v, i) => ({
    emotion: EMOTIONS[i],
    precision: ms(v[0], v[1]),
    recall: ms(v[2], v[3]),
    f1: ms(v[4], v[5]),
    samples: v[6],
  }));
  return { model, table: num, title, accuracy: ms(accuracy[0], accuracy[1]), perClass };
}

export const PAPER_RESULTS: Record<PaperModel, PaperResult> = {
  'svm-augmented': table(
    'svm-augmented',
    'II',
    'SVM (RBF, C=100) with augmentation',
    [76.1, 1.2],
    [
      [80.5, 1.1, 85.5, 0.5, 83.0, 0.7, 1538.4],
      [83.6, 2.0, 91.0, 2.1, 87.2, 1.9, 153.6],
      [69.5, 0.7, 70.9, 0.9, 70.2, 0.6, 1538.4],
      [74.9, 1.1, 68.9, 1.4, 71.7, 1.2, 1538.4],
      [76.8, 1.8, 71.4, 0.8, 74.0, 0.8, 1538.4],
      [75.8, 0.9, 75.2, 0.9, 75.5, 0.5, 1362.4],
      [72.2, 0.6, 77.6, 1.6, 74.8, 1.1, 1538.4],
      [94.2, 0.7, 91.3, 1.2, 92.7, 0.4, 521.6],
    ],
  ),
  svm: table(
    'svm',
    'III',
    'SVM (RBF, C=30) without augmentation',
    [65.3, 0.6],
    [
      [73.1, 2.0, 76.1, 1.8, 74.6, 1.5, 384.6],
      [61.9, 1.7, 75.5, 8.4, 67.9, 4.1, 38.4],
      [58.9, 2.0, 58.2, 1.2, 58.5, 1.4, 384.6],
      [63.6, 2.8, 54.8, 3.3, 58.8, 2.4, 384.6],
      [62.9, 1.1, 57.6, 0.6, 60.1, 0.4, 384.6],
      [62.6, 1.3, 66.1, 1.6, 64.3, 1.4, 340.6],
      [63.4, 1.0, 71.6, 1.8, 67.2, 1.3, 384.6],
      [87.2, 3.4, 84.7, 1.6, 85.9, 2.3, 130.4],
    ],
  ),
  vgg16: table(
    'vgg16',
    'IV',
    'VGG16 transfer learning',
    [65.9, 1.2],
    [
      [73.1, 2.3, 75.5, 2.5, 74.2, 1.4, 384.6],
      [61.1, 7.8, 79.2, 12.2, 67.9, 4.0, 38.4],
      [64.2, 4.6, 60.7, 3.3, 62.2, 2.3, 384.6],
      [62.1, 2.8, 56.9, 2.6, 59.3, 2.0, 384.6],
      [64.1, 4.9, 58.5, 7.0, 60.6, 2.1, 384.6],
      [66.2, 4.2, 71.0, 5.8, 68.2, 2.3, 340.6],
      [62.2, 4.6, 64.5, 5.1, 63.0, 1.3, 384.6],
      [83.4, 3.6, 87.7, 4.6, 85.4, 1.3, 130.4],
    ],
  ),
  'custom-cnn': table(
    'custom-cnn',
    'V',
    'Custom CNN',
    [68.7, 0.8],
    [
      [77.9, 2.9, 77.4, 2.2, 77.6, 2.0, 384.6],
      [64.4, 10.8, 56.8, 6.0, 59.8, 6.1, 38.4],
      [68.4, 3.6, 59.1, 4.5, 63.2, 3.0, 384.6],
      [67.5, 3.0, 60.4, 1.6, 63.6, 0.7, 384.6],
      [68.9, 3.6, 64.7, 3.1, 66.6, 1.0, 384.6],
      [66.6, 1.9, 76.6, 2.6, 71.2, 1.8, 340.6],
      [59.9, 1.5, 70.1, 2.0, 64.6, 0.7, 384.6],
      [86.8, 2.4, 87.0, 3.1, 86.8, 1.8, 130.4],
    ],
  ),
};

/** "76.1 ± 1.2" */
export function fmtMeanStd(m: MeanStd, digits = 1): string {
  return `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}`;
}

/** The paper's table in its layout: Class, Precision, Recall, F1-score, Samples. */
export function paperTableRows(model: PaperModel): Record<string, string | number>[] {
  return PAPER_RESULTS[model].perClass.map((r) => ({
    Class: r.emotion[0].toUpperCase() + r.emotion.slice(1),
    Precision: fmtMeanStd(r.precision),
    Recall: fmtMeanStd(r.recall),
    'F1-score': fmtMeanStd(r.f1),
    Samples: r.samples,
  }));
}
