// Mel-spectrogram images (paper IV.A, Fig. 2): the dB array against librosa, the colouring and
// resizing against matplotlib + Pillow goldens (test/fixtures/image/make-golden.py).
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadNpy } from '../cqt/npy';
import { featuresImage as img } from 'kernel-lib/internal';

const FIX = path.join(__dirname, '..', 'fixtures', 'image');
const golden = (name: string) => img.decodePng(fs.readFileSync(path.join(FIX, `golden-${name}.png`)));
const dbFixture = () => {
  const a = loadNpy(path.join(FIX, 'mel_db_refmax.npy'));
  return { rows: a.shape[0], cols: a.shape[1], data: a.data };
};

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('mel-spectrogram image (IV.A)', () => {
  it('melDb matches librosa power_to_db(melspectrogram(y), ref=np.max)', () => {
    const y = loadNpy(path.join(FIX, 'y.npy')).data;
    const ref = dbFixture();
    const db = img.melDb(y, 22050);
    assert.deepStrictEqual([db.rows, db.cols], [ref.rows, ref.cols]);
    // dB values span [-80, 0]; measured 7.6e-6 dB (float32 rounding)
    const d = maxDiff(db.data, ref.data);
    assert.ok(d < 1e-4, `max |dB diff| ${d}`);
  });

  it('colours like specshow (magma, min..max, origin lower) byte for byte', () => {
    const c = img.colorize(dbFixture());
    const g = golden('colorized');
    assert.deepStrictEqual([c.width, c.height], [g.width, g.height]);
    assert.strictEqual(maxDiff(c.data, g.data), 0);
  });

  for (const [name, size, method] of [
    ['nearest-128', 128, 'nearest'],
    ['box-32', 32, 'box'],
    ['box-64', 64, 'box'],
    ['bilinear-64', 64, 'bilinear'],
  ] as const) {
    it(`resizes like Pillow ${method} to ${size}x${size} (golden ${name})`, () => {
      const out = img.melImageFromDb(dbFixture(), { size, resize: method });
      const g = golden(name);
      assert.deepStrictEqual([out.width, out.height], [size, size]);
      assert.strictEqual(maxDiff(out.data, g.data), 0);
    });
  }

  it('melImage from audio gives the golden 128x128 image', () => {
    const y = loadNpy(path.join(FIX, 'y.npy')).data;
    const out = img.melImage(y, 22050);
    const g = golden('nearest-128');
    let differ = 0;
    for (let i = 0; i < out.data.length; i += 3)
      if (out.data[i] !== g.data[i] || out.data[i + 1] !== g.data[i + 1] || out.data[i + 2] !== g.data[i + 2]) differ++;
    // identical here; a dB value within rounding of a colour-table boundary (80/256 dB apart)
    // could land one entry over, so allow a handful
    assert.ok(differ <= 16, `${differ} pixels differ`);
  });

  it('PNG round trip and tensor scaling (/255)', async () => {
    const out = img.melImageFromDb(dbFixture(), { size: 32, resize: 'box' });
    const back = img.decodePng(img.encodePng(out));
    assert.deepStrictEqual(back, out);
    const f = img.imageFloats(out);
    assert.strictEqual(f.length, 32 * 32 * 3);
    assert.ok(Math.abs(f[5] - out.data[5] / 255) < 1e-7);
    const t = img.imageTensor(out);
    assert.deepStrictEqual(t.shape, [32, 32, 3]);
    const v = t.dataSync();
    assert.ok(Math.max(...v) <= 1 && Math.min(...v) >= 0);
    t.dispose();
  });
});
