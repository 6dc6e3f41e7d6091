// Corpus file-name parsers (issue #3, item 1): official naming -> {corpus, emotion, speaker,
// clipId}; folder case and separators do not matter; unknown names are reported, never guessed.
import assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { corpora as c, audioWav } from 'kernel-lib/internal';
const { encodeWav } = audioWav;

const clip = (r: c.ParseOutcome | null) => {
  assert.ok(r && r.kind === 'clip', `expected a clip, got ${JSON.stringify(r)}`);
  const { corpus, emotion, speaker, clipId } = r.clip;
  return { corpus, emotion, speaker, clipId };
};
/** The reason of a skipped or refused file (a clip or null fails the test when read). */
const reasonOf = (r: c.ParseOutcome | null): string => (r as { reason: string }).reason;

describe('corpora: file-name parsers', () => {
  it("has the 8 labels in the order of the paper's tables", () => {
    assert.deepStrictEqual([...c.EMOTIONS], ['angry', 'calm', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprised']);
    assert.deepStrictEqual([...c.CORPORA], ['CREMA-D', 'RAVDESS', 'SAVEE', 'TESS']);
    assert.deepStrictEqual(c.CORPUS_EMOTIONS, {
      'CREMA-D': ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad'],
      RAVDESS: ['angry', 'calm', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprised'],
      SAVEE: ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprised'],
      TESS: ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprised'],
    });
  });

  it('RAVDESS: 03-01-EE-II-SS-RR-AA, emotion 01..08, actor = speaker; song and video skipped', () => {
    const want = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fear', 'disgust', 'surprised'];
    want.forEach((e, i) => {
      const code = String(i + 1).padStart(2, '0');
      const inten = code === '01' ? '01' : '02';
      assert.strictEqual(clip(c.parseRavdess(`/x/Actor_07/03-01-${code}-${inten}-01-02-07.wav`)).emotion, e);
    });
    assert.deepStrictEqual(clip(c.parseRavdess('/d/actor 12/03-01-06-01-02-02-12.WAV')), {
      corpus: 'RAVDESS',
      emotion: 'fear',
      speaker: 'RAVDESS:12',
      clipId: 'RAVDESS:03-01-06-01-02-02-12',
    });
    assert.strictEqual(c.parseRavdess('/d/Actor_01/03-02-01-01-01-01-01.wav')!.kind, 'skip');
    assert.match(reasonOf(c.parseRavdess('/d/Actor_01/03-02-01-01-01-01-01.wav')), /song/);
    assert.match(reasonOf(c.parseRavdess('/d/Actor_01/01-01-01-01-01-01-01.mp4')), /video/);
    assert.match(reasonOf(c.parseRavdess('/d/Actor_01/02-01-01-01-01-01-01.mp4')), /video-only/);
    for (const [name, re] of [
      ['03-01-09-01-01-01-01.wav', /emotion field 09/],
      ['03-01-01-02-01-01-01.wav', /neutral with strong intensity/],
      ['03-01-02-03-01-01-01.wav', /intensity/],
      ['03-01-02-01-03-01-01.wav', /statement/],
      ['03-01-02-01-01-03-01.wav', /repetition/],
      ['03-01-02-01-01-01-25.wav', /actor 25/],
      ['04-01-02-01-01-01-01.wav', /modality 04/],
    ] as [string, RegExp][]) {
      const r = c.parseRavdess(`/d/${name}`);
      assert.strictEqual(r!.kind, 'error', name);
      assert.match(reasonOf(r), re, name);
    }
    const wrong = c.parseRavdess('/d/Actor_02/03-01-02-01-01-01-03.wav');
    assert.strictEqual(wrong!.kind, 'error');
    assert.match(reasonOf(wrong), /actor 03 in the name but folder 'Actor_02'/);
  });

  it('CREMA-D: AAAA_SSS_EEE_LL with ANG DIS FEA HAP NEU SAD', () => {
    const codes = { ANG: 'angry', DIS: 'disgust', FEA: 'fear', HAP: 'happy', NEU: 'neutral', SAD: 'sad' };
    for (const [k, e] of Object.entries(codes)) assert.strictEqual(clip(c.parseCremad(`/a/AudioWAV/1001_DFA_${k}_XX.wav`)).emotion, e);
    assert.deepStrictEqual(clip(c.parseCremad('/a/1091_ieo_hap_hi.wav')), {
      corpus: 'CREMA-D',
      emotion: 'happy',
      speaker: 'CREMA-D:1091',
      clipId: 'CREMA-D:1091_IEO_HAP_HI',
    });
    assert.match(reasonOf(c.parseCremad('/a/1001_DFA_SUR_XX.wav')), /emotion code 'SUR' unknown/);
    assert.match(reasonOf(c.parseCremad('/a/1001_XYZ_ANG_XX.wav')), /sentence code 'XYZ' unknown/);
    assert.match(reasonOf(c.parseCremad('/a/0999_DFA_ANG_XX.wav')), /actor 0999/);
    assert.match(reasonOf(c.parseCremad('/a/1001_DFA_ANG_ZZ.wav')), /level 'ZZ'/);
    assert.strictEqual(c.parseCremad('/a/1001_DFA_ANG.wav'), null);
  });

  it('TESS: OAF_/YAF_word_emotion, ps = surprised, folder names in any case and separators', () => {
    const folders = ['OAF_Fear', 'oaf fear', 'OAF-FEAR', 'Oaf_fear'];
    for (const f of folders)
      assert.deepStrictEqual(clip(c.parseTess(`/t/${f}/OAF_back_fear.wav`)), {
        corpus: 'TESS',
        emotion: 'fear',
        speaker: 'TESS:OAF',
        clipId: 'TESS:OAF_back_fear',
      });
    for (const f of ['YAF_pleasant_surprised', 'OAF_Pleasant_surprise', 'yaf Pleasant-Surprise', 'YAF_ps']) {
      const spk = f.slice(0, 3).toUpperCase();
      assert.strictEqual(clip(c.parseTess(`/t/${f}/${spk}_dog_ps.wav`)).emotion, 'surprised', f);
    }
    assert.strictEqual(clip(c.parseTess('/flat/yaf_Dog_SAD.wav')).clipId, 'TESS:YAF_dog_sad');
    // the official erratum, listed by name
    assert.deepStrictEqual(clip(c.parseTess('/t/OAF_neutral/OA_bite_neutral.wav')), {
      corpus: 'TESS',
      emotion: 'neutral',
      speaker: 'TESS:OAF',
      clipId: 'TESS:OAF_bite_neutral',
    });
    assert.strictEqual(c.parseTess('/t/OAF_neutral/OA_bath_neutral.wav'), null, 'OA_ is not guessed beyond the known erratum');
    assert.match(reasonOf(c.parseTess('/t/OAF_happy/OAF_back_sad.wav')), /emotion 'sad' in the name but folder 'OAF_happy'/);
    assert.match(reasonOf(c.parseTess('/t/YAF_sad/OAF_back_sad.wav')), /speaker OAF in the name but folder 'YAF_sad'/);
    assert.match(reasonOf(c.parseTess('/t/OAF_back_calm.wav')), /emotion 'calm' unknown/);
  });

  it('SAVEE: DC_a01.wav flat or DC/a01.wav per speaker; a d f h n sa su', () => {
    const codes = { a: 'angry', d: 'disgust', f: 'fear', h: 'happy', n: 'neutral', sa: 'sad', su: 'surprised' };
    for (const [k, e] of Object.entries(codes)) {
      assert.deepStrictEqual(clip(c.parseSavee(`/s/ALL/JK_${k}03.wav`)), {
        corpus: 'SAVEE',
        emotion: e,
        speaker: 'SAVEE:JK',
        clipId: `SAVEE:JK_${k}03`,
      });
      assert.deepStrictEqual(clip(c.parseSavee(`/s/AudioData/JK/${k}03.wav`)), {
        corpus: 'SAVEE',
        emotion: e,
        speaker: 'SAVEE:JK',
        clipId: `SAVEE:JK_${k}03`,
      });
    }
    assert.strictEqual(clip(c.parseSavee('/s/kl/SU15.WAV')).clipId, 'SAVEE:KL_su15');
    assert.strictEqual(clip(c.parseSavee('/s/DC_n30.wav')).emotion, 'neutral');
    assert.match(reasonOf(c.parseSavee('/s/DC_a16.wav')), /a16 out of range \(a01..a15\)/);
    assert.match(reasonOf(c.parseSavee('/s/DC_n31.wav')), /n31 out of range/);
    assert.strictEqual(c.parseSavee('/s/XX_a01.wav'), null, 'unknown speaker prefix: not SAVEE');
    assert.strictEqual(c.parseSavee('/s/other/a01.wav'), null, 'a01.wav outside a speaker folder is not guessed');
  });

  it('at most one corpus naming matches any name; unknown names give null', () => {
    for (const n of ['hello.wav', 'a01.wav', '1001_DFA_ANG.wav', '03-01-01-01-01-01.wav', 'OAF_back.wav'])
      assert.strictEqual(c.parseClipPath(`/q/${n}`), null, n);
  });

  it('scan reports unknown names and inconsistent ones instead of guessing, and sorts clips by clipId', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-parse-'));
    try {
      const w = Buffer.from(encodeWav(new Float32Array(4), 16000));
      for (const rel of [
        'b/YAF_Happy/YAF_dog_happy.wav',
        'a/OAF_happy/OAF_cat_sad.wav',
        'a/hello.wav',
        'Actor_03/03-01-05-01-01-01-03.wav',
        'AudioData/DC/a01.wav',
        'x/03-01-05-01-01-01-03.wav',
      ]) {
        fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
        fs.writeFileSync(path.join(tmp, rel), w);
      }
      const s = c.scanCorpora(tmp);
      assert.deepStrictEqual(
        s.clips.map((x) => x.clipId),
        ['RAVDESS:03-01-05-01-01-01-03', 'SAVEE:DC_a01', 'TESS:YAF_dog_happy'],
      );
      const reasons = Object.fromEntries(s.skipped.map((x) => [path.relative(tmp, x.path), x.reason]));
      assert.match(reasons['a/OAF_happy/OAF_cat_sad.wav'], /folder 'OAF_happy'/);
      assert.match(reasons['a/hello.wav'], /unknown file name/);
      assert.match(reasons['x/03-01-05-01-01-01-03.wav'], /^duplicate of Actor_03\//);
      assert.deepStrictEqual(s.present, ['RAVDESS', 'SAVEE', 'TESS']);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
