/**
 * Figure builders (plotly specs) and small computations behind notebooks 02 (III.A: offset /
 * duration, Fig. 1 augmentation, dataset growth) and 03 (III.B-C: the features of one clip,
 * the 173 layout, per-emotion means). Kept here so the notebooks stay thin and the same code
 * is testable.
 */
import { readAudio } from '../../audio/file';
import { encodeWav } from '../../audio/wav';
import { amplitudeToDb } from '../../dsp/convert';
import type { Matrix } from '../../dsp/matrix';
import { magnitude, stft } from '../../dsp/stft';
import type { Figure } from '../../core/figure';
import { escapeHtml } from '../../core/display';
import { MAGMA_RGB } from '../../features/magma';
import type { FeatureTable } from '../../features/store';

/** matplotlib's magma (librosa.display's choice for dB spectrograms) as a plotly colorscale. */
export const MAGMA_COLORSCALE: [number, string][] = Array.from({ length: 17 }, (_, i) => {
  const k = Math.min(255, i * 16);
  const [r, g, b] = MAGMA_RGB[k];
  return [k / 255, `rgb(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)})`] as [number, string];
});

const round = (v: number, d = 4) => {
  const p = 10 ** d;
  return Math.round(v * p) / p;
};

// ---------------------------------------------------------------------------------------------
// Waveforms

/** Min/max envelope of y in `points` buckets, as one zig-zag line (how audio editors draw waveforms). */
export function waveformTrace(
  y: ArrayLike<number>,
  sr: number,
  opts: { points?: number; name?: string; xaxis?: string; yaxis?: string; color?: string; t0?: number } = {},
): Record<string, unknown> {
  const points = Math.max(10, opts.points ?? 1200);
  const per = Math.max(1, Math.ceil(y.length / points));
  const x: number[] = [];
  const v: number[] = [];
  const t0 = opts.t0 ?? 0;
  for (let s = 0; s < y.length; s += per) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = s; i < Math.min(y.length, s + per); i++) {
      if (y[i] < lo) lo = y[i];
      if (y[i] > hi) hi = y[i];
    }
    const t = round(t0 + (s + per / 2) / sr, 5);
    x.push(t, t);
    v.push(round(lo), round(hi));
  }
  const tr: Record<string, unknown> = {
    type: 'scatter',
    mode: 'lines',
    x,
    y: v,
    name: opts.name ?? 'waveform',
    line: { width: 1, color: opts.color ?? '#1f77b4' },
    showlegend: false,
  };
  if (opts.xaxis) tr.xaxis = opts.xaxis;
  if (opts.yaxis) tr.yaxis = opts.yaxis;
  return tr;
}

/**
 * Whole files with the analysis window shaded: why the paper reads 2.5 s from 0.5 s.
 * `clips`: full-length signals (native rate is fine), one panel each.
 */
export function windowWaveformsFigure(
  clips: { label: string; y: ArrayLike<number>; sr: number }[],
  window: [number, number] = [0.5, 3.0],
): Figure {
  const n = clips.length;
  const data: any[] = [];
  const layout: Record<string, any> = {
    title: {
      text: `Whole clips; shaded: the analysed window ${window[0]}-${window[1]} s (offset ${window[0]} s, duration ${round(window[1] - window[0], 3)} s)`,
    },
    height: 170 * n + 80,
    margin: { l: 60, r: 20, t: 60, b: 40 },
    shapes: [],
    annotations: [],
  };
  const gap = 0.04;
  clips.forEach((c, i) => {
    const ax = i === 0 ? '' : String(i + 1);
    const top = 1 - i / n;
    const bottom = 1 - (i + 1) / n + gap;
    data.push(waveformTrace(c.y, c.sr, { points: 1500, name: c.label, xaxis: `x${ax}`, yaxis: `y${ax}` }));
    layout[`xaxis${ax}`] = {
      domain: [0, 1],
      anchor: `y${ax}`,
      title: i === n - 1 ? { text: 'time (s)' } : undefined,
      range: [0, Math.max(...clips.map((k) => k.y.length / k.sr))],
    };
    layout[`yaxis${ax}`] = { domain: [bottom, top], anchor: `x${ax}`, title: { text: 'amplitude' }, zeroline: false };
    layout.shapes.push({
      type: 'rect',
      xref: `x${ax}`,
      yref: `y${ax} domain`,
      x0: window[0],
      x1: window[1],
      y0: 0,
      y1: 1,
      fillcolor: 'rgba(255,165,0,0.18)',
      line: { width: 0 },
      layer: 'below',
    });
    layout.annotations.push({
      xref: `x${ax} domain`,
      yref: `y${ax} domain`,
      x: 1,
      y: 1,
      xanchor: 'right',
      yanchor: 'bottom',
      showarrow: false,
      text: escapeHtml(c.label),
      font: { size: 11 },
    });
  });
  return { data, layout };
}

// ---------------------------------------------------------------------------------------------
// Energy over time (the offset / duration choice)

export interface EnergyProfile {
  /** bin start times (s) */
  t: number[];
  binS: number;
  /** mean over clips of each bin's share of the clip's energy */
  meanShare: number[];
  /** per clip: share of energy before the window, inside it, after it; and the duration */
  clips: { file: string; corpus: string; duration: number; before: number; inside: number; after: number }[];
  window: [number, number];
  failed: { file: string; reason: string }[];
}

/**
 * How the energy of each clip is spread over time (whole files at their native rate): the
 * share of the clip's energy in each `binS` bin up to `maxS`, averaged over clips, and for
 * each clip the share before / inside / after the window.
 */
export async function energyProfile(
  clips: { path: string; corpus?: string; file?: string }[],
  opts: { binS?: number; maxS?: number; window?: [number, number] } = {},
): Promise<EnergyProfile> {
  const binS = opts.binS ?? 0.05;
  const maxS = opts.maxS ?? 5;
  const window = opts.window ?? [0.5, 3.0];
  const nb = Math.ceil(maxS / binS);
  const sum = new Float64Array(nb);
  const out: EnergyProfile['clips'] = [];
  const failed: EnergyProfile['failed'] = [];
  for (const c of clips) {
    let a: Awaited<ReturnType<typeof readAudio>>;
    try {
      a = await readAudio(c.path);
    } catch (e) {
      failed.push({ file: c.file ?? c.path, reason: (e as Error).message });
      continue;
    }
    const { y, sr } = a;
    let total = 0;
    let before = 0;
    let inside = 0;
    const e = new Float64Array(nb);
    const w0 = Math.trunc(window[0] * sr);
    const w1 = Math.trunc(window[1] * sr);
    for (let i = 0; i < y.length; i++) {
      const p = y[i] * y[i];
      total += p;
      if (i < w0) before += p;
      else if (i < w1) inside += p;
      const b = Math.floor(i / sr / binS);
      if (b < nb) e[b] += p;
    }
    if (total <= 0) {
      failed.push({ file: c.file ?? c.path, reason: 'silent' });
      continue;
    }
    for (let b = 0; b < nb; b++) sum[b] += e[b] / total;
    out.push({
      file: c.file ?? c.path,
      corpus: c.corpus ?? '',
      duration: y.length / sr,
      before: before / total,
      inside: inside / total,
      after: 1 - (before + inside) / total,
    });
  }
  return {
    t: Array.from({ length: nb }, (_, b) => round(b * binS, 4)),
    binS,
    meanShare: Array.from(sum, (s) => (out.length ? s / out.length : 0)),
    clips: out,
    window,
    failed,
  };
}

/** Mean share of energy per time bin, with the window shaded. */
export function energyProfileFigure(p: EnergyProfile): Figure {
  return {
    data: [
      {
        type: 'bar',
        x: p.t.map((t) => round(t + p.binS / 2, 4)),
        y: p.meanShare.map((v) => round(v * 100, 3)),
        width: p.binS * 0.95,
        marker: { color: '#1f77b4' },
        name: 'energy share',
      },
    ],
    layout: {
      title: { text: `Where the energy is: mean share of each clip's energy per ${p.binS * 1000} ms (${p.clips.length} clips)` },
      xaxis: { title: { text: 'time from the start of the file (s)' } },
      yaxis: { title: { text: '% of the clip energy' } },
      shapes: [
        {
          type: 'rect',
          xref: 'x',
          yref: 'paper',
          x0: p.window[0],
          x1: p.window[1],
          y0: 0,
          y1: 1,
          fillcolor: 'rgba(255,165,0,0.18)',
          line: { width: 0 },
          layer: 'below',
        },
      ],
      height: 380,
    },
  };
}

/** Per corpus: clips, median duration, mean share of energy before / inside / after the window (%). */
export function energyProfileRows(p: EnergyProfile): Record<string, string | number>[] {
  const by = new Map<string, EnergyProfile['clips']>();
  for (const c of p.clips) {
    const k = c.corpus || '(all)';
    if (!by.has(k)) by.set(k, []);
    by.get(k)!.push(c);
  }
  const rows: Record<string, string | number>[] = [];
  const row = (name: string, cs: EnergyProfile['clips']) => {
    const d = cs.map((c) => c.duration).sort((a, b) => a - b);
    const mean = (f: (c: EnergyProfile['clips'][number]) => number) => round((100 * cs.reduce((s, c) => s + f(c), 0)) / cs.length, 1);
    rows.push({
      corpus: name,
      clips: cs.length,
      'median duration (s)': round(d[Math.floor(d.length / 2)], 2),
      [`energy before ${p.window[0]} s (%)`]: mean((c) => c.before),
      [`energy ${p.window[0]}-${p.window[1]} s (%)`]: mean((c) => c.inside),
      [`energy after ${p.window[1]} s (%)`]: mean((c) => c.after),
    });
  };
  for (const k of [...by.keys()].sort()) row(k, by.get(k)!);
  if (by.size > 1) row('all', p.clips);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Spectrograms and Fig. 1

/** |STFT| in dB (ref = max, top 80 dB), rows pooled to at most `maxRows` (mean of magnitudes), as a heatmap trace. */
export function spectrogramTrace(
  y: Float32Array,
  sr: number,
  opts: { maxRows?: number; xaxis?: string; yaxis?: string; showscale?: boolean; colorbar?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const M = magnitude(stft(y, { nFft: 2048, hopLength: 512 }));
  const pool = Math.max(1, Math.ceil(M.rows / (opts.maxRows ?? 256)));
  const rows = Math.floor(M.rows / pool);
  const P: Matrix = { rows, cols: M.cols, data: new Float32Array(rows * M.cols) };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < M.cols; c++) {
      let s = 0;
      for (let k = 0; k < pool; k++) s += M.data[(r * pool + k) * M.cols + c];
      P.data[r * M.cols + c] = s / pool;
    }
  }
  const D = amplitudeToDb(P, { ref: 'max' });
  const z: number[][] = [];
  for (let r = 0; r < rows; r++) z.push(Array.from(D.data.subarray(r * M.cols, (r + 1) * M.cols), (v) => round(v, 1)));
  const tr: Record<string, unknown> = {
    type: 'heatmap',
    z,
    x: Array.from({ length: M.cols }, (_, c) => round((c * 512) / sr, 4)),
    y: Array.from({ length: rows }, (_, r) => round(((r * pool + (pool - 1) / 2) * sr) / 2048, 1)),
    colorscale: MAGMA_COLORSCALE,
    zmin: -80,
    zmax: 0,
    showscale: opts.showscale ?? true,
    colorbar: opts.colorbar ?? { title: { text: 'dB' } },
  };
  if (opts.xaxis) tr.xaxis = opts.xaxis;
  if (opts.yaxis) tr.yaxis = opts.yaxis;
  return tr;
}

/**
 * Fig. 1 rebuilt: for each signal (the clip and its copies) a row with its waveform (left) and
 * spectrogram (right, dB).
 */
export function augmentationFigure(
  items: { label: string; y: Float32Array }[],
  sr: number,
  title = 'Fig. 1: a clip and its three augmented copies',
): Figure {
  const n = items.length;
  const data: any[] = [];
  const layout: Record<string, any> = {
    title: { text: title },
    height: 210 * n + 90,
    margin: { l: 60, r: 30, t: 70, b: 45 },
    annotations: [],
  };
  const gap = 0.035;
  const tmax = Math.max(...items.map((it) => it.y.length / sr));
  items.forEach((it, i) => {
    const a = 2 * i + 1;
    const b = 2 * i + 2;
    const ax = (k: number) => (k === 1 ? '' : String(k));
    const top = 1 - i / n;
    const bottom = 1 - (i + 1) / n + gap;
    data.push(waveformTrace(it.y, sr, { points: 1000, name: it.label, xaxis: `x${ax(a)}`, yaxis: `y${ax(a)}` }));
    data.push(
      spectrogramTrace(it.y, sr, {
        maxRows: 192,
        xaxis: `x${ax(b)}`,
        yaxis: `y${ax(b)}`,
        showscale: i === 0,
        colorbar: { title: { text: 'dB' }, len: 0.3, y: 0.85 },
      }),
    );
    layout[`xaxis${ax(a)}`] = {
      domain: [0, 0.44],
      anchor: `y${ax(a)}`,
      range: [0, tmax],
      title: i === n - 1 ? { text: 'time (s)' } : undefined,
    };
    layout[`yaxis${ax(a)}`] = { domain: [bottom, top], anchor: `x${ax(a)}`, title: { text: 'amplitude' }, zeroline: false };
    layout[`xaxis${ax(b)}`] = {
      domain: [0.52, 0.95],
      anchor: `y${ax(b)}`,
      range: [0, tmax],
      title: i === n - 1 ? { text: 'time (s)' } : undefined,
    };
    layout[`yaxis${ax(b)}`] = { domain: [bottom, top], anchor: `x${ax(b)}`, title: { text: 'Hz' } };
    layout.annotations.push({
      xref: 'paper',
      yref: 'paper',
      x: 0,
      y: top,
      xanchor: 'left',
      yanchor: 'bottom',
      showarrow: false,
      text: `<b>${escapeHtml(it.label)}</b> (${(it.y.length / sr).toFixed(2)} s)`,
      font: { size: 12 },
    });
  });
  return { data, layout };
}

/** HTML audio players (16-bit WAV data URLs) with a label each; tslab shows this with display.html. */
export function audioPlayersHtml(items: { label: string; y: Float32Array; sr: number }[]): string {
  const cells = items.map((it) => {
    // peak-normalise only when the signal would clip in 16 bits
    let peak = 0;
    for (let i = 0; i < it.y.length; i++) peak = Math.max(peak, Math.abs(it.y[i]));
    const y = peak > 1 ? Float32Array.from(it.y, (v) => v / peak) : it.y;
    const b64 = Buffer.from(encodeWav(y, it.sr, { bitDepth: 16 })).toString('base64');
    return `<div style="display:inline-block;margin:4px 12px 4px 0;vertical-align:top"><div style="font-size:12px;font-weight:bold">${escapeHtml(it.label)}</div><audio controls preload="none" src="data:audio/wav;base64,${b64}"></audio></div>`;
  });
  return `<div class="ser-audio">${cells.join('')}</div>`;
}

// ---------------------------------------------------------------------------------------------
// Dataset growth

/** Rows per emotion without and with augmentation (x4), plus totals. */
export function augmentationGrowthRows(
  emotionCounts: Record<string, number>,
  emotions: readonly string[],
): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  let total = 0;
  for (const e of emotions) {
    const n = emotionCounts[e] ?? 0;
    total += n;
    rows.push({ emotion: e, 'clips (N)': n, 'rows with augmentation (4N)': 4 * n });
  }
  rows.push({ emotion: 'total', 'clips (N)': total, 'rows with augmentation (4N)': 4 * total });
  return rows;
}

/** Bar chart: the dataset before and after augmentation (this corpus and the paper's). */
export function augmentationGrowthFigure(n: number, label = 'this corpus'): Figure {
  return {
    data: [
      {
        type: 'bar',
        name: 'original clips',
        x: [label, 'paper'],
        y: [n, 12162],
        text: [String(n), '12162'],
        textposition: 'auto',
        marker: { color: '#1f77b4' },
      },
      {
        type: 'bar',
        name: '+ noise, stretch, pitch copies',
        x: [label, 'paper'],
        y: [3 * n, 3 * 12162],
        text: [String(4 * n), '48648'],
        textposition: 'auto',
        marker: { color: '#ff7f0e' },
      },
    ],
    layout: {
      barmode: 'stack',
      title: { text: 'Data augmentation quadruples the dataset (N -> 4N rows)' },
      yaxis: { title: { text: 'rows' } },
      height: 380,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Notebook 03: features of one clip, layout, per-emotion means

/** A feature matrix (rows = bins, cols = frames) as a heatmap figure. */
export function featureHeatmap(
  m: Matrix,
  sr: number,
  title: string,
  opts: {
    hop?: number;
    yLabels?: (string | number)[];
    yTitle?: string;
    colorscale?: string | [number, string][];
    zTitle?: string;
    digits?: number;
  } = {},
): Figure {
  const hop = opts.hop ?? 512;
  const z: number[][] = [];
  for (let r = 0; r < m.rows; r++) z.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols), (v) => round(v, opts.digits ?? 4)));
  return {
    data: [
      {
        type: 'heatmap',
        z,
        x: Array.from({ length: m.cols }, (_, c) => round((c * hop) / sr, 4)),
        y: opts.yLabels ?? Array.from({ length: m.rows }, (_, r) => r),
        colorscale: opts.colorscale ?? 'Viridis',
        colorbar: opts.zTitle ? { title: { text: opts.zTitle } } : undefined,
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'time (s)' } },
      yaxis: { title: { text: opts.yTitle ?? 'row' } },
      height: 340,
      margin: { l: opts.yLabels?.some((v) => typeof v === 'string' && v.length > 4) ? 110 : 70, r: 20, t: 50, b: 45 },
    },
  };
}

/** The blocks of a layout like PAPER173_LAYOUT ('mfcc_1', ...): name, size, column range. */
export function layoutBlocks(layout: readonly string[]): { block: string; size: number; first: number; last: number }[] {
  const out: { block: string; size: number; first: number; last: number }[] = [];
  layout.forEach((name, i) => {
    const block = name.replace(/\[.*$/, '').replace(/_\d+$/, '');
    const cur = out[out.length - 1];
    if (cur && cur.block === block) {
      cur.size++;
      cur.last = i;
    } else out.push({ block, size: 1, first: i, last: i });
  });
  return out;
}

/**
 * Per-emotion means of the standardised features (z-score of each column over all rows):
 * emotions x features, from a feature table (rows with no label are left out).
 */
export function perEmotionMeans(t: FeatureTable, opts: { kinds?: string[] } = {}): { emotions: string[]; z: number[][]; counts: number[] } {
  const keep = (i: number) => t.label[i] >= 0 && (!opts.kinds || opts.kinds.includes(t.kind[i]));
  const nF = t.nFeatures;
  const mean = new Float64Array(nF);
  const sq = new Float64Array(nF);
  let n = 0;
  for (let i = 0; i < t.nRows; i++) {
    if (!keep(i)) continue;
    n++;
    for (let j = 0; j < nF; j++) {
      const v = t.X[i * nF + j];
      mean[j] += v;
      sq[j] += v * v;
    }
  }
  const sd = new Float64Array(nF);
  for (let j = 0; j < nF; j++) {
    mean[j] /= Math.max(1, n);
    sd[j] = Math.sqrt(Math.max(0, sq[j] / Math.max(1, n) - mean[j] * mean[j])) || 1;
  }
  const emotions: string[] = [];
  const z: number[][] = [];
  const counts: number[] = [];
  t.emotions.forEach((e, li) => {
    const acc = new Float64Array(nF);
    let c = 0;
    for (let i = 0; i < t.nRows; i++) {
      if (!keep(i) || t.label[i] !== li) continue;
      c++;
      for (let j = 0; j < nF; j++) acc[j] += (t.X[i * nF + j] - mean[j]) / sd[j];
    }
    if (!c) return;
    emotions.push(e);
    counts.push(c);
    z.push(Array.from(acc, (v) => round(v / c, 3)));
  });
  return { emotions, z, counts };
}

/** Heatmap of perEmotionMeans with the block boundaries of the layout marked. */
export function perEmotionMeansFigure(t: FeatureTable, opts: { kinds?: string[]; title?: string } = {}): Figure {
  const pm = perEmotionMeans(t, opts);
  const blocks = layoutBlocks(t.layout);
  return {
    data: [
      {
        type: 'heatmap',
        z: pm.z,
        x: t.layout,
        y: pm.emotions.map((e, i) => `${e} (${pm.counts[i]})`),
        colorscale: 'RdBu',
        reversescale: true,
        zmid: 0,
        colorbar: { title: { text: 'mean z' } },
      },
    ],
    layout: {
      title: { text: opts.title ?? `Per-emotion mean of each standardised feature (${t.nFeatures} columns)` },
      xaxis: {
        tickvals: blocks.map((b) => t.layout[Math.floor((b.first + b.last) / 2)]),
        ticktext: blocks.map((b) => b.block),
        tickangle: -35,
      },
      shapes: blocks.slice(1).map((b) => ({
        type: 'line',
        xref: 'x',
        yref: 'paper',
        x0: b.first - 0.5,
        x1: b.first - 0.5,
        y0: 0,
        y1: 1,
        line: { color: 'black', width: 1 },
      })),
      height: 420,
      margin: { l: 120, r: 20, t: 50, b: 50 },
    },
  };
}

/** The linear-frequency spectrogram of one signal (|STFT| in dB, ref = max) as a figure. */
export function spectrogramFigure(y: Float32Array, sr: number, title = 'Spectrogram |STFT| (dB, n_fft 2048, hop 512)'): Figure {
  return {
    data: [spectrogramTrace(y, sr, { maxRows: 256 })],
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'time (s)' } },
      yaxis: { title: { text: 'Hz' } },
      height: 340,
      margin: { l: 70, r: 20, t: 50, b: 45 },
    },
  };
}
