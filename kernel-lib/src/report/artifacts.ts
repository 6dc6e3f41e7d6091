/**
 * The artifact log: every table and figure written through the report helpers is appended to
 * `<outDir>/artifacts.jsonl`, so the headless runner lists them in summary.json without parsing
 * notebook outputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDir, writeFileAtomic } from '../core/fs';
import { runContext } from '../core/context';

export interface Artifact {
  kind: 'table' | 'figure' | 'file';
  name: string;
  /** paths relative to the output folder */
  files: string[];
  notebook: string | null;
  title?: string;
}

export const ARTIFACT_LOG = 'artifacts.jsonl';

export function recordArtifact(a: Omit<Artifact, 'notebook'>, outDir = runContext().outDir): Artifact {
  const full: Artifact = { ...a, notebook: runContext().notebook };
  ensureDir(outDir);
  fs.appendFileSync(path.join(outDir, ARTIFACT_LOG), `${JSON.stringify(full)}\n`);
  return full;
}

/** How saveTable and saveFigure write and show. */
export interface SaveOptions {
  title?: string;
  /** show in the notebook (default true) */
  show?: boolean;
  outDir?: string;
}

/** Throws unless a table's or figure's name is a plain file name (letters, digits, `.`, `_`, `-`). */
export function checkArtifactName(kind: 'table' | 'figure', name: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`save${kind[0].toUpperCase()}${kind.slice(1)}: bad ${kind} name '${name}'`);
}

/**
 * Writes the files of one artifact (path relative to `outDir` -> text, each atomically, in
 * order) and records them in the log. Returns the absolute paths, in the same order.
 */
export function writeArtifact(a: Omit<Artifact, 'notebook' | 'files'>, files: Record<string, string>, outDir: string): string[] {
  const rel = Object.keys(files);
  const abs = rel.map((f) => path.join(outDir, f));
  rel.forEach((f, i) => writeFileAtomic(abs[i], files[f]));
  recordArtifact({ ...a, files: rel }, outDir);
  return abs;
}

/** Reads the artifact log (later entries for the same kind+name replace earlier ones). */
export function readArtifacts(outDir: string): Artifact[] {
  const file = path.join(outDir, ARTIFACT_LOG);
  if (!fs.existsSync(file)) return [];
  const byKey = new Map<string, Artifact>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const a = JSON.parse(line) as Artifact;
      byKey.set(`${a.kind}:${a.name}`, a);
    } catch {
      /* a torn last line from a killed kernel: ignore */
    }
  }
  return [...byKey.values()];
}
