// Progress that tells the truth in logs (issue #14, item 7): with stderr not a terminal, a plain
// line at the start, every 10 % (or 30 s) and at the end, with a rate from the last 30 s.
import assert from 'node:assert';
import { Writable } from 'node:stream';
import { coreProgress } from 'kernel-lib/internal';
const { progress, MovingRate } = coreProgress;

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { stream, lines };
}

describe('report/progress', () => {
  it('writes a start line, a line every 10 % and a final line to a non-terminal stream', () => {
    const { stream, lines } = sink();
    const p = progress('features', 100, { unit: 'clips', stream });
    for (let i = 0; i < 100; i++) p.tick(1);
    p.done();
    assert.strictEqual(lines[0], 'features: 100 clips to do');
    const counts = lines.slice(1).map((l) => Number(/ (\d+)\/100 /.exec(l)![1]));
    assert.deepStrictEqual(counts, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100]);
    assert.match(lines[lines.length - 1], /done in \d+s$/);
  });

  it('to(n) takes a running count (what corpus verify and the demo generator report): the same lines as ticks', () => {
    const { stream, lines } = sink();
    const p = progress('hashing', 100, { unit: 'files', stream });
    for (const d of [5, 10, 10, 35, 60, 100]) p.to(d);
    p.done();
    const counts = lines.slice(1).map((l) => Number(/ (\d+)\/100 /.exec(l)![1]));
    assert.deepStrictEqual(counts, [10, 35, 60, 100, 100]);
  });

  it('writes nothing when silent', () => {
    const { stream, lines } = sink();
    const p = progress('x', 10, { stream, silent: true });
    for (let i = 0; i < 10; i++) p.tick();
    p.done();
    assert.deepStrictEqual(lines, []);
  });

  it('MovingRate: the rate of the last 30 s, not the cold start', () => {
    const r = new MovingRate(30);
    r.add(0, 0);
    r.add(20000, 10); // a slow start: 0.5 per second
    r.add(60000, 4010);
    r.add(70000, 5010);
    // the window [40 s, 70 s] holds 60 s and 70 s: 1000 in 10 s
    assert.strictEqual(r.rate(), 100);
    const slow = new MovingRate(30);
    slow.add(0, 0);
    slow.add(1000, 1);
    assert.strictEqual(slow.rate(), 1);
  });
});
