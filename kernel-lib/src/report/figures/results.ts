/**
 * Figures of the results (notebooks 04 and 06-08): confusion-matrix heatmaps (rows true, columns
 * predicted) and the protocol comparison against the paper's value.
 */
import type { Figure } from '../../core/figure';
import type { CVResult } from '../../eval/crossval';
import type { GroupAccuracy } from '../../eval/errors';
import { MeanStd, normalizeConfusion } from '../../eval/metrics';
import { CORPUS_COLORS } from './corpus';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A plotly heatmap of a confusion matrix (rows true, columns predicted; `normalize`: row fractions). */
export function confusionFigure(cm: number[][], labels: string[], title: string, normalize = true): Figure {
  const z = normalize ? normalizeConfusion(cm) : cm;
  const text = cm.map((row, i) => row.map((v, j) => (normalize ? `${(z[i][j] * 100).toFixed(1)}%<br>${v}` : String(v))));
  const names = labels.map(cap);
  return {
    data: [
      {
        type: 'heatmap',
        z,
        x: names,
        y: names,
        text,
        texttemplate: '%{text}',
        hovertemplate: 'true %{y}<br>predicted %{x}<br>%{text}<extra></extra>',
        colorscale: 'Blues',
        zmin: 0,
        zmax: normalize ? 1 : undefined,
        showscale: true,
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'predicted' }, side: 'bottom' },
      yaxis: { title: { text: 'true' }, autorange: 'reversed' },
      height: 520,
      width: 620,
      margin: { l: 90, r: 20, t: 60, b: 80 },
    },
  };
}

/** A plotly bar chart: accuracy per protocol (error bars = std) with the paper's value as a line. */
export function protocolFigure(groups: { setting: string; results: CVResult[]; paper: MeanStd | null }[], title: string): Figure {
  const protocols = ['paper', 'clip', 'speaker'];
  const data: any[] = groups.map((g) => ({
    type: 'bar',
    name: g.setting,
    x: protocols,
    y: protocols.map((p) => {
      const r = g.results.find((x) => x.protocol === p);
      return r ? r.accuracy.mean * 100 : null;
    }),
    error_y: {
      type: 'data',
      array: protocols.map((p) => {
        const r = g.results.find((x) => x.protocol === p);
        return r ? r.accuracy.std * 100 : null;
      }),
    },
  }));
  const shapes = groups
    .filter((g) => g.paper)
    .map((g, i) => ({
      type: 'line',
      xref: 'paper',
      x0: 0,
      x1: 1,
      y0: (g.paper as MeanStd).mean,
      y1: (g.paper as MeanStd).mean,
      line: { dash: 'dash', width: 1.5, color: ['#d62728', '#2ca02c', '#9467bd'][i % 3] },
    }));
  const annotations = groups
    .filter((g) => g.paper)
    .map((g) => ({ xref: 'paper', x: 1, xanchor: 'right', y: (g.paper as MeanStd).mean, yanchor: 'bottom', text: `paper, ${g.setting}: ${(g.paper as MeanStd).mean}%`, showarrow: false, font: { size: 11 } }));
  return {
    data,
    layout: { title: { text: title }, barmode: 'group', yaxis: { title: { text: 'accuracy %' }, range: [0, 100] }, shapes, annotations, height: 420 },
  };
}


/** Accuracy per corpus (bars) or per speaker (bars coloured by corpus), with the overall accuracy dashed. */
export function groupAccuracyFigure(groups: GroupAccuracy[], by: 'corpus' | 'speaker', title: string, overall?: number): Figure {
  const corpora = [...new Set(groups.map((g) => g.corpus))];
  const data = (by === 'corpus' ? [groups] : corpora.map((c) => groups.filter((g) => g.corpus === c))).map((gs) => ({
    type: 'bar',
    name: by === 'corpus' ? 'accuracy' : gs[0]?.corpus,
    x: gs.map((g) => g.group),
    y: gs.map((g) => +(100 * g.accuracy).toFixed(2)),
    text: gs.map((g) => `${(100 * g.accuracy).toFixed(1)}% of ${g.rows}`),
    hovertemplate: '%{x}: %{text}<extra></extra>',
    marker: by === 'corpus' ? { color: gs.map((g) => CORPUS_COLORS[g.group as keyof typeof CORPUS_COLORS] ?? '#888') } : { color: CORPUS_COLORS[gs[0]?.corpus as keyof typeof CORPUS_COLORS] ?? '#888' },
  }));
  const shapes =
    overall === undefined ? [] : [{ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: 100 * overall, y1: 100 * overall, line: { dash: 'dash', color: '#333', width: 1 } }];
  return {
    data,
    layout: {
      title: { text: title },
      xaxis: { title: { text: by }, type: 'category', tickangle: by === 'speaker' ? -60 : 0 },
      yaxis: { title: { text: 'accuracy %' }, range: [0, 100] },
      shapes,
      showlegend: by === 'speaker',
      height: by === 'speaker' ? 460 : 380,
      width: by === 'speaker' ? Math.max(700, 14 * groups.length + 200) : 600,
    },
  };
}
