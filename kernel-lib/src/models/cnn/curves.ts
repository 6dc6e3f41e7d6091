/**
 * The live learning curves a notebook shows while a CNN trains (a small SVG redrawn after every
 * epoch; Keras' progress bar + TensorBoard in one output). The paper's Figs. 5 and 6 themselves
 * are plotly figures in report/figures.
 */
import { escapeHtml } from '../../core/display';

/** One epoch of training: the numbers Keras' History records, plus speed. */
export interface EpochLog {
  /** 1-based */
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
  /** training samples per second (forward + backward + update) */
  samplesPerSecond: number;
}

/** A small two-panel SVG (loss, accuracy; train vs validation) for the live notebook output. */
export function curvesSvg(history: EpochLog[], title: string, bestEpoch = 0, status = ''): string {
  if (!history.length) return `<div><b>${escapeHtml(title)}</b><br/><small>${escapeHtml(status || 'starting')}</small></div>`;
  const W = 300;
  const H = 170;
  const pad = 34;
  const panel = (key: 'loss' | 'accuracy', valKey: 'valLoss' | 'valAccuracy', x0: number, name: string) => {
    const ys = history.flatMap((h) => [h[key], h[valKey]]).filter(Number.isFinite);
    const lo = Math.min(...ys, key === 'accuracy' ? 0 : Infinity);
    const hi = Math.max(...ys, key === 'accuracy' ? 1 : -Infinity);
    const n = Math.max(2, history.length);
    const sx = (e: number) => x0 + pad + ((e - 1) / (n - 1)) * (W - pad - 10);
    const sy = (v: number) => 10 + (1 - (v - lo) / (hi - lo || 1)) * (H - pad - 10);
    const line = (k: 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy', color: string) =>
      `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${history.map((h) => `${sx(h.epoch).toFixed(1)},${sy(h[k]).toFixed(1)}`).join(' ')}"/>`;
    const best = bestEpoch
      ? `<line x1="${sx(bestEpoch)}" x2="${sx(bestEpoch)}" y1="10" y2="${H - pad}" stroke="#999" stroke-dasharray="3,3"/>`
      : '';
    return (
      `<rect x="${x0 + pad}" y="10" width="${W - pad - 10}" height="${H - pad - 10}" fill="none" stroke="#ccc"/>` +
      best +
      line(key, '#1f77b4') +
      line(valKey, '#ff7f0e') +
      `<text x="${x0 + pad}" y="${H - pad + 14}" font-size="10">epoch 1..${history.length}</text>` +
      `<text x="${x0 + 2}" y="18" font-size="10">${hi.toFixed(2)}</text><text x="${x0 + 2}" y="${H - pad}" font-size="10">${lo.toFixed(2)}</text>` +
      `<text x="${x0 + W / 2}" y="${H - 6}" font-size="11" text-anchor="middle">${name}</text>`
    );
  };
  const last = history[history.length - 1];
  const caption = last
    ? `epoch ${last.epoch}: loss ${last.loss.toFixed(3)}, val_loss ${last.valLoss.toFixed(3)}, acc ${(100 * last.accuracy).toFixed(1)}%, val_acc ${(100 * last.valAccuracy).toFixed(1)}%${bestEpoch ? `, best epoch ${bestEpoch}` : ''}`
    : '';
  return (
    `<div><b>${escapeHtml(title)}</b> <span style="color:#1f77b4">train</span> / <span style="color:#ff7f0e">validation</span><br/>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H}">${panel('loss', 'valLoss', 0, 'loss')}${panel('accuracy', 'valAccuracy', W, 'accuracy')}</svg>` +
    `<br/><small>${escapeHtml(caption)}${status ? `<br/>${escapeHtml(status)}` : ''}</small></div>`
  );
}
