// Minimal .npy reader for the parity tests (little-endian float32/float64; C order, or Fortran
// order for 2-D arrays, returned row-major).
import * as fs from 'node:fs';

/** A parsed .npy array, row-major. */
interface NpyArray {
  shape: number[];
  data: Float32Array | Float64Array;
}

function parseNpy(buf: Buffer): NpyArray {
  if (buf.readUInt32BE(0) !== 0x934e554d || buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error('not a .npy file');
  const major = buf[6];
  const hlen = major >= 2 ? buf.readUInt32LE(8) : buf.readUInt16LE(8);
  const hstart = major >= 2 ? 12 : 10;
  const header = buf.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)![1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (fortran && shape.length > 2) throw new Error('fortran-order .npy with ndim > 2 not supported');
  const off = hstart + hlen;
  const n = shape.reduce((a, b) => a * b, 1);
  const bytes = buf.subarray(off, off + n * (descr === '<f8' ? 8 : 4));
  const copy = new Uint8Array(bytes); // aligned copy
  let data: Float32Array | Float64Array;
  if (descr === '<f4') data = new Float32Array(copy.buffer, 0, n);
  else if (descr === '<f8') data = new Float64Array(copy.buffer, 0, n);
  else throw new Error(`unsupported dtype ${descr}`);
  if (fortran && shape.length === 2) {
    // column-major on disk: transpose to row-major
    const [r, c] = shape;
    const t = new (data.constructor as new (length: number) => Float32Array | Float64Array)(n);
    for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) t[i * c + j] = data[j * r + i];
    data = t;
  }
  return { shape, data };
}

function loadNpy(path: string): NpyArray {
  return parseNpy(fs.readFileSync(path));
}

export { parseNpy, loadNpy };
