import assert from 'node:assert';
import { cli } from 'kernel-lib/internal';
const { main } = cli;

function capture() {
  const io = { outText: '', errText: '' } as { outText: string; errText: string } & Parameters<typeof main>[1];
  io.out = (s) => (io.outText += `${s}\n`);
  io.err = (s) => (io.errText += `${s}\n`);
  return io;
}

describe('ser command contract', () => {
  it('exits 2 with a one-line reason for an unknown command', async () => {
    const io = capture();
    assert.strictEqual(await main(['frobnicate'], io), 2);
    assert.strictEqual(io.errText.trim().split('\n').length, 1);
    assert.match(io.errText, /unknown command 'frobnicate'/);
  });
  it('exits 2 on an unknown option, with --json giving a JSON error document', async () => {
    const io = capture();
    assert.strictEqual(await main(['run-notebooks', '--bogus', '1', '--json'], io), 2);
    assert.match(io.errText, /unknown option --bogus/);
    const io2 = capture();
    assert.strictEqual(await main(['run-notebooks', '--profile', 'huge', '--json'], io2), 2);
    const doc = JSON.parse(io2.outText);
    assert.strictEqual(doc.ok, false);
    assert.strictEqual(doc.exitCode, 2);
    assert.match(doc.error, /--profile must be one of demo, paper/);
  });
  it('prints help listing every command', async () => {
    const io = capture();
    assert.strictEqual(await main(['--help'], io), 0);
    for (const c of ['run-notebooks', 'kernel install']) assert.ok(io.outText.includes(`ser ${c}`), c);
  });
});
