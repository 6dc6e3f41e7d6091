#!/usr/bin/env node
/**
 * Copies the librosa reference data the feature parity tests need, compactly, from the shared
 * fixture folders into test/fixtures/:
 *
 *   test/fixtures/audio/<stem>.wav              the 12 synthetic WAVs (unchanged bytes)
 *   test/fixtures/real/audio/<stem>.wav         the 8 real corpus WAVs (unchanged bytes)
 *   test/fixtures/librosa/index.json            per stem: input, tunings, 173-vectors
 *                                               (float32 means, float64 means, float64 pipeline,
 *                                               augmented), and the arrays below with their shapes
 *   test/fixtures/librosa/<stem>/<name>.f32|.f64  raw little-endian arrays, C order (rows x cols)
 *   test/fixtures/librosa/_common/mel_fb.f32    librosa.filters.mel(sr=22050, n_fft=2048)
 *   test/fixtures/real/index.json               the real files' 173-vectors (no arrays)
 *
 * usage: node scripts/tools/librosa-fixtures.js [shared-fixtures-dir]
 * (default /work/shared/fixtures; the data there was made by the steering repo's
 * tools/librosa_ref.py with librosa 0.10.2.post1, see its README.md)
 */

const fs = require('node:fs');
const path = require('node:path');

const SRC = process.argv[2] || '/work/shared/fixtures';
const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test', 'fixtures');

/** arrays copied for every synthetic stem */
const ARRAYS_ALL = ['y', 'melspectrogram', 'mfcc', 'chroma_stft', 'chroma_fb', 'spectral_contrast'];
/** |STFT| is large (1025 x 108): one stem per native rate */
const S_MAG_STEMS = ['tts1_kids_enus-m_48000hz', 'tts2_bath_enus-f3_16000hz', 'tts3_clock_engbrp-m3_24414hz', 'tts1_kids_enus-m_44100hz'];

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file}: not a .npy`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hoff = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', hoff, hoff + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const size = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
  if (!size) throw new Error(`${file}: unsupported dtype ${descr}`);
  const body = buf.subarray(hoff + hlen, hoff + hlen + n * size);
  let out = Buffer.from(body);
  if (fortran && shape.length === 2) {
    // to C order
    const [r, c] = shape;
    out = Buffer.alloc(n * size);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) body.copy(out, (i * c + j) * size, (j * r + i) * size, (j * r + i + 1) * size);
  }
  return { dtype: size === 4 ? 'float32' : 'float64', shape, bytes: out };
}

function copy(src, dst) {
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.copyFileSync(src, dst);
}

/** The index entry of one reference file: its WAV, input facts, tunings and 173-vectors. */
function stemEntry(j, wav) {
  return {
    wav,
    sr_native: j.input.sr_native,
    frames: j.input.frames,
    channels: j.input.channels,
    tuning_chroma_stft: j.params.chroma_stft.tuning_value,
    tuning_cqt: j.params.cqt_for_tonnetz.tuning_value,
    ...vectors(j),
  };
}

function vectors(j) {
  const sens = j.sensitivity_not_reference || {};
  const aug = {};
  for (const [k, v] of Object.entries(j.augmented || {}))
    aug[k] = { features_173: v.features_173, features_173_f64mean: v.features_173_f64mean };
  return {
    features_173: j.features_173,
    features_173_f64mean: j.features_173_f64mean,
    features_173_float64_pipeline: sens.features_173_float64_pipeline ? sens.features_173_float64_pipeline.values : undefined,
    augmented: aug,
  };
}

function main() {
  const lib = path.join(SRC, 'librosa');
  const stems = fs
    .readdirSync(lib)
    .filter((s) => s.startsWith('tts') && s.endsWith('.json'))
    .map((s) => s.slice(0, -5))
    .sort();
  const index = {
    source: 'librosa 0.10.2.post1 reference (steering repo tools/librosa_ref.py), see /work/shared/fixtures/librosa/README.md',
    layout: null,
    stems: {},
  };
  const outLib = path.join(OUT, 'librosa');
  for (const stem of stems) {
    const j = JSON.parse(fs.readFileSync(path.join(lib, `${stem}.json`), 'utf8'));
    index.layout = j.features_173_layout;
    copy(path.join(SRC, 'audio', `${stem}.wav`), path.join(OUT, 'audio', `${stem}.wav`));
    const arrays = {};
    const names = ARRAYS_ALL.concat(S_MAG_STEMS.includes(stem) ? ['S_mag'] : []);
    for (const name of names) {
      const a = readNpy(path.join(lib, stem, `${name}.npy`));
      const file = `${stem}/${name}.${a.dtype === 'float32' ? 'f32' : 'f64'}`;
      fs.mkdirSync(path.join(outLib, stem), { recursive: true });
      fs.writeFileSync(path.join(outLib, file), a.bytes);
      arrays[name] = { file, shape: a.shape, dtype: a.dtype };
    }
    index.stems[stem] = { ...stemEntry(j, `../audio/${stem}.wav`), arrays };
  }
  const fb = readNpy(path.join(lib, '_common', 'mel_fb_sr22050_nfft2048.npy'));
  fs.mkdirSync(path.join(outLib, '_common'), { recursive: true });
  fs.writeFileSync(path.join(outLib, '_common', 'mel_fb.f32'), fb.bytes);
  index.common = { mel_fb: { file: '_common/mel_fb.f32', shape: fb.shape, dtype: fb.dtype, params: { sr: 22050, n_fft: 2048 } } };
  fs.writeFileSync(path.join(outLib, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);

  const real = path.join(SRC, 'real');
  const rstems = fs
    .readdirSync(path.join(real, 'librosa'))
    .filter((s) => s.endsWith('.json') && s !== 'index.json')
    .map((s) => s.slice(0, -5))
    .sort();
  const rindex = { source: index.source, layout: null, stems: {} };
  for (const stem of rstems) {
    const j = JSON.parse(fs.readFileSync(path.join(real, 'librosa', `${stem}.json`), 'utf8'));
    rindex.layout = j.features_173_layout;
    copy(path.join(real, 'audio', `${stem}.wav`), path.join(OUT, 'real', 'audio', `${stem}.wav`));
    rindex.stems[stem] = stemEntry(j, `audio/${stem}.wav`);
  }
  fs.writeFileSync(path.join(OUT, 'real', 'index.json'), `${JSON.stringify(rindex, null, 1)}\n`);
  console.log(`librosa fixtures: ${stems.length} synthetic stems, ${rstems.length} real -> ${path.relative(ROOT, OUT)}`);
}

main();
