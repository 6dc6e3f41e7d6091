// Notebook 09's table (sensitivityRows): the "with augmentation %" column is there when a variant
// ran with augmentation, and left out when none did (the paper profile's default), rather than
// printed empty.
import assert from 'node:assert';
import { notebook } from 'kernel-lib/internal';
import type { evaluation } from 'kernel-lib/internal';

const cv = (mean: number, std: number) => ({ k: 5, accuracy: { mean, std } }) as unknown as evaluation.CVResult;

function study(augmented: boolean): notebook.SensitivityResult {
  const reference = {
    variant: notebook.RECIPE_VARIANTS[0],
    features: 173,
    cv: cv(0.623, 0.011),
    augmented: augmented ? cv(0.709, 0.005) : undefined,
  };
  const other = { variant: notebook.RECIPE_VARIANTS[7], features: 173, cv: cv(0.543, 0.005) };
  return { rows: [reference, other], reference, paper: { mean: 65.3, std: 0.6 }, clips: 12162, seconds: 1 };
}

describe('notebook 09: the sensitivity table', () => {
  it('has the with-augmentation column only when a variant ran with augmentation', () => {
    const withAug = notebook.sensitivityRows(study(true));
    assert.deepStrictEqual(withAug[0]['with augmentation %'], '70.9 ± 0.5');
    assert.deepStrictEqual(withAug[1]['with augmentation %'], '');
    const without = notebook.sensitivityRows(study(false));
    for (const r of without) assert.ok(!('with augmentation %' in r), JSON.stringify(r));
    assert.deepStrictEqual(without[1]['vs ours (pp)'], '-8.0');
    assert.deepStrictEqual(without[0]['accuracy %'], '62.3 ± 1.1');
  });
});
