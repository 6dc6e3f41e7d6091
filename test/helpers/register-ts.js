// Mocha's TypeScript loader (.mocharc.json "require"): compiles each test/**/*.ts file to
// CommonJS with esbuild's transformSync (esbuild is already a dev dependency, for the live
// page's bundle) as Node requires it; type-checking is tsc's job (`npm test` runs
// `tsc -p test` first). See environment.md for why this hook and not tsx / ts-node.
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('esbuild');

const TARGET = `node${process.versions.node.split('.')[0]}`;

Module._extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: TARGET,
    sourcefile: filename,
    sourcemap: 'inline',
    // as tsc's `strict` would: every test module runs in strict mode, as the 'use strict' .js did
    tsconfigRaw: { compilerOptions: { alwaysStrict: true } },
  });
  module._compile(code, filename);
};
