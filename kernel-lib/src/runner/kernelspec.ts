/**
 * Registers the tslab kernel into a project-local Jupyter data folder (<root>/.jupyter/share/jupyter),
 * without Python: the kernelspec is a small JSON file (what `tslab install --prefix` writes).
 * Point Jupyter at it with JUPYTER_PATH=<root>/.jupyter/share/jupyter.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KERNEL_PRELOAD, tslabBin } from './kernel';

export function jupyterPath(projectRoot: string): string {
  return path.join(projectRoot, '.jupyter', 'share', 'jupyter');
}

export function installKernelspec(projectRoot: string): { dir: string; jupyterPath: string } {
  const jp = jupyterPath(projectRoot);
  const dir = path.join(jp, 'kernels', 'tslab');
  fs.mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, '--require', KERNEL_PRELOAD, tslabBin(projectRoot), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript',
    language: 'typescript',
  };
  fs.writeFileSync(path.join(dir, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
  return { dir, jupyterPath: jp };
}
