// `npm run bench -- cnn [--batch=16] [--steps=1] [--micro=8] [--stride=2] [--kernels | --only-kernels] [--no-torch]`
// Training throughput (samples/s: forward + backward + Adam step) of the paper-size custom CNN
// (128x128x3, 256/256/128/64 filters 5x5, pooling 5x5 stride 2, Dense 32: 2,813,672 parameters)
// on TensorFlow.js' wasm backend, against PyTorch on the same machine (same network, same batch,
// all cores) when Debian's python3-torch is installed (/usr/bin/python3), and the ratio.
// --kernels also times the wasm kernels kernel-lib replaces or adds (models/wasm-kernels.ts)
// against the package's own, on one 64x64x256 -> 256 5x5 layer (batch 1).
// Only a few steps are timed: the figures are indicative, and other processes on the machine
// change them; the bench prints the load average next to them.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// flags as --name=value (scripts/bench.js forwards only the words that start with '-') or --name value
function flag(argv, name, def) {
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) {
    const v = eq.slice(name.length + 3);
    return Number.isFinite(Number(v)) ? Number(v) : v;
  }
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = argv[i + 1];
  return v === undefined || v.startsWith('--') ? true : Number.isFinite(Number(v)) ? Number(v) : v;
}

function load() {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

async function wasmThroughput({ batch, steps, micro, stride }) {
  const ser = require('kernel-lib/internal'); // fit, imageSource, autoMicroBatch are internal
  const tf = require('@tensorflow/tfjs');
  const choice = await ser.modelsCnnBackend.chooseBackend({ log: (s) => process.stdout.write(`${s}\n`) });
  if (choice.tfBackend !== 'wasm') process.stdout.write(`note: backend is ${choice.tfBackend}, not wasm (SER_BACKEND=wasm forces it)\n`);
  const model = ser.models.customCnn({ poolStrides: stride });
  const n = batch * (steps + 1);
  const px = 128 * 128 * 3;
  const pixels = new Uint8Array(n * px);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (Math.imul(i, 2654435761) >>> 24) & 255;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 8);
  const data = ser.models.imageSource(pixels, [128, 128, 3], labels, 8);
  const mb = micro || ser.models.autoMicroBatch(model, batch);
  // warm-up: one optimiser step of one micro-batch (operator creation, heap growth)
  await ser.models.fit({
    model,
    data,
    train: Array.from({ length: mb }, (_, i) => i),
    val: [0],
    options: { epochs: 1, batchSize: mb, microBatch: mb, silent: true, patience: 0 },
  });
  const idx = Array.from({ length: batch * steps }, (_, i) => batch + i);
  const t = Date.now();
  const r = await ser.models.fit({
    model,
    data,
    train: idx,
    val: [0],
    options: { epochs: 1, batchSize: batch, microBatch: mb, silent: true, patience: 0 },
  });
  const seconds = (Date.now() - t) / 1000;
  const setup = require('kernel-lib/dist/models/cnn/wasm-kernels').wasmSetup();
  const out = {
    backend: `${choice.name}${choice.detail ? ` (${choice.detail})` : ''}`,
    threads: setup ? setup.threads : null,
    batch,
    microBatch: mb,
    steps,
    params: model.countParams(),
    samplesPerSecond: r.history[0].samplesPerSecond,
    seconds,
    heapMB: Math.round(tf.memory().numBytes / 1e6),
    // the wasm heap only grows: its size after the run is the peak the run needed (max 4096 MB)
    wasmHeapMB: tf.backend().wasm ? Math.round(tf.backend().wasm.HEAPU8.buffer.byteLength / 2 ** 20) : null,
  };
  model.dispose();
  return out;
}

function torchThroughput({ batch, steps, stride }) {
  const py = '/usr/bin/python3';
  if (!fs.existsSync(py)) return { skipped: `${py} not found` };
  const probe = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: 'python3-torch is not installed (Debian: apt-get install -y python3-torch)' };
  const r = spawnSync(
    py,
    [path.join(__dirname, 'cnn_torch.py'), `batch=${batch}`, `steps=${steps}`, `stride=${stride}`, `threads=${os.cpus().length}`],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (r.status !== 0) return { skipped: `PyTorch run failed: ${(r.stderr || '').trim().split('\n').pop()}` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function kernelTimes() {
  const tf = require('@tensorflow/tfjs');
  const { stockWasmKernels } = require('kernel-lib/dist/models/cnn/wasm-kernels');
  const backend = tf.backend();
  const rows = [];
  const time = (name, f, gflop) => {
    const t = performance.now();
    const r = f();
    backend.readSync ? backend.readSync(r.dataId) : r.dataSync();
    const ms = performance.now() - t;
    if (r.dataId) backend.disposeData(r.dataId);
    rows.push({ kernel: name, ms: Math.round(ms), gflops: gflop ? +(gflop / (ms / 1000)).toFixed(1) : '' });
  };
  const B = 1;
  const x = tf.randomNormal([B, 64, 64, 256], 0, 1, 'float32', 1);
  const w = tf.randomNormal([5, 5, 256, 256], 0, 0.05, 'float32', 2);
  const dy = tf.randomNormal([B, 64, 64, 256], 0, 1, 'float32', 3);
  const pooled = tf.maxPool(x, 5, 2, 'same');
  const dyp = tf.onesLike(pooled);
  const gf = (2 * B * 64 * 64 * 25 * 256 * 256) / 1e9;
  const k = (name) => tf.getKernel(name, 'wasm').kernelFunc;
  const bpIn = {
    inputs: { dy, filter: w },
    backend,
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: [B, 64, 64, 256] },
  };
  const bpF = {
    inputs: { x, dy },
    backend,
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [5, 5, 256, 256] },
  };
  const mpg = {
    inputs: { dy: dyp, input: x, output: pooled },
    backend,
    attrs: { filterSize: 5, strides: 2, pad: 'same', dimRoundingMode: undefined },
  };
  const conv = {
    inputs: { x, filter: w },
    backend,
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined },
  };
  // the replaced kernels were unregistered before the backend started: run their setup now
  for (const cfg of Object.values(stockWasmKernels)) if (cfg.setupFunc) cfg.setupFunc(backend);
  k('Conv2D')(conv); // warm-up (operator creation)
  time('Conv2D forward (package, XNNPACK)', () => k('Conv2D')(conv), gf);
  time('Conv2DBackpropInput: kernel-lib (Conv2D, flipped filter)', () => k('Conv2DBackpropInput')(bpIn), gf);
  if (stockWasmKernels.Conv2DBackpropInput)
    time('Conv2DBackpropInput: package (scalar loop)', () => stockWasmKernels.Conv2DBackpropInput.kernelFunc(bpIn), gf);
  time('Conv2DBackpropFilter: kernel-lib (Conv2D over the batch)', () => k('Conv2DBackpropFilter')(bpF), gf);
  rows.push({ kernel: 'Conv2DBackpropFilter: package', ms: 'missing', gflops: '' });
  time('MaxPoolGrad 5x5/2: kernel-lib (one pass)', () => k('MaxPoolGrad')(mpg), 0);
  if (stockWasmKernels.MaxPoolGrad) time('MaxPoolGrad 5x5/2: package', () => stockWasmKernels.MaxPoolGrad.kernelFunc(mpg), 0);
  tf.dispose([x, w, dy, pooled, dyp]);
  return rows;
}

async function printKernels() {
  process.stdout.write('\nkernels on one 64x64x256 -> 256, 5x5 layer (batch 1):\n');
  const rows = await kernelTimes();
  for (const r of rows)
    process.stdout.write(
      `  ${r.kernel.padEnd(62)} ${String(r.ms).padStart(7)} ms ${r.gflops !== '' ? `${String(r.gflops).padStart(6)} GFLOP/s` : ''}\n`,
    );
  return rows;
}

async function run(argv = []) {
  if (!process.env.SER_BACKEND) process.env.SER_BACKEND = 'wasm';
  const batch = flag(argv, 'batch', 16);
  const steps = flag(argv, 'steps', 1);
  const micro = flag(argv, 'micro', 0);
  const stride = flag(argv, 'stride', 2);
  process.stdout.write(
    `machine: ${os.cpus().length} x ${os.cpus()[0].model}; load average ${load()} (other processes slow every figure)\n`,
  );
  if (flag(argv, 'only-kernels', false)) {
    await require('kernel-lib').chooseBackend({ log: (s) => process.stdout.write(`${s}\n`) });
    return { kernels: await printKernels() };
  }
  process.stdout.write(
    `custom CNN, paper size (128x128x3, pooling 5x5 stride ${stride}${stride === 2 ? ': 2,813,672 parameters' : ''}), batch ${batch}, ${steps} timed step(s) after a warm-up\n`,
  );
  const w = await wasmThroughput({ batch, steps, micro, stride });
  process.stdout.write(
    `tfjs ${w.backend}: ${w.samplesPerSecond.toFixed(3)} samples/s (micro-batch ${w.microBatch}, ${w.seconds.toFixed(1)} s, wasm heap ${w.wasmHeapMB} MB; load ${load()})\n`,
  );
  let t = { skipped: 'not asked (--no-torch)' };
  if (!flag(argv, 'no-torch', false)) {
    t = torchThroughput({ batch, steps, stride });
    if (t.skipped) process.stdout.write(`PyTorch: skipped: ${t.skipped}\n`);
    else
      process.stdout.write(
        `PyTorch ${t.torch} CPU (${t.threads} threads): ${t.samplesPerSecond.toFixed(3)} samples/s (${t.seconds.toFixed(1)} s; load ${load()})\n`,
      );
  }
  const rows = [
    ['tfjs wasm (kernel-lib setup)', w.samplesPerSecond.toFixed(3), w.threads ?? '', w.microBatch],
    ...(t.skipped ? [] : [[`PyTorch ${t.torch} CPU`, t.samplesPerSecond.toFixed(3), t.threads, batch]]),
  ];
  process.stdout.write(
    '\n' +
      [
        'engine'.padEnd(30) + 'samples/s'.padStart(11) + 'threads'.padStart(9) + 'micro'.padStart(7),
        ...rows.map((r) => String(r[0]).padEnd(30) + String(r[1]).padStart(11) + String(r[2]).padStart(9) + String(r[3]).padStart(7)),
      ].join('\n') +
      '\n',
  );
  if (!t.skipped)
    process.stdout.write(`ratio tfjs-wasm / PyTorch: ${(w.samplesPerSecond / t.samplesPerSecond).toFixed(2)}x (target >= 1.0x)\n`);
  const kernels = flag(argv, 'kernels', false) ? await printKernels() : null;
  return { wasm: w, torch: t, kernels };
}

module.exports = { run };
if (require.main === module)
  run(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
