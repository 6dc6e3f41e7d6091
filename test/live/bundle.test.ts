// The `ser live` page runs kernel-lib's compiled code in the browser: its bundles' import graph
// (esbuild metafile, built here with the options of scripts/tools/build-web.js) holds no Node
// built-in, no module left external, and no Node-only kernel-lib file; it does hold the very
// files `ser predict` runs for features, resampling, decoding and probabilities.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import * as esbuild from 'esbuild';
import type { Metafile } from 'esbuild';
import { bundleOptions, OUT } from '../../scripts/tools/build-web';

/** kernel-lib's compiled files (the folder of its main entry), as esbuild's entry points below */
const DIST = path.dirname(require.resolve('kernel-lib'));

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every import of the graph that would need Node: a built-in, an external module, a disabled one. */
function nodeOnlyImports(metafile: Metafile): string[] {
  const bad: string[] = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (file.startsWith('(disabled):')) bad.push(`${file} (disabled)`);
    for (const imp of input.imports) {
      if (imp.path === '<runtime>') continue; // esbuild's own helpers
      if (BUILTINS.has(imp.path)) bad.push(`${file} imports ${imp.path}`);
      else if (imp.external) bad.push(`${file} leaves ${imp.path} external`);
    }
  }
  return bad;
}

function inputsOf(metafile: Metafile, output: string): string[] {
  const o = Object.entries(metafile.outputs).find(([f]) => f.endsWith(output));
  assert.ok(o, `no output ${output}`);
  return Object.keys(o[1].inputs);
}

describe('live: the page bundles are browser-safe', function () {
  this.timeout(60000);
  let meta: Metafile;
  before(async () => {
    const r = await esbuild.build({ ...bundleOptions(), write: false });
    meta = r.metafile;
  });

  it('no Node built-in, external or disabled module on the import graph', () => {
    assert.deepStrictEqual(nodeOnlyImports(meta), []);
  });

  it('the engine bundles the compiled kernel-lib files that ser predict runs, with the browser builds of the three platform files', () => {
    const ins = inputsOf(meta, 'engine.js');
    for (const f of [
      'features/paper173.js',
      'audio/resample.js',
      'audio/decode.js',
      'audio/wav.js',
      'models/svm/pipeline.js',
      'models/svm/svc.js',
      'models/svm/apply.js',
      'models/input-rule.js',
      'dsp/wasm.js',
      'live/classifier.js',
      'browser.js',
    ]) {
      assert.ok(ins.includes(`kernel-lib/dist/${f}`), `engine.js lacks kernel-lib/dist/${f}`);
    }
    for (const f of ['platform/assets.browser.js', 'models/svm/pool.browser.js', 'models/svm/libsvmjs.browser.js'])
      assert.ok(ins.includes(`kernel-lib/dist/${f}`), f);
    for (const f of [
      'platform/assets.js',
      'models/svm/pool.js',
      'models/svm/libsvmjs.js',
      'models/svm/worker.js',
      'models/estimator-files.js',
      'report/context.js',
      'audio/file.js',
      'audio/load.js',
      'features/extract.js',
    ]) {
      assert.ok(!ins.includes(`kernel-lib/dist/${f}`), `engine.js bundles the Node-only kernel-lib/dist/${f}`);
    }
  });

  it('the check finds Node built-ins where they are: the Node-side model files and SVM thread bundled the same way', async () => {
    const r = await esbuild.build({
      entryPoints: [path.join(DIST, 'models', 'estimator-files.js'), path.join(DIST, 'models', 'svm', 'worker.js')],
      outdir: OUT,
      bundle: true,
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: [...BUILTINS],
    });
    const bad = nodeOnlyImports(r.metafile);
    assert.ok(
      bad.some((b) => /models\/estimator-files\.js imports (node:)?fs$/.test(b)),
      bad.join('\n'),
    );
    assert.ok(
      bad.some((b) => /worker_threads$/.test(b)),
      bad.join('\n'),
    );
  });

  it('npm run build wrote the same graph to kernel-lib/dist/web/meta.json', () => {
    const file = path.join(OUT, 'meta.json');
    assert.ok(fs.existsSync(file), `${file} is missing: run npm run build`);
    const built = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepStrictEqual(Object.keys(built.inputs).sort(), Object.keys(meta.inputs).sort(), 'the built page is stale: run npm run build');
  });
});
