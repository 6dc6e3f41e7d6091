/**
 * The results registry: notebooks 04, 06 and 07 record each model's cross-validated scores
 * (per protocol) in `<outDir>/results.json`; notebook 08 and `ser` read them back to build the
 * reproduction report. Percentages, mean ± std over folds (std: sample std, ddof = 1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Emotion } from '../core/types';
import { runContext } from '../core/context';
import { writeFileAtomic } from '../core/fs';
import type { MeanStd } from '../eval/metrics';
import type { Protocol } from '../eval/protocols';
import type { PaperModel } from './paper';

export interface ModelResult {
  model: PaperModel;
  protocol: Protocol;
  accuracy: MeanStd;
  perClass: { emotion: Emotion; precision: MeanStd; recall: MeanStd; f1: MeanStd; support: number }[];
  folds: number;
  /** what was evaluated: clips, rows, corpora, synthetic or real, model setting */
  data: { clips: number; rows: number; corpora: string[]; synthetic: boolean };
  setting: string;
  profile: string;
  notebook: string | null;
  recordedAt: string;
}

export const RESULTS_FILE = 'results.json';

export function readResults(outDir = runContext().outDir): ModelResult[] {
  const f = path.join(outDir, RESULTS_FILE);
  if (!fs.existsSync(f)) return [];
  return JSON.parse(fs.readFileSync(f, 'utf8')) as ModelResult[];
}

/** Adds (or replaces) the result for (model, protocol). */
export function recordResult(r: Omit<ModelResult, 'recordedAt' | 'notebook' | 'profile'>, outDir = runContext().outDir): ModelResult {
  const ctx = runContext();
  const full: ModelResult = { ...r, profile: ctx.profile, notebook: ctx.notebook, recordedAt: new Date().toISOString() };
  const all = readResults(outDir).filter((x) => !(x.model === r.model && x.protocol === r.protocol));
  all.push(full);
  all.sort((a, b) => (a.model + a.protocol).localeCompare(b.model + b.protocol));
  writeFileAtomic(path.join(outDir, RESULTS_FILE), `${JSON.stringify(all, null, 2)}\n`);
  return full;
}
