// Builds WAV bytes field by field, including invalid ones, for the WAV reader tests.

interface WavSpec {
  /** bits per sample (declared) */
  bits: number;
  /** container bits (default: bits rounded up to bytes) */
  container?: number;
  float?: boolean;
  /** format tag override */
  format?: number;
  /** WAVE_FORMAT_EXTENSIBLE fmt chunk */
  extensible?: boolean;
  channels?: number;
  rate?: number;
  /** interleaved integer (or float) sample values */
  samples: number[];
  /** extra chunks between fmt and data */
  chunksBefore?: Buffer[];
}

function wavBytes(o: WavSpec): Buffer {
  const channels = o.channels ?? 1;
  const rate = o.rate ?? 16000;
  const cbits = o.container ?? Math.ceil(o.bits / 8) * 8;
  const cb = Math.max(1, cbits / 8);
  const block = channels * cb;
  const data = Buffer.alloc(o.samples.length * cb);
  o.samples.forEach((v, i) => {
    const p = i * cb;
    if (o.float) {
      if (o.bits === 64) data.writeDoubleLE(v, p);
      else data.writeFloatLE(v, p);
    } else if (cb === 1) data.writeUInt8(v & 0xff, p);
    else if (cb === 2) data.writeInt16LE(cbits === 16 && o.bits < 16 ? v << (16 - o.bits) : v, p);
    else if (cb === 3) data.writeIntLE(v, p, 3);
    else data.writeInt32LE(v, p);
  });
  const tag = o.format ?? (o.float ? 3 : 1);
  let fmt: Buffer;
  if (o.extensible) {
    fmt = Buffer.alloc(40);
    fmt.writeUInt16LE(0xfffe, 0);
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(o.bits, 18);
    fmt.writeUInt32LE(channels === 2 ? 3 : 4, 20);
    Buffer.from('0000' + '000000001000800000aa00389b71', 'hex').copy(fmt, 24);
    fmt.writeUInt16LE(tag, 24);
  } else fmt = Buffer.alloc(16);
  if (!o.extensible) fmt.writeUInt16LE(tag, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE(rate * block, 8);
  fmt.writeUInt16LE(block, 12);
  fmt.writeUInt16LE(o.bits, 14);
  const chunk = (id: string, body: Buffer) => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32LE(body.length, 4);
    return Buffer.concat([h, body, body.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const body = Buffer.concat([Buffer.from('WAVE'), chunk('fmt ', fmt), ...(o.chunksBefore ?? []), chunk('data', data)]);
  const h = Buffer.alloc(8);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body]);
}

export { wavBytes, type WavSpec };
