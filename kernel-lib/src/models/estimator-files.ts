/**
 * Fitted estimators as JSON files (Node): the saved forms of Pipeline and SVC (`toJSON`, read back
 * by `fromJSON`), written atomically so a killed job never leaves half a file. The estimators
 * themselves do no file access, so the browser page can run them.
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from '../core/fs';
import { Pipeline } from './svm/pipeline';
import { SVC, type SVCJson } from './svm/svc';

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new Error(`${file}: cannot read ${what} (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Writes a fitted pipeline (pipeline.json of a model directory). */
export function savePipeline(pipeline: Pipeline, file: string): void {
  writeFileAtomic(file, JSON.stringify(pipeline.toJSON()));
}

/** Reads a pipeline written by savePipeline. */
export function loadPipeline(file: string, opts: { workers?: number } = {}): Pipeline {
  return Pipeline.fromJSON(readJson<ReturnType<Pipeline['toJSON']>>(file, 'saved pipeline'), opts);
}

/** Writes a fitted SVC. */
export function saveSvc(svc: SVC, file: string): void {
  writeFileAtomic(file, JSON.stringify(svc.toJSON()));
}

/** Reads an SVC written by saveSvc. */
export function loadSvc(file: string, opts: { workers?: number } = {}): SVC {
  return SVC.fromJSON(readJson<SVCJson>(file, 'saved SVC'), opts);
}
