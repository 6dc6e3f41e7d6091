// `ser live`'s server (issue #16): 127.0.0.1 only, serves the page, the kernel-lib assets and
// the model's two files and nothing else, tells the page to talk to nobody else (CSP), stops
// on Ctrl-C (SIGINT) with status 0, and refuses models as `ser predict` does.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtureModel, ser, startLive, AUDIO } from './helpers';
import { models, liveServer } from 'kernel-lib/internal';
const { readModelMeta, MODEL_META_FILE } = models;
const { startLiveServer } = liveServer;

/** An HTTP answer: status, headers and the whole body. */
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, { method = 'GET', rawPath }: { method?: string; rawPath?: string } = {}): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: rawPath ?? u.pathname, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode as number, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('live: the ser live server', function () {
  this.timeout(120000);
  let dir: string;
  let modelDir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-live-srv-'));
    modelDir = await fixtureModel(path.join(dir, 'svm'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves the page, the assets and the model only, with a CSP that allows no other host; stops on SIGINT', async () => {
    const live = await startLive(['--model', modelDir, '--port', '0']);
    try {
      assert.match(live.stdout(), /serving on 127\.0\.0\.1 only/);
      const page = await get(live.url);
      assert.strictEqual(page.status, 200);
      assert.match(page.body.toString(), /Nothing leaves this machine/);
      assert.match(page.headers['content-security-policy'] as string, /default-src 'self';.*connect-src 'self'/);
      assert.strictEqual(page.headers['cross-origin-opener-policy'], 'same-origin');
      assert.strictEqual(page.headers['cross-origin-embedder-policy'], 'require-corp');
      const info = JSON.parse((await get(`${live.url}api/info`)).body.toString());
      assert.deepStrictEqual(info.model.classes, ['angry', 'fear', 'neutral', 'surprised']);
      assert.strictEqual(info.model.synthetic, false);
      assert.strictEqual(info.model.dir, path.resolve(modelDir));
      const pipe = await get(`${live.url}model/pipeline.json`);
      assert.deepStrictEqual(pipe.body, fs.readFileSync(path.join(modelDir, 'pipeline.json')));
      const wasm = await get(`${live.url}kernel-lib/dist/wasm/dsp.wasm`);
      assert.strictEqual(wasm.headers['content-type'], 'application/wasm');
      for (const u of [
        'app/engine.js',
        'app/page.js',
        'app/capture-worklet.js',
        'vendor/plotly.min.js',
        'kernel-lib/assets/resampy/kaiser_best.f64',
      ]) {
        assert.strictEqual((await get(live.url + u)).status, 200, u);
      }
      for (const p of [
        '/kernel-lib/assets/resampy/kaiser_fast.f64',
        '/../package.json',
        '/model/../ser-model.json',
        '/kernel-lib/package.json',
        '/app/meta.json',
      ]) {
        assert.strictEqual((await get(live.url, { rawPath: p })).status, 404, p);
      }
      assert.strictEqual((await get(live.url, { method: 'POST' })).status, 405);
    } finally {
      const r = await live.stop();
      assert.strictEqual(r.code, 0);
      assert.ok(r.ms < 15000, `stopped after ${r.ms} ms`);
      assert.match(live.stdout(), /ser live: stopped \(SIGINT\)/);
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    const s = await startLiveServer({ modelDir, meta: readModelMeta(modelDir), port: 0 });
    try {
      assert.strictEqual((s.server.address() as AddressInfo).address, '127.0.0.1');
    } finally {
      await s.close();
    }
  });

  it("refuses a model from another kernel-lib or feature code with ser predict's message, a CNN model, a bad or busy port", async () => {
    const bad = path.join(dir, 'old');
    fs.cpSync(modelDir, bad, { recursive: true });
    const metaFile = path.join(bad, MODEL_META_FILE);
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    const wav = path.join(AUDIO, fs.readdirSync(AUDIO).find((f) => f.endsWith('.wav'))!);
    for (const change of [{ kernelLib: '0.0.1' }, { featureCode: 999 }]) {
      fs.writeFileSync(metaFile, JSON.stringify({ ...meta, ...change }));
      const l = ser(['live', '--model', bad, '--port', '0']);
      const p = ser(['predict', wav, '--model', bad]);
      assert.strictEqual(l.code, 2);
      assert.strictEqual(l.stderr.trim().replace(/^ser live: /, ''), p.stderr.trim().replace(/^ser predict: /, ''));
      assert.match(l.stderr, /retrain/);
    }
    fs.writeFileSync(metaFile, JSON.stringify({ ...meta, kind: 'cnn' }));
    let r = ser(['live', '--model', bad, '--port', '0']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /old: holds a cnn model: the live page runs SVM models only/);
    r = ser(['live', '--model', path.join(dir, 'none'), '--port', '0']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /none: no such model directory/);
    r = ser(['live', '--model', modelDir, '--port', '70000']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--port must be an integer in 0\.\.65535, got 70000/);
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((res) => blocker.once('listening', res));
    try {
      r = ser(['live', '--model', modelDir, '--port', String((blocker.address() as AddressInfo).port)]);
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /port \d+ on 127\.0\.0\.1 is in use: choose another with --port/);
    } finally {
      blocker.close();
    }
  });
});
