/** Worker for the demo corpus: renders clips (pad, resample, noise floor, encode) off the main thread. */
import { parentPort } from 'node:worker_threads';
import { type DemoClipSpec, renderClipWav } from './demo';

parentPort?.on('message', (m: { spec: DemoClipSpec; speech: Int16Array }) => {
  try {
    const bytes = renderClipWav(m.spec, m.speech);
    parentPort!.postMessage({ bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (e: any) {
    parentPort!.postMessage({ error: String(e?.message ?? e) });
  }
});
