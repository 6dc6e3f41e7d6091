// A real Jupyter Notebook session as the test client: `ser lab` starts Debian's classic notebook
// server with the project-local tslab kernel (as root too: it passes --allow-root), headless
// Chromium opens notebook 02, runs all cells as a user would (Cell > Run All), and the test reads
// the outputs and errors from the page. Skipped with a notice where jupyter-notebook or Chromium
// is absent (CI installs both).
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { ROOT, tmpDir } from '../helpers/notebooks';
import { runner } from 'kernel-lib/internal';
const { CHROMIUM_ARGS, findChromium, labArgs, labEnv } = runner;

const JUPYTER = '/usr/bin/jupyter-notebook';
const NOTEBOOK = '02-preprocessing-augmentation.ipynb';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

describe('ser lab: a real Jupyter Notebook session in headless Chromium', function () {
  this.timeout(300000);
  const chromium = findChromium();
  let server: ChildProcess | null = null;
  let log = '';
  let browser: Browser | null = null;
  let dir: string | null = null;

  before(function () {
    if (!fs.existsSync(JUPYTER) || !chromium) {
      console.log('      (skipped: Debian jupyter-notebook or Chromium not installed)');
      this.skip();
    }
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (server && server.exitCode === null) {
      const srv = server;
      srv.kill('SIGTERM');
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          try {
            process.kill(-(srv.pid as number), 'SIGKILL');
          } catch {
            /* gone */
          }
          r();
        }, 10000);
        srv.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes --allow-root only to root, and the run context to the kernels', () => {
    const base = { flavour: 'classic' as const, notebookDir: '/p/notebooks', openBrowser: false };
    assert.ok(labArgs({ ...base, uid: 0 }).includes('--allow-root'));
    assert.ok(!labArgs({ ...base, uid: 1000 }).includes('--allow-root'));
    assert.ok(labArgs({ ...base, uid: 1000 }).includes('--no-browser'));
    assert.ok(labArgs({ ...base, uid: 1000, token: 't' }).includes('--NotebookApp.token=t'));
    assert.ok(labArgs({ ...base, flavour: 'lab' as const, uid: 1000, token: 't' }).includes('--ServerApp.token=t'));
    const env = labEnv({ JUPYTER_PATH: '/x' }, { jupyterPath: '/k', profile: 'paper', dataDir: '/data/ser' });
    assert.strictEqual(env.JUPYTER_PATH, `/k${path.delimiter}/x`);
    assert.strictEqual(env.SER_PROFILE, 'paper');
    assert.strictEqual(env.SER_DATA, '/data/ser');
  });

  it(`opens ${NOTEBOOK}, runs all cells: no error output, the interactive figures drawn`, async () => {
    // A copy inside the project (tslab resolves kernel-lib from the notebook's folder), so the
    // committed notebook is never saved with outputs.
    dir = tmpDir('jupyter');
    fs.copyFileSync(path.join(ROOT, 'notebooks', NOTEBOOK), path.join(dir, NOTEBOOK));
    const port = await freePort();
    const token = `t${process.pid}`;
    const srv = spawn(
      process.execPath,
      [
        path.join(ROOT, 'scripts', 'ser.js'),
        'lab',
        '--classic',
        '--no-browser',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--token',
        token,
        '--notebooks',
        dir,
      ],
      { cwd: ROOT, env: { ...process.env, SER_OUT: path.join(dir, 'out') }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server = srv;
    srv.stdout.on('data', (d) => (log += d));
    srv.stderr.on('data', (d) => (log += d));
    const base = `http://127.0.0.1:${port}`;
    const t0 = Date.now();
    while ((await get(`${base}/api/status?token=${token}`)) !== 200) {
      assert.ok(srv.exitCode === null, `ser lab exited (${srv.exitCode}):\n${log}`);
      assert.ok(Date.now() - t0 < 60000, `the notebook server did not answer in 60 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    if (process.getuid && process.getuid() === 0) assert.match(log, /--allow-root/);

    const { chromium: pw } = await import('playwright-core');
    browser = await pw.launch({ executablePath: chromium as string, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${base}/notebooks/${NOTEBOOK}?token=${token}`);
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook?.kernel?.is_connected(), null, {
      timeout: 120000,
    });
    const kernelName = await page.evaluate(() => Jupyter.notebook.kernel.name);
    assert.strictEqual(kernelName, 'tslab');
    await page.evaluate(() => {
      // tslab prints a thrown error on stderr; the execute_reply's status says it failed.
      window.__serReplies = [];
      const proto = Object.getPrototypeOf(Jupyter.notebook.get_cells().find((c) => c.cell_type === 'code')); // CodeCell.prototype
      const handle = proto._handle_execute_reply;
      proto._handle_execute_reply = function (this: JupyterCell, msg: JupyterExecuteReply, ...rest: unknown[]) {
        window.__serReplies.push({
          index: Jupyter.notebook.find_cell_index(this),
          status: msg.content.status,
          ename: msg.content.ename,
          evalue: msg.content.evalue,
        });
        return handle.call(this, msg, ...rest);
      };
      Jupyter.notebook.set_autosave_interval(0);
      Jupyter.notebook.execute_all_cells();
    });
    // Queued cells show [*]; Run All is done when none does.
    await page.waitForFunction(
      () => Jupyter.notebook.get_cells().every((c) => c.cell_type !== 'code' || c.input_prompt_number !== '*'),
      null,
      { timeout: 240000, polling: 500 },
    );
    const cells = await page.evaluate(() =>
      Jupyter.notebook
        .get_cells()
        .filter((c) => c.cell_type === 'code')
        .map((c) => ({
          prompt: c.input_prompt_number,
          errors: c.output_area.outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`),
          stderr: c.output_area.outputs.filter((o) => o.output_type === 'stream' && o.name === 'stderr').map((o) => o.text!), // a stream output has text
        })),
    );
    const replies = await page.evaluate(() => window.__serReplies);
    const errors = [
      ...replies
        .filter((r) => r.status !== 'ok')
        .map((r) => `cell ${r.index + 1}: execute_reply ${r.status} ${r.ename ?? ''} ${r.evalue ?? ''}`),
      ...cells.flatMap((c, i) => c.errors.map((e) => `code cell ${i + 1}: ${e}`)),
      ...cells.flatMap((c, i) =>
        c.stderr.filter((t) => /Error\b/.test(t)).map((t) => `code cell ${i + 1}: ${t.split('\n').slice(0, 5).join(' ')}`),
      ),
    ];
    assert.deepStrictEqual(errors, [], `error outputs:\n${errors.join('\n')}`);
    assert.strictEqual(replies.length, cells.length, 'one execute_reply per code cell');
    cells.forEach((c, i) => assert.strictEqual(typeof c.prompt, 'number', `code cell ${i + 1} did not run (prompt ${c.prompt})`));
    assert.strictEqual(await page.locator('.output_error').count(), 0);
    // Every saved figure is drawn by plotly in the page (interactive, not a picture).
    const src = fs.readFileSync(path.join(ROOT, 'scripts', 'notebook-src', NOTEBOOK.replace('.ipynb', '.txt')), 'utf8');
    const expected = (src.match(/saveFigure\(/g) || []).length;
    assert.ok(expected >= 3, 'notebook 02 saves its figures');
    await page.waitForFunction((n) => document.querySelectorAll('.ser-figure.js-plotly-plot').length >= n, expected, { timeout: 30000 });
    const drawn = await page.locator('.ser-figure.js-plotly-plot').count();
    assert.ok(drawn >= expected, `${drawn} plotly figures drawn, ${expected} saved`);
    assert.ok((await page.locator('.ser-figure.js-plotly-plot .main-svg').count()) >= expected, 'plotly rendered SVG');
    // The audio players of Fig. 1 are in the page.
    assert.ok((await page.locator('audio').count()) >= 4, 'audio players for the clip and its three copies');
    assert.deepStrictEqual(pageErrors, []);
    // The session ran on the requested output folder, not results/.
    assert.ok(fs.existsSync(path.join(dir, 'out', 'figures')), 'figures written under SER_OUT');
  });
});
