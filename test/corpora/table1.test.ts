// Table I from names alone, and `ser corpus verify` (issue #3, items 2-3): a name-only tree of
// all 12162 official files (from the manifests, Kaggle-like layout, plus download debris) must
// give exactly the paper's Table I through `ser corpus scan --json`; verify must flag a deleted,
// a truncated and an extra file.
import assert from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildNameOnlyTree, layout } from './tree';
import { corpora } from 'kernel-lib/internal';

const ROOT = path.resolve(__dirname, '..', '..');
const SER = path.join(ROOT, 'scripts', 'ser.js');

/** `ser` with `args`; `json` is the parsed stdout of a --json run, typed by the caller (J), else null. */
function ser<J = null>(args: string[]): { code: number | null; out: string; err: string; json: J } {
  const r = spawnSync(process.execPath, [SER, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr, json: (args.includes('--json') ? JSON.parse(r.stdout) : null) as J };
}

/** the part of `ser corpus scan --json` (cli/corpus.ts scanJson) read here */
interface ScanJson {
  tableI: Record<string, string | number>[];
  total: number;
  matchesPaper: boolean;
  synthetic: boolean;
  speakers: Record<string, number>;
  skipped: { path: string; corpus: string | null; kind: string; reason: string }[];
  skippedSummary: { reason: string; count: number }[];
  ignored: { dirs: string[] };
}

const PAPER = {
  Angry: [1271, 192, 60, 400, 1923],
  Calm: [0, 192, 0, 0, 192],
  Disgust: [1271, 192, 60, 400, 1923],
  Fear: [1271, 192, 60, 400, 1923],
  Happy: [1271, 192, 60, 400, 1923],
  Neutral: [1087, 96, 120, 400, 1703],
  Sad: [1271, 192, 60, 400, 1923],
  Surprised: [0, 192, 60, 400, 652],
  Total: [7442, 1440, 480, 2800, 12162],
};

/** Manifests in the official format for the files actually written (so hashes match). */
function writeManifestsFor(root: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
  const official = corpora.readManifests();
  for (const [c, file] of Object.entries(corpora.MANIFEST_FILES) as [corpora.CorpusName, string][]) {
    const withSize = official[c][0].size !== null;
    const lines = [withSize ? 'file\tsha256\tsize' : 'path\tsha256'];
    for (const e of official[c]) {
      const f = path.join(root, layout(c, e.path));
      lines.push(withSize ? `${e.path}\t${sha(f)}\t${fs.statSync(f).size}` : `${e.path}\t${sha(f)}`);
    }
    fs.writeFileSync(path.join(dir, file), `${lines.join('\n')}\n`);
  }
}

describe('corpora: Table I and verify on a name-only tree of the 12162 official files', function () {
  this.timeout(120000);
  let tmp: string;
  let root: string;
  let built: ReturnType<typeof buildNameOnlyTree>;
  let buildMs: number;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-table1-'));
    root = path.join(tmp, 'downloads');
    const t0 = Date.now();
    built = buildNameOnlyTree(root);
    buildMs = Date.now() - t0;
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the official manifests hold 7442 / 1440 / 480 / 2800 files that label into Table I', () => {
    const m = corpora.readManifests();
    assert.deepStrictEqual(Object.fromEntries(Object.entries(m).map(([c, e]) => [c, e.length])), {
      'CREMA-D': 7442,
      RAVDESS: 1440,
      SAVEE: 480,
      TESS: 2800,
    });
    assert.strictEqual(built.files, 12162);
    assert.ok(buildMs < 15000, `building the tree took ${buildMs} ms`);
  });

  it("`ser corpus scan --json` prints exactly the paper's Table I, with speakers and skipped files", () => {
    const t0 = Date.now();
    const r = ser<ScanJson>(['corpus', 'scan', root, '--json']);
    const ms = Date.now() - t0;
    assert.strictEqual(r.code, 0, r.err);
    const j = r.json;
    const table = Object.fromEntries(j.tableI.map((row) => [row.Emotion, [row['CREMA-D'], row.RAVDESS, row.SAVEE, row.TESS, row.Total]]));
    assert.deepStrictEqual(table, PAPER);
    assert.strictEqual(j.total, 12162);
    assert.strictEqual(j.matchesPaper, true);
    assert.strictEqual(j.synthetic, false);
    assert.deepStrictEqual(j.speakers, { 'CREMA-D': 91, RAVDESS: 24, SAVEE: 4, TESS: 2 });
    // every piece of debris is listed with a reason; nothing counted twice
    const skipped = new Map<string, { path: string; kind: string; reason: string }>(j.skipped.map((s) => [s.path, s]));
    // the first copy in sorted walk order counts, the other is listed as a duplicate of it
    const dups = j.skipped.filter((s) => s.kind === 'duplicate' && !s.path.endsWith('.mp3'));
    assert.strictEqual(dups.length, built.debris.duplicate.length);
    const dupNames = new Set(dups.map((s) => path.basename(s.path)));
    for (const rel of built.debris.duplicate) assert.ok(dupNames.has(path.basename(rel)), rel);
    for (const d of dups) assert.match(d.reason, /^duplicate of \S+/);
    assert.match(skipped.get('ravdess-song/Actor_01/03-02-01-01-01-01-01.wav')!.reason, /RAVDESS song \(vocal channel 02\)/);
    assert.match(skipped.get('ravdess-video/Actor_02/01-01-05-01-01-01-02.mp4')!.reason, /RAVDESS video file \(modality 01/);
    assert.match(skipped.get('ravdess-video/Actor_02/02-01-05-01-01-01-02.mp4')!.reason, /modality 02, video-only/);
    // CREMA-D's MP3 copy of a clip: the WAV is used (lossless first), the MP3 listed as its duplicate
    assert.strictEqual(skipped.get('cremad/AudioMP3/1001_DFA_ANG_XX.mp3')!.kind, 'duplicate');
    assert.match(
      skipped.get('cremad/AudioMP3/1001_DFA_ANG_XX.mp3')!.reason,
      /^duplicate of \S*AudioWAV\/1001_DFA_ANG_XX\.wav \(in a lossier format\)$/,
    );
    assert.match(skipped.get('misc/hello.wav')!.reason, /unknown file name/);
    assert.match(skipped.get('cremad/AudioWAV/1001_DFA_XYZ_XX.wav')!.reason, /CREMA-D emotion code 'XYZ' unknown/);
    assert.match(skipped.get('ravdess-emotional-speech-audio/Actor_03/03-01-09-01-01-01-03.wav')!.reason, /RAVDESS emotion field 09/);
    assert.match(skipped.get('cremad/AudioWAV/._1001_DFA_DIS_XX.wav')!.reason, /AppleDouble/);
    assert.ok(j.ignored.dirs.some((d) => d === '__MACOSX'));
    const songs = j.skippedSummary.find((g) => /song/.test(g.reason));
    assert.strictEqual(songs!.count, 2);
    // the whole scan (process start included) is quick; building the tree too
    assert.ok(ms < 15000, `scan took ${ms} ms`);
  });

  it("the text output has the paper's layout (rows = emotions, columns = corpora + Total)", () => {
    const r = ser(['corpus', 'scan', root]);
    assert.strictEqual(r.code, 0);
    const lines = r.out.split('\n');
    const head = lines.find((l) => /CREMA-D\s+RAVDESS\s+SAVEE\s+TESS\s+Total/.test(l));
    assert.ok(head, r.out);
    assert.match(r.out, /^Angry\s+1271\s+192\s+60\s+400\s+1923$/m);
    assert.match(r.out, /^Neutral\s+1087\s+96\s+120\s+400\s+1703$/m);
    assert.match(r.out, /^Total\s+7442\s+1440\s+480\s+2800\s+12162$/m);
    assert.match(r.out, /matches the paper's Table I exactly/);
  });

  it('scanning a subset (one corpus folder) counts only that corpus', () => {
    const s = corpora.scanCorpora(path.join(root, 'surrey-audiovisual-expressed-emotion-savee'));
    assert.deepStrictEqual(s.present, ['SAVEE']);
    assert.strictEqual(s.total, 480);
    assert.deepStrictEqual(corpora.compareWithPaper(s), []);
    assert.ok(
      s.clips.every((c, i) => i === 0 || s.clips[i - 1].clipId < c.clipId),
      'sorted by clipId',
    );
  });

  it('verify: all ok against manifests of these files; then flags a deleted, a truncated and an extra file', () => {
    const man = path.join(tmp, 'manifests');
    writeManifestsFor(root, man);
    // remove the debris that verify would rightly call unexpected
    for (const rel of built.debris.unknown) fs.rmSync(path.join(root, rel));
    fs.rmSync(path.join(root, built.debris.notAudio[0]));
    let r = ser<corpora.VerifyResult>(['corpus', 'verify', root, '--manifests', man, '--json']);
    assert.strictEqual(r.code, 0, r.out + r.err);
    for (const c of ['CREMA-D', 'RAVDESS', 'SAVEE', 'TESS'] as const) {
      const v = r.json.corpora[c];
      assert.strictEqual(v.ok, v.expected, c);
      assert.deepStrictEqual([v.missing.length, v.mismatch.length, v.unexpected.length], [0, 0, 0], c);
    }
    assert.strictEqual(r.json.corpora.RAVDESS.duplicates, 60);
    assert.strictEqual(r.json.corpora.TESS.duplicates, 200);
    assert.strictEqual(r.json.corpora.RAVDESS.notUsed, 4);

    const del = layout('RAVDESS', 'Actor_05/03-01-03-02-01-02-05.wav');
    const truncCremad = layout('CREMA-D', '1033_TIE_SAD_XX.wav');
    const truncRavdess = layout('RAVDESS', 'Actor_10/03-01-07-01-02-01-10.wav');
    const extra = 'cremad/AudioWAV/1001_DFA_ANG_HI.wav'; // valid name, not an official file
    const stray = 'surrey-audiovisual-expressed-emotion-savee/ALL/DC_a01 (copy).wav';
    fs.rmSync(path.join(root, del));
    // the tree's files are hard links of one another: truncate copies, not the shared inode
    const truncate = (rel: string, n: number) => {
      const b = fs.readFileSync(path.join(root, rel));
      fs.rmSync(path.join(root, rel));
      fs.writeFileSync(path.join(root, rel), b.subarray(0, n));
    };
    truncate(truncCremad, 30);
    truncate(truncRavdess, 40);
    fs.writeFileSync(path.join(root, extra), fs.readFileSync(path.join(root, layout('CREMA-D', '1001_DFA_ANG_XX.wav'))));
    fs.writeFileSync(path.join(root, stray), 'x');
    r = ser(['corpus', 'verify', root, '--manifests', man, '--json']);
    assert.strictEqual(r.code, 1);
    const v = r.json.corpora;
    assert.deepStrictEqual(v.RAVDESS.missing, ['Actor_05/03-01-03-02-01-02-05.wav']);
    assert.deepStrictEqual(v.RAVDESS.mismatch, [{ path: truncRavdess, reason: 'sha256 differs (size 40 bytes)' }]);
    assert.deepStrictEqual(v['CREMA-D'].mismatch, [{ path: truncCremad, reason: 'size 30 bytes, expected 52' }]);
    assert.deepStrictEqual(v['CREMA-D'].unexpected, [{ path: extra, reason: 'not in the manifest' }]);
    assert.deepStrictEqual(
      v.SAVEE.unexpected.map((u) => u.path),
      [stray],
    );
    assert.strictEqual(v.RAVDESS.ok, 1440 - 2);
    assert.strictEqual(v['CREMA-D'].ok, 7442 - 1);
    assert.strictEqual(v.TESS.ok, 2800);
    assert.strictEqual(r.json.ok, false);
    // the text report lists the offenders
    const t = ser(['corpus', 'verify', root, '--manifests', man]);
    assert.strictEqual(t.code, 1);
    assert.match(t.out, /RAVDESS missing \(1\):\n {2}Actor_05\/03-01-03-02-01-02-05\.wav/);
    assert.match(t.out, /CREMA-D size or sha256 mismatch \(1\):\n {2}.*1033_TIE_SAD_XX\.wav: size 30 bytes, expected 52/);
    assert.match(t.out, /PROBLEMS FOUND/);
  });

  it('verify against the official manifests: every name found, every tiny file a size or hash mismatch', async () => {
    const v = await corpora.verifyCorpora(root);
    assert.strictEqual(v.corpora.TESS.missing.length, 0);
    assert.strictEqual(v.corpora.TESS.mismatch.length, 2800);
    assert.match(v.corpora.TESS.mismatch[0].reason, /^size 52 bytes, expected \d+$/);
    assert.match(v.corpora.SAVEE.mismatch[0].reason, /^sha256 differs/);
  });

  it('scan and verify refuse a missing folder with exit status 2 and a one-line reason', () => {
    const r = ser<unknown>(['corpus', 'scan', path.join(tmp, 'nope'), '--json']);
    assert.strictEqual(r.code, 2);
    assert.match(r.err.trim(), /^ser corpus scan: .*nope: no such folder$/);
    assert.strictEqual(ser(['corpus', 'verify', path.join(tmp, 'nope')]).code, 2);
  });
});
