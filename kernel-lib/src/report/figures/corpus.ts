/**
 * Figures of notebook 01 (paper section II, "Dataset overview"): clips per emotion and corpus,
 * clip durations, in each corpus's colour.
 */
import type { Figure } from '../../core/figure';
import { CORPORA, type CorpusName, EMOTIONS } from '../../core/types';
import type { ClipInfo } from '../../corpora/describe';
import { emotionTitle, type ScanResult } from '../../corpora/scan';

export const CORPUS_COLORS: Record<CorpusName, string> = { 'CREMA-D': '#4c72b0', RAVDESS: '#dd8452', SAVEE: '#55a868', TESS: '#c44e52' };

/** A figure of notebook 01: one trace per corpus, in its colour, and clips on the y axis. */
interface PerCorpusFigure {
  corpora: readonly CorpusName[];
  /** plotly trace type */
  type: 'bar' | 'histogram';
  /** a corpus's trace after its type and name: the data and the trace's other settings */
  trace: (c: CorpusName) => Record<string, unknown>;
  title: string;
  barmode: 'stack' | 'overlay';
  xTitle: string;
  /** layout entries after the axes */
  layout: Record<string, unknown>;
}

function perCorpusFigure(f: PerCorpusFigure): Figure {
  return {
    data: f.corpora.map((c) => ({ type: f.type, name: c, ...f.trace(c), marker: { color: CORPUS_COLORS[c] } })),
    layout: {
      title: { text: f.title },
      barmode: f.barmode,
      xaxis: { title: { text: f.xTitle } },
      yaxis: { title: { text: 'clips' } },
      ...f.layout,
      height: 420,
    },
  };
}

/** Stacked bars: clips per emotion, one colour per corpus (Table I as a picture). */
export function clipsPerEmotionFigure(scan: ScanResult, title = 'Clips per emotion and corpus'): Figure {
  return perCorpusFigure({
    corpora: CORPORA.filter((c) => scan.totals[c] > 0),
    type: 'bar',
    trace: (c) => ({ x: EMOTIONS.map(emotionTitle), y: EMOTIONS.map((e) => scan.counts[c][e]) }),
    title,
    barmode: 'stack',
    xTitle: 'emotion',
    layout: { legend: { title: { text: 'corpus' } } },
  });
}

/** Overlaid histograms of clip durations per corpus, with the paper's 0.5-3.0 s window marked. */
export function durationsFigure(infos: ClipInfo[], title = 'Clip durations'): Figure {
  return perCorpusFigure({
    corpora: CORPORA.filter((c) => infos.some((i) => i.corpus === c)),
    type: 'histogram',
    trace: (c) => ({
      x: infos.filter((i) => i.corpus === c).map((i) => +i.durationS.toFixed(3)),
      xbins: { size: 0.1 },
      opacity: 0.6,
    }),
    title,
    barmode: 'overlay',
    xTitle: 'duration (s)',
    layout: {
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
    },
  });
}
