/**
 * Makes the TensorFlow.js wasm backend (@tensorflow/tfjs-backend-wasm 4.22) fit for training
 * the paper's CNNs in Node. Called by `chooseBackend()` (models/backend.ts) when it loads wasm.
 *
 * 1. A missing kernel: wasm has no `Conv2DBackpropFilter`, so any Conv2D layer fails to train
 *    ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"). It is registered here,
 *    computed with the backend's own XNNPACK Conv2D: with NHWC x [B,H,W,Ci] and dy [B,Ho,Wo,Co],
 *    dW[kh,kw,ci,co] = sum_{b,i,j} x[b, i*s+kh-pt, j*s+kw-pl, ci] dy[b,i,j,co] is a stride-1
 *    convolution of x^T [Ci,H,W,B] (batch = Ci, channels = B) with dy^T [Ho,Wo,B,Co] as the
 *    filter, dilated by the forward stride, padded so that the output is [Ci,KH,KW,Co].
 * 2. A slow kernel: wasm's `Conv2DBackpropInput` is a scalar loop (about 1 GFLOP/s, 17x slower
 *    than its forward Conv2D on the paper's 256->256 5x5 layer). For stride 1 it is replaced
 *    by the forward Conv2D of dy with the filter flipped in space and transposed in channels
 *    (Ci <-> Co), padded with K-1-pad; other strides keep the original kernel.
 * 3. Threads: the package never enables its multithreaded build in Node (it hard-codes
 *    WASM_HAS_MULTITHREAD_SUPPORT = false for Node and hands Emscripten a Blob URL Node cannot
 *    start a Worker from). `loadThreadedWasm()` instantiates the threaded-SIMD build itself:
 *    the pthread worker script is written to a file, XNNPACK's thread pool gets all cores
 *    (SER_WASM_THREADS overrides; 1 keeps the single-threaded build). Emscripten sizes that pool
 *    as navigator.hardwareConcurrency / 2 (it assumes hyper-threads), so the core count it reads
 *    is doubled while the module starts. If anything fails, the stock single-threaded backend
 *    is kept and the reason is reported.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

type Info = tf.TensorInfo;
type AnyBackend = any; // BackendWasm: dataIdMap, disposeData, wasm

function kernelFunc(name: string): tf.KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm kernel ${name} missing`);
  return k.kernelFunc;
}

function run(name: string, backend: AnyBackend, inputs: Record<string, Info> | Info[], attrs: Record<string, unknown>): Info {
  return kernelFunc(name)({ backend, inputs: inputs as any, attrs: attrs as any }) as Info;
}

function free(backend: AnyBackend, ...infos: Info[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/** The geometry of a 2-D convolution of NHWC input of shape `xShape` (dilation 1), as tfjs computes it. */
function convInfo(xShape: number[], filterShape: number[], strides: any, pad: any, dimRoundingMode: any): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** The wasm Conv2D of NHWC `x` with `filter`: stride 1, explicit padding (rows, columns), `dilations`. */
function conv2DPadded(
  backend: AnyBackend,
  x: Info,
  filter: Info,
  padRows: number[],
  padCols: number[],
  dilations: number | number[],
): Info {
  return run(
    'Conv2D',
    backend,
    { x, filter },
    { strides: 1, pad: [[0, 0], padRows, padCols, [0, 0]], dataFormat: 'NHWC', dilations, dimRoundingMode: undefined },
  );
}

/** Conv2DBackpropFilter through the wasm Conv2D (see the module comment). NHWC only. */
export function conv2DBackpropFilterViaConv(args: { inputs: any; backend: AnyBackend; attrs: any }): Info {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat && dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropFilter: dataFormat ${dataFormat} not supported`);
  const c = convInfo(x.shape, filterShape, strides, pad, dimRoundingMode);
  const top = c.padInfo.top;
  const left = c.padInfo.left;
  // output spatial size must be the filter's: (H + top + bottom) - s*(Ho-1) = KH
  const bottom = c.filterHeight - 1 + c.strideHeight * (c.outHeight - 1) - top - (c.inHeight - 1);
  const right = c.filterWidth - 1 + c.strideWidth * (c.outWidth - 1) - left - (c.inWidth - 1);
  const xt = run('Transpose', backend, { x }, { perm: [3, 1, 2, 0] }); // [Ci,H,W,B]
  const ft = run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] }); // [Ho,Wo,B,Co]
  let o: Info;
  try {
    o = conv2DPadded(backend, xt, ft, [top, bottom], [left, right], [c.strideHeight, c.strideWidth]); // [Ci,KH,KW,Co]
  } finally {
    free(backend, xt, ft);
  }
  const r = run('Transpose', backend, { x: o }, { perm: [1, 2, 0, 3] }); // [KH,KW,Ci,Co]
  free(backend, o);
  return r;
}

/** Conv2DBackpropInput through the wasm Conv2D for stride 1; `orig` otherwise. */
export function conv2DBackpropInputViaConv(orig: tf.KernelFunc): tf.KernelFunc {
  return ((args: { inputs: any; backend: AnyBackend; attrs: any }) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: Info; filter: Info };
    const { strides, pad, dimRoundingMode, inputShape, dataFormat } = attrs;
    const c = convInfo(inputShape, filter.shape, strides, pad, dimRoundingMode);
    if (c.strideHeight !== 1 || c.strideWidth !== 1 || (dataFormat && dataFormat !== 'NHWC')) return orig(args as any);
    const rev = run('Reverse', backend, { x: filter }, { dims: [0, 1] });
    const ft = run('Transpose', backend, { x: rev }, { perm: [0, 1, 3, 2] }); // [KH,KW,Co,Ci]
    free(backend, rev);
    const top = c.filterHeight - 1 - c.padInfo.top;
    const left = c.filterWidth - 1 - c.padInfo.left;
    const bottom = c.inHeight - 1 + c.filterHeight - 1 - top - (c.outHeight - 1);
    const right = c.inWidth - 1 + c.filterWidth - 1 - left - (c.outWidth - 1);
    try {
      return conv2DPadded(backend, dy, ft, [top, bottom], [left, right], 1);
    } finally {
      free(backend, ft);
    }
  }) as unknown as tf.KernelFunc;
}

/**
 * MaxPoolGrad in plain JS over the wasm heap: one pass over the output windows (first maximum
 * in window order gets the gradient, as tfjs' cpu backend does), channels innermost. The
 * stock wasm kernel revisits every window for every input pixel (4 s for one 4x64x64x256 5x5/2
 * pooling here, against ~0.1 s).
 */
export function maxPoolGradJs(args: { inputs: any; backend: AnyBackend; attrs: any }): Info {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs as { dy: Info; input: Info };
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const c = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const out = backend.makeOutput(input.shape, 'float32');
  // views after makeOutput (a growing heap replaces the buffer)
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = c;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = c;
  const top = c.padInfo.top;
  const left = c.padInfo.left;
  const best = new Float32Array(C);
  const arg = new Int32Array(C);
  for (let b = 0; b < N; b++) {
    const xb = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * sh - top;
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * sw - left;
        best.fill(-Infinity);
        arg.fill(-1);
        for (let ky = 0; ky < fh; ky++) {
          const yy = y0 + ky;
          if (yy < 0 || yy >= H) continue;
          for (let kx = 0; kx < fw; kx++) {
            const xx = x0 + kx;
            if (xx < 0 || xx >= W) continue;
            const base = xb + (yy * W + xx) * C;
            for (let ch = 0; ch < C; ch++) {
              const v = x[base + ch];
              if (v > best[ch] || arg[ch] < 0) {
                best[ch] = v;
                arg[ch] = base + ch;
              }
            }
          }
        }
        const gb = ((b * OH + oy) * OW + ox) * C;
        for (let ch = 0; ch < C; ch++) if (arg[ch] >= 0) dx[arg[ch]] += g[gb + ch];
      }
    }
  }
  return out;
}

let kernelsRegistered = false;

/** The package's own kernels that registerWasmTrainingKernels() replaced (for benchmarks). */
export const stockWasmKernels: Record<string, tf.KernelConfig> = {};

/**
 * Registers the training kernels above for 'wasm' (idempotent). Returns what was changed.
 * Safe before or after the backend initialises (setup functions are kept).
 */
export function registerWasmTrainingKernels(): string[] {
  const changed: string[] = [];
  if (kernelsRegistered) return ['Conv2DBackpropFilter (added)', 'Conv2DBackpropInput (stride 1 via Conv2D)', 'MaxPoolGrad (one pass, JS)'];
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2DBackpropFilterViaConv as unknown as tf.KernelFunc,
    });
    changed.push('Conv2DBackpropFilter (added)');
  }
  const orig = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (orig) {
    stockWasmKernels.Conv2DBackpropInput = orig;
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({ ...orig, kernelFunc: conv2DBackpropInputViaConv(orig.kernelFunc) });
    changed.push('Conv2DBackpropInput (stride 1 via Conv2D)');
  }
  const mpg = tf.getKernel('MaxPoolGrad', 'wasm');
  if (mpg) {
    stockWasmKernels.MaxPoolGrad = mpg;
    tf.unregisterKernel('MaxPoolGrad', 'wasm');
  }
  tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGradJs as unknown as tf.KernelFunc });
  changed.push('MaxPoolGrad (one pass, JS)');
  kernelsRegistered = true;
  return changed;
}

// ---- threads ------------------------------------------------------------------------------

export interface WasmSetup {
  threads: number;
  /** 'threaded-simd' when the multithreaded build runs, else 'simd' (the package's choice) */
  build: string;
  kernels: string[];
  /** why the threaded build was not used, when it was not */
  note?: string;
}

function wantedThreads(env: NodeJS.ProcessEnv): number {
  const v = env.SER_WASM_THREADS?.trim();
  if (v) {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`SER_WASM_THREADS must be a positive integer, got '${v}'`);
    return Math.min(n, 8);
  }
  return Math.max(1, Math.min(os.cpus().length, 8));
}

function wasmOutDir(): string {
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
}

/** The pthread worker script as a file (content-addressed in the temp folder). */
function workerScriptFile(): string {
  const contents: string = require(path.join(wasmOutDir(), 'tfjs-backend-wasm-threaded-simd.worker.js')).wasmWorkerContents;
  // the package stores it in a template literal: its "\n" escapes came out as newlines
  const text = contents.replace(/\n/g, '\\n');
  const hash = require('node:crypto').createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `ser-tfjs-wasm-${hash}.worker.js`);
  if (!fs.existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
  return file;
}

async function threadedBackend(threads: number): Promise<tf.KernelBackend> {
  const wasmPkg = require('@tensorflow/tfjs-backend-wasm');
  const out = wasmOutDir();
  const mainJs = path.join(out, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(mainJs);
  const worker = workerScriptFile();
  const osModule = require('node:os'); // the module object itself (the import above is a read-only namespace)
  const realCpus = osModule.cpus;
  osModule.cpus = () => {
    const c = realCpus.call(osModule);
    return [...c, ...c];
  };
  let module: any;
  try {
    module = await Promise.race([
      factory({
        locateFile: (p: string) => (p.endsWith('.worker.js') ? worker : path.join(out, 'tfjs-backend-wasm-threaded-simd.wasm')),
        mainScriptUrlOrBlob: mainJs,
      }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('threaded wasm did not start within 60 s')), 60000).unref()),
    ]);
  } finally {
    osModule.cpus = realCpus;
  }
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  wasmPkg.setThreadsCount(threads);
  const backend = new wasmPkg.BackendWasm(module);
  // the pool's workers must not keep Node alive once the work is done
  const unrefAll = () => {
    const P = module.PThread;
    for (const w of [...(P?.runningWorkers ?? []), ...(P?.unusedWorkers ?? [])]) w?.unref?.();
  };
  unrefAll();
  setTimeout(unrefAll, 0).unref();
  return backend;
}

let setupDone: WasmSetup | null = null;

/**
 * Loads @tensorflow/tfjs-backend-wasm, registers the training kernels, and makes 'wasm' use all
 * cores where it can. Leaves the backend registered (not yet active): the caller sets it.
 */
export async function prepareWasm(env: NodeJS.ProcessEnv = process.env): Promise<WasmSetup> {
  if (setupDone) return setupDone;
  require('@tensorflow/tfjs-backend-wasm');
  const kernels = registerWasmTrainingKernels();
  const threads = wantedThreads(env);
  if (threads <= 1 || typeof SharedArrayBuffer === 'undefined') {
    setupDone = { threads: 1, build: 'simd', kernels, note: threads <= 1 ? 'one thread asked' : 'no SharedArrayBuffer' };
    return setupDone;
  }
  const stock = tf.engine().registryFactory.wasm;
  let note: string | undefined;
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => threadedBackend(threads), stock?.priority ?? 2);
  try {
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('threaded wasm failed to initialise');
    const n = require('@tensorflow/tfjs-backend-wasm').getThreadsCount();
    setupDone = { threads: n, build: 'threaded-simd', kernels };
    return setupDone;
  } catch (e) {
    note = `threaded wasm unavailable (${(e instanceof Error ? e.message : String(e)).split('\n')[0]}); using one thread`;
    tf.removeBackend('wasm');
    if (stock) tf.registerBackend('wasm', stock.factory, stock.priority);
  }
  setupDone = { threads: 1, build: 'simd', kernels, note };
  return setupDone;
}

/** What prepareWasm() did in this process, or null. */
export function wasmSetup(): WasmSetup | null {
  return setupDone;
}
