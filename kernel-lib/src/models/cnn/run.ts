/**
 * The deep path end to end (paper IV): clips -> mel images -> k-fold training of the custom CNN
 * or VGG16 -> Tables IV / V (per-class precision, recall, F1 as mean +- std over folds) and the
 * learning curves of Figs. 5 / 6. One function, `runCnn`, behind `ser cnn`, notebooks 06 and 07.
 *
 * Profiles:
 * - `paper`: the paper's sizes (128x128 images, the full networks, 100 epochs, patience 10,
 *   lr 5e-5, batch 32, 5 folds, every clip). Meant for tfjs-node-gpu; on the wasm backend the
 *   custom CNN trains at well under 1 sample/s on 2 cores (see `npm run bench -- cnn`).
 * - `demo`: the same pipeline scaled to finish in minutes on 2 CPU cores: 32x32 images (area
 *   resize), the custom CNN's four blocks with 16/16/8/8 filters, VGG16 at 1/8 width when no
 *   ImageNet weights are given (full width, frozen, when they are), at most 12 epochs,
 *   patience 4, lr 2e-3 (custom) / 3e-4 (VGG16: the plain 13-layer stack stalls at 1e-3; 5e-5
 *   learns almost nothing in 12 epochs), at most 600 clips (stratified). Its numbers say
 *   nothing about the paper's.
 */
import { INPUT_RULE } from '../../core/input-rule';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { type Clip, EMOTIONS } from '../../core/types';
import { buildImageDataset, type ImageDataset } from '../../features/image-dataset';
import type { ResizeMethod } from '../../features/image';
import type { Dataset } from '../../eval/dataset';
import { checkProtocolFolds, type Protocol, protocolFolds } from '../../eval/protocols';
import { crossValidate, type CVResult, type FoldResult } from '../../eval/crossval';
import { StratifiedKFold } from '../../eval/split';
import { type BackendChoice, chooseBackend, currentBackend } from './backend';
import type { ProfileName } from '../../core/context';
import { countCnnParams, customCnn, type CustomCnnConfig, PAPER_CNN, trainableParams } from './network';
import {
  loadVgg16Weights,
  type Vgg16Config,
  vgg16Transfer,
  vgg16WeightsPath,
  VGG16_BASE_OUTPUT,
  freezeBase,
  type WeightsLoadReport,
} from './vgg16';
import { type CnnFoldDetail, cnnTrainer } from './estimator';
import type { TrainOptions } from './fit';
import { imageSource } from './source';
import { loadTfjsModel, saveTfjsModel } from './checkpoint';
import { type SavedModelMeta, writeModelMeta } from '../saved';
import { wasmSetup } from './wasm-kernels';

export type CnnModelName = 'custom' | 'vgg16';
/** 'demo': the synthetic corpus; 'cpu': the paper profile on a CPU; 'paper': the paper's sizes (a GPU). */
export type CnnProfileName = 'demo' | 'cpu' | 'paper';
/** What `--cnn-scale` / `SER_CNN_SCALE` choose in the paper profile. */
export type CnnScale = 'paper' | 'cpu';
export const CNN_SCALES: readonly CnnScale[] = ['paper', 'cpu'];

export interface CnnProfile {
  name: CnnProfileName;
  image: { size: number; resize: ResizeMethod };
  custom: CustomCnnConfig;
  /** VGG16 without ImageNet weights (trained from scratch) */
  vgg16Scratch: Vgg16Config;
  /** VGG16 with ImageNet weights (frozen base) */
  vgg16Transfer: Vgg16Config;
  /** training settings per model */
  train: Record<CnnModelName, Required<Pick<TrainOptions, 'epochs' | 'batchSize' | 'learningRate' | 'patience'>>>;
  folds: number;
  /** at most this many clips (stratified, seeded); null = all */
  maxClips: number | null;
  /** what differs from the paper, printed with every run */
  notes: string[];
}

/** The networks and images of the CPU and demo scales (they differ in epochs and clips). */
const SMALL_SCALE: Pick<CnnProfile, 'image' | 'custom' | 'vgg16Scratch' | 'vgg16Transfer' | 'folds'> = {
  image: { size: 32, resize: 'box' },
  custom: { ...PAPER_CNN, inputSize: 32, filters: [16, 16, 8, 8] },
  vgg16Scratch: { inputSize: 32, widthDivisor: 8, dropout: 0.5, freezeBase: false },
  vgg16Transfer: { inputSize: 32, widthDivisor: 1, dropout: 0.5, freezeBase: true },
  folds: 5,
};
const SMALL_SCALE_NOTE =
  '32x32 images (paper 128x128, area resize); custom CNN filters 16/16/8/8 (paper 256/256/128/64); VGG16 at 1/8 width when trained from scratch';

/** Both models' training settings: the paper's batch of 32, the given epochs, patience and learning rates. */
function trainSettings(epochs: number, patience: number, customRate: number, vgg16Rate: number): CnnProfile['train'] {
  return {
    custom: { epochs, batchSize: 32, learningRate: customRate, patience },
    vgg16: { epochs, batchSize: 32, learningRate: vgg16Rate, patience },
  };
}

export const CNN_PROFILES: Record<CnnProfileName, CnnProfile> = {
  paper: {
    name: 'paper',
    image: { size: 128, resize: 'nearest' },
    custom: { ...PAPER_CNN },
    vgg16Scratch: { inputSize: 128, widthDivisor: 1, dropout: 0.5, freezeBase: false },
    vgg16Transfer: { inputSize: 128, widthDivisor: 1, dropout: 0.5, freezeBase: true },
    train: trainSettings(100, 10, 5e-5, 5e-5),
    folds: 5,
    maxClips: null,
    notes: [],
  },
  cpu: {
    ...SMALL_SCALE,
    name: 'cpu',
    train: trainSettings(25, 5, 2e-3, 3e-4),
    maxClips: 2100,
    notes: [
      "CPU SCALE (--cnn-scale cpu): the paper's size needs @tensorflow/tfjs-node-gpu (about 47 GFLOP per training sample, roughly 80 min per epoch on a CPU); run with --cnn-scale paper on a GPU",
      SMALL_SCALE_NOTE,
      'at most 25 epochs, patience 5, learning rate 2e-3 (custom) / 3e-4 (VGG16) (paper: up to 100 epochs, patience 10, 5e-5)',
      'a stratified sample of at most 2100 of the real clips (2027 of the 12162; paper: all)',
    ],
  },
  demo: {
    ...SMALL_SCALE,
    name: 'demo',
    train: trainSettings(12, 4, 2e-3, 3e-4),
    maxClips: 600,
    notes: [
      'DEMO SCALE: 32x32 images (paper 128x128, area resize)',
      'custom CNN filters 16/16/8/8 (paper 256/256/128/64); VGG16 at 1/8 width when trained from scratch',
      'at most 12 epochs, patience 4, learning rate 2e-3 (custom) / 3e-4 (VGG16) (paper: up to 100 epochs, patience 10, 5e-5)',
      "at most 600 clips (stratified); results say nothing about the paper's numbers",
    ],
  },
};

/**
 * The CNN profile a run trains at: 'demo' in the demo profile; in the paper profile the scale
 * asked for (`--cnn-scale` / SER_CNN_SCALE), else 'paper' on a native TensorFlow backend
 * (tfjs-node-gpu or tfjs-node) and 'cpu' on wasm or plain cpu, where the paper's size would take
 * days. No Keras counterpart: the paper trained on a GPU.
 */
export function cnnProfileFor(
  ctx: { profile: ProfileName; cnnScale?: CnnScale | null },
  backend: BackendChoice | null = currentBackend(),
): CnnProfile {
  if (ctx.profile === 'demo') return CNN_PROFILES.demo;
  if (ctx.cnnScale) return CNN_PROFILES[ctx.cnnScale];
  return CNN_PROFILES[backend?.tfBackend === 'tensorflow' ? 'paper' : 'cpu'];
}

export interface RunCnnOptions {
  model: CnnModelName;
  profile?: CnnProfileName;
  /** clips to use (from corpora.scanCorpora(root).clips) */
  clips: Clip[];
  /** the clips are the synthetic demo corpus (scanCorpora(root).synthetic) */
  synthetic?: boolean;
  /** 'paper' (stratified k-fold over clips, the test fold is the validation data, as the paper) | 'clip' | 'speaker' */
  protocol?: Protocol;
  folds?: number;
  seed?: number;
  /** VGG16 ImageNet weights (.h5 or tfjs directory); default from SER_VGG16_WEIGHTS */
  weights?: string | null;
  /** overrides of the profile's training settings */
  train?: TrainOptions;
  /** output folder: checkpoints and fold models go under <outDir>/cnn/<model>-<profile>-<key>/ */
  outDir?: string | null;
  /** image cache folder (default data/cache) */
  cacheDir?: string | null;
  /** start over even when checkpoints exist */
  fresh?: boolean;
  silent?: boolean;
  /** where progress notices go (default stderr) */
  log?: (s: string) => void;
}

export interface CnnRunResult {
  model: CnnModelName;
  profile: CnnProfileName;
  protocol: Protocol;
  /** e.g. 'custom CNN, 32x32 (demo scale)' */
  setting: string;
  /** true when VGG16 ran with ImageNet weights (the paper's transfer setting) */
  transfer: boolean;
  weights: (WeightsLoadReport & { note?: string }) | { source: null; note: string } | null;
  backend: string;
  notes: string[];
  modelConfig: CustomCnnConfig | Vgg16Config;
  trainOptions: TrainOptions;
  trainableParams: number;
  totalParams: number;
  summary: string;
  data: { clips: number; corpora: string[]; synthetic: boolean; imageSize: number; skipped: number; perClass: Record<string, number> };
  cv: CVResult<CnnFoldDetail>;
  /** the clips as the protocols saw them (labels, clip ids, speakers, corpora; no features) */
  dataset: Dataset;
  /** the same as cv.folds (the learning curves and models are in each fold's `detail`) */
  folds: FoldResult<CnnFoldDetail>[];
  dir: string | null;
  seconds: number;
}

/** Stratified subset of at most `max` clips (seeded), in the original order. */
export function limitClips(clips: Clip[], max: number | null, seed = 0): Clip[] {
  if (max === null || clips.length <= max) return clips;
  const y = clips.map((c) => c.emotion);
  // a StratifiedKFold test fold of the right size is a stratified sample
  const k = Math.max(2, Math.ceil(clips.length / max));
  const fold = new StratifiedKFold({ k, shuffle: true, seed }).testFolds(y);
  return clips.filter((_, i) => fold[i] === 0);
}

/** A features-less Dataset over clips for the evaluation protocols (eval/protocols.ts). */
export function clipDataset(clips: Clip[], labels: Int32Array): Dataset {
  return {
    X: { rows: clips.length, cols: 0, data: new Float32Array(0) },
    y: labels,
    labels: [...EMOTIONS],
    groups: { clip: clips.map((c) => c.clipId), speaker: clips.map((c) => c.speaker) },
    kind: clips.map(() => 'orig'),
    corpus: clips.map((c) => c.corpus),
  };
}

/** sha256 of a weights file (or of every file of a tfjs model directory). */
function fileIdentity(p: string): string {
  const h = crypto.createHash('sha256');
  const files = fs.statSync(p).isDirectory()
    ? fs
        .readdirSync(p)
        .sort()
        .map((f) => path.join(p, f))
    : [p];
  for (const f of files) if (fs.statSync(f).isFile()) h.update(path.basename(f)).update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

function runKey(o: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(o)).digest('hex').slice(0, 12);
}

/** The model of a run: returns a builder (fresh model per fold) and what was loaded. */
async function modelBuilder(
  name: CnnModelName,
  profile: CnnProfile,
  seed: number,
  weightsPath: string | null,
): Promise<{
  build: () => Promise<tf.LayersModel>;
  config: CustomCnnConfig | Vgg16Config;
  transfer: boolean;
  weights: CnnRunResult['weights'];
  frozenUntil?: string;
}> {
  if (name === 'custom') {
    const config = { ...profile.custom, seed };
    return { build: async () => customCnn(config), config, transfer: false, weights: null };
  }
  if (weightsPath) {
    const config = { ...profile.vgg16Transfer, seed };
    let report: WeightsLoadReport | null = null;
    const build = async () => {
      const m = vgg16Transfer(config);
      report = await loadVgg16Weights(m, weightsPath);
      freezeBase(m);
      return m;
    };
    // load once now, to fail early with a clear message
    const probe = await build();
    probe.dispose();
    return { build, config, transfer: true, weights: report, frozenUntil: VGG16_BASE_OUTPUT };
  }
  const config = { ...profile.vgg16Scratch, seed };
  return {
    build: async () => vgg16Transfer(config),
    config,
    transfer: false,
    weights: {
      source: null,
      note: "no ImageNet weights given (--weights or SER_VGG16_WEIGHTS): VGG16 is trained from scratch; this is NOT the paper's transfer-learning setting",
    },
  };
}

/** Runs the deep path for one model (see the module comment). */
export async function runCnn(o: RunCnnOptions): Promise<CnnRunResult> {
  const t0 = Date.now();
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const profile = CNN_PROFILES[o.profile ?? 'demo'];
  if (!profile) throw new Error(`unknown CNN profile '${o.profile}' (demo, cpu or paper)`);
  const protocol = o.protocol ?? 'paper';
  const seed = o.seed ?? 0;
  const k = o.folds ?? profile.folds;
  const notes = [...profile.notes];
  for (const n of notes) log(`[ser cnn] ${n}`);

  const backend = await chooseBackend({ log });
  const ws = wasmSetup();
  const backendText = `${backend.name}${backend.detail ? ` (${backend.detail})` : ws && backend.name === 'wasm' ? ` (${ws.build}, ${ws.threads} threads)` : ''}`;

  const clips = limitClips(o.clips, profile.maxClips, seed);
  if (clips.length < o.clips.length) notes.push(`${clips.length} of ${o.clips.length} clips used (stratified subset)`);
  const images: ImageDataset = await buildImageDataset(clips, {
    size: profile.image.size,
    resize: profile.image.resize,
    cacheDir: o.cacheDir,
    silent: o.silent,
  });
  if (images.skipped.length)
    log(`[ser cnn] ${images.skipped.length} clip(s) unreadable and left out, e.g. ${images.skipped[0].path}: ${images.skipped[0].reason}`);
  if (images.clips.length < k * 2)
    throw Object.assign(new Error(`only ${images.clips.length} readable clips: too few for ${k} folds`), { usage: true });

  const d = clipDataset(images.clips, images.labels);
  const pf = protocolFolds(d, protocol, { k, seed });
  for (const w of pf.warnings) log(`[ser cnn] ${w}`);
  const check = checkProtocolFolds(d, pf);
  if (!check.ok) throw new Error(`protocol '${protocol}' folds failed their check: ${check.problems[0]}`);

  const weightsPath = o.model === 'vgg16' ? vgg16WeightsPath(o.weights) : null;
  if (weightsPath && !fs.existsSync(weightsPath))
    throw Object.assign(new Error(`VGG16 weights not found: ${weightsPath}`), { usage: true });
  const mb = await modelBuilder(o.model, profile, seed, weightsPath);
  if (o.model === 'vgg16' && !mb.transfer) {
    const note = (mb.weights as { note: string }).note;
    notes.push(note);
    log(`[ser cnn] ${note}`);
  }
  const trainOptions: TrainOptions = {
    ...profile.train[o.model],
    seed,
    validation: 'test',
    ...(o.train ?? {}),
    silent: o.silent ?? o.train?.silent,
  };

  const sample = await mb.build();
  const summaryLines: string[] = [];
  sample.summary(100, undefined, (s?: any) => summaryLines.push(String(s ?? '')));
  const trainable = trainableParams(sample);
  const total = sample.countParams();
  sample.dispose();

  const size = profile.image.size;
  const data = imageSource(images.pixels, [size, size, 3], images.labels, EMOTIONS.length);
  const weightsId = weightsPath ? fileIdentity(weightsPath) : null;
  const key = runKey({
    model: o.model,
    config: mb.config,
    transfer: mb.transfer,
    weightsId,
    train: { ...trainOptions, silent: undefined, onEpoch: undefined, live: undefined },
    // not the protocol's name: each fold's file is keyed by its train/test rows, so a protocol
    // whose folds equal another's (`clip` = `paper` here: the deep path makes no augmented
    // copies) reads the finished folds instead of training the same networks again
    k,
    seed,
    clips: images.clips.map((c) => c.clipId),
    image: profile.image,
  });
  const dir = o.outDir ? path.join(o.outDir, 'cnn', `${o.model}-${profile.name}-${key}`) : null;
  if (dir && o.fresh && fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
  if (dir) log(`[ser cnn] checkpoints and fold models: ${dir}`);

  const modelLabel = o.model === 'custom' ? 'custom CNN' : mb.transfer ? 'VGG16 transfer' : 'VGG16 (scratch)';
  const cv = await crossValidate(
    cnnTrainer({
      build: () => mb.build(),
      data,
      options: trainOptions,
      settings: { model: o.model, config: mb.config, transfer: mb.transfer, weightsId, image: profile.image },
      frozenUntil: mb.frozenUntil,
      label: modelLabel,
    }),
    d,
    {
      protocol,
      k,
      seed,
      cacheDir: dir ?? undefined,
      dataKey: key,
      probabilities: true,
      onFold: (r) =>
        log(
          `[ser cnn] ${modelLabel} fold ${r.fold + 1}/${k}: accuracy ${(100 * r.accuracy).toFixed(1)}%, best epoch ${r.detail.bestEpoch} of ${r.detail.epochsRun}${r.detail.stoppedEarly ? ' (early stop)' : ''}, ${r.detail.trainSeconds.toFixed(0)} s${r.cached ? ' (stored)' : ''}`,
        ),
    },
  );
  const perClass: Record<string, number> = {};
  for (const l of images.labels) perClass[EMOTIONS[l]] = (perClass[EMOTIONS[l]] ?? 0) + 1;
  const synthetic = !!o.synthetic;
  return {
    model: o.model,
    profile: profile.name,
    protocol,
    setting: `${modelLabel}, ${size}x${size}${profile.name === 'demo' ? ' (demo scale)' : profile.name === 'cpu' ? ` (CPU scale, ${images.clips.length} clips; the paper's size needs tfjs-node-gpu)` : ''}`,
    transfer: mb.transfer,
    weights: mb.weights,
    backend: backendText,
    notes,
    modelConfig: mb.config,
    trainOptions,
    trainableParams: trainable,
    totalParams: total,
    summary: summaryLines.join('\n'),
    data: {
      clips: images.clips.length,
      corpora: [...new Set(images.clips.map((c) => c.corpus))],
      synthetic,
      imageSize: size,
      skipped: images.skipped.length,
      perClass,
    },
    cv,
    dataset: d,
    folds: cv.folds,
    dir,
    seconds: (Date.now() - t0) / 1000,
  };
}

// ---- figures --------------------------------------------------------------------------------

/** The paper shows one fold chosen at random: the fold is picked with the run's seed. */
export function pickFold<D>(folds: FoldResult<D>[], seed = 0): FoldResult<D> {
  return folds[((seed % folds.length) + folds.length) % folds.length];
}

/** For notebook 07: the custom CNN's parameter count against the paper's, in words. */
export function parameterCountNote(cfg: CustomCnnConfig = PAPER_CNN): string {
  const p = countCnnParams(cfg);
  return `${(p ?? 0).toLocaleString('en-US')} trainable parameters`;
}

// ---- saved models (ser cnn --save, ser predict) ----------------------------------------------

/**
 * Writes a trained CNN as a model directory `ser predict` reads: the tfjs layers model
 * (model.json + weights.bin) and ser-model.json with the input rule (librosa.load 22050 Hz,
 * offset 0.5 s, duration 2.5 s; mel image of `size` with `resize`).
 */
export async function saveCnnModel(
  model: tf.LayersModel,
  dir: string,
  o: { size: number; resize: ResizeMethod; training: Record<string, unknown> },
): Promise<SavedModelMeta> {
  await saveTfjsModel(model, dir);
  return writeModelMeta(path.resolve(dir), {
    kind: 'cnn',
    classes: [...EMOTIONS],
    input: { ...INPUT_RULE, representation: 'melImage', params: { size: o.size, resize: o.resize } },
    files: ['model.json', 'weights.bin'],
    training: o.training,
  });
}

/** Saves the model of the run's most accurate fold (its fold-<k>-model) as a predict-ready directory. */
export async function saveBestFoldModel(r: CnnRunResult, dir: string): Promise<{ meta: SavedModelMeta; fold: number }> {
  const best = r.folds.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  const fold = best.fold + 1;
  if (!best.detail.modelDir) throw new Error('the run kept no fold models (give it an output folder)');
  await chooseBackend({ log: () => undefined });
  const m = await loadTfjsModel(best.detail.modelDir);
  try {
    const meta = await saveCnnModel(m, dir, {
      size: r.data.imageSize,
      resize: CNN_PROFILES[r.profile].image.resize,
      training: {
        model: r.model,
        setting: r.setting,
        profile: r.profile,
        protocol: r.protocol,
        fold,
        foldAccuracy: best.accuracy,
        cvAccuracy: r.cv.accuracy,
        clips: r.data.clips,
        synthetic: r.data.synthetic,
        note: `the model of fold ${fold} of ${r.cv.k} (the most accurate on its test fold)`,
      },
    });
    return { meta, fold };
  } finally {
    m.dispose();
  }
}
