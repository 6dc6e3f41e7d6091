/**
 * The `ser live` HTTP server: bound to 127.0.0.1 only, it serves the page (kernel-lib/dist/web,
 * bundled by `npm run build`), the assets the page's kernel-lib needs (LIVE_ASSETS) and the
 * two files of one saved SVM model, and nothing else. Every response forbids the page to
 * connect anywhere but this server (Content-Security-Policy) and makes it cross-origin isolated
 * (shared memory, precise timers).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { LIVE_ASSETS } from './classifier';
import { assetPath } from '../platform/assets';
import { featureCodeVersion, kernelLibVersion, MODEL_META_FILE, type SavedModelMeta } from '../models/saved';

/** Where the bundled page is (dist/web, next to dist/live). */
export const WEB_DIR = path.join(__dirname, '..', 'web');

/** The files of the page, as written by scripts/tools/build-web.js. */
export const WEB_FILES: Readonly<Record<string, string>> = Object.freeze({
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app/live.css': 'live.css',
  '/app/page.js': 'page.js',
  '/app/engine.js': 'engine.js',
  '/app/capture-worklet.js': 'capture-worklet.js',
  '/vendor/plotly.min.js': 'plotly.min.js',
});

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.f64': 'application/octet-stream',
};

const HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data: blob:; worker-src 'self'; connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'",
};

export interface LiveServerOptions {
  /** saved SVM model directory (already checked with readModelMeta) */
  modelDir: string;
  meta: SavedModelMeta;
  /** 0 = any free port */
  port: number;
}

export interface LiveServer {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

/** What the page reads first (GET /api/info). */
export function liveInfo(o: Pick<LiveServerOptions, 'modelDir' | 'meta'>): Record<string, unknown> {
  const t = o.meta.training as { description?: string; rows?: number; synthetic?: boolean; svc?: { C?: number; kernel?: string } };
  return {
    kernelLib: kernelLibVersion(),
    featureCode: featureCodeVersion(),
    assets: LIVE_ASSETS,
    model: {
      dir: path.resolve(o.modelDir),
      files: { meta: `/model/${MODEL_META_FILE}`, pipeline: '/model/pipeline.json' },
      classes: o.meta.classes,
      input: o.meta.input,
      createdAt: o.meta.createdAt,
      description: t.description ?? '',
      rows: t.rows ?? null,
      svc: t.svc ? { kernel: t.svc.kernel, C: t.svc.C } : null,
      synthetic: t.synthetic === true,
    },
  };
}

/** Checks that the page was built (npm run build); throws naming what is missing. */
export function checkWebBundle(): void {
  for (const f of new Set(Object.values(WEB_FILES))) {
    const file = path.join(WEB_DIR, f);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the page with 'npm run build'`);
  }
}

function routes(o: LiveServerOptions): Map<string, string> {
  const m = new Map<string, string>();
  for (const [url, f] of Object.entries(WEB_FILES)) m.set(url, path.join(WEB_DIR, f));
  for (const a of LIVE_ASSETS) m.set(`/kernel-lib/${a}`, assetPath(a));
  m.set(`/model/${MODEL_META_FILE}`, path.join(o.modelDir, MODEL_META_FILE));
  m.set('/model/pipeline.json', path.join(o.modelDir, 'pipeline.json'));
  return m;
}

/** Starts the server on 127.0.0.1; resolves once it listens. */
export function startLiveServer(o: LiveServerOptions): Promise<LiveServer> {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`port must be an integer in 0..65535, got ${o.port}`);
  checkWebBundle();
  const files = routes(o);
  const info = JSON.stringify(liveInfo(o));
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string | Uint8Array): void => {
      res.writeHead(status, {
        ...HEADERS,
        'Content-Type': type,
        'Content-Length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.length),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/api/info') return send(200, TYPES['.json'], info);
    const file = files.get(url);
    if (!file) return send(404, 'text/plain; charset=utf-8', `not found: ${url}\n`);
    fs.readFile(file, (err, data) => {
      if (err) return send(500, 'text/plain; charset=utf-8', `cannot read ${path.basename(file)}: ${err.code ?? err.message}\n`);
      send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', data);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `port ${o.port} on 127.0.0.1 is in use: choose another with --port`
            : `cannot listen on 127.0.0.1:${o.port} (${e.message})`,
        ),
      );
    });
    server.listen(o.port, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
