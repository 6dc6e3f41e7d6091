/** Worker for `hashFiles`: receives batches of paths, answers sha256 + size (or an error) for each. */
import { parentPort } from 'node:worker_threads';
import { hashFileSync } from './hash';

parentPort?.on('message', (msg: { id: number; files: string[] }) => {
  parentPort!.postMessage({ id: msg.id, results: msg.files.map((f) => hashFileSync(f)) });
});
