#!/usr/bin/env node

// Copies librosa's time_stretch / pitch_shift outputs of the 12 synthetic fixture files into
// test/fixtures/augment/librosa as float32 binaries (+ index.json), so the augmentation parity
// tests run on a clone without ../shared. Usage: node scripts/tools/make-augment-fixtures.js [shared/fixtures/librosa]
const fs = require('node:fs');
const path = require('node:path');
const { loadNpy } = require('../../test/cqt/npy');

const SRC = process.argv[2] || path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'librosa');
const OUT = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'augment', 'librosa');
const idx = {
  source:
    'librosa 0.10.2.post1 time_stretch(y, rate=0.8) and pitch_shift(y, sr=22050, n_steps=0.7, res_type=kaiser_best) of the fixture y (see shared/fixtures/librosa/README.md); made by scripts/tools/make-augment-fixtures.js',
  stems: {},
};
const stems = fs
  .readdirSync(SRC)
  .filter((f) => f.startsWith('tts') && f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();
for (const s of stems) {
  fs.mkdirSync(path.join(OUT, s), { recursive: true });
  idx.stems[s] = {};
  for (const k of ['time_stretch', 'pitch_shift']) {
    const f32 = Float32Array.from(loadNpy(path.join(SRC, s, `${k}.npy`)).data);
    fs.writeFileSync(path.join(OUT, s, `${k}.f32`), Buffer.from(f32.buffer));
    idx.stems[s][k] = { file: `${s}/${k}.f32`, shape: [f32.length], dtype: 'float32' };
  }
}
fs.writeFileSync(path.join(OUT, 'index.json'), JSON.stringify(idx, null, 1));
console.log(`augment fixtures: ${stems.length} stems -> ${path.relative(process.cwd(), OUT)}`);
