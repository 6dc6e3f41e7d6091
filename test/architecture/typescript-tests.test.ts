// The tests are TypeScript (docs/architecture.md, "Tests"): mocha runs only test/**/*.test.ts, so
// a JavaScript test merged in from an older branch would silently never run; and the tests reach
// the library through `kernel-lib` or `kernel-lib/internal`, never its compiled files; and they
// type-check under full strict.
// (scripts/tools/js-test-to-ts.js does the mechanical part of a conversion.)
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const TEST = path.resolve(__dirname, '..');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' || e.name === '.tmp' ? [] : files(p);
    return [p];
  });
}

describe('architecture: the tests are TypeScript', () => {
  const all = files(TEST).map((f) => path.relative(TEST, f));

  it('no JavaScript test file is left (mocha would not run it)', () => {
    assert.deepStrictEqual(
      all.filter((f) => f.endsWith('.test.js')),
      [],
      'convert it: node scripts/tools/js-test-to-ts.js <file>',
    );
  });

  it('no test imports kernel-lib/dist (use kernel-lib or kernel-lib/internal)', () => {
    const re = /(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"]kernel-lib\/dist/;
    const bad = all.filter((f) => /\.(ts|js)$/.test(f) && re.test(fs.readFileSync(path.join(TEST, f), 'utf8')));
    assert.deepStrictEqual(bad, []);
  });

  it('every test is type-checked under full strict: no @ts-nocheck, no strict flag turned off', () => {
    const nocheck = all.filter((f) => f.endsWith('.ts') && /^\s*\/\/\s*@ts-nocheck/m.test(fs.readFileSync(path.join(TEST, f), 'utf8')));
    assert.deepStrictEqual(nocheck, []);
    const { compilerOptions: o } = JSON.parse(fs.readFileSync(path.join(TEST, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
    assert.strictEqual(o.strict, true);
    const off = [
      'noImplicitAny',
      'strictNullChecks',
      'strictFunctionTypes',
      'strictBindCallApply',
      'strictPropertyInitialization',
      'noImplicitThis',
      'useUnknownInCatchVariables',
      'alwaysStrict',
    ].filter((k) => o[k] === false);
    assert.deepStrictEqual(off, [], 'strict flags turned off in test/tsconfig.json');
  });
});
