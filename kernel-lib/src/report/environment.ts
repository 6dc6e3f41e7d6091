/** Versions of everything a result depends on, for notebook 00 and the reports. */
import * as fs from 'node:fs';
import * as path from 'node:path';

function pkgVersion(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`);
    return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  } catch {
    try {
      // packages without an exported package.json: walk up from their main file
      let dir = path.dirname(require.resolve(name));
      for (let i = 0; i < 5; i++) {
        const pj = path.join(dir, 'package.json');
        if (fs.existsSync(pj)) {
          const j = JSON.parse(fs.readFileSync(pj, 'utf8'));
          if (j.name === name) return j.version;
        }
        dir = path.dirname(dir);
      }
    } catch {
      /* not installed */
    }
    return 'not installed';
  }
}

export const STACK_PACKAGES = [
  'kernel-lib',
  'tslab',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node-gpu',
  'danfojs-node',
  'plotly.js-dist',
  'meyda',
  'node-wav',
  'libsvm-js',
  'espeak-ng',
  'zeromq',
  'playwright-core',
];

/** Rows {component, version} for the runtime and the named stack. */
export function versionRows(): { component: string; version: string }[] {
  const rows = [
    { component: 'node', version: process.version },
    { component: 'platform', version: `${process.platform} ${process.arch}` },
  ];
  for (const p of STACK_PACKAGES) rows.push({ component: p, version: pkgVersion(p) });
  return rows;
}
