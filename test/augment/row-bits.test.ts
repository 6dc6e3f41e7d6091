// The augmented copies and their feature rows keep their exact bits (issue #14: the speed-ups
// of the phase vocoder, the resampling plans and the wasm kernels must not move any): every
// fixture clip's loaded signal, noise / stretch / pitch copies and four 173-rows hash as
// recorded from the code before those changes (row-digests.js, row-digests.json).
import assert from 'node:assert';
import * as fs from 'node:fs';
import { type RowDigests, rowDigests, OUT } from './row-digests';

describe('augmented copies and rows: bit for bit as before the issue #14 speed-ups', function () {
  this.timeout(300000);
  it('every fixture clip: the signal of each copy and each feature row hash as recorded', async () => {
    const want: RowDigests = JSON.parse(fs.readFileSync(OUT, 'utf8'));
    const got = await rowDigests();
    assert.deepStrictEqual(Object.keys(got).sort(), Object.keys(want).sort());
    assert.ok(Object.keys(want).length >= 20, 'the fixture clips are missing');
    const moved: string[] = [];
    for (const [file, w] of Object.entries(want)) {
      for (const part of ['signal', 'row'] as const) {
        for (const [kind, h] of Object.entries(w[part])) if (got[file][part][kind] !== h) moved.push(`${file} ${kind} ${part}`);
      }
    }
    assert.deepStrictEqual(moved, [], `bits moved: ${moved.join('; ')}`);
  });
});
