#!/usr/bin/env node
/**
 * Converts resampy's filter tables (`kaiser_best.npz`, `kaiser_fast.npz`: zip archives of .npy
 * files `half_window`, `precision`, `rolloff`) into the compact assets that
 * kernel-lib/src/audio/resample.ts loads:
 *   kernel-lib/assets/resampy/<name>.f64   half_window as raw little-endian float64
 *   kernel-lib/assets/resampy/filters.json { <name>: { file, length, precision, rolloff, sha256 } }
 *
 * usage: node scripts/tools/resampy-filters.js [dir-with-npz] [out-dir]
 * default input: /work/shared/fixtures/librosa/_common/resampy_0.4.2_upstream_data
 * (the upstream resampy 0.4.2 tables, identical in 0.4.3).
 */

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const crypto = require('node:crypto');

function unzip(buf) {
  // end of central directory record
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28),
      xlen = buf.readUInt16LE(p + 30),
      clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nlen);
    const lnlen = buf.readUInt16LE(local + 26),
      lxlen = buf.readUInt16LE(local + 28);
    const start = local + 30 + lnlen + lxlen;
    const raw = buf.subarray(start, start + csize);
    files[name] = method === 0 ? Buffer.from(raw) : method === 8 ? zlib.inflateRawSync(raw) : null;
    if (!files[name]) throw new Error(`${name}: unsupported zip method ${method}`);
    p += 46 + nlen + xlen + clen;
  }
  return files;
}

function parseNpy(buf) {
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error('not a .npy');
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hoff = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', hoff, hoff + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const body = buf.subarray(hoff + hlen);
  return { descr, shape, body };
}

function scalar(npy) {
  if (npy.descr === '<f8') return npy.body.readDoubleLE(0);
  if (npy.descr === '<i8') return Number(npy.body.readBigInt64LE(0));
  throw new Error(`unexpected scalar dtype ${npy.descr}`);
}

const inDir = process.argv[2] || '/work/shared/fixtures/librosa/_common/resampy_0.4.2_upstream_data';
const outDir = process.argv[3] || path.join(__dirname, '..', '..', 'kernel-lib', 'assets', 'resampy');
fs.mkdirSync(outDir, { recursive: true });
const index = {};
for (const name of ['kaiser_best', 'kaiser_fast']) {
  const files = unzip(fs.readFileSync(path.join(inDir, `${name}.npz`)));
  const hw = parseNpy(files['half_window.npy']);
  if (hw.descr !== '<f8' || hw.shape.length !== 1) throw new Error(`${name}: half_window is ${hw.descr} ${hw.shape}`);
  const bytes = hw.body.subarray(0, hw.shape[0] * 8);
  fs.writeFileSync(path.join(outDir, `${name}.f64`), bytes);
  index[name] = {
    file: `${name}.f64`,
    length: hw.shape[0],
    precision: scalar(parseNpy(files['precision.npy'])),
    rolloff: scalar(parseNpy(files['rolloff.npy'])),
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    source: `resampy 0.4.2 resampy/data/${name}.npz`,
  };
  console.log(`${name}: ${hw.shape[0]} taps, precision ${index[name].precision}, rolloff ${index[name].rolloff}`);
}
fs.writeFileSync(path.join(outDir, 'filters.json'), `${JSON.stringify(index, null, 2)}\n`);
