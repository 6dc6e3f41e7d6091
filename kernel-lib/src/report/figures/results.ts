/**
 * Figures of the results (notebooks 04 and 06-08): confusion-matrix heatmaps (rows true, columns
 * predicted) and the protocol comparison against the paper's value.
 */
import type { Figure } from '../../core/figure';
import type { CVResult, GridResult } from '../../eval/crossval';
import type { GroupAccuracy } from '../../eval/errors';
import { type MeanStd, normalizeConfusion } from '../../eval/metrics';
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
    .map((g) => ({
      xref: 'paper',
      x: 1,
      xanchor: 'right',
      y: (g.paper as MeanStd).mean,
      yanchor: 'bottom',
      text: `paper, ${g.setting}: ${(g.paper as MeanStd).mean}%`,
      showarrow: false,
      font: { size: 11 },
    }));
  return {
    data,
    layout: {
      title: { text: title },
      barmode: 'group',
      yaxis: { title: { text: 'accuracy %' }, range: [0, 100] },
      shapes,
      annotations,
      height: 420,
    },
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
    marker:
      by === 'corpus'
        ? { color: gs.map((g) => CORPUS_COLORS[g.group as keyof typeof CORPUS_COLORS] ?? '#888') }
        : { color: CORPUS_COLORS[gs[0]?.corpus as keyof typeof CORPUS_COLORS] ?? '#888' },
  }));
  const shapes =
    overall === undefined
      ? []
      : [
          {
            type: 'line',
            xref: 'paper',
            x0: 0,
            x1: 1,
            y0: 100 * overall,
            y1: 100 * overall,
            line: { dash: 'dash', color: '#333', width: 1 },
          },
        ];
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

/**
 * Accuracy of variants of the recipe as horizontal bars with their fold std, the reference's and
 * the paper's accuracy as dashed lines (notebook 09); percentages in, 0-1 means.
 */
export function variantAccuracyFigure(
  items: { label: string; accuracy: MeanStd; augmented?: MeanStd }[],
  reference: MeanStd,
  paper: MeanStd,
  title: string,
): Figure {
  const pct = (m: MeanStd) => +(100 * m.mean).toFixed(2);
  const bar = (name: string, xs: (MeanStd | undefined)[], color: string) => ({
    type: 'bar',
    orientation: 'h',
    name,
    y: items.map((i) => i.label),
    x: xs.map((m) => (m ? pct(m) : null)),
    error_x: { type: 'data', array: xs.map((m) => (m ? +(100 * m.std).toFixed(2) : 0)), visible: true },
    marker: { color },
  });
  const data = [
    bar(
      'without augmentation (C=30)',
      items.map((i) => i.accuracy),
      '#4c72b0',
    ),
  ];
  if (items.some((i) => i.augmented))
    data.push(
      bar(
        'with augmentation (C=100)',
        items.map((i) => i.augmented),
        '#dd8452',
      ),
    );
  const line = (x: number, color: string) => ({
    type: 'line',
    yref: 'paper',
    y0: 0,
    y1: 1,
    x0: x,
    x1: x,
    line: { dash: 'dash', color, width: 1 },
  });
  return {
    data,
    layout: {
      title: { text: title },
      barmode: 'group',
      xaxis: { title: { text: 'accuracy % (mean ± std over 5 folds)' } },
      yaxis: { automargin: true, autorange: 'reversed' },
      shapes: [line(100 * reference.mean, '#4c72b0'), line(paper.mean, '#c44e52')],
      annotations: [
        { x: 100 * reference.mean, yref: 'paper', y: 1.02, text: 'ours', showarrow: false, font: { size: 11 } },
        { x: paper.mean, yref: 'paper', y: 1.06, text: `paper ${paper.mean}`, showarrow: false, font: { size: 11, color: '#c44e52' } },
      ],
      height: 120 + 34 * items.length,
      width: 900,
      margin: { l: 20 },
      legend: { orientation: 'h', y: -0.15 },
    },
  };
}

/**
 * The grid search (notebook 10): mean accuracy ± fold std against C (log axis), one line per data
 * set and kernel, with the paper's chosen setting marked. Percent on the y axis.
 */
export function gridFigure(series: { label: string; grid: GridResult; chosen?: { kernel: string; C: number } }[], title: string): Figure {
  const data: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  series.forEach((s, si) => {
    for (const kernel of [...new Set(s.grid.rows.map((r) => r.kernel))]) {
      const rows = s.grid.rows.filter((r) => r.kernel === kernel);
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `${s.label}, ${kernel}`,
        x: rows.map((r) => r.C),
        y: rows.map((r) => +(100 * r.accuracy.mean).toFixed(2)),
        error_y: { type: 'data', array: rows.map((r) => +(100 * r.accuracy.std).toFixed(2)), visible: true },
        line: { dash: kernel === 'rbf' ? 'solid' : 'dot', color: ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'][si % 4] },
      });
    }
    const c = s.chosen && s.grid.rows.find((r) => r.kernel === s.chosen?.kernel && r.C === s.chosen?.C);
    if (c)
      annotations.push({
        x: Math.log10(c.C),
        y: 100 * c.accuracy.mean,
        text: `paper's choice (${s.label})`,
        showarrow: true,
        arrowhead: 2,
        ax: 0,
        ay: -35,
        font: { size: 11 },
      });
  });
  return {
    data,
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'C' }, type: 'log' },
      yaxis: { title: { text: 'accuracy % (mean ± std over folds)' } },
      annotations,
      height: 420,
      width: 760,
    },
  };
}
