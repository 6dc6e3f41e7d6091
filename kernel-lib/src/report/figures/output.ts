/**
 * Figures are plotly specs (`{data, layout}`) built in Node (plotly.js itself runs only in a
 * browser: `require('plotly.js-dist')` throws in Node). `saveFigure` writes
 * `figures/<name>.json` (the spec) and `figures/<name>.html` (self-contained: the plotly bundle
 * is inlined, no CDN), records them, and shows the figure in the notebook offline. PNG/SVG are
 * rendered afterwards by the runner in headless Chromium (see scripts/export-figures).
 */
import * as fs from 'node:fs';
import type { Figure } from '../../core/figure';
import { checkArtifactName, type SaveOptions, writeArtifact } from '../artifacts';
import { runContext } from '../../core/context';
export type { Figure } from '../../core/figure';
import { displayData, escapeHtml, inNotebook } from '../../core/display';

let bundleCache: string | null = null;
/** The plotly.js bundle text (plotly.js-dist), loaded once. */
export function plotlyBundle(): string {
  if (bundleCache === null) {
    const file = require.resolve('plotly.js-dist/plotly.js');
    bundleCache = fs.readFileSync(file, 'utf8');
  }
  return bundleCache;
}

/** How plotlyScriptTag's tag starts and ends (publishing drops it: runner/publish.ts). */
export const PLOTLY_TAG_START = '<script type="text/javascript">(function(){var define=undefined,module=undefined,exports=undefined;\n';
export const PLOTLY_TAG_END = '\n}).call(window);</script>';

/** Script tag that defines window.Plotly even where require.js' `define` exists (classic notebook). */
export function plotlyScriptTag(): string {
  const src = plotlyBundle().replace(/<\/script/gi, '<\\/script');
  return `${PLOTLY_TAG_START}${src}${PLOTLY_TAG_END}`;
}

function figureJson(fig: Figure): string {
  return JSON.stringify({ data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? {} }).replace(/<\//g, '<\\/');
}

/** The div + script that draws one figure once Plotly is present. */
export function figureDiv(fig: Figure, id: string): string {
  const h = fig.layout?.height ?? 450;
  return (
    `<div id="${id}" class="ser-figure" style="width:100%;min-height:${h}px"></div>` +
    `<script type="text/javascript">(function(){var f=${figureJson(fig)};var n=0;function draw(){var el=document.getElementById(${JSON.stringify(id)});` +
    `if(window.Plotly&&el){window.Plotly.newPlot(el,f.data,f.layout,Object.assign({responsive:true,displaylogo:false},f.config));}` +
    `else if(n++<200){setTimeout(draw,50);}}draw();})();</script>`
  );
}

/** A whole self-contained HTML page for one figure. */
export function figureHtmlPage(fig: Figure, title: string): string {
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `${plotlyScriptTag()}</head><body style="margin:0;font-family:sans-serif">` +
    `${figureDiv(fig, 'figure')}</body></html>\n`
  );
}

let injected = false;
let figCounter = 0;

/** Shows a figure in the notebook (plotly MIME for JupyterLab's renderer + offline HTML). */
export function showFigure(fig: Figure, name = 'figure'): void {
  if (!inNotebook()) return;
  const id = `ser-fig-${name.replace(/[^A-Za-z0-9_-]/g, '_')}-${process.pid}-${++figCounter}`;
  const inject = injected ? '' : plotlyScriptTag();
  injected = true;
  displayData({
    'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? {} },
    'text/html': inject + figureDiv(fig, id),
    'text/plain': `<plotly figure ${name}>`,
  });
}

export type SaveFigureOptions = SaveOptions;

/** Writes `figures/<name>.json` + `.html`, records them, shows the figure (returns nothing, like saveTable). */
export function saveFigure(name: string, fig: Figure, opts: SaveFigureOptions = {}): void {
  checkArtifactName('figure', name);
  const outDir = opts.outDir ?? runContext().outDir;
  const title = String(opts.title ?? fig.layout?.title?.text ?? fig.layout?.title ?? name);
  const files = { [`figures/${name}.json`]: figureJson(fig), [`figures/${name}.html`]: figureHtmlPage(fig, title) };
  writeArtifact({ kind: 'figure', name, title }, files, outDir);
  if (opts.show !== false) showFigure(fig, name);
}
