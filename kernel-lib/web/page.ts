/**
 * The `ser live` page (main thread): microphone capture through an AudioWorklet into a ring
 * buffer at the device's rate; every HOP_MS the last window (the model's duration, 2.5 s) goes
 * to the engine worker, which resamples it to 22050 Hz and classifies it with kernel-lib's
 * code; the page draws the probabilities (plotly bars), a timeline of the top emotion, a
 * scrolling mel spectrogram, a level meter and the time each window took. Files dropped or
 * picked are classified by `ser predict`'s rule (offset 0.5 s, duration 2.5 s).
 * The page talks only to the server that sent it (its Content-Security-Policy forbids others).
 */
// only the two small pieces the main thread needs (the engine worker imports kernel-lib/dist/browser)
import { MAGMA_RGB } from 'kernel-lib/dist/features/magma';
import { SampleRing } from 'kernel-lib/dist/live/ring-buffer';
import type { WindowTiming } from 'kernel-lib/dist/live/classifier';
import type { FileDone, FromEngine, MeasureDone, ToEngine, WindowDone } from './protocol';

/** The plotly.js calls used here (plotly.min.js, served locally, defines window.Plotly). */
interface PlotlyApi {
  newPlot(el: HTMLElement, data: unknown[], layout: Record<string, unknown>, config: Record<string, unknown>): Promise<unknown>;
  react(el: HTMLElement, data: unknown[], layout: Record<string, unknown>, config: Record<string, unknown>): Promise<unknown>;
}
declare const Plotly: PlotlyApi;

const HOP_MS = 500;
const TIMELINE_SECONDS = 30;
const MEL_COL_PX = 2;
const PLOT_CONFIG = { displayModeBar: false, responsive: true };
const COLORS: Record<string, string> = {
  angry: '#d62728',
  calm: '#17becf',
  disgust: '#8c564b',
  fear: '#9467bd',
  happy: '#ff7f0e',
  neutral: '#7f7f7f',
  sad: '#1f77b4',
  surprised: '#2ca02c',
};

interface Info {
  kernelLib: string;
  featureCode: number;
  model: {
    dir: string;
    classes: string[];
    input: { sr: number; offset: number; duration: number };
    description: string;
    rows: number | null;
    svc: { kernel?: string; C?: number } | null;
    synthetic: boolean;
  };
}

/** What the page exposes for tests and the curious (window.serLive). */
interface LiveState {
  ready: boolean;
  engineError: string | null;
  classes: string[];
  dspEngine: string;
  warmupMs: number | null;
  mic: 'off' | 'starting' | 'on' | 'denied' | 'absent' | 'error';
  micMessage: string;
  deviceRate: number | null;
  windows: { t: number; top: string; probabilities: number[]; totalMs: number }[];
  latencyMs: number[];
  files: (FileDone | { type: 'error'; name: string; message: string })[];
  /** the last latency measurement (the "Measure" button) */
  measure: {
    sr: number;
    source: string;
    windows: number;
    medianMs: number;
    p90Ms: number;
    minMs: number;
    stagesMs: { resample: number; features: number; predict: number };
    timings: WindowTiming[];
  } | null;
}

const state: LiveState = {
  ready: false,
  engineError: null,
  classes: [],
  dspEngine: '',
  warmupMs: null,
  mic: 'off',
  micMessage: '',
  deviceRate: null,
  windows: [],
  latencyMs: [],
  files: [],
  measure: null,
};
(window as unknown as { serLive: LiveState }).serLive = state;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page: no element #${id}`);
  return el as T;
};

function setText(id: string, text: string): void {
  $(id).textContent = text;
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ----------------------------------------------------------------------------- engine

const engine = new Worker('/app/engine.js');
let nextId = 1;
const pendingFiles = new Map<number, string>();
let windowBusy = false;

function send(msg: ToEngine, transfer: Transferable[] = []): void {
  engine.postMessage(msg, transfer);
}

engine.onmessage = (ev: MessageEvent<FromEngine>) => {
  const m = ev.data;
  if (m.type === 'ready') {
    state.ready = true;
    state.classes = m.classes;
    state.dspEngine = `${m.dspEngine.engine} (${m.dspEngine.detail})`;
    state.warmupMs = m.warmupMs;
    setText('engine', `engine ready: DSP ${state.dspEngine}; first window (cold) ${m.warmupMs.toFixed(0)} ms`);
    document.body.dataset.ready = 'true';
    drawBars(m.classes.map(() => 0));
    drawTimeline();
    return;
  }
  if (m.type === 'window') return onWindow(m);
  if (m.type === 'file') return onFile(m);
  if (m.type === 'measure') return onMeasure(m);
  if (m.id === -1) {
    state.engineError = m.message;
    setText('engine', `engine failed: ${m.message}`);
    $('engine').classList.add('error');
  } else if (pendingFiles.has(m.id)) {
    const name = pendingFiles.get(m.id) as string;
    pendingFiles.delete(m.id);
    state.files.push({ type: 'error', name, message: m.message });
    showFileError(name, m.message);
  } else {
    windowBusy = false;
    setText('latency', `window failed: ${m.message}`);
  }
};
engine.onerror = (e) => {
  state.engineError = e.message;
  setText('engine', `engine failed: ${e.message}`);
};

// ----------------------------------------------------------------------------- charts

function drawBars(p: number[]): void {
  const classes = state.classes;
  void Plotly.react(
    $('bars'),
    [
      {
        type: 'bar',
        x: classes,
        y: p,
        marker: { color: classes.map((c) => COLORS[c] ?? '#444') },
        hovertemplate: '%{x}: %{y:.3f}<extra></extra>',
      },
    ],
    { margin: { t: 10, r: 10, b: 40, l: 45 }, yaxis: { range: [0, 1], title: { text: 'probability' } }, height: 260 },
    PLOT_CONFIG,
  );
}

let micStart = 0;

function drawTimeline(): void {
  const now = (performance.now() - micStart) / 1000;
  const pts = state.windows.filter((w) => w.t >= now - TIMELINE_SECONDS);
  void Plotly.react(
    $('timeline'),
    [
      {
        type: 'scatter',
        mode: 'markers',
        x: pts.map((w) => w.t),
        y: pts.map((w) => w.top),
        marker: { size: pts.map((w) => 6 + 10 * Math.max(...w.probabilities)), color: pts.map((w) => COLORS[w.top] ?? '#444') },
        hovertemplate: '%{x:.1f} s: %{y}<extra></extra>',
      },
    ],
    {
      margin: { t: 10, r: 10, b: 40, l: 80 },
      height: 220,
      xaxis: {
        range: [Math.max(0, now - TIMELINE_SECONDS), Math.max(TIMELINE_SECONDS, now)],
        title: { text: 'seconds since the microphone started' },
      },
      yaxis: { type: 'category', categoryorder: 'array', categoryarray: state.classes, range: [-0.5, state.classes.length - 0.5] },
    },
    PLOT_CONFIG,
  );
}

// scrolling mel spectrogram: the newest columns of each window's mel, in dB, magma colours
let melTop = -Infinity;
function drawMel(mel: WindowDone['mel'], newFrames: number): void {
  const canvas = $<HTMLCanvasElement>('mel');
  const g = canvas.getContext('2d');
  if (!g) return;
  const k = Math.max(1, Math.min(mel.cols, newFrames));
  let max = -Infinity;
  for (let i = 0; i < mel.data.length; i++) if (mel.data[i] > max) max = mel.data[i];
  melTop = Math.max(max, melTop - 3);
  const lo = melTop - 80;
  const w = k * MEL_COL_PX;
  g.drawImage(canvas, -w, 0);
  const img = g.createImageData(w, mel.rows);
  for (let c = 0; c < k; c++) {
    const col = mel.cols - k + c;
    for (let r = 0; r < mel.rows; r++) {
      const v = mel.data[r * mel.cols + col];
      const idx = Math.max(0, Math.min(255, Math.round(((v - lo) / 80) * 255)));
      const [R, G, B] = MAGMA_RGB[idx];
      for (let dx = 0; dx < MEL_COL_PX; dx++) {
        const o = ((mel.rows - 1 - r) * w + c * MEL_COL_PX + dx) * 4;
        img.data[o] = R * 255;
        img.data[o + 1] = G * 255;
        img.data[o + 2] = B * 255;
        img.data[o + 3] = 255;
      }
    }
  }
  g.putImageData(img, canvas.width - w, 0);
}

// ----------------------------------------------------------------------------- microphone

let ring: SampleRing | null = null;
let lastSentWritten = 0;
let level = { rms: 0, peak: 0 };

function onWindow(m: WindowDone): void {
  windowBusy = false;
  const t = (performance.now() - micStart) / 1000;
  state.windows.push({ t, top: m.top, probabilities: m.probabilities, totalMs: m.timing.total });
  if (state.windows.length > 600) state.windows.shift();
  state.latencyMs.push(m.timing.total);
  if (state.latencyMs.length > 600) state.latencyMs.shift();
  drawBars(m.probabilities);
  drawTimeline();
  drawMel(m.mel, pendingMelFrames);
  const best = Math.max(...m.probabilities);
  setText('top', `${m.top} (${(best * 100).toFixed(0)} %)`);
  $('top').style.color = COLORS[m.top] ?? '';
  const recent = state.latencyMs.slice(-20);
  setText(
    'latency',
    `features + prediction per 2.5 s window: ${m.timing.total.toFixed(1)} ms ` +
      `(resample ${m.timing.resample.toFixed(1)}, 173 features ${m.timing.features.toFixed(1)}, scaler + SVC ${m.timing.predict.toFixed(1)}); ` +
      `median of the last ${recent.length}: ${median(recent).toFixed(1)} ms, one thread`,
  );
  $('latency').dataset.ms = String(m.timing.total);
}

let pendingMelFrames = 0;
function tick(): void {
  if (!ring || !state.ready || windowBusy || state.deviceRate === null) return;
  const sr = state.deviceRate;
  const n = Math.trunc(2.5 * sr);
  if (ring.length < n) {
    setText('top', `listening… ${(ring.length / sr).toFixed(1)} of 2.5 s`);
    return;
  }
  const fresh = ring.written - lastSentWritten;
  lastSentWritten = ring.written;
  pendingMelFrames = Math.round((Math.min(fresh, n) * (22050 / sr)) / 512);
  windowBusy = true;
  const y = ring.latest(n);
  send({ type: 'window', id: nextId++, y, sr }, [y.buffer]);
}

function drawLevel(): void {
  const db = (v: number) => (v > 0 ? 20 * Math.log10(v) : -Infinity);
  const rmsDb = Math.max(-60, db(level.rms));
  const peakDb = Math.max(-60, db(level.peak));
  $('level-rms').style.width = `${((rmsDb + 60) / 60) * 100}%`;
  $('level-peak').style.left = `${((peakDb + 60) / 60) * 100}%`;
  setText('level-text', state.mic === 'on' ? `${Number.isFinite(rmsDb) ? rmsDb.toFixed(0) : '-∞'} dBFS rms` : '');
  requestAnimationFrame(drawLevel);
}

function micFailed(kind: LiveState['mic'], text: string): void {
  state.mic = kind;
  state.micMessage = text;
  const el = $('mic-message');
  el.textContent = text;
  el.hidden = false;
  el.dataset.kind = kind;
  $<HTMLButtonElement>('mic-start').disabled = false;
}

async function startMic(): Promise<void> {
  $<HTMLButtonElement>('mic-start').disabled = true;
  $('mic-message').hidden = true;
  state.mic = 'starting';
  if (!navigator.mediaDevices?.getUserMedia) {
    return micFailed(
      'absent',
      'This browser gives the page no microphone access (no navigator.mediaDevices). You can still drop an audio file below.',
    );
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      video: false,
    });
  } catch (e) {
    const name = (e as DOMException).name;
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      return micFailed(
        'denied',
        'Microphone access was denied. Allow it for this page in the browser (the icon in the address bar) and press "Start microphone" again, or drop an audio file below.',
      );
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError') {
      return micFailed('absent', 'No microphone was found. Connect one and press "Start microphone" again, or drop an audio file below.');
    }
    return micFailed(
      'error',
      `The microphone could not be opened (${name}: ${(e as Error).message}). You can still drop an audio file below.`,
    );
  }
  const ctx = new AudioContext();
  await ctx.audioWorklet.addModule('/app/capture-worklet.js');
  const source = ctx.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(ctx, 'ser-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
  state.deviceRate = ctx.sampleRate;
  ring = new SampleRing(Math.ceil(3 * ctx.sampleRate));
  node.port.onmessage = (ev: MessageEvent<Float32Array>) => {
    const b = ev.data;
    ring?.push(b);
    let s = 0;
    let p = 0;
    for (let i = 0; i < b.length; i++) {
      s += b[i] * b[i];
      const a = Math.abs(b[i]);
      if (a > p) p = a;
    }
    level = { rms: Math.sqrt(s / b.length), peak: p };
  };
  source.connect(node);
  await ctx.resume();
  micStart = performance.now();
  state.mic = 'on';
  const label = stream.getAudioTracks()[0]?.label || 'microphone';
  setText('mic-status', `${label}: ${ctx.sampleRate} Hz, a 2.5 s window every ${HOP_MS / 1000} s`);
  setInterval(tick, HOP_MS);
}

// ----------------------------------------------------------------------------- latency measurement

const MEASURE_WINDOWS = 20;
const MEASURE_RATE = 48000;
let measureSource = '';

/**
 * A 2.5 s test signal at `sr` when there is no microphone: a voiced-speech-like harmonic
 * complex (120-220 Hz fundamental with vibrato, 12 harmonics falling 6 dB/octave) plus a little
 * deterministic noise. The time per window hardly depends on the content.
 */
function testSignal(sr: number, n: number): Float32Array {
  const y = new Float32Array(n);
  let seed = 12345;
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const f0 = 170 + 50 * Math.sin(2 * Math.PI * 0.7 * t) + 4 * Math.sin(2 * Math.PI * 5.5 * t);
    phase += (2 * Math.PI * f0) / sr;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(h * phase) / h;
    seed = (seed * 1103515245 + 12345) >>> 0;
    y[i] = 0.15 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t)) + 0.005 * (seed / 2 ** 32 - 0.5);
  }
  return y;
}

function measureLatency(): void {
  if (!state.ready) return;
  $<HTMLButtonElement>('measure-start').disabled = true;
  setText('measure', `measuring ${MEASURE_WINDOWS} windows…`);
  let y: Float32Array;
  let sr: number;
  if (ring && state.deviceRate !== null && ring.length >= Math.trunc(2.5 * state.deviceRate)) {
    sr = state.deviceRate;
    y = ring.latest(Math.trunc(2.5 * sr));
    measureSource = `the microphone's last 2.5 s at ${sr} Hz`;
  } else {
    sr = MEASURE_RATE;
    y = testSignal(sr, Math.trunc(2.5 * sr));
    measureSource = `a 2.5 s test signal at ${sr} Hz`;
  }
  send({ type: 'measure', id: nextId++, y, sr, n: MEASURE_WINDOWS }, [y.buffer]);
}

function onMeasure(m: MeasureDone): void {
  const tot = m.timings.map((t) => t.total);
  const sorted = [...tot].sort((a, b) => a - b);
  const p90 = sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)];
  const med = (k: keyof WindowTiming) => median(m.timings.map((t) => t[k]));
  state.measure = {
    sr: m.sr,
    source: measureSource,
    windows: tot.length,
    medianMs: median(tot),
    p90Ms: p90,
    minMs: sorted[0],
    stagesMs: { resample: med('resample'), features: med('features'), predict: med('predict') },
    timings: m.timings,
  };
  setText(
    'measure',
    `${tot.length} windows of ${measureSource}, one after another in the engine's thread: median ${median(tot).toFixed(1)} ms ` +
      `(resample ${med('resample').toFixed(1)}, 173 features ${med('features').toFixed(1)}, scaler + SVC ${med('predict').toFixed(1)}), ` +
      `90th percentile ${p90.toFixed(1)} ms, fastest ${sorted[0].toFixed(1)} ms`,
  );
  $<HTMLButtonElement>('measure-start').disabled = false;
}

// ----------------------------------------------------------------------------- files

function showFileResult(r: FileDone): void {
  const box = $('file-result');
  box.hidden = false;
  const rows = state.classes.map((c, i) => `<tr><td>${c}</td><td>${r.probabilities[i].toFixed(3)}</td></tr>`).join('');
  box.innerHTML =
    `<p><b class="file-name"></b>: <b class="file-top" style="color:${COLORS[r.top] ?? ''}">${r.top}</b> ` +
    `(${r.timing.total.toFixed(1)} ms)</p>` +
    (r.warning ? '<p class="warning"></p>' : '') +
    `<table><tr><th>emotion</th><th>probability</th></tr>${rows}</table>`;
  (box.querySelector('.file-name') as HTMLElement).textContent = r.name;
  if (r.warning) (box.querySelector('.warning') as HTMLElement).textContent = r.warning;
  box.dataset.name = r.name;
  box.dataset.probabilities = JSON.stringify(r.probabilities);
}

function showFileError(name: string, message: string): void {
  const box = $('file-result');
  box.hidden = false;
  box.innerHTML = '<p class="error"></p>';
  (box.querySelector('.error') as HTMLElement).textContent = `${name}: ${message}`;
  box.dataset.name = name;
  box.dataset.probabilities = '';
}

function onFile(m: FileDone): void {
  pendingFiles.delete(m.id);
  state.files.push(m);
  showFileResult(m);
}

async function classifyFile(f: File): Promise<void> {
  if (!state.ready) return showFileError(f.name, 'the engine is not ready yet');
  const id = nextId++;
  pendingFiles.set(id, f.name);
  const bytes = await f.arrayBuffer();
  send({ type: 'file', id, name: f.name, bytes }, [bytes]);
}

// ----------------------------------------------------------------------------- start

async function main(): Promise<void> {
  const r = await fetch('/api/info');
  const info = (await r.json()) as Info;
  const m = info.model;
  state.classes = m.classes;
  if (m.synthetic) $('synthetic').hidden = false;
  setText(
    'model',
    `Model: ${m.dir} — ${m.svc ? `${m.svc.kernel} SVC, C = ${m.svc.C}, ` : ''}${m.rows ?? '?'} training clips, ${m.classes.length} emotions; ` +
      `input ${m.input.sr} Hz, ${m.input.duration} s windows. kernel-lib ${info.kernelLib}, feature code v${info.featureCode}.` +
      (m.description ? ` (${m.description})` : ''),
  );
  await Plotly.newPlot($('bars'), [], { height: 260 }, PLOT_CONFIG);
  await Plotly.newPlot($('timeline'), [], { height: 220 }, PLOT_CONFIG);
  send({ type: 'init' });
  $('mic-start').addEventListener('click', () => void startMic());
  $('measure-start').addEventListener('click', measureLatency);
  const input = $<HTMLInputElement>('file-input');
  input.addEventListener('change', () => {
    if (input.files?.[0]) void classifyFile(input.files[0]);
    input.value = '';
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void classifyFile(f);
  });
  requestAnimationFrame(drawLevel);
}

main().catch((e) => {
  state.engineError = (e as Error).message;
  setText('engine', `page failed: ${(e as Error).message}`);
});
