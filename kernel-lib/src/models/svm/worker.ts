/**
 * The worker thread of the SVM pool (pool.ts starts dist/models/svm/worker.js): it answers
 * each {id, task} message with {id, ok, result | error}, running the task with `runSvmTask`
 * (tasks.ts).
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { runSvmTask, type SvmTask } from './tasks';

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', async (msg: { id: number; task: SvmTask }) => {
    try {
      const result = await runSvmTask(msg.task);
      const transfer: ArrayBuffer[] = [];
      for (const v of Object.values(result)) {
        if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) transfer.push(v.buffer);
      }
      port.postMessage({ id: msg.id, ok: true, result }, transfer);
    } catch (e) {
      port.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
    }
  });
}
