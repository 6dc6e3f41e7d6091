/**
 * The artifact log: every table and figure written through the report helpers is appended to
 * `<outDir>/artifacts.jsonl`, so the headless runner lists them in summary.json without parsing
 * notebook outputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDir } from '../core/fs';
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
