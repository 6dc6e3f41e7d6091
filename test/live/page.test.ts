// The `ser live` page in Debian's headless Chromium (issue #16): it loads with no request
// leaving 127.0.0.1; the default model is the synthetic demo-corpus one, made on first use, and
// the page says so; a file chosen in the page gets `ser predict`'s probabilities (within 1e-6);
// a fake microphone playing a demo clip gets `ser predict`'s top emotion for that clip; a denied
// microphone gets a clear message; the engine's time per 2.5 s window is measured and printed.
// Skips with a notice where Chromium is absent (CI installs Debian's chromium).
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT, ser, findChromium, launchChromium, startLive, type LiveServer } from './helpers';

const TMP = path.join(ROOT, 'test', '.tmp');
const SHOT = path.join(TMP, 'live-page.png');
const DOC_SHOT = path.join(ROOT, 'docs', 'live-page.png');

async function openPage(browser: Browser, url: string, deviceScaleFactor = 1) {
  const page = await browser.newPage({ viewport: { width: 900, height: 1300 }, deviceScaleFactor });
  const outside: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname !== '127.0.0.1') {
      outside.push(u.href);
      return route.abort();
    }
    return route.continue();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.serLive && (window.serLive.ready || window.serLive.engineError), null, { timeout: 120000 });
  const engineError = await page.evaluate(() => window.serLive.engineError);
  assert.strictEqual(engineError, null);
  return { page, outside, errors };
}

/** the part of `ser predict --json` read here */
interface PredictJson {
  model: { classes: string[] };
  predictions: { emotion: string; probabilities: Record<string, number> }[];
}

function predictJson(files: string[], modelDir: string): PredictJson {
  const r = ser(['predict', ...files, '--model', modelDir, '--json']);
  assert.strictEqual(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('live: the page in headless Chromium', function () {
  this.timeout(600000);
  let out: string;
  let live: LiveServer;
  /** the part of /api/info's JSON read here */
  let info: { model: { dir: string; synthetic: boolean; classes: string[] } };
  let demoClips: string[];
  before(async function () {
    if (!findChromium()) {
      console.log('      (skipped: no Chromium at /usr/bin/chromium; set SER_CHROMIUM or apt-get install chromium)');
      this.skip();
    }
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-live-page-'));
    // no --model: the default model, made here (SER_OUT) from the demo corpus on first use
    live = await startLive(['--port', '0'], { SER_OUT: out });
    info = JSON.parse(await (await fetch(`${live.url}api/info`)).text());
    const demo = path.join(ROOT, 'data', 'demo');
    demoClips = ['RAVDESS', 'SAVEE'].flatMap((c) => {
      const files: string[] = [];
      (function walk(d: string) {
        for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
          if (e.isDirectory()) walk(path.join(d, e.name));
          else if (e.name.endsWith('.wav')) files.push(path.join(d, e.name));
        }
      })(path.join(demo, c));
      return files;
    });
  });
  after(async () => {
    if (live) {
      const r = await live.stop();
      assert.strictEqual(r.code, 0, live.stderr());
    }
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });

  it('makes the default model from the synthetic demo corpus on first use, and the page says it is synthetic', async () => {
    assert.match(live.stderr(), /default model .*live-demo-svm: no such model directory; making it \(SYNTHETIC demo corpus/);
    assert.strictEqual(info.model.dir, path.join(out, 'models', 'live-demo-svm'));
    assert.strictEqual(info.model.synthetic, true);
    assert.strictEqual(info.model.classes.length, 8);
    const browser = (await launchChromium())!; // the before hook skips without Chromium
    try {
      const { page } = await openPage(browser, live.url);
      assert.ok(await page.isVisible('#synthetic'));
      assert.match((await page.textContent('#synthetic'))!, /SYNTHETIC model/);
    } finally {
      await browser.close();
    }
  });

  it('loads offline: every request goes to 127.0.0.1, the wasm kernels run, nothing else is asked for', async () => {
    const browser = (await launchChromium())!; // the before hook skips without Chromium
    try {
      const { page, outside, errors } = await openPage(browser, live.url);
      assert.deepStrictEqual(outside, []);
      assert.deepStrictEqual(errors, []);
      assert.match((await page.textContent('#privacy'))!, /Nothing leaves this machine/);
      const s = await page.evaluate(() => ({
        dsp: window.serLive.dspEngine,
        classes: window.serLive.classes,
        isolated: window.crossOriginIsolated,
      }));
      assert.match(s.dsp, /^wasm-simd \(dist\/wasm\/dsp\.wasm/);
      assert.deepStrictEqual(s.classes, info.model.classes);
      assert.strictEqual(s.isolated, true);
    } finally {
      await browser.close();
    }
  });

  it("classifies a chosen or dropped file with ser predict's probabilities (within 1e-6)", async () => {
    const files = [
      // the demo corpus has both
      demoClips.find((f) => f.includes(`${path.sep}SAVEE${path.sep}`))!,
      demoClips.find((f) => f.includes(`${path.sep}RAVDESS${path.sep}`))!,
      path.join(ROOT, 'test', 'fixtures', 'formats', 'mono-22k.flac'),
    ];
    const doc = predictJson(files, info.model.dir);
    const browser = (await launchChromium())!; // the before hook skips without Chromium
    try {
      const { page } = await openPage(browser, live.url);
      for (let i = 0; i < files.length; i++) {
        await page.setInputFiles('#file-input', files[i]);
        await page.waitForFunction((n) => window.serLive.files.length === n, i + 1, { timeout: 60000 });
        const got = await page.evaluate(() => window.serLive.files[window.serLive.files.length - 1]);
        assert.strictEqual(got.type, 'file', got.message);
        const want = doc.model.classes.map((c) => doc.predictions[i].probabilities[c]);
        const worst = Math.max(...want.map((w, k) => Math.abs(w - got.probabilities[k])));
        assert.ok(worst < 1e-6, `${path.basename(files[i])}: max |page - ser predict| = ${worst}`);
        assert.strictEqual(got.top, doc.predictions[i].emotion);
        assert.strictEqual(await page.getAttribute('#file-result', 'data-name'), path.basename(files[i]));
        console.log(`      ${path.basename(files[i])}: ${got.top}, max |page - ser predict| = ${worst.toExponential(1)}`);
      }
      // dropped on the page instead of chosen: the same result
      const b64 = fs.readFileSync(files[2]).toString('base64');
      const dt = await page.evaluateHandle(
        ({ b64, name }) => {
          const t = new DataTransfer();
          t.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
          return t;
        },
        { b64, name: path.basename(files[2]) },
      );
      await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
      await page.waitForFunction((n) => window.serLive.files.length === n, files.length + 1, { timeout: 60000 });
      const [picked, dropped] = await page.evaluate(() => window.serLive.files.slice(-2));
      assert.deepStrictEqual(dropped.probabilities, picked.probabilities);
    } finally {
      await browser.close();
    }
  });

  it("hears a demo clip through a fake microphone and names ser predict's top emotion for it; measures the latency; takes the screenshot", async () => {
    // the clip ser predict is most confident about: the fake device loops the whole clip, so the
    // page's 2.5 s windows are shifted copies of ser predict's span, not the same samples
    const candidates = demoClips.filter((f) => f.includes(`${path.sep}RAVDESS${path.sep}`)).slice(0, 24);
    const doc = predictJson(candidates, info.model.dir);
    const best = doc.predictions
      .map((p, i) => ({ p, i, conf: Math.max(...Object.values(p.probabilities as Record<string, number>)) }))
      .sort((a, b) => b.conf - a.conf)[0];
    const clip = candidates[best.i];
    const browser = (await launchChromium([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${clip}`,
    ]))!;
    try {
      // (0.75 px per CSS pixel keeps the screenshot small enough to commit)
      const { page, outside } = await openPage(browser, live.url, 0.75);
      await page.click('#mic-start');
      await page.waitForFunction(() => window.serLive.windows.length >= 10 || !['on', 'starting'].includes(window.serLive.mic), null, {
        timeout: 180000,
      });
      const s = await page.evaluate(() => ({
        mic: window.serLive.mic,
        msg: window.serLive.micMessage,
        rate: window.serLive.deviceRate,
        tops: window.serLive.windows.map((w: { top: string }) => w.top),
      }));
      assert.strictEqual(s.mic, 'on', s.msg);
      const counts: Record<string, number> = {};
      for (const t of s.tops) counts[t] = (counts[t] || 0) + 1;
      const majority = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
      console.log(
        `      ${path.basename(clip)}: ser predict ${best.p.emotion} (${best.conf.toFixed(2)}); page at ${s.rate} Hz: ${JSON.stringify(counts)}`,
      );
      assert.strictEqual(majority, best.p.emotion);
      // latency: 20 windows back to back in the engine's thread (the mic's last 2.5 s)
      await page.click('#measure-start');
      await page.waitForFunction(() => window.serLive.measure !== null, null, { timeout: 180000 });
      const m = (await page.evaluate(() => window.serLive.measure))!; // waited for above
      assert.strictEqual(m.windows, 20);
      assert.ok(m.medianMs > 0 && Number.isFinite(m.p90Ms), JSON.stringify(m));
      console.log(
        `      latency per 2.5 s window (${m.source}): median ${m.medianMs.toFixed(1)} ms, p90 ${m.p90Ms.toFixed(1)} ms, fastest ${m.minMs.toFixed(1)} ms`,
      );
      fs.mkdirSync(TMP, { recursive: true });
      fs.writeFileSync(
        path.join(TMP, 'live-latency.json'),
        JSON.stringify({ ...m, timings: undefined, chromium: browser.version() }, null, 2),
      );
      await page.setInputFiles('#file-input', clip);
      await page.waitForFunction(() => window.serLive.files.length === 1, null, { timeout: 60000 });
      await page.screenshot({ path: SHOT, fullPage: true });
      if (process.env.SER_UPDATE_SCREENSHOT === '1') {
        fs.mkdirSync(path.dirname(DOC_SHOT), { recursive: true });
        fs.copyFileSync(SHOT, DOC_SHOT);
      }
      assert.deepStrictEqual(outside, []);
    } finally {
      await browser.close();
    }
  });

  it('says so clearly when the microphone is denied', async () => {
    const browser = (await launchChromium(['--use-fake-device-for-media-stream', '--deny-permission-prompts']))!;
    try {
      const { page } = await openPage(browser, live.url);
      await page.click('#mic-start');
      await page.waitForSelector('#mic-message', { state: 'visible', timeout: 30000 });
      assert.match((await page.textContent('#mic-message'))!, /^Microphone access was denied\. Allow it for this page/);
      assert.strictEqual(await page.evaluate(() => window.serLive.mic), 'denied');
      assert.strictEqual(await page.isEnabled('#mic-start'), true);
    } finally {
      await browser.close();
    }
  });
});
