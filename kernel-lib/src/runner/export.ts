/**
 * Static figure export: PNG and SVG of every saved plotly figure, rendered by Debian's headless
 * Chromium through playwright-core (never a downloaded browser). One page is kept open for the
 * whole run (launch + plotly load cost seconds, each further figure ~150 ms).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** The Chromium binary to use: $SER_CHROMIUM, else /usr/bin/chromium when present, else null. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const cands = [env.SER_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  for (const c of cands) if (fs.existsSync(c)) return c;
  return null;
}

export interface ExportResult {
  available: boolean;
  notice: string | null;
  /** figure name -> files written (relative to the output folder) */
  files: Record<string, string[]>;
  errors: Record<string, string>;
}

/**
 * Renders `figures/<name>.json` specs to `<name>.png` and `<name>.svg`. Without Chromium it
 * writes nothing and returns a notice saying so.
 */
export async function exportFigures(outDir: string, names: string[], opts: { chromium?: string | null } = {}): Promise<ExportResult> {
  const chromium = opts.chromium === undefined ? findChromium() : opts.chromium;
  const res: ExportResult = { available: !!chromium, notice: null, files: {}, errors: {} };
  if (!names.length) return res;
  if (!chromium) {
    res.notice =
      'Chromium not found (/usr/bin/chromium; set SER_CHROMIUM or apt-get install chromium): figures were written as HTML only, no PNG/SVG';
    return res;
  }
  let browser: any;
  try {
    const { chromium: pw } = require('playwright-core');
    browser = await pw.launch({ executablePath: chromium, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><body><div id="g"></div></body></html>');
    await page.addScriptTag({ path: require.resolve('plotly.js-dist/plotly.js') });
    for (const name of names) {
      try {
        const spec = JSON.parse(fs.readFileSync(path.join(outDir, 'figures', `${name}.json`), 'utf8'));
        const width = spec.layout?.width ?? 900;
        const height = spec.layout?.height ?? 500;
        const urls: { png: string; svg: string } = await page.evaluate(
          async ({ spec, width, height }: any) => {
            const w = globalThis as any;
            const P = w.Plotly;
            const gd = w.document.getElementById('g');
            await P.newPlot(gd, spec.data, { ...spec.layout, width, height }, { staticPlot: true });
            const png = await P.toImage(gd, { format: 'png', width, height, scale: 2 });
            const svg = await P.toImage(gd, { format: 'svg', width, height });
            P.purge(gd);
            return { png, svg };
          },
          { spec, width, height },
        );
        const pngFile = path.join(outDir, 'figures', `${name}.png`);
        const svgFile = path.join(outDir, 'figures', `${name}.svg`);
        fs.writeFileSync(pngFile, Buffer.from(urls.png.split(',')[1], 'base64'));
        const svgData = urls.svg.slice(urls.svg.indexOf(',') + 1);
        fs.writeFileSync(svgFile, decodeURIComponent(svgData));
        res.files[name] = [`figures/${name}.png`, `figures/${name}.svg`];
      } catch (e) {
        res.errors[name] = (e as Error).message.split('\n')[0];
      }
    }
  } catch (e) {
    res.available = false;
    res.notice = `Chromium at ${chromium} could not be started (${(e as Error).message.split('\n')[0]}): no PNG/SVG`;
  } finally {
    if (browser) await browser.close().catch(() => undefined);
  }
  return res;
}
