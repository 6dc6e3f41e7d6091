// `ser predict` round-trips a model saved by `fitAndSaveSvm` (what `ser svm --save` calls):
// same probabilities from the command as in-process; mismatched directories are refused.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { coreTypes, models, featuresExtract, audioWav } from 'kernel-lib/internal';
const { EMOTIONS } = coreTypes;
const { fitAndSaveSvm, loadModel, predictFiles, MODEL_META_FILE } = models;
const { DEFAULT_EXTRACT_PARAMS, loadClipBytes, resolveExtractor } = featuresExtract;
const { encodeWav } = audioWav;

const ROOT = path.resolve(__dirname, '..', '..');
const AUDIO = path.join(ROOT, 'test', 'fixtures', 'audio');
const SER = path.join(ROOT, 'scripts', 'ser.js');

function ser(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [SER, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ser predict with a saved SVM', function () {
  this.timeout(120000);
  let dir: string;
  let wavs: string[];
  let table: Awaited<ReturnType<typeof tableOf>>;
  /** A labelled table of the fixture WAVs' feature rows, made with the given ExtractParams. */
  async function tableOf(params: featuresExtract.ExtractParams) {
    const ex = resolveExtractor(params);
    const nf = ex.layout.length;
    const rows: Float32Array[] = [];
    for (const f of wavs) rows.push(Float32Array.from(ex.extract(await loadClipBytes(fs.readFileSync(f), f, params), params.sr)));
    // 4 labels so every class has 3 clips (the probability model's internal 5-fold CV needs a few)
    const labels = wavs.map((_, i) => [0, 3, 5, 7][i % 4]);
    const X = new Float32Array(rows.length * nf);
    rows.forEach((r, i) => X.set(r, i * nf));
    return {
      X,
      nRows: rows.length,
      nFeatures: nf,
      layout: ex.layout,
      emotions: [...EMOTIONS],
      params: { ...params },
      skipped: [],
      clipId: wavs.map((w) => path.basename(w)),
      sourceClipId: wavs.map((w) => path.basename(w)),
      kind: wavs.map(() => 'orig' as const),
      emotion: labels.map((l) => EMOTIONS[l]),
      label: labels,
      speaker: wavs.map(() => 's'),
      corpus: wavs.map(() => 'TEST'),
      sha256: wavs.map(() => ''),
      key: wavs.map(() => ''),
    };
  }
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-predict-'));
    wavs = fs
      .readdirSync(AUDIO)
      .filter((f) => f.endsWith('.wav'))
      .sort()
      .map((f) => path.join(AUDIO, f));
    table = await tableOf(DEFAULT_EXTRACT_PARAMS);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the same predictions from the command as in-process', async () => {
    const modelDir = path.join(dir, 'svm');
    const { pipeline } = await fitAndSaveSvm(table, modelDir, { svc: { C: 30, kernel: 'rbf', workers: 1 } });
    const Xin = Array.from({ length: table.nRows }, (_, i) => Float64Array.from(table.X.subarray(i * 173, (i + 1) * 173)));
    const expected = await pipeline.predictProba(Xin);
    const r = ser(['predict', ...wavs, '--model', modelDir, '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const doc: { model: { classes: string[] }; predictions: models.Prediction[] } = JSON.parse(r.stdout);
    assert.strictEqual(doc.predictions.length, wavs.length);
    doc.predictions.forEach((p, i) => {
      assert.ok(p.ok, p.error);
      const probs = doc.model.classes.map((c) => p.probabilities![c]); // asserted ok above: it has probabilities
      probs.forEach((v, k) =>
        assert.ok(Math.abs(v - expected[i][k]) < 1e-9, `${p.file} ${doc.model.classes[k]}: ${v} vs ${expected[i][k]}`),
      );
      assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    });
    // in-process through the library API as well
    const model = await loadModel(modelDir);
    const preds = await predictFiles(model, wavs.slice(0, 2));
    assert.deepStrictEqual(
      preds.map((p) => p.emotion),
      doc.predictions.slice(0, 2).map((p) => p.emotion),
    );
  });

  it('a model trained on a recipe variant (n_mfcc 40, kaiser_fast, reflect padding; MinMaxScaler) predicts with that recipe', async () => {
    const params: featuresExtract.ExtractParams = {
      ...DEFAULT_EXTRACT_PARAMS,
      recipe: { nMfcc: 40, padMode: 'reflect', resType: 'kaiser_fast' },
    };
    const t = await tableOf(params);
    assert.strictEqual(t.nFeatures, 193);
    const modelDir = path.join(dir, 'svm-variant');
    const { pipeline, meta } = await fitAndSaveSvm(t, modelDir, { svc: { C: 30, kernel: 'rbf', workers: 1 }, scaler: 'minmax' });
    assert.deepStrictEqual(meta.input.params.recipe, params.recipe);
    assert.deepStrictEqual(
      pipeline.steps.map(([n, s]) => [n, s.constructor.name]),
      [
        ['scaler', 'MinMaxScaler'],
        ['svc', 'SVC'],
      ],
    );
    const Xin = Array.from({ length: 3 }, (_, i) => Float64Array.from(t.X.subarray(i * 193, (i + 1) * 193)));
    const expected = await pipeline.predictProba(Xin);
    const preds = await predictFiles(await loadModel(modelDir), wavs.slice(0, 3));
    preds.forEach((p, i) => {
      assert.ok(p.ok, p.error);
      meta.classes.forEach((c, k) => assert.ok(Math.abs(p.probabilities![c] - expected[i][k]) < 1e-9, `${p.file} ${c}`));
    });
    // the reference recipe's model has no recipe in its parameters
    assert.ok(!('recipe' in JSON.parse(fs.readFileSync(path.join(dir, 'svm', MODEL_META_FILE), 'utf8')).input.params));
  });

  it('warns about a clip shorter than offset + duration and reports an unreadable file without failing the others', async () => {
    const modelDir = path.join(dir, 'svm');
    const short = path.join(dir, 'short.wav');
    const y = new Float32Array(16000 * 2); // 2.0 s < 0.5 + 2.5
    for (let i = 0; i < y.length; i++) y[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / 16000);
    fs.writeFileSync(short, encodeWav(y, 16000, { bitDepth: 16 }));
    const junk = path.join(dir, 'junk.wav');
    fs.writeFileSync(junk, 'this is not a wav file');
    const r = ser(['predict', short, junk, '--model', modelDir, '--json']);
    assert.strictEqual(r.code, 1);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.predictions[0].ok);
    assert.match(doc.predictions[0].warning, /shorter than offset 0\.5 s \+ duration 2\.5 s/);
    assert.strictEqual(doc.predictions[1].ok, false);
    assert.match(doc.predictions[1].error, /junk\.wav/);
    assert.match(r.stderr, /warning: .*short\.wav/);
  });

  it('reads FLAC, AIFF (also named .wav), Ogg Vorbis/Opus and MP3 by content; M4A through ffmpeg, or a one-line error without it', async () => {
    const modelDir = path.join(dir, 'svm');
    const F = path.join(ROOT, 'test', 'fixtures', 'formats');
    const lossless = ['mono-16.flac', 'mono-s16.aiff', 'mono-none.aifc'].map((f) => path.join(F, f));
    // the same 16-bit samples as a WAV: every lossless container must give its probabilities exactly
    const same = path.join(dir, 'same-as-flac.wav');
    const { audio } = require('kernel-lib');
    const a = await audio.readAudio(lossless[0]);
    fs.writeFileSync(same, encodeWav(a.y, a.sr, { bitDepth: 16 }));
    const lossy = ['mono-22k.ogg', 'mono-16k.opus', 'mono-22k.mp3', 'stereo-22k.mp3', 'tess-like.aiff.wav'].map((f) => path.join(F, f));
    const r = ser(['predict', same, ...lossless, ...lossy, '--model', modelDir, '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    for (const p of doc.predictions) assert.ok(p.ok && EMOTIONS.includes(p.emotion), JSON.stringify(p));
    for (const p of doc.predictions.slice(1, 4)) assert.deepStrictEqual(p.probabilities, doc.predictions[0].probabilities, p.file);
    const m4a = path.join(F, 'mono-22k.m4a');
    const off = ser(['predict', m4a, '--model', modelDir, '--json'], { SER_FFMPEG: '0' });
    assert.strictEqual(off.code, 1);
    const err = JSON.parse(off.stdout).predictions[0].error;
    assert.strictEqual(err.split('\n').length, 1);
    assert.match(
      err,
      /mono-22k\.m4a: unsupported format: MP4\/M4A \(M4A\); WAV, AIFF\/AIFF-C, FLAC, Ogg Vorbis, Ogg Opus and MP3 are read, and installing ffmpeg adds the rest/,
    );
    if (!audio.ffmpegAvailable()) {
      console.log('      notice: ffmpeg is not installed here; `ser predict some.m4a` through ffmpeg is not checked');
      return;
    }
    const on = ser(['predict', m4a, '--model', modelDir, '--json']);
    assert.strictEqual(on.code, 0, on.stderr);
    assert.ok(JSON.parse(on.stdout).predictions[0].ok);
  });

  it('refuses a directory from another kernel-lib version, another feature code, or no model, with a clear message', () => {
    const modelDir = path.join(dir, 'svm');
    const bad = path.join(dir, 'old');
    fs.cpSync(modelDir, bad, { recursive: true });
    const metaFile = path.join(bad, MODEL_META_FILE);
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    fs.writeFileSync(metaFile, JSON.stringify({ ...meta, kernelLib: '0.0.1' }));
    let r = ser(['predict', wavs[0], '--model', bad]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr.trim(), /old: saved by kernel-lib 0\.0\.1, this is kernel-lib \d+\.\d+\.\d+: retrain/);
    fs.writeFileSync(metaFile, JSON.stringify({ ...meta, featureCode: 999 }));
    r = ser(['predict', wavs[0], '--model', bad]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /feature code v999/);
    r = ser(['predict', wavs[0], '--model', AUDIO]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /not a saved model/);
  });
});
