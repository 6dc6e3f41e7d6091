/**
 * Figures of the deep path (notebooks 05-07): the mel-spectrogram images per emotion (Fig. 2)
 * and the learning curves of one fold (Figs. 5 and 6).
 */
import type { Figure } from '../../core/figure';
import type { FoldResult } from '../../eval/crossval';
import type { CnnFoldDetail } from '../../models/cnn/estimator';

/** Learning curves of one fold (Figs. 5 and 6): loss and accuracy, train vs validation. */
export function learningCurveFigure(fold: FoldResult<CnnFoldDetail>, title: string): Figure {
  const f = fold.detail;
  const e = f.history.map((h) => h.epoch);
  const line = (y: number[], name: string, axis: string, color: string, dash = 'solid') => ({
    type: 'scatter',
    mode: 'lines+markers',
    x: e,
    y,
    name,
    xaxis: axis === '1' ? 'x' : 'x2',
    yaxis: axis === '1' ? 'y' : 'y2',
    line: { color, dash },
    marker: { size: 4 },
  });
  const best = f.bestEpoch;
  return {
    data: [
      line(
        f.history.map((h) => h.loss),
        'train loss',
        '1',
        '#1f77b4',
      ),
      line(
        f.history.map((h) => h.valLoss),
        'validation loss',
        '1',
        '#ff7f0e',
      ),
      line(
        f.history.map((h) => 100 * h.accuracy),
        'train accuracy',
        '2',
        '#1f77b4',
        'dot',
      ),
      line(
        f.history.map((h) => 100 * h.valAccuracy),
        'validation accuracy',
        '2',
        '#ff7f0e',
        'dot',
      ),
    ],
    layout: {
      title: { text: title },
      grid: { rows: 1, columns: 2, pattern: 'independent' },
      xaxis: { title: { text: 'epoch' }, domain: [0, 0.45] },
      yaxis: { title: { text: 'categorical cross-entropy' } },
      xaxis2: { title: { text: 'epoch' }, domain: [0.55, 1] },
      yaxis2: { title: { text: 'accuracy %' }, anchor: 'x2' },
      shapes: [
        { type: 'line', xref: 'x', yref: 'paper', x0: best, x1: best, y0: 0, y1: 1, line: { dash: 'dash', color: '#888' } },
        { type: 'line', xref: 'x2', yref: 'paper', x0: best, x1: best, y0: 0, y1: 1, line: { dash: 'dash', color: '#888' } },
      ],
      annotations: [
        { xref: 'x', yref: 'paper', x: best, y: 1.02, text: `best epoch ${best} (restored)`, showarrow: false, font: { size: 11 } },
      ],
      height: 420,
      width: 900,
      legend: { orientation: 'h', y: -0.2 },
    },
  };
}

/** Mel images, one per emotion, as a plotly figure of PNG images (Fig. 2). */
export function imagesPerEmotionFigure(
  items: { label: string; png: Uint8Array }[],
  title = 'Fig. 2: mel-spectrogram images, one per emotion',
): Figure {
  const n = items.length;
  const cols = Math.min(4, n);
  const rows = Math.ceil(n / cols);
  const data: any[] = [];
  const layout: Record<string, any> = {
    title: { text: title },
    height: 260 * rows + 60,
    width: 240 * cols + 40,
    margin: { l: 20, r: 20, t: 60, b: 20 },
    annotations: [],
  };
  items.forEach((it, i) => {
    const ax = i === 0 ? '' : String(i + 1);
    const r = Math.floor(i / cols);
    const c = i % cols;
    data.push({
      type: 'image',
      source: `data:image/png;base64,${Buffer.from(it.png).toString('base64')}`,
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
      hoverinfo: 'skip',
    });
    const dx = [c / cols + 0.01, (c + 1) / cols - 0.01];
    const dy = [1 - (r + 1) / rows + 0.04, 1 - r / rows - 0.04];
    layout[`xaxis${ax}`] = { domain: dx, visible: false };
    layout[`yaxis${ax}`] = { domain: dy, visible: false, scaleanchor: `x${ax}` };
    layout.annotations.push({
      text: it.label,
      xref: 'paper',
      yref: 'paper',
      x: (dx[0] + dx[1]) / 2,
      y: dy[1] + 0.035,
      showarrow: false,
      font: { size: 13 },
    });
  });
  return { data, layout };
}
