// The embedded demo corpus (issue #3, item 5): synthetic espeak-ng speech laid out as miniature
// copies of the four corpora. Byte-identical across runs, all 8 emotions, each corpus with its
// Table I emotion set, native sample rates, clips >= 3.0 s, labelled synthetic, generated in
// well under a minute, regenerated when an earlier generation was interrupted.
import assert from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { corpora, audioFile } from 'kernel-lib/internal';
const { readPcmFile: readWav } = audioFile;

const SER = path.resolve(__dirname, '..', '..', 'scripts', 'ser.js');

function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  (function walk(d: string) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else out[path.relative(dir, f)] = crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    }
  })(dir);
  return out;
}

describe('corpora: the synthetic demo corpus', function () {
  this.timeout(300000);
  let tmp: string;
  let dir: string;
  let first: ReturnType<typeof hashTree>;
  let firstSeconds: number;
  let cpuSeconds: number;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-demo-'));
    dir = path.join(tmp, 'demo');
    const cpu0 = process.cpuUsage();
    const s = await corpora.generateDemoCorpus(dir);
    const cpu = process.cpuUsage(cpu0);
    cpuSeconds = (cpu.user + cpu.system) / 1e6;
    firstSeconds = s.seconds;
    first = hashTree(dir);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is written in well under a minute, one espeak-ng run per speaker', () => {
    // CPU time (all threads) rather than wall time, which a busy machine stretches: about
    // 15-25 s of CPU; on an idle 2-core machine the wall time is about 10-16 s
    assert.ok(cpuSeconds < 50, `took ${cpuSeconds.toFixed(1)} s of CPU (${firstSeconds.toFixed(1)} s wall)`);
    assert.deepStrictEqual(corpora.demoStats.fallbackSpeakers, []);
    assert.strictEqual(Object.keys(first).filter((f) => f.endsWith('.wav')).length, corpora.demoClipSpecs().length);
  });

  it('scans into all 8 emotions (>= 30 clips each), with each corpus holding its Table I emotions', () => {
    const s = corpora.scanCorpora(dir);
    assert.strictEqual(s.synthetic, true);
    assert.strictEqual(s.skipped.length, 0, JSON.stringify(s.skipped.slice(0, 3)));
    assert.ok(s.total >= 300 && s.total <= 500, `${s.total} clips`);
    for (const e of corpora.EMOTIONS) {
      const n = corpora.CORPORA.reduce((t, c) => t + s.counts[c][e], 0);
      assert.ok(n >= 30, `${e}: ${n} clips`);
    }
    for (const c of corpora.CORPORA) {
      const have = corpora.EMOTIONS.filter((e) => s.counts[c][e] > 0);
      assert.deepStrictEqual(have, corpora.CORPUS_EMOTIONS[c], c);
    }
    const speakers = corpora.CORPORA.reduce((t, c) => t + s.speakers[c].length, 0);
    assert.ok(speakers >= 10, `${speakers} speakers`);
    assert.ok(s.speakers.TESS.length === 2 && s.speakers.SAVEE.length === 4);
  });

  it('uses the real naming, layouts and native rates; every clip >= 3.0 s and labelled synthetic', async () => {
    const s = corpora.scanCorpora(dir);
    const { infos, errors } = await corpora.describeClips(s.clips);
    assert.deepStrictEqual(errors, []);
    const rates = { 'CREMA-D': 16000, RAVDESS: 48000, SAVEE: 44100, TESS: 24414 };
    for (const i of infos) {
      assert.strictEqual(i.sampleRate, rates[i.corpus], i.clipId);
      assert.ok(i.durationS >= 3.0, `${i.clipId}: ${i.durationS} s`);
      assert.strictEqual(i.channels, 1);
      assert.strictEqual(i.bitDepth, 16);
    }
    const rel = (c: corpora.Clip) => path.relative(dir, c.path).split(path.sep).join('/');
    const some = Object.fromEntries(s.clips.map((c) => [c.corpus, rel(c)]));
    assert.match(some.RAVDESS, /^RAVDESS\/Actor_\d\d\/03-01-0[1-8]-0[12]-0[12]-0[12]-\d\d\.wav$/);
    assert.match(some['CREMA-D'], /^CREMA-D\/AudioWAV\/10\d\d_[A-Z]{3}_(ANG|DIS|FEA|HAP|NEU|SAD)_XX\.wav$/);
    assert.match(some.SAVEE, /^SAVEE\/ALL\/(DC|JE|JK|KL)_(a|d|f|h|n|sa|su)\d\d\.wav$/);
    assert.match(some.TESS, /^TESS\/TESS Toronto emotional speech set data\/(OAF|YAF)_[A-Za-z_]+\/(OAF|YAF)_[a-z]+_[a-z]+\.wav$/);
    assert.match(fs.readFileSync(path.join(dir, corpora.SYNTHETIC_MARKER), 'utf8'), /^SYNTHETIC DEMO CORPUS/);
    for (const c of s.clips.slice(0, 50)) assert.ok(fs.readFileSync(c.path).subarray(0, 200).includes('SYNTHETIC'), c.clipId);
    // speech, not silence: the paper's window (0.5 s + 2.5 s) holds most of the energy
    const y = readWav(s.clips[0].path, { offset: 0.5, duration: 2.5 }).y;
    const rms = Math.sqrt(y.reduce((a, v) => a + v * v, 0) / y.length);
    assert.ok(rms > 0.01, `rms ${rms}`);
  });

  it('renders emotions by prosody: sad is quieter and slower than angry for the same speaker and text', () => {
    const s = corpora.scanCorpora(dir);
    const get = (id: string) => readWav(s.clips.find((c) => c.clipId === id)!.path).y;
    const angry = get('RAVDESS:03-01-05-01-01-01-01');
    const sad = get('RAVDESS:03-01-04-01-01-01-01');
    const peak = (y: Float32Array) => y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(peak(angry) > 2 * peak(sad));
    assert.ok(sad.length >= angry.length, 'sad speech is slower');
  });

  it('regenerates an interrupted corpus (no completion marker) byte-identically', async () => {
    fs.rmSync(path.join(dir, corpora.DEMO_COMPLETE_MARKER));
    const victim = Object.keys(first).find((f) => f.startsWith('TESS'))!;
    fs.writeFileSync(path.join(dir, victim), 'half a file');
    await corpora.ensureDemoCorpus(dir);
    const second = hashTree(dir);
    assert.deepStrictEqual(second, first);
  });

  it("ensureDemoCorpus returns a complete corpus at once; corpusRoot prefers the user's data", async () => {
    const t0 = Date.now();
    assert.strictEqual(await corpora.ensureDemoCorpus(dir), dir);
    assert.ok(Date.now() - t0 < 2000);
    const proj = path.join(tmp, 'project');
    fs.mkdirSync(path.join(proj, 'data'), { recursive: true });
    fs.symlinkSync(dir, path.join(proj, 'data', 'demo'));
    assert.strictEqual(corpora.demoCorpusDir(proj), path.join(proj, 'data', 'demo'));
    const ctx: Parameters<typeof corpora.corpusRoot>[0] = {
      profile: 'demo',
      dataDir: null,
      outDir: tmp,
      projectRoot: proj,
      notebook: null,
    };
    assert.strictEqual(await corpora.corpusRoot(ctx), path.join(proj, 'data', 'demo'));
    assert.strictEqual(await corpora.corpusRoot({ ...ctx, dataDir: '/my/corpora' }), '/my/corpora');
  });

  it('refuses to write into a non-empty folder that is not a demo corpus', async () => {
    const other = path.join(tmp, 'mine');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'keep.txt'), 'precious');
    await assert.rejects(corpora.generateDemoCorpus(other), /not empty and is not a demo corpus/);
    assert.strictEqual(fs.readFileSync(path.join(other, 'keep.txt'), 'utf8'), 'precious');
  });

  it('`ser corpus scan` and `ser corpus demo` label it synthetic', () => {
    const r = spawnSync(process.execPath, [SER, 'corpus', 'scan', dir], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /SYNTHETIC demo corpus/);
    const d = spawnSync(process.execPath, [SER, 'corpus', 'demo', dir, '--json'], { encoding: 'utf8' });
    assert.strictEqual(d.status, 0, d.stderr);
    const j = JSON.parse(d.stdout);
    assert.strictEqual(j.synthetic, true);
    assert.strictEqual(j.generated, false);
    assert.strictEqual(j.clips, corpora.demoClipSpecs().length);
  });
});
