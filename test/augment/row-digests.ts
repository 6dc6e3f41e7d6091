// The bits of every augmented copy: for each fixture WAV (test/fixtures/audio: TTS speech at
// 16 / 24.414 / 44.1 / 48 kHz; test/fixtures/real/audio: RAVDESS and SAVEE clips), the sha256 of
// the loaded clip, of its noise / stretch / pitch copies (augmentedSignal) and of the four
// 173-rows a feature store holds for it (computeClipRows, default parameters, augment on).
// test/fixtures/augment/row-digests.json was written by this script from the code before the
// issue #14 speed-ups (commit ee8a540); the speed-ups must not move a bit
// (row-bits.test.js). Regenerate only for a deliberate change of the numbers (a
// FEATURE_CODE_VERSION bump):
//   node test/augment/row-digests.js [--lib <kernel-lib/dist of another build>] --write
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const FIX = path.resolve(__dirname, '..', 'fixtures');
const OUT = path.join(FIX, 'augment', 'row-digests.json');
const KINDS = ['orig', 'noise', 'stretch', 'pitch'];

function fixtureWavs() {
  const out = [];
  for (const d of [path.join(FIX, 'audio'), path.join(FIX, 'real', 'audio')]) {
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.wav')) out.push(path.join(d, f));
  }
  return out;
}

const sha = (a) =>
  crypto
    .createHash('sha256')
    .update(Buffer.from(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex')
    .slice(0, 32);

/** { file: { signal: {kind: sha}, row: {kind: sha} } } with the kernel-lib build at `lib`. */
async function rowDigests(lib = path.dirname(require.resolve('kernel-lib'))) {
  const ex = require(path.join(lib, 'features', 'extract'));
  const p = { ...ex.DEFAULT_EXTRACT_PARAMS, augment: true };
  const extractor = ex.resolveExtractor(p);
  const out = {};
  for (const file of fixtureWavs()) {
    const name = path.relative(FIX, file);
    const clipId = `fixture:${name}`;
    const bytes = new Uint8Array(fs.readFileSync(file));
    const y = await ex.loadClipBytes(bytes, name, p);
    const signal = {};
    for (const kind of KINDS) signal[kind] = sha(ex.augmentedSignal(y, kind, p, clipId));
    const rows = await ex.computeClipRows(bytes, name, clipId, KINDS, p, extractor);
    const row = {};
    for (const r of rows) row[r.kind] = sha(r.values);
    out[name] = { signal, row };
  }
  return out;
}

export { rowDigests, OUT };

if (require.main === module) {
  const args = process.argv.slice(2);
  const li = args.indexOf('--lib');
  rowDigests(li >= 0 ? path.resolve(args[li + 1]) : undefined).then((d) => {
    const text = `${JSON.stringify(d, null, 1)}\n`;
    if (args.includes('--write')) fs.writeFileSync(OUT, text);
    else process.stdout.write(text);
  });
}
