// Feature matrix files (issue #17): store -> Arrow / Feather / Parquet / CSV -> table gives the
// same float32 matrix bit for bit and the same columns; pandas (Debian python3-pandas) sees the
// same values; tables made elsewhere import; bad files fail with one line naming file and column.
import assert from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Vector } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { tmp } from './helpers';
import {
  featuresStore as store,
  featuresMatrixFile as mf,
  featuresMatrixColumns as mc,
  featuresMatrixCsv,
  featuresMatrixArrow,
  evalDataset,
  featuresPaper173,
} from 'kernel-lib/internal';
const { formatFloat32 } = featuresMatrixCsv;
const { arrowLib } = featuresMatrixArrow;
const { loadDataset } = evalDataset;
const { PAPER173_LAYOUT } = featuresPaper173;

const ROOT = path.resolve(__dirname, '..', '..');
const SER = path.join(ROOT, 'scripts', 'ser.js');
const PANDAS_READ = path.join(__dirname, 'pandas_read.py');
const EMOTIONS = ['angry', 'calm', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprised'];
const KINDS: store.AugKind[] = ['orig', 'noise', 'stretch', 'pitch'];

/** Deterministic 32-bit generator. */
function rng(seed: number): () => number {
  let h = seed >>> 0;
  return () => {
    h = (h + 0x6d2b79f5) >>> 0;
    let t = h;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Finite float32 values from random bit patterns (every exponent, subnormals, -0) mixed with feature-like ones. */
function awkwardFloats(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const bits = new Uint32Array(n);
  const f = new Float32Array(bits.buffer);
  for (let i = 0; i < n; i++) {
    if (i % 2) {
      do bits[i] = r();
      while (!Number.isFinite(f[i]));
    } else f[i] = (r() / 4294967296 - 0.5) * 10 ** ((r() % 12) - 6);
  }
  f[0] = -0;
  f[1] = 1.401298464324817e-45; // smallest subnormal
  f[2] = 3.4028234663852886e38; // largest float32
  f[3] = 0.1;
  return f;
}

/**
 * A store with the paper's 173 columns: `clips` clips x 4 kinds, 8 emotions, awkward text (comma,
 * quote, line break, non-ASCII), one unlabelled clip; written to `file`.
 */
function makeStore(
  file: string,
  {
    clips = 12,
    features = PAPER173_LAYOUT,
    seed = 1,
    signal = 0,
  }: { clips?: number; features?: readonly string[]; seed?: number; signal?: number } = {},
): store.FeatureTable {
  const rows: { src: string; kind: store.AugKind; emotion: string; speaker: string; corpus: string }[] = [];
  for (let c = 0; c < clips; c++) {
    for (const kind of KINDS) {
      const src = c === 1 ? 'TEST:a,"quoted"\nline' : `TEST:${String(c).padStart(3, '0')}`;
      const emotion = c === clips - 1 && !signal ? '' : EMOTIONS[c % 8];
      rows.push({ src, kind, emotion, speaker: `TEST:spk-${c % 6}${c === 2 ? ' é' : ''}`, corpus: c % 2 ? 'TEST' : 'OTHER' });
    }
  }
  rows.sort((a, b) => store.compareRows({ sourceClipId: a.src, kind: a.kind }, { sourceClipId: b.src, kind: b.kind }));
  const F = features.length;
  const X = awkwardFloats(rows.length * F, seed);
  if (signal) {
    // a learnable matrix for the SVM: class-dependent means plus noise
    const r = rng(seed + 7);
    rows.forEach((row, i) => {
      for (let j = 0; j < F; j++)
        X[i * F + j] = Math.fround(EMOTIONS.indexOf(row.emotion) * ((j % 5) - 2) * signal + (r() / 4294967296 - 0.5) * 4);
    });
  }
  const columns = {
    clipId: rows.map((r) => store.rowClipId(r.src, r.kind)),
    sourceClipId: rows.map((r) => r.src),
    kind: rows.map((r) => r.kind),
    emotion: rows.map((r) => r.emotion),
    label: rows.map((r) => store.labelOf(r.emotion)),
    speaker: rows.map((r) => r.speaker),
    corpus: rows.map((r) => r.corpus),
    sha256: rows.map((r, i) =>
      crypto
        .createHash('sha256')
        .update(`${r.src}${i >> 2}`)
        .digest('hex'),
    ),
    key: rows.map((_r, i) => `key${i}`),
  };
  const header = {
    nRows: rows.length,
    nFeatures: F,
    layout: [...features],
    emotions: EMOTIONS,
    params: { extractor: 'test', augment: true, seed, nested: { sr: 22050 } },
    columns,
    skipped: [{ clipId: 'TEST:bad', file: 'bad.wav', reason: 'not a RIFF/WAVE file' }],
  };
  store.writeFeatureStore(file, header, X);
  return store.readFeatureStore(file);
}

const f32bytes = (X: Float32Array): Buffer => Buffer.from(X.buffer, X.byteOffset, X.byteLength);
const sha = (X: Float32Array): string => crypto.createHash('sha256').update(f32bytes(X)).digest('hex');
const STRING_COLUMNS = ['clipId', 'sourceClipId', 'kind', 'emotion', 'speaker', 'corpus', 'sha256'] as const;

function assertSameTable(got: store.FeatureTable, want: store.FeatureTable, what: string): void {
  assert.strictEqual(got.nRows, want.nRows, `${what}: rows`);
  assert.strictEqual(got.nFeatures, want.nFeatures, `${what}: features`);
  assert.ok(f32bytes(got.X).equals(f32bytes(want.X)), `${what}: matrix differs`);
  for (const c of [...STRING_COLUMNS, 'label', 'layout', 'emotions', 'params', 'skipped'] as const)
    assert.deepStrictEqual(got[c], want[c], `${what}: ${c}`);
}

function ser(args: string[]) {
  return spawnSync(process.execPath, [SER, ...args], { encoding: 'utf8' });
}

describe('feature matrix files: export and import (Arrow, Parquet, CSV)', function () {
  this.timeout(180000);
  let dir: string;
  let storeFile: string;
  let table: ReturnType<typeof makeStore>;
  before(() => {
    dir = tmp('matrix');
    storeFile = path.join(dir, 'feats.ser');
    table = makeStore(storeFile);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('formatFloat32: the shortest decimal that reads back as the same float32', () => {
    assert.deepStrictEqual(
      [0.1, 1 / 3, 16777216, -0, 0, 1.5, 1e-45, 3.4028234663852886e38].map((x) => formatFloat32(Math.fround(x))),
      ['0.1', '0.33333334', '16777216', '-0', '0', '1.5', '1e-45', '3.4028235e+38'],
    );
    const xs = awkwardFloats(200000, 5);
    for (const x of xs) {
      const s = formatFloat32(x);
      assert.ok(Object.is(Math.fround(Number(s)), x), `${x} -> ${s}`);
      const digits = s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
      if (digits > 1) assert.notStrictEqual(Math.fround(Number(x.toPrecision(digits - 1))), x, `${s} is not the shortest for ${x}`);
    }
  });

  for (const ext of ['.arrow', '.feather', '.parquet', '.csv']) {
    it(`store -> ${ext} -> table: same float32 matrix bit for bit, same columns, parameters and skipped clips`, () => {
      const out = path.join(dir, `rt${ext}`);
      const w = mf.writeFeatureMatrix(table, out);
      assert.deepStrictEqual(w.files, ext === '.csv' ? [out, `${out}.json`] : [out]);
      const back = mf.readFeatureMatrix(out);
      assertSameTable(back, table, ext);
      assert.deepStrictEqual(back.key, new Array(table.nRows).fill(''), 'the cache key is not exported');
      // and back into a store: the same matrix and columns again
      const again = path.join(dir, `rt${ext}.ser`);
      const columns = Object.fromEntries(
        ([...STRING_COLUMNS, 'label', 'key'] as const).map((c) => [c, back[c]]),
      ) as unknown as store.FeatureStoreColumns;
      store.writeFeatureStore(again, { ...back, columns }, back.X);
      assertSameTable(store.readFeatureStore(again), table, `${ext} -> store`);
      // the same store gives the same bytes (the store is deterministic, so are its exports)
      const twice = path.join(dir, `twice${ext}`);
      mf.writeFeatureMatrix(table, twice);
      assert.ok(fs.readFileSync(twice).equals(fs.readFileSync(out)), `${ext}: export is not deterministic`);
    });
  }

  it('column names and types: ids as text, label int32, the 173 features float32 named by the layout; metadata under "ser"', () => {
    const A = arrowLib();
    const t = A.tableFromIPC(fs.readFileSync(path.join(dir, 'rt.arrow')));
    assert.deepStrictEqual(
      t.schema.fields.map((f) => f.name),
      [...mc.MATRIX_ID_COLUMNS, ...PAPER173_LAYOUT],
    );
    assert.strictEqual(t.schema.fields[0].name, 'clip_id');
    assert.strictEqual(String(t.schema.fields[4].type), 'Int32');
    assert.strictEqual(String(t.schema.fields[8].type), 'Float32');
    assert.strictEqual(t.schema.fields[8].name, 'mfcc_1');
    assert.strictEqual(t.schema.fields.at(-1)!.name, 'tonnetz_6');
    const meta = JSON.parse(t.schema.metadata.get('ser')!);
    assert.deepStrictEqual(meta.params, table.params);
    assert.deepStrictEqual(meta.skipped, table.skipped);
    const csvHead = fs.readFileSync(path.join(dir, 'rt.csv'), 'utf8').split('\n')[0];
    assert.strictEqual(csvHead, [...mc.MATRIX_ID_COLUMNS, ...PAPER173_LAYOUT].join(','));
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'rt.csv.json'), 'utf8')).params, table.params);
  });

  it('Parquet: a second, independent reader (hyparquet) sees the same float32 values, types and metadata', async () => {
    const hp = await import('hyparquet');
    const buf = fs.readFileSync(path.join(dir, 'rt.parquet'));
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const md = hp.parquetMetadata(ab);
    const kv = Object.fromEntries((md.key_value_metadata ?? []).map((e) => [e.key, e.value]));
    assert.deepStrictEqual(JSON.parse(kv.ser!).params, table.params);
    const floatCols = md.schema.filter((s) => s.type === 'FLOAT').map((s) => s.name);
    assert.deepStrictEqual(floatCols, [...PAPER173_LAYOUT]);
    const rows = await hp.parquetReadObjects({ file: ab });
    assert.strictEqual(rows.length, table.nRows);
    const X = new Float32Array(table.nRows * table.nFeatures);
    rows.forEach((r, i) => PAPER173_LAYOUT.forEach((name, j) => (X[i * table.nFeatures + j] = r[name])));
    assert.strictEqual(sha(X), sha(table.X));
    assert.deepStrictEqual(
      rows.map((r) => r.speaker),
      table.speaker,
    );
    assert.deepStrictEqual(
      rows.map((r) => r.label),
      table.label,
    );
  });

  describe('pandas (Debian python3-pandas) reads the exports', () => {
    /** what pandas_read.py check reports: the pandas version and its Arrow / Parquet engines */
    let check: { pandas: string; engines: Record<string, boolean> } | null = null;
    before(function () {
      const r = spawnSync('/usr/bin/python3', [PANDAS_READ, 'check'], { encoding: 'utf8' });
      if (r.status === 0) check = JSON.parse(r.stdout);
      else {
        console.log('      (skipped: /usr/bin/python3 with pandas and numpy not available)');
        this.skip();
      }
    });
    for (const [format, ext, engine] of [
      ['arrow', '.arrow', 'arrow'],
      ['parquet', '.parquet', 'parquet'],
      ['csv', '.csv', null],
    ] satisfies [string, string, string | null][]) {
      it(`pandas.read_${format === 'arrow' ? 'feather' : format} sees the same values (${ext})`, function () {
        // the before hook skips the block when check is null
        if (engine && !check!.engines[engine]) {
          console.log(
            `      (skipped: pandas ${check!.pandas} has no ${format === 'arrow' ? 'pyarrow' : 'pyarrow or fastparquet'} engine for read_${format === 'arrow' ? 'feather' : 'parquet'}; Debian packages neither)`,
          );
          this.skip();
        }
        const r = spawnSync('/usr/bin/python3', [PANDAS_READ, format, path.join(dir, `rt${ext}`), String(table.nFeatures)], {
          encoding: 'utf8',
          maxBuffer: 64 << 20,
        });
        assert.strictEqual(r.status, 0, r.stderr);
        const got = JSON.parse(r.stdout);
        assert.deepStrictEqual(got.columns, [...mc.MATRIX_ID_COLUMNS, ...PAPER173_LAYOUT]);
        assert.strictEqual(got.x_sha256, sha(table.X), 'features as float32 differ');
        const snake: Record<(typeof STRING_COLUMNS)[number], string> = {
          clipId: 'clip_id',
          sourceClipId: 'source_clip_id',
          kind: 'kind',
          emotion: 'emotion',
          speaker: 'speaker',
          corpus: 'corpus',
          sha256: 'sha256',
        };
        for (const c of STRING_COLUMNS) assert.deepStrictEqual(got.strings[snake[c]], table[c], c);
        assert.deepStrictEqual(got.label, table.label);
        if (format !== 'csv') assert.strictEqual(got.feature_dtype, 'float32');
      });
    }
  });

  describe('import of tables made elsewhere', () => {
    it('a pandas-style CSV: index column ignored, ints and float64 text as float32, defaults for the optional columns', () => {
      const f = path.join(dir, 'elsewhere.csv');
      fs.writeFileSync(f, ',emotion,speaker,a,b\r\n0,sad,1,0.1,3\r\n1,happy,2,1e-3,-4.5\r\n2,,2,7,8\r\n');
      const t = mf.readFeatureMatrix(f);
      assert.deepStrictEqual(t.layout, ['a', 'b']);
      assert.deepStrictEqual(Array.from(t.X), [0.1, 3, 1e-3, -4.5, 7, 8].map(Math.fround));
      assert.deepStrictEqual(t.emotion, ['sad', 'happy', '']);
      assert.deepStrictEqual(t.label, [6, 4, -1]);
      assert.deepStrictEqual(t.speaker, ['1', '2', '2']);
      assert.deepStrictEqual(t.kind, ['orig', 'orig', 'orig']);
      assert.deepStrictEqual(t.sourceClipId, ['row1', 'row2', 'row3']);
      assert.deepStrictEqual(t.clipId, t.sourceClipId);
      const d = loadDataset(f);
      assert.strictEqual(d.X.rows, 2, 'the unlabelled row is dropped');
      assert.strictEqual(d.droppedUnlabelled, 1);
    });

    it('Arrow and Parquet with float64, int64, dictionary-encoded text, a numeric speaker with a null, augmented rows', () => {
      const A = arrowLib();
      const emo = A.vectorFromArray(['angry', 'calm', 'angry', 'calm'], new A.Dictionary(new A.Utf8(), new A.Int32()));
      const t = new A.Table({
        __index_level_0__: A.makeVector(BigInt64Array.from([0n, 1n, 2n, 3n])),
        emotion: emo,
        source_clip_id: A.vectorFromArray(['c1', 'c1', 'c2', 'c2'], new A.Utf8()),
        kind: A.vectorFromArray(['orig', 'noise', 'orig', 'pitch'], new A.Utf8()),
        speaker: A.vectorFromArray([7, null, 8, 8], new A.Int32()),
        f64: A.makeVector(Float64Array.from([0.1, 0.2, 1 / 3, 1e300 / 1e300])),
        i64: A.makeVector(BigInt64Array.from([1n, -2n, 3n, 4n])),
      });
      const arrowFile = path.join(dir, 'elsewhere.arrow');
      fs.writeFileSync(arrowFile, A.tableToIPC(t, 'stream'));
      const P = parquet;
      const pqFile = path.join(dir, 'elsewhere.parquet');
      fs.writeFileSync(
        pqFile,
        P.writeParquet(
          P.Table.fromIPCStream(A.tableToIPC(t, 'stream')),
          new P.WriterPropertiesBuilder().setCompression(P.Compression.ZSTD).build(),
        ),
      );
      for (const f of [arrowFile, pqFile]) {
        const r = mf.readFeatureMatrix(f);
        assert.deepStrictEqual(r.layout, ['f64', 'i64'], f);
        assert.deepStrictEqual(Array.from(r.X), [0.1, 1, 0.2, -2, 1 / 3, 3, 1, 4].map(Math.fround), f);
        assert.deepStrictEqual(r.label, [0, 1, 0, 1], f);
        assert.deepStrictEqual(r.speaker, ['7', '', '8', '8'], f);
        assert.deepStrictEqual(r.clipId, ['c1', 'c1#noise', 'c2', 'c2#pitch'], f);
        assert.deepStrictEqual(r.emotions, EMOTIONS, f);
      }
    });
  });

  describe('bad input: one line naming the file (and the column)', () => {
    const A = () => arrowLib();
    /** Writes `name` with `make(file)` and expects readFeatureMatrix to throw a one-line message matching `re` that names the file. */
    function expectError(name: string, make: (file: string) => void, re: RegExp): void {
      const f = path.join(dir, name);
      make(f);
      let msg: string | null = null;
      try {
        mf.readFeatureMatrix(f);
      } catch (e) {
        msg = (e as Error).message;
      }
      assert.ok(msg !== null, `${name}: no error`);
      assert.ok(!msg.includes('\n'), `${name}: more than one line: ${msg}`);
      assert.ok(msg.startsWith(`${f}: `), `${name}: does not name the file: ${msg}`);
      assert.match(msg, re, name);
    }
    const arrowOf = (cols: Record<string, Vector>) => A().tableToIPC(new (A().Table)(cols), 'file');
    const parquetOf = (cols: Record<string, Vector>) => {
      const P = parquet;
      return P.writeParquet(P.Table.fromIPCStream(A().tableToIPC(new (A().Table)(cols), 'stream')));
    };
    const noEmotion = () => ({ speaker: A().vectorFromArray(['s'], new (A().Utf8)()), x: A().makeVector(Float32Array.from([1])) });
    const textFeature = () => ({
      emotion: A().vectorFromArray(['sad'], new (A().Utf8)()),
      x: A().vectorFromArray(['1.5'], new (A().Utf8)()),
    });

    it('missing emotion column (CSV, Arrow, Parquet)', () => {
      expectError('noemo.csv', (f) => fs.writeFileSync(f, 'speaker,x\ns,1\n'), /no 'emotion' column \(columns: speaker, x\)/);
      expectError('noemo.arrow', (f) => fs.writeFileSync(f, arrowOf(noEmotion())), /no 'emotion' column/);
      expectError('noemo.parquet', (f) => fs.writeFileSync(f, parquetOf(noEmotion())), /no 'emotion' column/);
    });

    it('non-numeric or missing feature values, ill-typed columns, unknown emotion or kind', () => {
      expectError(
        'text.csv',
        (f) => fs.writeFileSync(f, 'emotion,x,y\nsad,1,2\nsad,abc,2\n'),
        /column 'x', row 2: 'abc' is not a finite number/,
      );
      expectError('hex.csv', (f) => fs.writeFileSync(f, 'emotion,x\nsad,0x10\n'), /column 'x', row 1: '0x10' is not a finite number/);
      expectError('hole.csv', (f) => fs.writeFileSync(f, 'emotion,x,y\nsad,1,\n'), /column 'y', row 1: missing value/);
      expectError('nan.csv', (f) => fs.writeFileSync(f, 'emotion,x\nsad,nan\n'), /column 'x', row 1: 'nan' is not a finite number/);
      expectError(
        'text.arrow',
        (f) => fs.writeFileSync(f, arrowOf(textFeature())),
        /column 'x' is string, expected a numeric feature column/,
      );
      expectError(
        'text.parquet',
        (f) => fs.writeFileSync(f, parquetOf(textFeature())),
        /column 'x' is string, expected a numeric feature column/,
      );
      expectError(
        'bool.arrow',
        (f) =>
          fs.writeFileSync(
            f,
            arrowOf({ emotion: A().vectorFromArray(['sad'], new (A().Utf8)()), ok: A().vectorFromArray([true], new (A().Bool)()) }),
          ),
        /column 'ok' is Bool, expected a numeric feature column/,
      );
      expectError(
        'null.arrow',
        (f) =>
          fs.writeFileSync(
            f,
            arrowOf({
              emotion: A().vectorFromArray(['sad', 'sad'], new (A().Utf8)()),
              x: A().vectorFromArray([1, null], new (A().Float64)()),
            }),
          ),
        /column 'x', row 2: missing value/,
      );
      expectError(
        'inf.arrow',
        (f) =>
          fs.writeFileSync(
            f,
            arrowOf({ emotion: A().vectorFromArray(['sad'], new (A().Utf8)()), x: A().makeVector(Float64Array.from([Infinity])) }),
          ),
        /column 'x', row 1: Infinity is not a finite number/,
      );
      expectError(
        'numemo.arrow',
        (f) => fs.writeFileSync(f, arrowOf({ emotion: A().makeVector(Int32Array.from([3])), x: A().makeVector(Float64Array.from([1])) })),
        /column 'emotion' is Int32, expected text/,
      );
      expectError(
        'bademo.csv',
        (f) => fs.writeFileSync(f, 'emotion,x\nsad,1\nAnger,2\n'),
        /column 'emotion', row 2: 'Anger' is not one of angry, calm/,
      );
      expectError(
        'badkind.csv',
        (f) => fs.writeFileSync(f, 'emotion,kind,x\nsad,reverb,1\n'),
        /column 'kind', row 1: 'reverb' is not one of orig, noise, stretch, pitch/,
      );
      expectError('nofeat.csv', (f) => fs.writeFileSync(f, 'emotion,speaker\nsad,s\n'), /no feature columns/);
      expectError('twice.csv', (f) => fs.writeFileSync(f, 'emotion,x,x\nsad,1,2\n'), /column 'x' appears twice/);
    });

    it('empty files, header only, ragged and unterminated CSV', () => {
      for (const ext of ['.csv', '.arrow', '.feather', '.parquet'])
        expectError(`empty${ext}`, (f) => fs.writeFileSync(f, ''), /^.*: empty file$/);
      expectError('header.csv', (f) => fs.writeFileSync(f, 'emotion,x\n'), /: no rows$/);
      expectError('ragged.csv', (f) => fs.writeFileSync(f, 'emotion,x\nsad,1,2\n'), /data row 1 has 3 fields, the header has 2/);
      expectError('quote.csv', (f) => fs.writeFileSync(f, 'emotion,x\n"sad,1\n'), /line 2: quoted field never closed/);
    });

    it('garbage bytes (random, a store under a table extension, a table under another extension)', () => {
      const junk = crypto.createHash('sha512').update('junk').digest();
      expectError('junk.arrow', (f) => fs.writeFileSync(f, junk), /not an Arrow IPC file/);
      expectError('junk.parquet', (f) => fs.writeFileSync(f, junk), /not a readable Parquet file/);
      expectError('store.parquet', (f) => fs.copyFileSync(storeFile, f), /not a readable Parquet file/);
      expectError('store.arrow', (f) => fs.copyFileSync(storeFile, f), /not an Arrow IPC file/);
      expectError('parquet.ser', (f) => fs.copyFileSync(path.join(dir, 'rt.parquet'), f), /not a feature store/);
      expectError(
        'binary.csv',
        (f) => fs.writeFileSync(f, Buffer.concat([Buffer.from('emotion,x\n'), junk])),
        /: (line \d+|data row \d+|column)/,
      );
      // a truncated Parquet file and a truncated Arrow file
      expectError(
        'cut.parquet',
        (f) => fs.writeFileSync(f, fs.readFileSync(path.join(dir, 'rt.parquet')).subarray(0, 5000)),
        /not a readable Parquet file/,
      );
      expectError(
        'cut.arrow',
        (f) => fs.writeFileSync(f, fs.readFileSync(path.join(dir, 'rt.arrow')).subarray(0, 5000)),
        /not an Arrow IPC file/,
      );
    });

    it('random byte flips in an exported CSV either read or fail with one line naming the file', () => {
      const good = fs.readFileSync(path.join(dir, 'rt.csv'));
      const r = rng(99);
      for (let trial = 0; trial < 40; trial++) {
        const bad = Buffer.from(good.subarray(0, 20000));
        for (let k = 0; k < 3; k++) bad[r() % bad.length] = r() & 0xff;
        const f = path.join(dir, `flip${trial}.csv`);
        fs.writeFileSync(f, bad);
        try {
          mf.readFeatureMatrix(f);
        } catch (e) {
          const { message } = e as Error;
          assert.ok(message.startsWith(`${f}: `) && !message.includes('\n'), message);
        }
      }
    });
  });

  describe('the ser command', () => {
    it('features export: --to picks the format; an unknown extension or a bad store is exit 2 with one line', () => {
      const out = path.join(dir, 'cli.parquet');
      const r = ser(['features', 'export', storeFile, '--to', out, '--json']);
      assert.strictEqual(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.deepStrictEqual([j.ok, j.format, j.rows, j.features, j.files], [true, 'parquet', table.nRows, 173, [out]]);
      assertSameTable(mf.readFeatureMatrix(out), table, 'cli parquet');
      const bad = ser(['features', 'export', storeFile, '--to', path.join(dir, 'x.xlsx')]);
      assert.strictEqual(bad.status, 2);
      assert.match(
        bad.stderr.trim(),
        /^ser features export: .*x\.xlsx: unknown export format \(use \.arrow, \.feather, \.ipc, \.parquet, \.csv\)$/,
      );
      const junk = path.join(dir, 'junk.ser');
      fs.writeFileSync(junk, 'not a store');
      const bad2 = ser(['features', 'export', junk, '--to', path.join(dir, 'y.csv')]);
      assert.strictEqual(bad2.status, 2);
      assert.strictEqual(bad2.stderr.trim(), `ser features export: ${junk}: not a feature store (no SERFEAT1 magic)`);
    });

    it('svm --features: the store and its Parquet / CSV exports give the same folds and accuracy; a bad matrix is exit 2 naming the column', () => {
      const f = path.join(dir, 'learn.ser');
      const t = makeStore(f, { clips: 48, features: PAPER173_LAYOUT.slice(0, 12), seed: 3, signal: 0.4 });
      assert.strictEqual(t.nRows, 192);
      /** the part of `ser svm --json` compared here */
      interface SvmJson {
        rows: number;
        clips: number;
        speakers: number;
        augmented: number;
        results: { protocol: string; accuracy: number; confusion: number[][] }[];
      }
      const run = (file: string): SvmJson => {
        const r = ser(['svm', '--features', file, '--C', '30', '--protocol', 'all', '--workers', '0', '--quiet', '--json']);
        assert.strictEqual(r.status, 0, r.stderr);
        return JSON.parse(r.stdout);
      };
      const ref = run(f);
      assert.deepStrictEqual(
        ref.results.map((x) => x.protocol),
        ['paper', 'clip', 'speaker'],
      );
      for (const ext of ['.parquet', '.csv']) {
        const out = path.join(dir, `learn${ext}`);
        assert.strictEqual(ser(['features', 'export', f, '--to', out]).status, 0);
        const got = run(out);
        for (let p = 0; p < 3; p++) {
          assert.deepStrictEqual(got.results[p].accuracy, ref.results[p].accuracy, `${ext} ${ref.results[p].protocol}`);
          assert.deepStrictEqual(got.results[p].confusion, ref.results[p].confusion);
        }
        assert.deepStrictEqual([got.rows, got.clips, got.speakers, got.augmented], [ref.rows, ref.clips, ref.speakers, ref.augmented]);
      }
      const noEmo = path.join(dir, 'noemo-cli.csv');
      fs.writeFileSync(noEmo, 'speaker,x\ns,1\n');
      const bad = ser(['svm', '--features', noEmo]);
      assert.strictEqual(bad.status, 2);
      assert.strictEqual(bad.stderr.trim(), `ser svm: ${noEmo}: no 'emotion' column (columns: speaker, x)`);
    });
  });
});
