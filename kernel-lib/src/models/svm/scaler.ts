/**
 * The feature scalers of the SVM pipeline, as scikit-learn 1.2 defines them:
 * - StandardScaler (`sklearn.preprocessing.StandardScaler`): per-feature mean and population
 *   standard deviation (ddof = 0) learnt by `fit`, `(x - mean) / scale` applied by `transform`;
 *   a feature with zero variance keeps scale 1 (sklearn's `_handle_zeros_in_scale`).
 * - MinMaxScaler (`sklearn.preprocessing.MinMaxScaler(feature_range=(0, 1), clip=False)`).
 * - `makeScaler('none' | 'standard' | 'minmax')`: the choice `ser svm --scaler` offers.
 * Inside a Pipeline a scaler is fitted on training rows only.
 */
import type { Matrix } from '../../dsp/matrix';
import { sharedFloat64 } from '../../platform/shared';

/** A feature matrix: a row-major Matrix (rows = samples, cols = features) or an array of rows. */
export type MatrixLike = Matrix | ArrayLike<number>[];

/** A row-major float64 matrix: rows = samples, cols = features. */
export interface F64Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

function isMatrix(x: MatrixLike): x is Matrix {
  return !Array.isArray(x) && typeof (x as Matrix).rows === 'number' && typeof (x as Matrix).cols === 'number';
}

/**
 * Any MatrixLike as a float64 row-major matrix (a copy unless it already is one, or `shared`
 * asks for shared memory). Throws on ragged rows or non-finite values.
 */
export function asMatrix(x: MatrixLike, opts: { shared?: boolean; copy?: boolean } = {}): F64Matrix {
  let rows: number;
  let cols: number;
  let src: ArrayLike<number> | null = null;
  if (isMatrix(x)) {
    rows = x.rows;
    cols = x.cols;
    src = x.data;
    if (src.length !== rows * cols) throw new Error(`matrix has ${src.length} values, expected ${rows} x ${cols}`);
    if (src instanceof Float64Array && !opts.shared && !opts.copy) return { rows, cols, data: src };
  } else {
    rows = x.length;
    cols = rows ? x[0].length : 0;
  }
  const data = opts.shared ? sharedFloat64(rows * cols) : new Float64Array(rows * cols);
  if (src) data.set(src);
  else {
    const r = x as ArrayLike<number>[];
    for (let i = 0; i < rows; i++) {
      if (r[i].length !== cols) throw new Error(`row ${i} has ${r[i].length} values, expected ${cols}`);
      data.set(r[i] as ArrayLike<number>, i * cols);
    }
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]))
      throw new Error(`matrix value at row ${Math.floor(i / cols)}, column ${i % cols} is not finite (${data[i]})`);
  }
  return { rows, cols, data };
}

/** Rows `idx` of a matrix (a copy). */
export function takeRows(m: F64Matrix, idx: ArrayLike<number>, shared = false): F64Matrix {
  const n = idx.length;
  const data = shared ? sharedFloat64(n * m.cols) : new Float64Array(n * m.cols);
  for (let i = 0; i < n; i++) {
    const r = idx[i];
    data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return { rows: n, cols: m.cols, data };
}

/** A fitted scaler's saved form: its per-column arrays (as plain arrays) and the rows it saw. */
export type ScalerState<K extends string> = Record<K, number[]> & { nSamplesSeen: number };

/**
 * What both scalers share around their own arithmetic: `fit` (a float64 matrix of at least one
 * row, learnt by `learn`), the fitted check, `transform` (a float64 copy, in a SharedArrayBuffer
 * when asked, mapped in place by `apply`), `fitTransform`, and the JSON form `{type, params,
 * state}` (the arrays of `fittedArrays`, in its order, then nSamplesSeen; null before fit).
 */
abstract class ColumnScaler<T extends string, P, S extends { nSamplesSeen: number }> {
  readonly params: P;
  nSamplesSeen = 0;

  protected constructor(params: P) {
    this.params = params;
  }

  /** the scaler's name, in messages and in its JSON */
  protected abstract get type(): T;
  /** learns the per-column arrays from the rows of `m` */
  protected abstract learn(m: F64Matrix): void;
  /** the number of features fitted on, or null before fit */
  protected abstract fittedCols(): number | null;
  /** maps one row, `data[o .. o + cols)`, in place (the scaler's formula) */
  protected abstract applyRow(data: Float64Array, o: number, cols: number): void;
  /** the fitted per-column arrays by their names in the JSON state, in its order */
  protected abstract fittedArrays(): Record<string, Float64Array | null>;

  fit(X: MatrixLike): this {
    const m = asMatrix(X);
    if (m.rows < 1) throw new Error(`${this.type}.fit: no rows`);
    this.learn(m);
    this.nSamplesSeen = m.rows;
    return this;
  }

  protected check(cols: number): void {
    const fitted = this.fittedCols();
    if (fitted === null) throw new Error(`${this.type}: call fit first`);
    if (cols !== fitted) throw new Error(`${this.type}: fitted on ${fitted} features, got ${cols}`);
  }

  /** The fitted map applied to X, as a new float64 matrix (`shared`: in a SharedArrayBuffer). */
  transform(X: MatrixLike, shared = false): F64Matrix {
    const m = asMatrix(X);
    this.check(m.cols);
    const out = shared ? asMatrix(m, { shared: true }) : asMatrix(m, { copy: true });
    const { rows, cols, data } = out;
    for (let i = 0; i < rows; i++) this.applyRow(data, i * cols, cols);
    return out;
  }

  fitTransform(X: MatrixLike, shared = false): F64Matrix {
    return this.fit(X).transform(X, shared);
  }

  toJSON(): { type: T; params: P; state: S | null } {
    const arrays = Object.entries(this.fittedArrays());
    const fitted = arrays.every(([, a]) => a !== null);
    const state = fitted
      ? { ...Object.fromEntries(arrays.map(([k, a]) => [k, Array.from(a as Float64Array)])), nSamplesSeen: this.nSamplesSeen }
      : null;
    return { type: this.type, params: this.params, state: state as S | null };
  }

  /** Sets the fitted arrays and nSamplesSeen from a saved state (none: stays unfitted). */
  protected restore(state: S | null): this {
    if (state) {
      const self = this as unknown as Record<string, Float64Array>;
      for (const k of Object.keys(this.fittedArrays())) self[k] = Float64Array.from((state as unknown as Record<string, number[]>)[k]);
      this.nSamplesSeen = state.nSamplesSeen;
    }
    return this;
  }
}

export interface StandardScalerParams {
  withMean: boolean;
  withStd: boolean;
}

export type StandardScalerState = ScalerState<'mean' | 'scale' | 'var'>;

export class StandardScaler extends ColumnScaler<'StandardScaler', StandardScalerParams, StandardScalerState> {
  mean: Float64Array | null = null;
  var: Float64Array | null = null;
  scale: Float64Array | null = null;

  constructor(params: Partial<StandardScalerParams> = {}) {
    super({ withMean: params.withMean ?? true, withStd: params.withStd ?? true });
  }

  protected get type(): 'StandardScaler' {
    return 'StandardScaler';
  }

  /** Learns mean and standard deviation of every column (two passes, float64). */
  protected learn(m: F64Matrix): void {
    const { rows, cols, data } = m;
    const mean = new Float64Array(cols);
    const v = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      for (let j = 0; j < cols; j++) mean[j] += data[o + j];
    }
    for (let j = 0; j < cols; j++) mean[j] /= rows;
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      for (let j = 0; j < cols; j++) {
        const t = data[o + j] - mean[j];
        v[j] += t * t;
      }
    }
    for (let j = 0; j < cols; j++) v[j] /= rows;
    const scale = new Float64Array(cols);
    const eps = 2.220446049250313e-16;
    for (let j = 0; j < cols; j++) {
      // sklearn's _is_constant_feature: var <= n eps var + (n mean eps)^2 -> scale 1
      const bound = rows * eps * v[j] + (rows * mean[j] * eps) ** 2;
      scale[j] = v[j] <= bound ? 1 : Math.sqrt(v[j]);
    }
    this.mean = this.params.withMean ? mean : new Float64Array(cols);
    this.var = v;
    this.scale = this.params.withStd ? scale : new Float64Array(cols).fill(1);
  }

  /** (x - mean) / scale */
  protected applyRow(data: Float64Array, o: number, cols: number): void {
    const mean = this.mean as Float64Array;
    const scale = this.scale as Float64Array;
    for (let j = 0; j < cols; j++) data[o + j] = (data[o + j] - mean[j]) / scale[j];
  }

  inverseTransform(X: MatrixLike): F64Matrix {
    const out = asMatrix(X, { copy: true });
    this.check(out.cols);
    const mean = this.mean as Float64Array;
    const scale = this.scale as Float64Array;
    for (let i = 0; i < out.rows; i++) {
      for (let j = 0; j < out.cols; j++) out.data[i * out.cols + j] = out.data[i * out.cols + j] * scale[j] + mean[j];
    }
    return out;
  }

  protected fittedCols(): number | null {
    return this.mean && this.scale ? this.mean.length : null;
  }

  protected fittedArrays(): Record<string, Float64Array | null> {
    return { mean: this.mean, scale: this.scale, var: this.var };
  }

  static fromJSON(j: { params: StandardScalerParams; state: StandardScalerState | null }): StandardScaler {
    return new StandardScaler(j.params).restore(j.state);
  }
}

export interface MinMaxScalerParams {
  /** (min, max) of the transformed training data, default [0, 1] */
  featureRange: [number, number];
}

export type MinMaxScalerState = ScalerState<'dataMin' | 'dataMax' | 'scale' | 'min'>;

/**
 * sklearn.preprocessing.MinMaxScaler (1.2), clip=False: `fit` learns data_min_ / data_max_ per
 * column, scale_ = (hi - lo) / _handle_zeros_in_scale(data_max - data_min) (a range below
 * 10 * float64 eps, e.g. a constant column, counts as 1) and min_ = lo - data_min * scale_;
 * `transform` computes `x * scale_ + min_` with sklearn's two roundings (`X *= scale_`, then
 * `X += min_`), so a constant column maps to lo and test values may leave [lo, hi].
 */
export class MinMaxScaler extends ColumnScaler<'MinMaxScaler', MinMaxScalerParams, MinMaxScalerState> {
  dataMin: Float64Array | null = null;
  dataMax: Float64Array | null = null;
  scale: Float64Array | null = null;
  min: Float64Array | null = null;

  constructor(params: Partial<MinMaxScalerParams> = {}) {
    const range = params.featureRange ?? [0, 1];
    if (!(range.length === 2 && range[0] < range[1]))
      throw new Error(`MinMaxScaler: minimum of the desired feature range must be smaller than its maximum, got [${range.join(', ')}]`);
    super({ featureRange: [range[0], range[1]] });
  }

  protected get type(): 'MinMaxScaler' {
    return 'MinMaxScaler';
  }

  protected learn(m: F64Matrix): void {
    const { rows, cols, data } = m;
    const lo = new Float64Array(cols).fill(Infinity);
    const hi = new Float64Array(cols).fill(-Infinity);
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      for (let j = 0; j < cols; j++) {
        const v = data[o + j];
        if (v < lo[j]) lo[j] = v;
        if (v > hi[j]) hi[j] = v;
      }
    }
    const [a, b] = this.params.featureRange;
    const scale = new Float64Array(cols);
    const min = new Float64Array(cols);
    const eps = 2.220446049250313e-16;
    for (let j = 0; j < cols; j++) {
      const range = hi[j] - lo[j];
      scale[j] = (b - a) / (range < 10 * eps ? 1 : range);
      min[j] = a - lo[j] * scale[j];
    }
    this.dataMin = lo;
    this.dataMax = hi;
    this.scale = scale;
    this.min = min;
  }

  /** x * scale_ + min_ */
  protected applyRow(data: Float64Array, o: number, cols: number): void {
    const scale = this.scale as Float64Array;
    const min = this.min as Float64Array;
    for (let j = 0; j < cols; j++) data[o + j] = data[o + j] * scale[j] + min[j];
  }

  protected fittedCols(): number | null {
    return this.scale && this.min ? this.scale.length : null;
  }

  protected fittedArrays(): Record<string, Float64Array | null> {
    return { dataMin: this.dataMin, dataMax: this.dataMax, scale: this.scale, min: this.min };
  }

  static fromJSON(j: { params: MinMaxScalerParams; state: MinMaxScalerState | null }): MinMaxScaler {
    return new MinMaxScaler(j.params).restore(j.state);
  }
}

/** The scaler choices of the SVM pipeline: none, StandardScaler (the default), MinMaxScaler. */
export const SCALER_KINDS = ['standard', 'minmax', 'none'] as const;
export type ScalerKind = (typeof SCALER_KINDS)[number];

/** A fresh scaler of the given kind (null for 'none'); an unknown kind is a one-line error. */
export function makeScaler(kind: ScalerKind): StandardScaler | MinMaxScaler | null {
  if (kind === 'standard') return new StandardScaler();
  if (kind === 'minmax') return new MinMaxScaler();
  if (kind === 'none') return null;
  throw new Error(`unknown scaler '${kind as string}' (have ${SCALER_KINDS.join(', ')})`);
}
