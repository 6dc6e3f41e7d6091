#!/usr/bin/env node

/**
 * Copies the librosa reference arrays the CQT / HPSS / tonnetz parity tests need from the shared
 * fixture folder into test/fixtures/librosa/<stem>/, in the layout of
 * scripts/tools/librosa-fixtures.js (raw little-endian arrays, C order: <name>.f32 / <name>.f64),
 * and writes their index to test/fixtures/librosa/cqt-index.json:
 *
 *   harmonic.f32     librosa.effects.harmonic(y)                                  (55125)
 *   cqt_mag.f32      |librosa.cqt(harmonic, sr, hop 512, n_bins 252, bpo 36,
 *                     res_type='kaiser_best')|, tuning estimated                   (252 x 108)
 *   chroma_cqt.f32   librosa.feature.chroma_cqt(C=cqt_mag)                          (12 x 108)
 *   tonnetz.f64      librosa.feature.tonnetz(chroma=chroma_cqt)                     (6 x 108)
 *
 * plus, per stem, the CQT tuning librosa estimated (params.cqt_for_tonnetz.tuning_value).
 * The input y is A1's y.f32 (test/fixtures/librosa/index.json).
 *
 * usage: node scripts/tools/make-cqt-fixtures.js [shared-librosa-fixtures-dir]
 * (default /work/shared/fixtures/librosa; made with librosa 0.10.2.post1, see its README.md)
 */
const fs = require('node:fs');
const path = require('node:path');
const { loadNpy } = require('../../test/cqt/npy');

const SRC = process.argv[2] || '/work/shared/fixtures/librosa';
const OUT = path.join(__dirname, '..', '..', 'test', 'fixtures', 'librosa');
const NAMES = ['harmonic', 'cqt_mag', 'chroma_cqt', 'tonnetz'];

function main() {
  const stems = fs
    .readdirSync(SRC)
    .filter((s) => s.startsWith('tts') && s.endsWith('.json'))
    .map((s) => s.slice(0, -5))
    .sort();
  const index = {
    source: 'librosa 0.10.2.post1 reference (steering repo tools/librosa_ref.py), see /work/shared/fixtures/librosa/README.md',
    recipe:
      'harmonic = effects.harmonic(y); C = |cqt(harmonic, sr=22050, hop_length=512, n_bins=252, bins_per_octave=36, res_type="kaiser_best")| (tuning estimated); chroma_cqt(C=C); tonnetz(chroma=chroma_cqt)',
    stems: {},
  };
  let bytes = 0;
  for (const stem of stems) {
    const j = JSON.parse(fs.readFileSync(path.join(SRC, `${stem}.json`), 'utf8'));
    const arrays = {};
    fs.mkdirSync(path.join(OUT, stem), { recursive: true });
    for (const name of NAMES) {
      const a = loadNpy(path.join(SRC, stem, `${name}.npy`)); // row-major
      const dtype = a.data instanceof Float32Array ? 'float32' : 'float64';
      const file = `${stem}/${name}.${dtype === 'float32' ? 'f32' : 'f64'}`;
      const buf = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
      fs.writeFileSync(path.join(OUT, file), buf);
      bytes += buf.length;
      arrays[name] = { file, shape: a.shape, dtype };
    }
    index.stems[stem] = { tuning_cqt: j.params.cqt_for_tonnetz.tuning_value, arrays };
  }
  fs.writeFileSync(path.join(OUT, 'cqt-index.json'), `${JSON.stringify(index, null, 1)}\n`);
  console.log(`cqt fixtures: ${stems.length} stems, ${(bytes / 1e6).toFixed(2)} MB -> ${path.relative(process.cwd(), OUT)}`);
}

main();
