// The library's layers (docs/architecture.md): a module imports only from its own folder or a
// lower layer, and no chain of imports leads back to where it started. Read from the sources
// (import / export ... from / require / import()), so a new upward import fails here.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', 'kernel-lib', 'src');
/** Lower numbers are lower layers; a folder may import from its own layer's other folders only where listed. */
const LAYERS: Record<string, number> = {
  core: 0,
  platform: 1,
  dsp: 1,
  audio: 2,
  corpora: 3,
  features: 4,
  eval: 5,
  models: 6,
  report: 7,
  live: 8,
  runner: 8,
  cli: 9,
  notebook: 9,
  api: 10,
};
const TOP_FILES = new Set(['index.ts', 'browser.ts', 'internal.ts']);

function sources(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function resolveModule(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(c)) return c;
  return null;
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const re = /(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  const out: string[] = [];
  for (let m: RegExpExecArray | null; (m = re.exec(text)); ) {
    if (/\.json$/.test(m[1])) continue; // package.json and data files: not modules of the layers
    const to = resolveModule(file, m[1]);
    if (!to) throw new Error(`${path.relative(SRC, file)}: cannot resolve '${m[1]}'`);
    // `import type` lines vanish at run time, but they still say which way the layers lean
    out.push(to);
  }
  return out;
}

const folderOf = (f: string) => path.relative(SRC, f).split(path.sep)[0];

describe('architecture: layers and import cycles (docs/architecture.md)', () => {
  const files = sources();
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it('every folder of kernel-lib/src has a layer', () => {
    const folders = new Set(files.map(folderOf).filter((f) => !TOP_FILES.has(f)));
    const missing = [...folders].filter((f) => !(f in LAYERS));
    assert.deepStrictEqual(missing, [], 'add the folder to LAYERS and to docs/architecture.md');
  });

  it('no module imports from a higher layer', () => {
    const bad = [];
    for (const [from, tos] of graph) {
      const a = folderOf(from);
      if (TOP_FILES.has(a)) continue;
      for (const to of tos) {
        const b = folderOf(to);
        if (TOP_FILES.has(b)) bad.push(`${path.relative(SRC, from)} -> ${path.relative(SRC, to)} (the top-level entry)`);
        else if (LAYERS[b] > LAYERS[a]) bad.push(`${path.relative(SRC, from)} -> ${path.relative(SRC, to)}`);
      }
    }
    assert.deepStrictEqual(bad, []);
  });

  it('no import cycle between modules', () => {
    const state = new Map<string, number>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 1);
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 1) cycles.push([...stack.slice(stack.indexOf(t)), t].map((x) => path.relative(SRC, x)).join(' -> '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 2);
    };
    for (const f of files) if (!state.has(f)) visit(f);
    assert.deepStrictEqual(cycles, []);
  });

  it('the checker sees an upward import and a cycle (self-test)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
    try {
      fs.writeFileSync(path.join(tmp, 'a.ts'), "import { b } from './b';\nexport const a = 1;\n");
      fs.writeFileSync(path.join(tmp, 'b.ts'), "export { a } from './a';\nexport const b = 2;\n");
      const a = path.join(tmp, 'a.ts');
      const b = path.join(tmp, 'b.ts');
      assert.deepStrictEqual(importsOf(a), [b]);
      assert.deepStrictEqual(importsOf(b), [a]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
