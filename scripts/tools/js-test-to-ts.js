#!/usr/bin/env node

// The mechanical part of turning a CommonJS test (test/**/*.js) into TypeScript, as was done
// for the whole suite (issue 13): `git mv x.js x.ts`, then
//   'use strict';                                 dropped (the hook compiles in strict mode)
//   const a = require('m');                       import * as a from 'm';  (assert: import assert from 'assert')
//   const { a, b: c } = require('m');             import { a, b as c } from 'm';
//   require('kernel-lib/dist') / 'kernel-lib'     import ... from 'kernel-lib'
//   require('kernel-lib/dist/audio/wav')          import { audioWav } from 'kernel-lib/internal'; const { ... } = audioWav;
//   module.exports = { a, b };                    export { a, b };
// Only top-level one-line requires are rewritten; requires inside functions, the types of
// parameters and `let x = null` locals are left for a person, and `npx tsc -p test` lists them.
// A module the test needs must be listed in kernel-lib/src/internal.ts (named as below).
// Usage (from the repository root): node scripts/tools/js-test-to-ts.js test/a/x.test.js ...
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

/** kernel-lib/dist/models/cnn/backend -> modelsCnnBackend; eval -> evaluation (see src/internal.ts). */
function internalName(spec) {
  const p = spec.replace(/^kernel-lib\/dist\/?/, '');
  if (p === 'eval') return 'evaluation';
  return p
    .split(/[/.-]/)
    .map((s, i) => (i ? s[0].toUpperCase() + s.slice(1) : s))
    .join('');
}

const isPublic = (spec) => spec === 'kernel-lib' || spec === 'kernel-lib/dist' || spec === 'kernel-lib/dist/';

function convert(src) {
  const out = [];
  const internal = []; // [name in kernel-lib/internal, local name]
  const unpack = []; // const { ... } = namespace;
  for (const line of src.split('\n')) {
    if (/^'use strict';\s*$/.test(line)) continue;
    let m = line.match(/^const ([A-Za-z_$][\w$]*) = require\('([^']+)'\);?\s*$/);
    if (m) {
      const [, name, spec] = m;
      if (/^kernel-lib\/dist\/./.test(spec)) internal.push([internalName(spec), name]);
      else if (isPublic(spec)) out.push(`import * as ${name} from 'kernel-lib';`);
      else if (spec === 'assert') out.push(`import ${name} from 'assert';`);
      else out.push(`import * as ${name} from '${spec}';`);
      continue;
    }
    m = line.match(/^const \{([^}]*)\} = require\('([^']+)'\);?\s*$/);
    if (m) {
      const [, names, spec] = m;
      if (/^kernel-lib\/dist\/./.test(spec)) {
        const ns = internalName(spec);
        let entry = internal.find(([n]) => n === ns);
        if (!entry) {
          entry = [ns, ns];
          internal.push(entry);
        }
        unpack.push(`const {${names}} = ${entry[1]};`);
        continue;
      }
      const named = names
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => s.replace(/^(\w+)\s*:\s*(\w+)$/, '$1 as $2'))
        .join(', ');
      out.push(`import { ${named} } from '${isPublic(spec) ? 'kernel-lib' : spec}';`);
      continue;
    }
    m = line.match(/^module\.exports = \{(.*)\};$/);
    if (m) {
      out.push(`export {${m[1]}};`);
      continue;
    }
    out.push(line);
  }
  if (internal.length) {
    const names = internal.map(([n, l]) => (n === l ? n : `${n} as ${l}`)).join(', ');
    let last = -1;
    out.forEach((l, i) => {
      if (/^import /.test(l)) last = i;
    });
    out.splice(last + 1, 0, `import { ${names} } from 'kernel-lib/internal';`, ...unpack);
  }
  return out.join('\n');
}

if (require.main === module) {
  for (const f of process.argv.slice(2)) {
    if (!f.endsWith('.js')) throw new Error(`${f}: not a .js file`);
    const src = fs.readFileSync(f, 'utf8');
    const ts = f.replace(/\.js$/, '.ts');
    execFileSync('git', ['mv', f, ts]);
    fs.writeFileSync(ts, convert(src));
    process.stdout.write(`${f} -> ${ts}\n`);
  }
}

module.exports = { convert, internalName };
