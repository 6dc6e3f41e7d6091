/**
 * Worker thread of the feature store (see extract.ts): receives WAV bytes, returns the rows of
 * the requested kinds. Loaded by `new Worker(<dist>/features/extract-worker.js)`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  computeClipRows,
  errorReason,
  type ExtractJob as Job,
  type ExtractParams,
  type FeatureExtractor,
  resolveExtractor,
} from './extract';

if (parentPort) {
  const port = parentPort;
  const params = (workerData as { params: ExtractParams }).params;
  let ex: FeatureExtractor | null = null;
  let setupError: string | null = null;
  try {
    ex = resolveExtractor(params);
  } catch (e) {
    setupError = `cannot load extractor: ${errorReason(e, '')}`;
  }
  port.on('message', async (job: Job) => {
    if (!ex) {
      port.postMessage({ id: job.id, error: setupError });
      return;
    }
    const t0 = Date.now();
    try {
      const rows = await computeClipRows(job.bytes, job.name, job.clipId, job.kinds, params, ex);
      port.postMessage(
        { id: job.id, rows, ms: Date.now() - t0 },
        rows.map((r) => r.values.buffer as ArrayBuffer),
      );
    } catch (e) {
      port.postMessage({ id: job.id, error: errorReason(e, job.name) });
    }
  });
}
