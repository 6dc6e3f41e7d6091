/**
 * One parser per corpus: file name (and, where the naming needs it, the folder) -> label,
 * speaker and clip id, using each corpus' official naming. A parser answers one of:
 *   - a `Clip` (a file of the paper's data),
 *   - a skip with a reason (a file of that corpus the paper did not use: RAVDESS song or video),
 *   - an error with a reason (looks like the corpus' naming but a field is out of range, or the
 *     folder contradicts the name): reported, never guessed,
 *   - null: not this corpus' naming.
 * Parsers look at names only; the scanner decides about extensions (audio extensions are clips).
 * File names are matched case-insensitively; folder names ignore case and separators
 * (`OAF_Pleasant_surprise`, `yaf pleasant-surprised` and `YAF_PleasantSurprised` are the same).
 */
import * as path from 'node:path';
import type { Clip, CorpusName, Emotion } from '../core/types';

export type ParseOutcome =
  | { kind: 'clip'; clip: Clip }
  | { kind: 'skip'; corpus: CorpusName; reason: string }
  | { kind: 'error'; corpus: CorpusName; reason: string };

/** lower case, without separators: for comparing folder names */
export function normName(s: string): string {
  return s.toLowerCase().replace(/[\s_\-.]+/g, '');
}

// ---------------------------------------------------------------- RAVDESS
/** RAVDESS emotion field 01..08 (fearful -> fear, surprised -> surprised). */
export const RAVDESS_EMOTIONS: Record<string, Emotion> = {
  '01': 'neutral',
  '02': 'calm',
  '03': 'happy',
  '04': 'sad',
  '05': 'angry',
  '06': 'fear',
  '07': 'disgust',
  '08': 'surprised',
};
const RAVDESS_RE = /^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)$/;
const MODALITY: Record<string, string> = { '01': 'full audio-video', '02': 'video-only', '03': 'audio-only' };

/**
 * RAVDESS `MM-VV-EE-II-SS-RR-AA.<ext>`: modality (01 AV, 02 video, 03 audio), vocal channel
 * (01 speech, 02 song), emotion, intensity (01 normal, 02 strong; neutral has no strong),
 * statement (01 "Kids...", 02 "Dogs..."), repetition, actor 01..24. Only 03-01 (audio-only
 * speech) is the paper's data; song and video files are skipped with a reason. An `Actor_NN`
 * folder, when present, must agree with the actor field.
 */
export function parseRavdess(file: string): ParseOutcome | null {
  const base = path.basename(file);
  const ext = path.extname(base);
  const stem = base.slice(0, base.length - ext.length);
  const m = RAVDESS_RE.exec(stem);
  if (!m) return null;
  const [, mod, voc, emo, inten, stmt, rep, actor] = m;
  const C: CorpusName = 'RAVDESS';
  if (!MODALITY[mod]) return { kind: 'error', corpus: C, reason: `RAVDESS name with unknown modality ${mod}` };
  if (voc !== '01' && voc !== '02') return { kind: 'error', corpus: C, reason: `RAVDESS name with unknown vocal channel ${voc}` };
  if (mod !== '03') return { kind: 'skip', corpus: C, reason: `RAVDESS video file (modality ${mod}, ${MODALITY[mod]}): not used` };
  if (voc === '02') return { kind: 'skip', corpus: C, reason: 'RAVDESS song (vocal channel 02): not used' };
  const emotion = RAVDESS_EMOTIONS[emo];
  if (!emotion) return { kind: 'error', corpus: C, reason: `RAVDESS emotion field ${emo} not in 01..08` };
  if (inten !== '01' && inten !== '02') return { kind: 'error', corpus: C, reason: `RAVDESS intensity field ${inten} not 01/02` };
  if (emo === '01' && inten === '02')
    return { kind: 'error', corpus: C, reason: 'RAVDESS neutral with strong intensity (02) does not exist' };
  if (stmt !== '01' && stmt !== '02') return { kind: 'error', corpus: C, reason: `RAVDESS statement field ${stmt} not 01/02` };
  if (rep !== '01' && rep !== '02') return { kind: 'error', corpus: C, reason: `RAVDESS repetition field ${rep} not 01/02` };
  const a = Number(actor);
  if (a < 1 || a > 24) return { kind: 'error', corpus: C, reason: `RAVDESS actor ${actor} not in 01..24` };
  const folder = path.basename(path.dirname(file));
  const fm = /^actor(\d+)$/.exec(normName(folder));
  if (fm && Number(fm[1]) !== a) {
    return { kind: 'error', corpus: C, reason: `RAVDESS actor ${actor} in the name but folder '${folder}'` };
  }
  return {
    kind: 'clip',
    clip: { corpus: C, emotion, speaker: `RAVDESS:${actor}`, clipId: `RAVDESS:${stem}`, path: file },
  };
}

// ---------------------------------------------------------------- CREMA-D
export const CREMAD_EMOTIONS: Record<string, Emotion> = {
  ANG: 'angry',
  DIS: 'disgust',
  FEA: 'fear',
  HAP: 'happy',
  NEU: 'neutral',
  SAD: 'sad',
};
/** The 12 CREMA-D sentence codes. */
export const CREMAD_SENTENCES: Record<string, string> = {
  IEO: "It's eleven o'clock",
  TIE: 'That is exactly what happened',
  IOM: "I'm on my way to the meeting",
  IWW: 'I wonder what this is about',
  TAI: 'The airplane is almost full',
  MTI: 'Maybe tomorrow it will be cold',
  IWL: 'I would like a new alarm clock',
  ITH: "I think I have a doctor's appointment",
  DFA: "Don't forget a jacket",
  ITS: "I think I've seen this before",
  TSI: 'The surface is slick',
  WSI: "We'll stop in a couple of minutes",
};
const CREMAD_LEVELS = new Set(['LO', 'MD', 'HI', 'XX']);
const CREMAD_RE = /^(\d{4})_([A-Za-z]{3})_([A-Za-z]{3})_([A-Za-z]{2})$/;

/** CREMA-D `AAAA_SSS_EEE_LL.wav`: actor 1001..1091, sentence, emotion, level (LO MD HI XX). */
export function parseCremad(file: string): ParseOutcome | null {
  const base = path.basename(file);
  const ext = path.extname(base);
  const m = CREMAD_RE.exec(base.slice(0, base.length - ext.length));
  if (!m) return null;
  const C: CorpusName = 'CREMA-D';
  const [, actor, s, e, l] = m;
  const sent = s.toUpperCase();
  const emo = e.toUpperCase();
  const level = l.toUpperCase();
  const a = Number(actor);
  if (a < 1001 || a > 1091) return { kind: 'error', corpus: C, reason: `CREMA-D actor ${actor} not in 1001..1091` };
  if (!CREMAD_SENTENCES[sent]) return { kind: 'error', corpus: C, reason: `CREMA-D sentence code '${s}' unknown` };
  const emotion = CREMAD_EMOTIONS[emo];
  if (!emotion) return { kind: 'error', corpus: C, reason: `CREMA-D emotion code '${e}' unknown (ANG DIS FEA HAP NEU SAD)` };
  if (!CREMAD_LEVELS.has(level)) return { kind: 'error', corpus: C, reason: `CREMA-D level '${l}' unknown (LO MD HI XX)` };
  const stem = `${actor}_${sent}_${emo}_${level}`;
  return { kind: 'clip', clip: { corpus: C, emotion, speaker: `CREMA-D:${actor}`, clipId: `CREMA-D:${stem}`, path: file } };
}

// ---------------------------------------------------------------- TESS
/** TESS emotion words (`ps` = pleasant surprise). */
export const TESS_EMOTIONS: Record<string, Emotion> = {
  angry: 'angry',
  disgust: 'disgust',
  fear: 'fear',
  happy: 'happy',
  neutral: 'neutral',
  ps: 'surprised',
  sad: 'sad',
};
/** Folder emotion words seen in the downloads, normalized (see normName). */
const TESS_FOLDER_EMOTIONS: Record<string, Emotion> = {
  angry: 'angry',
  anger: 'angry',
  disgust: 'disgust',
  disgusted: 'disgust',
  fear: 'fear',
  fearful: 'fear',
  happy: 'happy',
  happiness: 'happy',
  neutral: 'neutral',
  sad: 'sad',
  sadness: 'sad',
  ps: 'surprised',
  pleasantsurprise: 'surprised',
  pleasantsurprised: 'surprised',
  surprise: 'surprised',
  surprised: 'surprised',
};
/**
 * Known erratum of the official release: one OAF file is named with the prefix `OA_`
 * (`OAF_neutral/OA_bite_neutral.wav`). It is listed here by name, not inferred.
 */
export const TESS_ERRATA: Record<string, 'OAF' | 'YAF'> = { oa_bite_neutral: 'OAF' };
const TESS_RE = /^(OAF|YAF)_([A-Za-z]+)_([A-Za-z]+)$/i;

/**
 * TESS `OAF_word_emotion.wav` / `YAF_word_emotion.wav` (speaker OAF = older, YAF = younger
 * talker; emotion angry disgust fear happy neutral ps sad). A TESS-like folder
 * (`OAF_Fear`, `YAF_pleasant_surprised`, ...) must agree with the name's speaker and emotion.
 */
export function parseTess(file: string): ParseOutcome | null {
  const base = path.basename(file);
  const ext = path.extname(base);
  const stem = base.slice(0, base.length - ext.length);
  const C: CorpusName = 'TESS';
  let m = TESS_RE.exec(stem);
  let speaker: string;
  if (m) speaker = m[1].toUpperCase();
  else {
    const erratum = TESS_ERRATA[stem.toLowerCase()];
    if (!erratum) return null;
    m = /^([A-Za-z]+)_([A-Za-z]+)_([A-Za-z]+)$/.exec(stem) as RegExpExecArray;
    speaker = erratum;
  }
  const word = m[2].toLowerCase();
  const emoWord = m[3].toLowerCase();
  const emotion = TESS_EMOTIONS[emoWord];
  if (!emotion) return { kind: 'error', corpus: C, reason: `TESS emotion '${m[3]}' unknown (angry disgust fear happy neutral ps sad)` };
  const folder = path.basename(path.dirname(file));
  const fm = /^(oaf|yaf)(.*)$/.exec(normName(folder));
  if (fm) {
    const fe = TESS_FOLDER_EMOTIONS[fm[2]];
    if (fm[1].toUpperCase() !== speaker) {
      return { kind: 'error', corpus: C, reason: `TESS speaker ${speaker} in the name but folder '${folder}'` };
    }
    if (fe && fe !== emotion) return { kind: 'error', corpus: C, reason: `TESS emotion '${emoWord}' in the name but folder '${folder}'` };
  }
  const canon = `${speaker}_${word}_${emoWord}`;
  return { kind: 'clip', clip: { corpus: C, emotion, speaker: `TESS:${speaker}`, clipId: `TESS:${canon}`, path: file } };
}

// ---------------------------------------------------------------- SAVEE
export const SAVEE_EMOTIONS: Record<string, Emotion> = {
  a: 'angry',
  d: 'disgust',
  f: 'fear',
  h: 'happy',
  n: 'neutral',
  sa: 'sad',
  su: 'surprised',
};
export const SAVEE_SPEAKERS = ['DC', 'JE', 'JK', 'KL'] as const;
const SAVEE_FLAT_RE = /^([A-Za-z]{2})_(sa|su|a|d|f|h|n)(\d{2})$/i;
const SAVEE_CODE_RE = /^(sa|su|a|d|f|h|n)(\d{2})$/i;

function saveeClip(file: string, spk: string, code: string, num: string): ParseOutcome {
  const C: CorpusName = 'SAVEE';
  const speaker = spk.toUpperCase();
  const c = code.toLowerCase();
  if (!(SAVEE_SPEAKERS as readonly string[]).includes(speaker)) {
    return { kind: 'error', corpus: C, reason: `SAVEE speaker '${spk}' unknown (DC JE JK KL)` };
  }
  const k = Number(num);
  const max = c === 'n' ? 30 : 15;
  if (k < 1 || k > max) return { kind: 'error', corpus: C, reason: `SAVEE sentence ${c}${num} out of range (${c}01..${c}${max})` };
  return {
    kind: 'clip',
    clip: { corpus: C, emotion: SAVEE_EMOTIONS[c], speaker: `SAVEE:${speaker}`, clipId: `SAVEE:${speaker}_${c}${num}`, path: file },
  };
}

/**
 * SAVEE, flat `DC_a01.wav` (Kaggle `ALL/`) or per speaker `DC/a01.wav` (official
 * `AudioData/`): speakers DC JE JK KL; codes a d f h n sa su, 15 sentences each (n: 30).
 */
export function parseSavee(file: string): ParseOutcome | null {
  const base = path.basename(file);
  const ext = path.extname(base);
  const stem = base.slice(0, base.length - ext.length);
  let m = SAVEE_FLAT_RE.exec(stem);
  if (m) {
    // only a known speaker prefix makes it SAVEE (two letters + code alone are too weak)
    if (!(SAVEE_SPEAKERS as readonly string[]).includes(m[1].toUpperCase())) return null;
    return saveeClip(file, m[1], m[2], m[3]);
  }
  m = SAVEE_CODE_RE.exec(stem);
  if (m) {
    const folder = path.basename(path.dirname(file));
    if ((SAVEE_SPEAKERS as readonly string[]).includes(folder.toUpperCase().trim())) return saveeClip(file, folder.trim(), m[1], m[2]);
  }
  return null;
}

export const PARSERS: Record<CorpusName, (file: string) => ParseOutcome | null> = {
  'CREMA-D': parseCremad,
  RAVDESS: parseRavdess,
  SAVEE: parseSavee,
  TESS: parseTess,
};

/** Tries every parser; at most one corpus' naming can match a name. */
export function parseClipPath(file: string): ParseOutcome | null {
  for (const p of [parseRavdess, parseCremad, parseTess, parseSavee]) {
    const r = p(file);
    if (r) return r;
  }
  return null;
}
