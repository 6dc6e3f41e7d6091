#!/usr/bin/env node

// `npm run bench -- <name...>`: runs scripts/bench/<name>.js (features, svm, cnn). Each prints a
// table of figures and ratios against a reference measured in the same run.
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, 'bench');
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.slice(0, -3))
  .sort();
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = asked.length ? asked : available;
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length) {
  process.stderr.write(`bench: unknown benchmark '${unknown[0]}' (available: ${available.join(', ')})\n`);
  process.exit(2);
}
(async () => {
  let failed = 0;
  for (const n of names) {
    process.stdout.write(`\n=== bench ${n} ===\n`);
    try {
      const mod = require(path.join(dir, `${n}.js`));
      if (typeof mod.run === 'function') await mod.run(process.argv.slice(2).filter((a) => a.startsWith('-')));
    } catch (e) {
      failed++;
      process.stderr.write(`bench ${n} failed: ${e?.stack ? e.stack : e}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
})();
