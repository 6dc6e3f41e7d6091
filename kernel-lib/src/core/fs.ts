/**
 * File-system helpers every layer uses: the project root, folders, and the atomic writer that
 * lets a killed job never leave half a file (temp file + rename).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Finds the project root: the nearest folder upwards whose package.json declares workspaces. */
export function findProjectRoot(start: string = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        const j = JSON.parse(fs.readFileSync(pj, 'utf8'));
        if (Array.isArray(j.workspaces) && j.workspaces.includes('kernel-lib')) return dir;
      } catch {
        /* not ours */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // kernel-lib lives at <root>/kernel-lib/dist/core/fs.js
  return path.resolve(__dirname, '..', '..', '..');
}

/** Creates a folder (and parents) and returns it. */
export function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a file atomically (temp file + rename), so a killed job never leaves half a file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  ensureDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
