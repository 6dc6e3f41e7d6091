/**
 * The error-analysis section of notebooks 04 and 07 in one call: the most confused class pairs,
 * a few misclassified clips of each with an audio player, the true and predicted class and the
 * model's probabilities, then accuracy per corpus and per speaker as tables and charts.
 */
import { load } from '../audio/load';
import { html, markdown } from '../core/display';
import { INPUT_RULE } from '../core/input-rule';
import type { ScanResult } from '../corpora/scan';
import type { CVResult } from '../eval/crossval';
import type { Dataset } from '../eval/dataset';
import { accuracyBy, type ConfusedPair, confusedPairs, type GroupAccuracy, type OutOfFold, pairErrors } from '../eval/errors';
import { groupAccuracyRows, pairErrorRows } from '../report/cv-tables';
import { audioPlayersHtml } from '../report/figures/signals';
import { groupAccuracyFigure } from '../report/figures/results';
import { saveFigure } from '../report/figures/output';
import { saveTable } from '../report/tables';

export interface ErrorAnalysisOptions {
  /** prefix of the saved tables and figures, e.g. '04-svm' */
  name: string;
  /** the model in words, for titles */
  model: string;
  /** class pairs to listen to (default 2) */
  pairs?: number;
  /** misclassified clips per direction of a pair (default 2) */
  perPair?: number;
}

export interface ErrorAnalysis {
  pairs: { pair: ConfusedPair; errors: OutOfFold[] }[];
  byCorpus: GroupAccuracy[];
  bySpeaker: GroupAccuracy[];
}

/** Shows and saves the error analysis of a run (see the module comment); returns its numbers. */
export async function listenToErrors(cv: CVResult, d: Dataset, scan: ScanResult, o: ErrorAnalysisOptions): Promise<ErrorAnalysis> {
  const pathOf = new Map(scan.clips.map((c) => [c.clipId, c.path]));
  const label = (i: number) => d.labels[i];
  const pairs = confusedPairs(cv, o.pairs ?? 2).map((pair) => ({ pair, errors: pairErrors(cv, d, pair, o.perPair ?? 2) }));
  for (const [i, { pair, errors }] of pairs.entries()) {
    markdown(
      `**${label(pair.a)} ↔ ${label(pair.b)}**: ${pair.aAsB} ${label(pair.a)} clips predicted ${label(pair.b)} and ${pair.bAsA} the other way (summed over the test folds).`,
    );
    if (!errors.length) continue;
    saveTable(`${o.name}-errors-${i + 1}`, pairErrorRows(errors, d), {
      title: `${o.model}: misclassified ${label(pair.a)} / ${label(pair.b)} clips`,
    });
    const players = [];
    for (const e of errors) {
      const file = pathOf.get(d.groups.clip[e.row]);
      if (!file) continue;
      const a = await load(file, INPUT_RULE); // what the model heard: 22050 Hz, 0.5 s offset, 2.5 s
      const p = e.proba ? ` (p ${(100 * e.proba[e.yPred]).toFixed(0)}%)` : '';
      players.push({ label: `${d.groups.clip[e.row]}: ${label(e.yTrue)} heard as ${label(e.yPred)}${p}`, y: a.y, sr: a.sr });
    }
    html(audioPlayersHtml(players));
  }
  const byCorpus = accuracyBy(cv, d, 'corpus');
  const bySpeaker = accuracyBy(cv, d, 'speaker');
  saveTable(`${o.name}-accuracy-by-corpus`, groupAccuracyRows(byCorpus, 'corpus'), {
    title: `${o.model}: accuracy per corpus (tested rows of all folds)`,
  });
  saveFigure(
    `${o.name}-accuracy-by-corpus`,
    groupAccuracyFigure(byCorpus, 'corpus', `${o.model}: accuracy per corpus (dashed: all)`, cv.accuracy.mean),
  );
  saveTable(`${o.name}-accuracy-by-speaker`, groupAccuracyRows(bySpeaker, 'speaker'), { title: `${o.model}: accuracy per speaker` });
  saveFigure(
    `${o.name}-accuracy-by-speaker`,
    groupAccuracyFigure(bySpeaker, 'speaker', `${o.model}: accuracy per speaker (dashed: all)`, cv.accuracy.mean),
  );
  return { pairs, byCorpus, bySpeaker };
}
