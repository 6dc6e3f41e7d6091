/**
 * Figures of the results (notebooks 04 and 06-08): confusion-matrix heatmaps (rows true, columns
 * predicted) and the protocol comparison against the paper's value.
 */
import type { Figure } from '../../core/figure';
import type { CVResult } from '../../eval/crossval';
import { MeanStd, normalizeConfusion } from '../../eval/metrics';

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

