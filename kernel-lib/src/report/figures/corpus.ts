/**
 * Figures of notebook 01 (paper section II, "Dataset overview"): clips per emotion and corpus,
 * clip durations, in each corpus's colour.
 */
import type { Figure } from '../../core/figure';
import { CORPORA, type CorpusName, EMOTIONS } from '../../core/types';
import type { ClipInfo } from '../../corpora/describe';
import { emotionTitle, type ScanResult } from '../../corpora/scan';

export const CORPUS_COLORS: Record<CorpusName, string> = { 'CREMA-D': '#4c72b0', RAVDESS: '#dd8452', SAVEE: '#55a868', TESS: '#c44e52' };

/** Stacked bars: clips per emotion, one colour per corpus (Table I as a picture). */
export function clipsPerEmotionFigure(scan: ScanResult, title = 'Clips per emotion and corpus'): Figure {
  return {
    data: CORPORA.filter((c) => scan.totals[c] > 0).map((c) => ({
      type: 'bar',
      name: c,
      x: EMOTIONS.map(emotionTitle),
      y: EMOTIONS.map((e) => scan.counts[c][e]),
      marker: { color: CORPUS_COLORS[c] },
    })),
    layout: {
      title: { text: title },
      barmode: 'stack',
      xaxis: { title: { text: 'emotion' } },
      yaxis: { title: { text: 'clips' } },
      legend: { title: { text: 'corpus' } },
      height: 420,
    },
  };
}

/** Overlaid histograms of clip durations per corpus, with the paper's 0.5-3.0 s window marked. */
export function durationsFigure(infos: ClipInfo[], title = 'Clip durations'): Figure {
  const present = CORPORA.filter((c) => infos.some((i) => i.corpus === c));
  return {
    data: present.map((c) => ({
      type: 'histogram',
      name: c,
      x: infos.filter((i) => i.corpus === c).map((i) => +i.durationS.toFixed(3)),
      xbins: { size: 0.1 },
      opacity: 0.6,
      marker: { color: CORPUS_COLORS[c] },
    })),
    layout: {
      title: { text: title },
      barmode: 'overlay',
      xaxis: { title: { text: 'duration (s)' } },
      yaxis: { title: { text: 'clips' } },
      shapes: [0.5, 3.0].map((x) => ({
        type: 'line',
        x0: x,
        x1: x,
        yref: 'paper',
        y0: 0,
        y1: 1,
        line: { dash: 'dash', color: '#333', width: 1 },
      })),
      annotations: [{ x: 1.75, yref: 'paper', y: 1.04, text: 'window read by the paper (0.5-3.0 s)', showarrow: false }],
      height: 420,
    },
  };
}
