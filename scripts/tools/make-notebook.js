#!/usr/bin/env node

// Builds a committed (output-free) nbformat-4 notebook from a plain-text source where cells are
// separated by lines "%% md" / "%% code". Usage: node make-notebook.js src.txt out.ipynb
// Lets notebooks be written and reviewed as text; the .ipynb is what users open.
const fs = require('node:fs');

function build(text) {
  const cells = [];
  let cur = null;
  for (const line of text.split('\n')) {
    const m = /^%% (md|code)\s*$/.exec(line);
    if (m) {
      if (cur) cells.push(cur);
      cur = { type: m[1], lines: [] };
    } else if (cur) cur.lines.push(line);
  }
  if (cur) cells.push(cur);
  return {
    cells: cells.map((c, i) => {
      while (c.lines.length && c.lines[c.lines.length - 1].trim() === '') c.lines.pop();
      const src = c.lines.join('\n');
      const parts = src.split('\n').map((l, j, a) => (j < a.length - 1 ? `${l}\n` : l));
      const base = { id: `cell-${String(i).padStart(2, '0')}`, metadata: {}, source: parts };
      return c.type === 'md' ? { cell_type: 'markdown', ...base } : { cell_type: 'code', ...base, execution_count: null, outputs: [] };
    }),
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

if (require.main === module) {
  const [src, out] = process.argv.slice(2);
  if (!src || !out) {
    process.stderr.write('usage: make-notebook.js src.txt out.ipynb\n');
    process.exit(2);
  }
  fs.writeFileSync(out, `${JSON.stringify(build(fs.readFileSync(src, 'utf8')), null, 1)}\n`);
}
module.exports = { build };
