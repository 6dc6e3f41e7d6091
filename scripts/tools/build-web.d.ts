// Types of build-web.js for the tests that reuse its esbuild options (test/live/bundle.test.ts).
import type { BuildOptions } from 'esbuild';

/** kernel-lib/dist/web: where the page's bundles go */
export declare const OUT: string;
/** the esbuild options of the page's bundles (metafile on) */
export declare function bundleOptions(): BuildOptions & { metafile: true };
