/**
 * The page's engine, a dedicated Worker (one thread): fetches kernel-lib's assets and the model
 * from the `ser live` server, then classifies each window the page sends with kernel-lib's
 * live classifier (kaiser_best resampling, the paper's 173 features, scaler + SVC: the code
 * `ser predict` runs) and each dropped file by `ser predict`'s offset/duration rule.
 */
import * as ser from 'kernel-lib/dist/browser';
import type { FromEngine, ToEngine } from './protocol';

interface WorkerScope {
  postMessage(msg: FromEngine, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<ToEngine>) => void) | null;
}
const scope = self as unknown as WorkerScope;

let model: ser.LiveModel | null = null;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

async function fetchJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return (await r.json()) as T;
}

async function init(): Promise<void> {
  const info = await fetchJson<{ assets: string[]; model: { files: { meta: string; pipeline: string } } }>('/api/info');
  await Promise.all(info.assets.map(async (a) => ser.provideAsset(a, await fetchBytes(`/kernel-lib/${a}`))));
  const [meta, pipeline] = await Promise.all([
    fetchJson<ser.SavedModelMeta>(info.model.files.meta),
    fetchJson<Parameters<typeof ser.liveModelFromJson>[1]>(info.model.files.pipeline),
  ]);
  model = ser.liveModelFromJson(meta, pipeline);
  // one window of silence: builds the filter banks and the wasm memory before the first real one
  const warm = await ser.classifyWindow(model, new Float32Array(ser.windowFrames(model, meta.input.sr)), meta.input.sr);
  scope.postMessage({ type: 'ready', classes: meta.classes, dspEngine: ser.dspEngine(), warmupMs: warm.timing.total });
}

async function handle(msg: ToEngine): Promise<void> {
  if (msg.type === 'init') return init();
  if (!model) throw new Error('the engine is not ready');
  if (msg.type === 'measure') {
    // the same window n times in a row, nothing else running in this thread
    const timings: ser.WindowTiming[] = [];
    for (let i = 0; i < msg.n; i++) timings.push((await ser.classifyWindow(model, msg.y, msg.sr)).timing);
    scope.postMessage({ type: 'measure', id: msg.id, sr: msg.sr, timings });
    return;
  }
  if (msg.type === 'window') {
    const r = await ser.classifyWindow(model, msg.y, msg.sr);
    const mel = { rows: r.melDb.rows, cols: r.melDb.cols, data: Float32Array.from(r.melDb.data) };
    scope.postMessage({ type: 'window', id: msg.id, probabilities: r.probabilities, top: r.top, timing: r.timing, mel }, [mel.data.buffer]);
    return;
  }
  if (msg.type === 'file') {
    // ser predict's rule: the span [0.5 s, 3.0 s) at the file's rate, then the classifier
    // resamples it with kaiser_best to the model's rate, as audio.load does
    const clip = await ser.decodeForModel(new Uint8Array(msg.bytes), msg.name, model.meta.input);
    const r = await ser.classifyWindow(model, clip.y, clip.sr);
    scope.postMessage({
      type: 'file',
      id: msg.id,
      name: msg.name,
      probabilities: r.probabilities,
      top: r.top,
      timing: r.timing,
      ...(clip.warning ? { warning: clip.warning } : {}),
    });
  }
}

scope.onmessage = (ev) => {
  const msg = ev.data;
  handle(msg).catch((e: unknown) => {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    scope.postMessage({ type: 'error', id: msg.type === 'init' ? -1 : msg.id, message });
  });
};
