/**
 * The embedded demo corpus: SYNTHETIC acted-emotion speech, made in-process with espeak-ng
 * (the npm `espeak-ng` package, WebAssembly, offline), laid out as miniature copies of the four
 * corpora with their real naming, folder layout and native sample rates, each holding only the
 * emotions it has in Table I. It lets every notebook, command and test run without the real
 * data; its numbers say nothing about the paper's.
 *
 * - Emotions are rendered by prosody only (SSML `<prosody>` pitch level, pitch range and rate,
 *   `<emphasis>`, `<break>` pauses, sentence-final punctuation for the intonation contour, and
 *   loudness), scaled up for RAVDESS' strong intensity, with a small deterministic jitter per
 *   repetition. Speakers are espeak-ng voices (language variant + voice variant + base pitch
 *   and speed).
 * - One espeak-ng run per speaker synthesizes all of that speaker's utterances separated by
 *   1.5 s breaks; the output is split at those (digital) silences. espeak-ng writes 22050 Hz:
 *   each clip is padded (0.35-0.55 s lead, at least 3.2 s in all), resampled to the corpus'
 *   rate with the project's resampler (kaiser_fast), given a -70 dB noise floor from a seeded
 *   PRNG, and written as 16-bit PCM with a LIST/INFO comment saying it is synthetic.
 * - Deterministic: the same package versions give byte-identical files on every run.
 * - 408 clips: RAVDESS 4 actors x 60 (the full per-actor design), CREMA-D 4 x 6 emotions x 2
 *   sentences, SAVEE 4 x 16, TESS 2 x 7 emotions x 4 words; every emotion has >= 32 clips and
 *   the corpus has 14 speakers.
 */
import { mulberry32 } from '../core/random';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { resample } from '../audio/resample';
import { encodeWav } from '../audio/wav';
import { type RunContext, runContext } from '../core/context';
import { CREMAD_SENTENCES, RAVDESS_EMOTIONS } from './parse';
import { SYNTHETIC_MARKER } from './scan';
import type { CorpusName, Emotion } from '../core/types';

/** Bump when the generated corpus changes (forces regeneration of an existing data/demo). */
export const DEMO_VERSION = 1;
/** Written last: its presence (with the current version) means the corpus is complete. */
export const DEMO_COMPLETE_MARKER = '.demo-complete.json';

export const DEMO_RATES: Record<CorpusName, number> = { 'CREMA-D': 16000, RAVDESS: 48000, SAVEE: 44100, TESS: 24414 };

const ESPEAK_RATE = 22050;
const BREAK_MS = 1500;
const MIN_SECONDS = 3.2;

interface Voice {
  /** espeak-ng voice, e.g. 'en-us+f3' */
  voice: string;
  pitch: number;
  speed: number;
}

/** Speakers: corpus speaker id -> espeak-ng voice. */
const SPEAKERS: Record<CorpusName, Record<string, Voice>> = {
  RAVDESS: {
    // odd actors male, even female, as in RAVDESS
    '01': { voice: 'en-us+m3', pitch: 40, speed: 160 },
    '02': { voice: 'en-us+f3', pitch: 66, speed: 165 },
    '03': { voice: 'en-gb-x-rp+m1', pitch: 34, speed: 155 },
    '04': { voice: 'en-us+f4', pitch: 58, speed: 170 },
  },
  'CREMA-D': {
    '1001': { voice: 'en-us+m2', pitch: 45, speed: 170 },
    '1002': { voice: 'en-us+f2', pitch: 70, speed: 175 },
    '1003': { voice: 'en-029+m4', pitch: 38, speed: 165 },
    '1004': { voice: 'en-us-nyc+f5', pitch: 62, speed: 180 },
  },
  SAVEE: {
    // four male British speakers, as in SAVEE
    DC: { voice: 'en-gb+m1', pitch: 42, speed: 160 },
    JE: { voice: 'en-gb-x-rp+m5', pitch: 36, speed: 150 },
    JK: { voice: 'en-gb-scotland+m6', pitch: 48, speed: 165 },
    KL: { voice: 'en-gb-x-gbclan+m7', pitch: 40, speed: 155 },
  },
  TESS: {
    // older (OAF) and younger (YAF) female talker
    OAF: { voice: 'en-us+f1', pitch: 50, speed: 140 },
    YAF: { voice: 'en-us+f5', pitch: 74, speed: 165 },
  },
};

interface Prosody {
  /** pitch level, percent */
  pitch: number;
  /** pitch range, percent */
  range: number;
  /** rate, percent */
  rate: number;
  /** peak amplitude of the clip */
  gain: number;
  /** pause after word k (0-based) in ms, or null */
  pause: [number, number] | null;
  /** index of the word to emphasise, or null */
  emphasis: number | null;
  /** sentence-final punctuation (intonation) */
  end: '.' | '!' | '?';
}

/** The emotion renderings (deviations from neutral; strong intensity scales them by 1.5). */
export const EMOTION_PROSODY: Record<Emotion, Prosody> = {
  angry: { pitch: 15, range: 80, rate: 22, gain: 0.9, pause: null, emphasis: 1, end: '!' },
  calm: { pitch: -10, range: -50, rate: -18, gain: 0.36, pause: [1, 120], emphasis: null, end: '.' },
  disgust: { pitch: -20, range: 30, rate: -28, gain: 0.5, pause: [0, 260], emphasis: 0, end: '.' },
  fear: { pitch: 45, range: -30, rate: 32, gain: 0.55, pause: [1, 180], emphasis: null, end: '.' },
  happy: { pitch: 30, range: 100, rate: 12, gain: 0.78, pause: null, emphasis: 2, end: '!' },
  neutral: { pitch: 0, range: 0, rate: 0, gain: 0.55, pause: null, emphasis: null, end: '.' },
  sad: { pitch: -25, range: -70, rate: -34, gain: 0.3, pause: [1, 320], emphasis: null, end: '.' },
  surprised: { pitch: 60, range: 150, rate: -5, gain: 0.82, pause: null, emphasis: 0, end: '?' },
};

export interface DemoClipSpec {
  corpus: CorpusName;
  /** path relative to the demo root */
  rel: string;
  speaker: string;
  emotion: Emotion;
  text: string;
  /** 1 normal, 2 strong (RAVDESS) */
  intensity: 1 | 2;
  /** variation seed key (repetition etc.) */
  key: string;
}

const RAVDESS_STATEMENTS: Record<string, string> = { '01': 'Kids are talking by the door', '02': 'Dogs are sitting by the door' };
const CREMAD_DEMO_SENTENCES = ['DFA', 'IWW'];
const CREMAD_DEMO_EMOTIONS: [string, Emotion][] = [
  ['ANG', 'angry'],
  ['DIS', 'disgust'],
  ['FEA', 'fear'],
  ['HAP', 'happy'],
  ['NEU', 'neutral'],
  ['SAD', 'sad'],
];
const SAVEE_SENTENCES = [
  'She had your dark suit in greasy wash water all year',
  "Don't ask me to carry an oily rag like that",
  'Will you tell me why',
  'Who authorized the unlimited expense account',
];
const SAVEE_CODES: [string, Emotion, number][] = [
  ['a', 'angry', 2],
  ['d', 'disgust', 2],
  ['f', 'fear', 2],
  ['h', 'happy', 2],
  ['n', 'neutral', 4],
  ['sa', 'sad', 2],
  ['su', 'surprised', 2],
];
const TESS_WORDS = ['back', 'bar', 'base', 'bath'];
const TESS_FOLDERS: [string, Emotion, string][] = [
  ['angry', 'angry', 'angry'],
  ['disgust', 'disgust', 'disgust'],
  ['Fear', 'fear', 'fear'],
  ['happy', 'happy', 'happy'],
  ['neutral', 'neutral', 'neutral'],
  ['Pleasant_surprise', 'surprised', 'ps'],
  ['Sad', 'sad', 'sad'],
];
const TESS_DIR = 'TESS Toronto emotional speech set data';

/** Every clip of the demo corpus, in a fixed order. */
export function demoClipSpecs(): DemoClipSpec[] {
  const out: DemoClipSpec[] = [];
  for (const actor of Object.keys(SPEAKERS.RAVDESS)) {
    for (const [code, emotion] of Object.entries(RAVDESS_EMOTIONS)) {
      for (const inten of code === '01' ? ['01'] : ['01', '02']) {
        for (const stmt of ['01', '02']) {
          for (const rep of ['01', '02']) {
            const name = `03-01-${code}-${inten}-${stmt}-${rep}-${actor}`;
            out.push({
              corpus: 'RAVDESS',
              rel: `RAVDESS/Actor_${actor}/${name}.wav`,
              speaker: actor,
              emotion,
              text: RAVDESS_STATEMENTS[stmt],
              intensity: inten === '02' ? 2 : 1,
              key: name,
            });
          }
        }
      }
    }
  }
  for (const actor of Object.keys(SPEAKERS['CREMA-D'])) {
    for (const sent of CREMAD_DEMO_SENTENCES) {
      for (const [code, emotion] of CREMAD_DEMO_EMOTIONS) {
        const name = `${actor}_${sent}_${code}_XX`;
        out.push({
          corpus: 'CREMA-D',
          rel: `CREMA-D/AudioWAV/${name}.wav`,
          speaker: actor,
          emotion,
          text: CREMAD_SENTENCES[sent],
          intensity: 1,
          key: name,
        });
      }
    }
  }
  for (const spk of Object.keys(SPEAKERS.SAVEE)) {
    for (const [code, emotion, n] of SAVEE_CODES) {
      for (let k = 1; k <= n; k++) {
        const name = `${spk}_${code}${String(k).padStart(2, '0')}`;
        out.push({
          corpus: 'SAVEE',
          rel: `SAVEE/ALL/${name}.wav`,
          speaker: spk,
          emotion,
          text: SAVEE_SENTENCES[k - 1],
          intensity: 1,
          key: name,
        });
      }
    }
  }
  for (const spk of Object.keys(SPEAKERS.TESS)) {
    for (const [folder, emotion, word] of TESS_FOLDERS) {
      for (const w of TESS_WORDS) {
        const name = `${spk}_${w}_${word}`;
        out.push({
          corpus: 'TESS',
          rel: `TESS/${TESS_DIR}/${spk}_${folder}/${name}.wav`,
          speaker: spk,
          emotion,
          text: `Say the word ${w}`,
          intensity: 1,
          key: name,
        });
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ deterministic randomness
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32 (eval/random): a small seeded PRNG, uniform in [0, 1). */
const prng = mulberry32;

// ------------------------------------------------------------------ SSML
function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x)}%`;

/** SSML for one clip (without <speak>). */
export function clipSsml(spec: DemoClipSpec): string {
  const p = EMOTION_PROSODY[spec.emotion];
  const k = spec.intensity === 2 ? 1.5 : 1;
  const rnd = prng(fnv1a(`prosody:${spec.key}`));
  const jitter = (amp: number) => (rnd() * 2 - 1) * amp;
  const pitch = p.pitch * k + jitter(4);
  const range = p.range * k + jitter(8);
  const rate = Math.max(-60, p.rate * k + jitter(5));
  const words = spec.text.split(/\s+/).map(escapeXml);
  const parts = words.map((w, i) => (p.emphasis === i ? `<emphasis>${w}</emphasis>` : w));
  if (p.pause && p.pause[0] < parts.length - 1) parts[p.pause[0]] += ` <break time="${Math.round(p.pause[1] * k)}ms"/>`;
  const text = parts.join(' ') + p.end;
  return `<prosody pitch="${signed(pitch)}" range="${signed(range)}" rate="${signed(rate)}">${text}</prosody>`;
}

// ------------------------------------------------------------------ espeak-ng
type EspeakFactory = (opts: any) => Promise<any>;
// the WebAssembly global (its types come with lib "DOM", which this package does not load)
const WASM: any = (globalThis as any).WebAssembly;
let espeakCache: Promise<{ factory: EspeakFactory; module: unknown }> | null = null;
// tsc (CommonJS output) would turn import() into require(), which cannot load the ESM package
const dynamicImport = new Function('s', 'return import(s)') as (s: string) => Promise<any>;

function loadEspeak(): Promise<{ factory: EspeakFactory; module: unknown }> {
  if (!espeakCache) {
    espeakCache = (async () => {
      const main = require.resolve('espeak-ng');
      const mod = await dynamicImport(pathToFileURL(main).href);
      const wasm = await WASM.compile(fs.readFileSync(path.join(path.dirname(main), 'espeak-ng.wasm')));
      return { factory: mod.default as EspeakFactory, module: wasm };
    })();
  }
  return espeakCache;
}

/** Runs espeak-ng once (a fresh instance of the compiled module); returns the WAV bytes. */
export async function espeak(args: string[]): Promise<Uint8Array> {
  const { factory, module } = await loadEspeak();
  const errors: string[] = [];
  const inst = await factory({
    arguments: [...args.slice(0, -1), '-w', '/out.wav', args[args.length - 1]],
    print: () => {},
    printErr: (s: string) => {
      if (!/keepRuntimeAlive/.test(s)) errors.push(s);
    },
    instantiateWasm(imports: Record<string, Record<string, unknown>>, done: (i: unknown, m: unknown) => void) {
      // espeak-ng seeds its noise generator (breathy voice variants) from the clock: give it a
      // clock that starts at 0 and ticks 1 ms per call, so the same input gives the same audio
      let tick = 0;
      const clock = () => tick++;
      const patched: Record<string, Record<string, unknown>> = {};
      for (const [mod, fns] of Object.entries(imports)) {
        patched[mod] = { ...fns };
        if ('emscripten_date_now' in fns) patched[mod].emscripten_date_now = clock;
        if ('emscripten_get_now' in fns) patched[mod].emscripten_get_now = clock;
      }
      WASM.instantiate(module, patched).then((i: unknown) => done(i, module));
      return {};
    },
  });
  try {
    return inst.FS.readFile('/out.wav') as Uint8Array;
  } catch {
    throw new Error(`espeak-ng produced no audio${errors.length ? `: ${errors.join(' ')}` : ''}`);
  }
}

/** 16-bit mono samples of an espeak-ng WAV (canonical 44-byte header). */
function espeakSamples(wav: Uint8Array): Int16Array {
  const dv = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  let pos = 12;
  while (pos + 8 <= wav.length) {
    const id = String.fromCharCode(wav[pos], wav[pos + 1], wav[pos + 2], wav[pos + 3]);
    const size = dv.getUint32(pos + 4, true);
    if (id === 'data') {
      const n = Math.floor(Math.min(size, wav.length - pos - 8) / 2);
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt16(pos + 8 + 2 * i, true);
      return out;
    }
    pos += 8 + size + (size & 1);
  }
  throw new Error('espeak-ng output has no data chunk');
}

/** Splits at silences (|x| <= 1) of at least minGap samples; returns [start, end) of each sound. */
function splitAtSilence(x: Int16Array, minGap: number): [number, number][] {
  const segs: [number, number][] = [];
  let start = -1;
  let last = -1;
  let quiet = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] > 1 || x[i] < -1) {
      if (start < 0) start = i;
      last = i;
      quiet = 0;
    } else if (start >= 0 && ++quiet >= minGap) {
      segs.push([start, last + 1]);
      start = -1;
    }
  }
  if (start >= 0) segs.push([start, last + 1]);
  return segs;
}

/** Speakers whose batch output did not split into one segment per utterance (synthesized clip by clip instead). */
export const demoStats = { fallbackSpeakers: [] as string[] };

/** Synthesizes one speaker's utterances (one espeak run; falls back to one run per clip). */
async function synthesizeSpeaker(voice: Voice, specs: DemoClipSpec[]): Promise<Int16Array[]> {
  const base = ['-m', '-v', voice.voice, '-p', String(voice.pitch), '-s', String(voice.speed)];
  const ssml = `<speak>${specs.map((s) => `${clipSsml(s)}<break time="${BREAK_MS}ms"/>`).join('')}</speak>`;
  const x = espeakSamples(await espeak([...base, ssml]));
  const segs = splitAtSilence(x, Math.round(ESPEAK_RATE * 1.0));
  if (segs.length === specs.length) return segs.map(([a, b]) => x.slice(a, b));
  demoStats.fallbackSpeakers.push(`${voice.voice}: ${segs.length} segments for ${specs.length} utterances`);
  const out: Int16Array[] = [];
  for (const s of specs) {
    const y = espeakSamples(await espeak([...base, `<speak>${clipSsml(s)}</speak>`]));
    const sg = splitAtSilence(y, y.length + 1);
    out.push(sg.length ? y.slice(sg[0][0], sg[sg.length - 1][1]) : y);
  }
  return out;
}

// ------------------------------------------------------------------ resampling
type ResampleFn = (y: Float32Array, srIn: number, srOut: number, opts?: { filter?: 'kaiser_best' | 'kaiser_fast' }) => Float32Array;
function resampler(): ResampleFn {
  return resample as ResampleFn;
}

/** Pads, resamples, adds the noise floor; returns the clip at the corpus' rate. */
function renderClip(spec: DemoClipSpec, speech: Int16Array, resample: ResampleFn): Float32Array {
  const rnd = prng(fnv1a(`clip:${spec.key}`));
  const p = EMOTION_PROSODY[spec.emotion];
  let peak = 1;
  for (let i = 0; i < speech.length; i++) peak = Math.max(peak, Math.abs(speech[i]));
  const gain = Math.min(0.97, p.gain * (spec.intensity === 2 ? 1.15 : 1) * (0.92 + 0.16 * rnd()));
  const lead = Math.round((0.35 + 0.2 * rnd()) * ESPEAK_RATE);
  const total = Math.max(Math.ceil(MIN_SECONDS * ESPEAK_RATE), lead + speech.length + Math.round(0.45 * ESPEAK_RATE));
  const y = new Float32Array(total);
  const g = gain / peak;
  for (let i = 0; i < speech.length; i++) y[lead + i] = speech[i] * g;
  const sr = DEMO_RATES[spec.corpus];
  const z = resample(y, ESPEAK_RATE, sr, { filter: 'kaiser_fast' });
  // noise floor around -70 dBFS (Irwin-Hall approximation of a Gaussian: no transcendental math)
  const amp = 3e-4;
  for (let i = 0; i < z.length; i++) z[i] += amp * (rnd() + rnd() + rnd() + rnd() - 2);
  return z;
}

// ------------------------------------------------------------------ generation
export interface DemoOptions {
  onProgress?: (done: number, total: number) => void;
  /** replace a complete corpus too (`ser corpus demo --force`) */
  force?: boolean;
}

export interface DemoSummary {
  dir: string;
  clips: number;
  seconds: number;
}

const README = `SYNTHETIC DEMO CORPUS - not real emotional speech.

Generated by kernel-lib (corpora/demo.ts) with espeak-ng (WebAssembly): synthetic voices read
the corpora's sentences with emotions rendered by prosody only (pitch level and range, rate,
loudness, pauses, emphasis). It copies the naming, folder layout and sample rates of CREMA-D,
RAVDESS, SAVEE and TESS so that every notebook and command runs without the real data.
Results computed on it say nothing about the paper's numbers.

Regenerate with: ser corpus demo <dir>
`;

function rmrf(p: string): void {
  fs.rmSync(p, { recursive: true, force: true });
}

function isComplete(dir: string): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, DEMO_COMPLETE_MARKER), 'utf8'));
    return m.version === DEMO_VERSION && m.clips === demoClipSpecs().length;
  } catch {
    return false;
  }
}

const CLIP_INFO = { ICMT: 'SYNTHETIC demo clip (espeak-ng), not real emotional speech', ISFT: 'kernel-lib demo corpus' };

/** The WAV bytes of one clip from its espeak-ng speech (pure: used in the main thread and in workers). */
export function renderClipWav(spec: DemoClipSpec, speech: Int16Array): Uint8Array {
  const y = renderClip(spec, speech, resampler());
  return encodeWav(y, DEMO_RATES[spec.corpus], { bitDepth: 16, info: CLIP_INFO });
}

/** Renders clips in worker threads (resampling is most of the work); inline when workers are unavailable. */
class RenderPool {
  private workers: Worker[] = [];
  private idle: Worker[] = [];
  private queue: { spec: DemoClipSpec; speech: Int16Array; resolve: (b: Uint8Array) => void; reject: (e: Error) => void }[] = [];
  private pending = new Map<Worker, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();

  constructor(n: number) {
    const script = path.join(__dirname, 'demo-worker.js');
    if (n < 1 || !fs.existsSync(script)) return;
    for (let i = 0; i < n; i++) {
      const w = new Worker(script);
      w.on('message', (m: { bytes?: Uint8Array; error?: string }) => {
        const p = this.pending.get(w)!;
        this.pending.delete(w);
        if (m.error !== undefined) p.reject(new Error(m.error));
        else p.resolve(m.bytes as Uint8Array);
        this.idle.push(w);
        this.pump();
      });
      w.on('error', (e) => {
        const p = this.pending.get(w);
        this.pending.delete(w);
        p?.reject(e);
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  render(spec: DemoClipSpec, speech: Int16Array): Promise<Uint8Array> {
    if (!this.workers.length) {
      try {
        return Promise.resolve(renderClipWav(spec, speech));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ spec, speech, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.pending.set(w, job);
      w.postMessage({ spec: job.spec, speech: job.speech });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Writes the whole demo corpus into `dir` (which must be empty or absent). */
async function writeDemo(dir: string, opts: DemoOptions): Promise<number> {
  const specs = demoClipSpecs();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, SYNTHETIC_MARKER), README);
  const groups = new Map<string, DemoClipSpec[]>();
  for (const s of specs) {
    const k = `${s.corpus}|${s.speaker}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(s);
  }
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const pool = new RenderPool(Math.min(4, cores));
  let done = 0;
  const writes: Promise<void>[] = [];
  try {
    // espeak-ng runs here while the workers resample the previous speakers' clips
    for (const [k, group] of groups) {
      const [corpus, speaker] = k.split('|') as [CorpusName, string];
      const speech = await synthesizeSpeaker(SPEAKERS[corpus][speaker], group);
      group.forEach((spec, i) => {
        writes.push(
          pool.render(spec, speech[i]).then((bytes) => {
            const file = path.join(dir, spec.rel);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, bytes);
            opts.onProgress?.(++done, specs.length);
          }),
        );
      });
    }
    await Promise.all(writes);
  } finally {
    await Promise.allSettled(writes);
    await pool.close();
  }
  fs.writeFileSync(
    path.join(dir, DEMO_COMPLETE_MARKER),
    `${JSON.stringify({ version: DEMO_VERSION, clips: specs.length, synthetic: true })}\n`,
  );
  return specs.length;
}

/**
 * Generates the demo corpus in `dir`. Builds it in a sibling temporary folder and renames it
 * into place, so an interrupted run leaves no half corpus and concurrent runs do not clash.
 * An existing `dir` is replaced only if it is a demo corpus (holds the SYNTHETIC marker) or empty.
 */
export async function generateDemoCorpus(dir: string, opts: DemoOptions = {}): Promise<DemoSummary> {
  const t0 = Date.now();
  const abs = path.resolve(dir);
  if (fs.existsSync(abs)) {
    const entries = fs.readdirSync(abs);
    if (entries.length > 0 && !entries.includes(SYNTHETIC_MARKER)) {
      throw Object.assign(new Error(`${abs}: folder is not empty and is not a demo corpus; choose another folder`), { usage: true });
    }
  }
  const tmp = `${abs}.tmp-${process.pid}-${Date.now()}`;
  let n: number;
  try {
    n = await writeDemo(tmp, opts);
    if (!opts.force && isComplete(abs)) {
      // another process finished the same (byte-identical) corpus meanwhile: keep it in place
      rmrf(tmp);
      return { dir: abs, clips: n, seconds: (Date.now() - t0) / 1000 };
    }
    if (fs.existsSync(abs)) {
      const old = `${abs}.old-${process.pid}-${Date.now()}`;
      fs.renameSync(abs, old);
      rmrf(old);
    }
    fs.renameSync(tmp, abs);
  } catch (e: any) {
    rmrf(tmp);
    // another process finished the same corpus first: fine
    if (isComplete(abs)) return { dir: abs, clips: demoClipSpecs().length, seconds: (Date.now() - t0) / 1000 };
    throw e;
  }
  return { dir: abs, clips: n, seconds: (Date.now() - t0) / 1000 };
}

/** <projectRoot>/data/demo */
export function demoCorpusDir(projectRoot: string = runContext().projectRoot): string {
  return path.join(projectRoot, 'data', 'demo');
}

/** The demo corpus folder, generated first if absent or incomplete. */
export async function ensureDemoCorpus(dir: string = demoCorpusDir(), opts: DemoOptions = {}): Promise<string> {
  const abs = path.resolve(dir);
  if (isComplete(abs)) return abs;
  await generateDemoCorpus(abs, opts);
  return abs;
}

/** Where the notebooks read clips from: the user's data (SER_DATA) or the demo corpus. */
export async function corpusRoot(ctx: RunContext = runContext()): Promise<string> {
  return ctx.dataDir ?? ensureDemoCorpus(demoCorpusDir(ctx.projectRoot));
}

/** True when the folder is (or holds at its top) the synthetic demo corpus. */
export function isDemoCorpus(dir: string): boolean {
  return fs.existsSync(path.join(dir, SYNTHETIC_MARKER));
}
