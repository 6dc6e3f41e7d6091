#!/usr/bin/env node

// The `ser` command (package.json "bin"): a thin shim over kernel-lib's compiled CLI.
let cli;
try {
  cli = require('kernel-lib/dist/cli');
} catch (e) {
  process.stderr.write(`ser: kernel-lib is not built (${e.message.split('\n')[0]}); run 'npm run build'\n`);
  process.exit(2);
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`ser: ${e?.message ? e.message : e}\n`);
    process.exitCode = 1;
  },
);
