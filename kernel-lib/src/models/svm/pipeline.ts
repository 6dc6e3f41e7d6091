/**
 * Pipeline (scikit-learn's `sklearn.pipeline.Pipeline` / `make_pipeline`): transformers
 * followed by a final estimator. `fit` fits each transformer on the training rows only and
 * passes the transformed rows on, so `makePipeline(new StandardScaler(), new SVC({C: 30}))`
 * never sees the test rows' statistics, as the paper's protocol requires.
 *
 * No file access here (a browser page runs this code too): `toJSON` / `fromJSON` give the saved
 * form, models/estimator-files.ts reads and writes it as a file.
 */
import {
  type F64Matrix,
  type MatrixLike,
  MinMaxScaler,
  type MinMaxScalerParams,
  type MinMaxScalerState,
  type ScalerKind,
  makeScaler,
  StandardScaler,
  type StandardScalerParams,
  type StandardScalerState,
} from './scaler';
import { type Label, SVC, type SVCJson } from './svc';

export interface Transformer {
  fit(X: MatrixLike): unknown;
  transform(X: MatrixLike, shared?: boolean): F64Matrix;
  toJSON(): unknown;
}

export type Step = [name: string, step: Transformer | SVC];

export class Pipeline {
  readonly steps: Step[];

  constructor(steps: Step[]) {
    if (!steps.length) throw new Error('Pipeline: no steps');
    const names = new Set<string>();
    for (const [name] of steps) {
      if (names.has(name)) throw new Error(`Pipeline: duplicate step name '${name}'`);
      names.add(name);
    }
    if (!(steps[steps.length - 1][1] instanceof SVC)) throw new Error('Pipeline: the last step must be an estimator (SVC)');
    for (const [name, s] of steps.slice(0, -1)) {
      if (s instanceof SVC) throw new Error(`Pipeline: step '${name}' must be a transformer`);
    }
    this.steps = steps;
  }

  /** The final estimator. */
  get estimator(): SVC {
    return this.steps[this.steps.length - 1][1] as SVC;
  }

  /** A step by name. */
  named(name: string): Transformer | SVC {
    const s = this.steps.find(([n]) => n === name);
    if (!s) throw new Error(`Pipeline: no step '${name}'`);
    return s[1];
  }

  get classes(): Label[] {
    return this.estimator.classes;
  }

  private transformers(): Transformer[] {
    return this.steps.slice(0, -1).map(([, s]) => s as Transformer);
  }

  /** X through every transformer (already fitted). */
  transform(X: MatrixLike): MatrixLike {
    let cur: MatrixLike = X;
    const ts = this.transformers();
    ts.forEach((t, i) => (cur = t.transform(cur, i === ts.length - 1)));
    return cur;
  }

  private fitTransformers(X: MatrixLike): MatrixLike {
    let cur: MatrixLike = X;
    const ts = this.transformers();
    ts.forEach((t, i) => {
      t.fit(cur);
      cur = t.transform(cur, i === ts.length - 1);
    });
    return cur;
  }

  async fit(X: MatrixLike, y: ArrayLike<Label>): Promise<this> {
    await this.estimator.fit(this.fitTransformers(X), y);
    return this;
  }

  fitSync(X: MatrixLike, y: ArrayLike<Label>): this {
    this.estimator.fitSync(this.fitTransformers(X), y);
    return this;
  }

  predict(X: MatrixLike): Promise<Label[]> {
    return this.estimator.predict(this.transform(X));
  }

  predictIndex(X: MatrixLike): Promise<Int32Array> {
    return this.estimator.predictIndex(this.transform(X));
  }

  predictSync(X: MatrixLike): Label[] {
    return this.estimator.predictSync(this.transform(X));
  }

  predictProba(X: MatrixLike): Promise<number[][]> {
    return this.estimator.predictProba(this.transform(X));
  }

  decisionFunction(X: MatrixLike): Promise<number[][]> {
    return this.estimator.decisionFunction(this.transform(X));
  }

  toJSON(): { format: 'ser-pipeline'; version: 1; steps: { name: string; type: string; value: unknown }[] } {
    return {
      format: 'ser-pipeline',
      version: 1,
      steps: this.steps.map(([name, s]) => ({
        name,
        type: s instanceof SVC ? 'SVC' : (s.constructor as { name: string }).name,
        value: s.toJSON(),
      })),
    };
  }

  static fromJSON(j: ReturnType<Pipeline['toJSON']>, opts: { workers?: number } = {}): Pipeline {
    if (j.format !== 'ser-pipeline' || j.version !== 1) throw new Error(`not a saved pipeline (format ${j.format})`);
    return new Pipeline(
      j.steps.map(({ name, type, value }) => {
        if (type === 'SVC') return [name, SVC.fromJSON(value as SVCJson, opts)];
        if (type === 'StandardScaler')
          return [name, StandardScaler.fromJSON(value as { params: StandardScalerParams; state: StandardScalerState | null })];
        if (type === 'MinMaxScaler')
          return [name, MinMaxScaler.fromJSON(value as { params: MinMaxScalerParams; state: MinMaxScalerState | null })];
        throw new Error(`Pipeline.fromJSON: unknown step type '${type}'`);
      }),
    );
  }
}

/** make_pipeline: steps named after their lower-cased class names. */
export function makePipeline(...steps: (Transformer | SVC)[]): Pipeline {
  return new Pipeline(steps.map((s) => [(s.constructor as { name: string }).name.toLowerCase(), s] as Step));
}

/**
 * The SVM pipeline of the traditional path: `make_pipeline(<scaler>, svc)` with the scaler step
 * named 'scaler', or the SVC alone for scaler 'none' (sklearn: `make_pipeline(svc)`).
 */
export function svmPipeline(scaler: ScalerKind, svc: SVC): Pipeline {
  const s = makeScaler(scaler);
  return new Pipeline(
    s
      ? [
          ['scaler', s],
          ['svc', svc],
        ]
      : [['svc', svc]],
  );
}
