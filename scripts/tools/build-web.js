#!/usr/bin/env node

// Builds the `ser live` page into kernel-lib/dist/web (run by `npm run build`, after tsc):
// - page.js, engine.js, capture-worklet.js: esbuild bundles of kernel-lib/web/*.ts for the
//   browser; they import kernel-lib's compiled browser entry (dist/browser.js), so the page runs
//   the JavaScript that Node runs, with the three files that kernel-lib's package.json "browser"
//   field swaps in; meta.json is esbuild's metafile (test/live/bundle.test.js checks that no
//   Node built-in is on the import graph);
// - plotly.min.js: plotly.js-dist minified by esbuild (4.8 MB instead of 10.1 MB), served locally;
// - index.html and live.css, copied.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'kernel-lib', 'web');
const OUT = path.join(ROOT, 'kernel-lib', 'dist', 'web');

const ENTRIES = { page: 'page.ts', engine: 'engine.worker.ts', 'capture-worklet': 'capture.worklet.ts' };

/** esbuild's options for the page's three bundles (test/live/bundle.test.js builds them too). */
function bundleOptions() {
  return {
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, path.join(SRC, v)])),
    outdir: OUT,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['chrome109', 'firefox115', 'safari16'],
    // Pipeline.toJSON / makePipeline name steps after their classes: keep class names
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'eof',
  };
}

async function main() {
  const t0 = Date.now();
  fs.mkdirSync(OUT, { recursive: true });
  const res = await esbuild.build(bundleOptions());
  fs.writeFileSync(path.join(OUT, 'meta.json'), JSON.stringify(res.metafile));
  const plotlySrc = require.resolve('plotly.js-dist/plotly.js');
  const plotlyOut = path.join(OUT, 'plotly.min.js');
  if (!fs.existsSync(plotlyOut) || fs.statSync(plotlyOut).mtimeMs < fs.statSync(plotlySrc).mtimeMs) {
    const min = await esbuild.transform(fs.readFileSync(plotlySrc, 'utf8'), { minify: true, legalComments: 'inline' });
    fs.writeFileSync(plotlyOut, min.code);
  }
  for (const f of ['index.html', 'live.css']) fs.copyFileSync(path.join(SRC, f), path.join(OUT, f));
  const sizes = Object.keys(res.metafile.outputs).map((o) => `${path.basename(o)} ${(res.metafile.outputs[o].bytes / 1024).toFixed(0)} KB`);
  process.stdout.write(
    `build-web: ${path.relative(ROOT, OUT)}: ${sizes.join(', ')}, plotly.min.js ${(fs.statSync(plotlyOut).size / 1e6).toFixed(1)} MB (${Date.now() - t0} ms)\n`,
  );
}

module.exports = { bundleOptions, OUT };

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`build-web: ${e.message}\n`);
    process.exit(1);
  });
}
