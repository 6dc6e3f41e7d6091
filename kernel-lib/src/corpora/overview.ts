/**
 * The tables and figures of notebook 01 (paper section II, "Dataset overview"), computed from a
 * scan and the clips' WAV headers, so the notebook stays a list of calls and the numbers can be
 * tested.
 */
import type { VerifyResult } from './verify';
import type { ClipInfo } from './describe';
import { CORPUS_EMOTIONS, PAPER_SPEAKERS, PAPER_TABLE_I, type ScanResult } from './scan';
import { CORPORA, type CorpusName, EMOTIONS } from '../core/types';

/** What the paper (section II) and the corpora's documentation say about each corpus. */
export const CORPUS_INFO: Record<
  CorpusName,
  { fullName: string; speakers: string; material: string; nativeRate: number; reference: string }
> = {
  'CREMA-D': {
    fullName: 'Crowd-sourced Emotional Multimodal Actors Dataset',
    speakers: '91 actors (48 male, 43 female), aged 20-74',
    material: '12 sentences, 6 emotions (anger, disgust, fear, happy, neutral, sad)',
    nativeRate: 16000,
    reference: 'Cao et al., IEEE Trans. Affective Computing 2014',
  },
  RAVDESS: {
    fullName: 'Ryerson Audio-Visual Database of Emotional Speech and Song',
    speakers: '24 professional actors (12 male, 12 female), North American accent',
    material: '2 statements, 8 emotions, 2 intensities (neutral: 1), 2 repetitions',
    nativeRate: 48000,
    reference: 'Livingstone & Russo, PLoS ONE 2018',
  },
  SAVEE: {
    fullName: 'Surrey Audio-Visual Expressed Emotion',
    speakers: '4 male native British English speakers, aged 27-31',
    material: '15 sentences per emotion (neutral 30), 7 emotions: 120 utterances per speaker',
    nativeRate: 44100,
    reference: 'Haq & Jackson, 2009',
  },
  TESS: {
    fullName: 'Toronto Emotional Speech Set',
    speakers: '2 actresses, aged 26 and 64 (YAF, OAF)',
    material: '"Say the word ___" with 200 target words, 7 emotions',
    nativeRate: 24414,
    reference: 'Pichora-Fuller & Dupuis, 2020',
  },
};

/** One row per corpus: description, clips and speakers found vs the complete corpus. */
export function corpusRows(scan: ScanResult): Record<string, string | number>[] {
  return CORPORA.map((c) => ({
    corpus: c,
    name: CORPUS_INFO[c].fullName,
    speakers: CORPUS_INFO[c].speakers,
    material: CORPUS_INFO[c].material,
    emotions: CORPUS_EMOTIONS[c].length,
    'clips found': scan.totals[c],
    'clips (paper)': EMOTIONS.reduce((s, e) => s + PAPER_TABLE_I[e][c], 0),
  }));
}

/** Speakers per corpus, found and in the complete corpus, with clips per speaker. */
export function speakerRows(scan: ScanResult): Record<string, string | number>[] {
  return CORPORA.map((c) => {
    const n = scan.speakers[c].length;
    return {
      corpus: c,
      'speakers found': n,
      'speakers (complete corpus)': PAPER_SPEAKERS[c],
      clips: scan.totals[c],
      'clips per speaker': n ? +(scan.totals[c] / n).toFixed(1) : 0,
    };
  });
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Durations per corpus (seconds): the paper reads 2.5 s from 0.5 s, so clips shorter than 3.0 s
 * are zero-padded by the feature code; this table says how many that concerns.
 */
export function durationRows(infos: ClipInfo[], window = { offset: 0.5, duration: 2.5 }): Record<string, string | number>[] {
  const end = window.offset + window.duration;
  const rows: Record<string, string | number>[] = [];
  for (const c of [...CORPORA, 'all'] as const) {
    const d = infos
      .filter((i) => c === 'all' || i.corpus === c)
      .map((i) => i.durationS)
      .sort((a, b) => a - b);
    if (!d.length) continue;
    const short = d.filter((x) => x < end).length;
    rows.push({
      corpus: c,
      clips: d.length,
      'min s': +d[0].toFixed(2),
      'median s': +quantile(d, 0.5).toFixed(2),
      'mean s': +(d.reduce((a, b) => a + b, 0) / d.length).toFixed(2),
      'max s': +d[d.length - 1].toFixed(2),
      [`shorter than ${end} s`]: short,
      [`% shorter than ${end} s`]: +((100 * short) / d.length).toFixed(1),
    });
  }
  return rows;
}

/** Clips per corpus, sample rate, channels and sample format. */
export function formatRows(infos: ClipInfo[]): Record<string, string | number>[] {
  const m = new Map<string, Record<string, string | number>>();
  for (const i of infos) {
    const k = `${i.corpus}|${i.sampleRate}|${i.channels}|${i.format}${i.bitDepth}`;
    const r = m.get(k);
    if (r) (r.clips as number)++;
    else
      m.set(k, {
        corpus: i.corpus,
        'sample rate (Hz)': i.sampleRate,
        channels: i.channels,
        format: `${i.format === 'float' ? 'float' : 'PCM'} ${i.bitDepth}-bit`,
        clips: 1,
      });
  }
  return [...m.values()].sort((a, b) =>
    a.corpus === b.corpus
      ? (a['sample rate (Hz)'] as number) - (b['sample rate (Hz)'] as number) || (a.channels as number) - (b.channels as number)
      : CORPORA.indexOf(a.corpus as CorpusName) - CORPORA.indexOf(b.corpus as CorpusName),
  );
}

/**
 * `ser corpus verify` as table rows, one per corpus: files expected by the official manifest,
 * found intact (name, size, sha256), missing, mismatched, unexpected; a synthetic corpus says
 * that the manifests do not apply to it.
 */
export function verificationRows(v: VerifyResult): Record<string, string | number>[] {
  if (v.synthetic) return [{ corpus: 'all', check: 'synthetic demo corpus: not the official files, the manifests (sha256) do not apply' }];
  return CORPORA.map((c) => v.corpora[c]).map((r) => ({
    corpus: r.corpus,
    present: r.present ? 'yes' : 'no',
    'manifest files': r.expected,
    'intact (sha256 ok)': r.ok,
    missing: r.missing.length,
    'size/sha256 mismatch': r.mismatch.length,
    unexpected: r.unexpected.length,
  }));
}
