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
import type { features, featuresExtract } from 'kernel-lib/internal';

const FIX = path.resolve(__dirname, '..', 'fixtures');
const OUT = path.join(FIX, 'augment', 'row-digests.json');
const KINDS: features.AugKind[] = ['orig', 'noise', 'stretch', 'pitch'];

function fixtureWavs(): string[] {
  const out: string[] = [];
  for (const d of [path.join(FIX, 'audio'), path.join(FIX, 'real', 'audio')]) {
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.wav')) out.push(path.join(d, f));
  }
  return out;
}

const sha = (a: Float32Array | Float64Array): string =>
  crypto
    .createHash('sha256')
    .update(Buffer.from(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex')
    .slice(0, 32);

/** { file: { signal: {kind: sha}, row: {kind: sha} } } with the kernel-lib build at `lib`. */
/** per fixture file: the sha of each augmented signal and of each row, by kind */
export type RowDigests = Record<string, { signal: Record<string, string>; row: Record<string, string> }>;

async function rowDigests(lib = path.dirname(require.resolve('kernel-lib'))): Promise<RowDigests> {
  const ex: typeof featuresExtract = require(path.join(lib, 'features', 'extract'));
  const p = { ...ex.DEFAULT_EXTRACT_PARAMS, augment: true };
  const extractor = ex.resolveExtractor(p);
  const out: RowDigests = {};
  for (const file of fixtureWavs()) {
    const name = path.relative(FIX, file);
    const clipId = `fixture:${name}`;
    const bytes = new Uint8Array(fs.readFileSync(file));
    const y = await ex.loadClipBytes(bytes, name, p);
    const signal: Record<string, string> = {};
    for (const kind of KINDS) signal[kind] = sha(ex.augmentedSignal(y, kind, p, clipId));
    const rows = await ex.computeClipRows(bytes, name, clipId, KINDS, p, extractor);
    const row: Record<string, string> = {};
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
